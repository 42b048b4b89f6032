//! Output formats, colour, `-o FILE`, and untrusted text on the way to a terminal.
use std::io::Read;
use std::process::Stdio;

use crate::util::Dir;

const OLD: &str = "## Sharing\n\nWe do not sell or rent personal data to anyone.\n\nWe share data with couriers.\n";
const NEW: &str = "## Sharing\n\nWe may sell personal data to anyone.\n\nWe share data with couriers.\n\nWe keep order records for seven years.\n";

fn fixture(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.write("old.md", OLD);
    dir.write("new.md", NEW);
    dir
}

#[test]
fn text_report_uses_word_diff_markers() {
    let dir = fixture("text_report_uses_word_diff_markers");
    let out = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md"]));
    let redline = &out[out.find("\nRedline").expect("a redline")..];
    assert_eq!(
        redline,
        "
Redline (2 changes)

@@ Sharing @@ modified, old 3, new 3
  We [-do not-]{+may+} sell [-or rent -]personal data to anyone.

@@ Sharing @@ inserted, new 7
+ We keep order records for seven years.

Legend: practice changes: ! material, ? to review (material until a person says otherwise), ~ not material; redline: + inserted line, - deleted line, > moved, [-deleted words-], {+inserted words+}
"
    );
    assert!(
        out.starts_with("handover diff old.md -> new.md\nverdict: "),
        "{out}"
    );
}

#[test]
fn markdown_report_strikes_and_bolds() {
    let dir = fixture("markdown_report_strikes_and_bolds");
    let out = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-f", "markdown"]));
    assert!(
        out.starts_with(
            "# Policy comparison\n\n- **Old:** `old.md` (Sharing)\n- **New:** `new.md` (Sharing)\n"
        ),
        "{out}"
    );
    let redline = &out[out.find("## Redline").expect("a redline")..];
    assert_eq!(
        redline,
        "## Redline

### Sharing

*modified, old 3, new 3*

> We ~~do not~~**may** sell ~~or rent~~ personal data to anyone.

### Sharing

*inserted, new 7*

> **We keep order records for seven years.**
>

"
    );
}

#[test]
fn no_colour_when_stdout_is_not_a_terminal() {
    let dir = fixture("no_colour_when_stdout_is_not_a_terminal");
    let mut cmd = dir.handover(["diff", "old.md", "new.md"]);
    cmd.env_remove("NO_COLOR");
    let out = dir.stdout(&mut cmd);
    assert!(!out.contains('\x1b'), "{out:?}");
}

#[test]
fn colour_can_be_forced_but_not_over_no_color() {
    let dir = fixture("colour_can_be_forced_but_not_over_no_color");
    let mut forced = dir.handover(["diff", "old.md", "new.md"]);
    forced.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    let out = dir.stdout(&mut forced);
    assert!(out.contains("\x1b[31m[-do not-]"), "{out:?}");
    let mut both = dir.handover(["diff", "old.md", "new.md"]);
    both.env("CLICOLOR_FORCE", "1");
    let out = dir.stdout(&mut both);
    assert!(!out.contains('\x1b'), "{out:?}");
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = fixture("output_file_gets_the_report_and_stdout_stays_empty");
    let expected = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md"]));
    for flag in ["-o", "--output"] {
        // Colour forced: the file must still be plain text.
        let mut cmd = dir.handover(["diff", "old.md", "new.md", flag, "report.txt"]);
        cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
        let output = dir.run_expect(&mut cmd, 0);
        assert!(output.stdout.is_empty(), "{}", dir.describe(&cmd, &output));
        assert!(output.stderr.is_empty(), "{}", dir.describe(&cmd, &output));
        let written = dir.read("report.txt");
        assert!(!written.contains('\x1b'), "{written:?}");
        assert_eq!(written, expected);
    }
}

#[test]
fn output_file_in_every_format() {
    let dir = fixture("output_file_in_every_format");
    for format in ["text", "markdown", "json"] {
        let to_stdout = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-f", format]));
        let name = format!("report.{format}");
        let mut cmd = dir.handover(["diff", "old.md", "new.md", "-f", format, "-o", &name]);
        let output = dir.run_expect(&mut cmd, 0);
        assert!(output.stdout.is_empty(), "{}", dir.describe(&cmd, &output));
        assert_eq!(dir.read(&name), to_stdout, "{format}");
    }
    let json: serde_json::Value = serde_json::from_str(&dir.read("report.json")).unwrap();
    assert_eq!(json["schema"], "handover.diff/v1");
}

#[test]
fn output_file_is_replaced_and_no_temporary_file_is_left() {
    let dir = fixture("output_file_is_replaced_and_no_temporary_file_is_left");
    dir.write(
        "out/report.txt",
        "an older report that is much longer than the new one\n".repeat(100),
    );
    dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-o", "out/report.txt"]));
    let written = dir.read("out/report.txt");
    assert!(
        written.starts_with("handover diff old.md -> new.md\n"),
        "{written}"
    );
    assert!(!written.contains("older report"), "{written}");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.txt"]);
}

#[test]
fn control_characters_in_a_policy_do_not_reach_the_terminal() {
    let dir = Dir::new("control_characters_in_a_policy_do_not_reach_the_terminal");
    dir.write("old.md", "We keep logs.\n");
    dir.write("new.md", "We keep logs \x1b]0;pwned\x07 forever.\x1b[2J\n");
    let mut cmd = dir.handover(["diff", "old.md", "new.md"]);
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    let out = dir.stdout(&mut cmd);
    assert!(!out.contains('\x07'), "{out:?}");
    assert!(!out.contains("\x1b]"), "{out:?}");
    assert!(!out.contains("\x1b[2J"), "{out:?}");
}

#[test]
fn markdown_report_escapes_policy_markup() {
    let dir = Dir::new("markdown_report_escapes_policy_markup");
    dir.write("old.md", "We keep logs.\n");
    dir.write(
        "new.md",
        "We keep logs.\n\nSee \\<script>alert(1)\\</script> and \\[x\\](http://evil.example).\n",
    );
    let out = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-f", "markdown"]));
    assert!(out.contains(r"\<script\>alert(1)\</script\>"), "{out}");
    assert!(out.contains(r"\[x\](http://evil.example)"), "{out}");
    assert!(!out.contains("<script>"), "{out}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = Dir::new("a_closed_pipe_is_not_an_error");
    let paragraph = "We keep this paragraph in the new policy only, so that the report is long. ";
    let new: String = (0..2000).map(|i| format!("{paragraph}{i}\n\n")).collect();
    dir.write("old.md", "We keep logs.\n");
    dir.write("new.md", new);
    let mut child = dir
        .std_cmd()
        .args(["diff", "old.md", "new.md"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn handover");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    crate::util::scan_stderr(&output.stderr, "handover diff (closed pipe)");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Regression: `-o /dev/null` renamed a temporary file over the device, so (as root) it
/// replaced /dev/null with a regular file. The test writes through a link to /dev/null in
/// its own directory, so that a regression replaces the link, never the device.
#[cfg(unix)]
#[test]
fn output_to_a_device_writes_to_the_device() {
    let dir = fixture("output_to_a_device_writes_to_the_device");
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).unwrap();
    let mut cmd = dir.handover(["diff", "old.md", "new.md", "-o", "null"]);
    let output = dir.run_expect(&mut cmd, 0);
    assert!(output.stdout.is_empty(), "{}", dir.describe(&cmd, &output));
    let link = std::fs::symlink_metadata(dir.path().join("null")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by {link:?}"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".handover-"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}
