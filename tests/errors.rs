//! Bad input and usage: exit status 2 and a message that names the file and what to do.
//!
//! The important messages are pinned in full, so a change to them is a decision.
use crate::util::Dir;

const POLICY: &str = "## Sharing\n\nWe never sell personal data.\n";

/// What every "not text" message ends with.
const CONVERT: &str = "a policy must be UTF-8 Markdown, plain text or HTML (or a Word or PDF file); convert it (e.g. with \
                       iconv or pandoc) and try again";

fn with_policy(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.write("policy.md", POLICY);
    dir
}

/// Runs `handover ARGS` expecting exit status 2, nothing on stdout, and returns stderr.
fn fails(dir: &Dir, args: &[&str]) -> String {
    let mut cmd = dir.handover(args);
    let output = dir.run_expect(&mut cmd, 2);
    assert!(output.stdout.is_empty(), "{}", dir.describe(&cmd, &output));
    String::from_utf8(output.stderr).expect("stderr is UTF-8")
}

#[test]
fn missing_old_file() {
    let dir = with_policy("missing_old_file");
    let err = fails(&dir, &["diff", "missing.md", "policy.md"]);
    assert_eq!(
        err,
        "handover: error: cannot read missing.md: No such file or directory (os error 2); \
         check the path and that the file is readable\n"
    );
}

#[test]
fn missing_new_file_is_named() {
    let dir = with_policy("missing_new_file_is_named");
    let err = fails(&dir, &["diff", "policy.md", "nowhere/new.md"]);
    assert!(
        err.starts_with("handover: error: cannot read nowhere/new.md: "),
        "{err}"
    );
    assert!(
        err.ends_with("; check the path and that the file is readable\n"),
        "{err}"
    );
}

#[test]
fn no_output_file_is_written_when_an_input_is_bad() {
    let dir = with_policy("no_output_file_is_written_when_an_input_is_bad");
    fails(
        &dir,
        &["diff", "policy.md", "missing.md", "-o", "report.txt"],
    );
    assert!(!dir.path().join("report.txt").exists());
}

#[test]
fn a_directory_is_not_a_policy() {
    let dir = with_policy("a_directory_is_not_a_policy");
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    let err = fails(&dir, &["diff", "policies", "policy.md"]);
    assert!(
        err.starts_with("handover: error: cannot read policies: "),
        "{err}"
    );
    assert!(
        err.ends_with("; check the path and that the file is readable\n"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let dir = with_policy("invalid_utf8_names_line_and_column");
    // Latin-1 "é" (0xE9) on line 3, after "We keep caf"; column 12.
    dir.write(
        "latin1.md",
        b"## Cookies\n\nWe keep caf\xe9 logs.\n".as_slice(),
    );
    let err = fails(&dir, &["diff", "policy.md", "latin1.md"]);
    assert_eq!(
        err,
        "handover: error: latin1.md:3:12: byte 0xE9 at line 3, column 12 (byte offset 23) is \
         not UTF-8; the file looks like Latin-1 / Windows-1252; save it as UTF-8 (e.g. `iconv \
         -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`); a policy must be UTF-8 Markdown, plain text \
         or HTML (or a Word or PDF file)\n"
    );
}

#[test]
fn invalid_utf8_column_counts_characters() {
    let dir = with_policy("invalid_utf8_column_counts_characters");
    // Three Japanese characters (three bytes each) before the bad byte: column 4.
    let mut bytes = "個人情".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\n");
    dir.write("mixed.md", bytes);
    let err = fails(&dir, &["diff", "mixed.md", "policy.md"]);
    assert_eq!(
        err,
        format!(
            "handover: error: mixed.md:1:4: invalid UTF-8 at line 1, column 4 (byte offset 9, \
             byte 0xFF); {CONVERT}\n"
        )
    );
}

#[test]
fn a_binary_file_is_refused() {
    let dir = with_policy("a_binary_file_is_refused");
    dir.write("policy.gif", b"GIF89a\x00\x01\x02binary".as_slice());
    let err = fails(&dir, &["diff", "policy.md", "policy.gif"]);
    assert_eq!(
        err,
        "handover: error: policy.gif:1: a NUL byte at byte offset 6: this looks like a binary \
         file; a policy must be UTF-8 Markdown, plain text or HTML (or a Word or PDF file); check \
         that you named the right file\n"
    );
    // A PDF is read as one, and a broken one says so.
    dir.write("policy.pdf", b"%PDF-1.7\n\x00\x01\x02binary".as_slice());
    let err = fails(&dir, &["diff", "policy.md", "policy.pdf"]);
    assert_eq!(
        err,
        "handover: error: policy.pdf: not a readable PDF; export the policy to PDF again (or as \
         .docx or HTML) and try again\n"
    );
}

#[test]
fn a_utf16_file_is_refused() {
    let dir = with_policy("a_utf16_file_is_refused");
    let utf16: Vec<u8> = [0xfeff_u16]
        .into_iter()
        .chain("We never sell personal data.\n".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    dir.write("utf16.md", utf16);
    let err = fails(&dir, &["diff", "utf16.md", "policy.md"]);
    assert_eq!(
        err,
        "handover: error: utf16.md: the file is UTF-16 (little-endian), not UTF-8; save it as \
         UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or `iconv -f UTF-16 -t UTF-8`); a policy must be UTF-8 Markdown, plain text or HTML (or a Word or PDF file)\n"
    );
}

#[test]
fn unknown_format() {
    let dir = with_policy("unknown_format");
    let err = fails(
        &dir,
        &["diff", "policy.md", "policy.md", "--format", "yaml"],
    );
    assert!(
        err.starts_with("error: invalid value 'yaml' for '--format <FORMAT>'\n"),
        "{err}"
    );
    assert!(
        err.contains("[possible values: text, markdown, json, html, docx]"),
        "{err}"
    );
}

#[test]
fn missing_argument() {
    let dir = with_policy("missing_argument");
    let err = fails(&dir, &["diff", "policy.md"]);
    assert!(
        err.starts_with("error: the following required arguments were not provided:\n  <NEW>\n"),
        "{err}"
    );
}

#[test]
fn unwritable_output_names_the_file() {
    let dir = with_policy("unwritable_output_names_the_file");
    let err = fails(
        &dir,
        &[
            "diff",
            "policy.md",
            "policy.md",
            "-o",
            "no-such-folder/report.txt",
        ],
    );
    assert!(
        err.starts_with("handover: error: cannot write no-such-folder/report.txt: "),
        "{err}"
    );
    assert!(
        err.ends_with("; check that its folder exists and is writable\n"),
        "{err}"
    );
}

#[test]
fn help_and_version_exit_zero() {
    let dir = Dir::new("help_and_version_exit_zero");
    let help = dir.stdout(&mut dir.handover(["diff", "--help"]));
    assert!(help.contains("--format <FORMAT>"), "{help}");
    assert!(help.contains("--output <FILE>"), "{help}");
    let version = dir.stdout(&mut dir.handover(["--version"]));
    assert!(version.starts_with("handover "), "{version}");
}
