//! The project explains itself: completions and man pages from the command-line definition,
//! options only on the commands where they act, and documentation that a clone of the
//! project alone can follow (every relative link resolves, nothing points outside).
use crate::util::{repo, Dir};

#[test]
fn completions_cover_every_command() {
    let dir = Dir::new("completions_cover_every_command");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = dir.stdout(&mut dir.handover(["completions", shell]));
        for command in [
            "diff",
            "check",
            "init",
            "plan",
            "status",
            "completions",
            "man",
        ] {
            assert!(out.contains(command), "{shell} completions lack {command}");
        }
    }
    let bash = dir.stdout(&mut dir.handover(["completions", "bash"]));
    assert!(
        bash.contains("--acknowledgements"),
        "options are completed too"
    );
    let mut cmd = dir.handover(["completions", "tcsh"]);
    let output = dir.run_expect(&mut cmd, 2);
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

#[test]
fn man_pages_are_generated() {
    let dir = Dir::new("man_pages_are_generated");
    let page = dir.stdout(&mut dir.handover(["man"]));
    assert!(page.contains(".TH handover 1"), "{page}");
    assert!(page.contains("handover\\-diff(1)"), "{page}");
    assert!(page.contains("Exit codes"), "{page}");
    let out = dir.stdout(&mut dir.handover(["man", "--dir", "man1"]));
    for name in [
        "handover",
        "handover-diff",
        "handover-check",
        "handover-plan",
        "handover-status",
    ] {
        assert!(out.contains(&format!("wrote man1/{name}.1")), "{out}");
        let text = dir.read(&format!("man1/{name}.1"));
        assert!(text.starts_with(".ie"), "{name}: {text}");
    }
    assert!(dir.read("man1/handover-plan.1").contains("\\-\\-replan"));
}

/// `--case` and `--now` are offered where they act, and refused as usage errors elsewhere.
#[test]
fn case_and_clock_options_only_where_they_act() {
    let dir = Dir::new("case_and_clock_options_only_where_they_act");
    dir.write("a.md", "We keep logs.\n");
    for args in [
        &["diff", "a.md", "a.md", "--case", "x"][..],
        &["init", "c", "--case", "x"],
        &["check", "--case", "x"],
        &["--case", "x", "status"],
    ] {
        let mut cmd = dir.handover(args);
        let output = dir.run_expect(&mut cmd, 2);
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(
            err.starts_with("error: unexpected argument '--"),
            "{args:?}: {err}"
        );
    }
    for command in ["plan", "status"] {
        let help = dir.stdout(&mut dir.handover([command, "--help"]));
        assert!(
            help.contains("--case <PATH>") && help.contains("--now <TIME>"),
            "{help}"
        );
    }
    for command in ["init", "check"] {
        let help = dir.stdout(&mut dir.handover([command, "--help"]));
        assert!(
            help.contains("--now <TIME>") && !help.contains("--case"),
            "{help}"
        );
    }
    // `diff` takes the clock for the date of a Word redline's tracked changes, not a case.
    let help = dir.stdout(&mut dir.handover(["diff", "--help"]));
    assert!(
        help.contains("--now <TIME>") && !help.contains("--case"),
        "{help}"
    );
}

/// Markdown links `[text](target)` of a file, without web and in-page links.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with('#') && !target.starts_with('<') {
            links.push(target.split('#').next().unwrap_or_default().to_string());
        }
    }
    links
}

/// The README and docs/ work in a clone of the project alone: every relative link resolves
/// inside the project, and nothing refers to the development notes beside it.
#[test]
fn the_documentation_stands_alone() {
    let mut files = vec![repo().join("README.md")];
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let root = repo().canonicalize().unwrap();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("../shared"),
            "{} refers to ../shared",
            file.display()
        );
        assert!(
            !text.contains("DESIGN.md"),
            "{} refers to DESIGN.md",
            file.display()
        );
        for link in relative_links(&text) {
            let target = file.parent().unwrap().join(&link);
            let resolved = target
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: broken link {link}", file.display()));
            assert!(
                resolved.starts_with(&root),
                "{}: {link} leaves the project",
                file.display()
            );
        }
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("cargo install --locked --path ."),
        "an install step"
    );
    for doc in ["docs/case-file.md", "docs/formats.md", "docs/files.md"] {
        assert!(
            readme.contains(&format!("]({doc}")),
            "the README links {doc}"
        );
    }
}

/// Every key the case-file parser accepts is documented.
#[test]
fn the_case_file_reference_lists_every_key() {
    let reference = std::fs::read_to_string(repo().join("docs/case-file.md")).unwrap();
    let template = std::fs::read_to_string(repo().join("src/scaffold/handover.yaml")).unwrap();
    let mut section = String::new();
    for line in template.lines() {
        let trimmed = line.trim_start();
        let Some((key, _)) = trimmed.split_once(':') else {
            continue;
        };
        if trimmed.starts_with('#') || key.contains(' ') {
            continue;
        }
        let key = if line.starts_with("  ") && !line.starts_with("    ") {
            format!("{section}.{key}")
        } else if line.starts_with("    ") {
            continue; // data_types entries are columns, not keys
        } else {
            section = key.to_string();
            key.to_string()
        };
        let documented =
            reference.contains(&format!("`{key}`")) || reference.contains(&format!("`{key}."));
        assert!(documented, "case-file.md does not document `{key}`");
    }
    for key in [
        "members.flags",
        "members.status",
        "ledger",
        "notice.site_notice_url",
    ] {
        assert!(reference.contains(&format!("`{key}`")), "{key}");
    }
}
