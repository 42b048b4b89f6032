//! Policies as HTML pages, Word documents and PDFs, and the HTML and Word reports.
//!
//! The fixtures in `tests/fixtures/documents/` are the project's own policies made into a
//! web page with site chrome, a Word document (pandoc, with a running header and footer),
//! the same re-saved by LibreOffice, and a PDF printed by LibreOffice (`make.sh` there). Each
//! must read as its Markdown original: a redline with no change at all. The browser and word
//! processor checks of the reports are in `.ci/documents`; here the reports' structure is
//! asserted on the HTML and on the XML inside the `.docx`.
use std::io::Read;

use crate::util::{kinds, repo, Dir};

const POLICIES: [&str; 2] = ["japantourist-2012", "sakura-2026"];
const FORMATS: [&str; 4] = ["html", "docx", "lo.docx", "pdf"];

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/documents")
        .join(name)
        .display()
        .to_string()
}

fn markdown(policy: &str) -> String {
    repo()
        .join(format!("policies/{policy}.md"))
        .display()
        .to_string()
}

#[test]
fn every_fixture_reads_as_its_markdown_original() {
    let dir = Dir::new("every_fixture_reads_as_its_markdown_original");
    for policy in POLICIES {
        for format in FORMATS {
            let file = fixture(&format!("{policy}.{format}"));
            let diff = dir.diff_json(&markdown(policy), &file);
            assert_eq!(kinds(&diff), Vec::<&str>::new(), "{file}: {diff:#}");
            assert_eq!(diff["verdict"]["practices_changed"], false, "{file}");
            let expected = if format == "lo.docx" { "docx" } else { format };
            assert_eq!(diff["new"]["format"], expected, "{file}");
            assert_eq!(diff["old"]["format"], "markdown");
        }
    }
}

#[test]
fn a_long_policy_reads_the_same_across_page_breaks() {
    // 8,000 generated words over 20 pages: paragraphs and lists broken across pages,
    // numbered bold headings, running header and footer.
    let dir = Dir::new("a_long_policy_reads_the_same_across_page_breaks");
    for format in ["docx", "pdf"] {
        let diff = dir.diff_json(&fixture("long.md"), &fixture(&format!("long.{format}")));
        assert_eq!(kinds(&diff), Vec::<&str>::new(), "long.{format}: {diff:#}");
        assert_eq!(diff["verdict"]["practices_changed"], false, "long.{format}");
    }
}

#[test]
fn converted_fixtures_diff_clean_against_the_original() {
    let dir = Dir::new("converted_fixtures_diff_clean_against_the_original");
    for policy in POLICIES {
        for format in FORMATS {
            let out = format!("{policy}-{format}.md");
            dir.stdout(&mut dir.handover([
                "convert",
                &fixture(&format!("{policy}.{format}")),
                "-o",
                &out,
            ]));
            let converted = dir.read(&out);
            assert!(
                !converted.contains("<nav") && !converted.contains("cookies to improve"),
                "{out}"
            );
            let diff = dir.diff_json(&markdown(policy), &out);
            assert_eq!(kinds(&diff), Vec::<&str>::new(), "{out}:\n{converted}");
            assert_eq!(diff["verdict"]["practices_changed"], false, "{out}");
        }
    }
}

#[test]
fn page_chrome_is_dropped_and_positions_are_html_lines() {
    let dir = Dir::new("page_chrome_is_dropped_and_positions_are_html_lines");
    let page = fixture("sakura-2026.html");
    let out = dir.stdout(&mut dir.handover(["convert", &page]));
    for chrome in [
        "Skip to content",
        "Tours",
        "Share this page",
        "Sign up for our newsletter",
        "We use cookies to improve",
        "gtag",
        "Please enable JavaScript",
    ] {
        assert!(!out.contains(chrome), "{chrome:?} in:\n{out}");
    }
    assert!(out.starts_with("# Sakura Travel Privacy Policy\n"), "{out}");
    // Evidence positions are lines of the HTML file, and the line holds the quoted text.
    let diff = dir.diff_json(&markdown("japantourist-2012"), &page);
    let source = std::fs::read_to_string(&page).unwrap();
    let evidence = &diff["practice_changes"][0]["new"][0];
    let line = evidence["line"].as_u64().unwrap() as usize;
    let text = evidence["text"].as_str().unwrap();
    let first_words: String = text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        source.lines().nth(line - 1).unwrap().contains(&first_words),
        "line {line} of {page} should hold {first_words:?}"
    );
}

#[test]
fn pdf_positions_are_page_and_line() {
    let dir = Dir::new("pdf_positions_are_page_and_line");
    let pdf = fixture("sakura-2026.pdf");
    let diff = dir.diff_json(&markdown("japantourist-2012"), &pdf);
    let pages: Vec<u64> = diff["new"]["pages"]
        .as_array()
        .expect("a PDF side lists where its pages start")
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(pages.len(), 3, "{:#}", diff["new"]);
    assert_eq!(pages[0], 1);
    let out = dir.stdout(&mut dir.handover(["diff", &markdown("japantourist-2012"), &pdf]));
    assert!(out.contains("new p1:"), "{out}");
    assert!(out.contains("new p2:") || out.contains("new p3:"), "{out}");
    // Running headers and "Page N of M" footers are not policy text.
    let converted = dir.stdout(&mut dir.handover(["convert", &pdf]));
    assert!(!converted.contains("Page 1 of"), "{converted}");
    assert!(
        !converted.contains("sakura-2026 privacy policy"),
        "{converted}"
    );
}

#[test]
fn content_that_contradicts_the_extension_is_refused() {
    let dir = Dir::new("content_that_contradicts_the_extension_is_refused");
    dir.write("ok.md", "We do not sell data.\n");
    let page = std::fs::read(fixture("sakura-2026.html")).unwrap();
    dir.write("page.md", &page);
    dir.write("text.pdf", "We do not sell data.\n");
    dir.write("broken.docx", b"PK\x03\x04 not really a zip");
    let cases = [
        (
            "page.md",
            "handover: error: page.md: the name says Markdown or text (.md) but the content is an \
             HTML page; rename the file to end in .html if it is an HTML page, or export it again \
             as Markdown or text\n",
        ),
        (
            "text.pdf",
            "handover: error: text.pdf: the name says a PDF (.pdf) but the content is plain text \
             or Markdown; rename the file to end in .md if it is plain text or Markdown, or export \
             it again as a PDF\n",
        ),
        (
            "broken.docx",
            "handover: error: broken.docx: this is a ZIP archive without word/document.xml, so not \
             a Word document; save the policy as .docx, HTML, PDF or Markdown and try again\n",
        ),
    ];
    for (file, message) in cases {
        let output = dir.run_expect(&mut dir.handover(["diff", "ok.md", file]), 2);
        assert_eq!(String::from_utf8_lossy(&output.stderr), message);
        assert!(output.stdout.is_empty());
    }
    // The same for convert.
    let output = dir.run_expect(&mut dir.handover(["convert", "page.md"]), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("rename the file"));
}

/// The seed against the shipped acquirer policy, as an HTML report.
fn html_report(dir: &Dir) -> (String, serde_json::Value) {
    let (old, new) = (markdown("japantourist-2012"), markdown("sakura-2026"));
    dir.stdout(&mut dir.handover(["diff", &old, &new, "--format", "html", "-o", "report.html"]));
    (dir.read("report.html"), dir.diff_json(&old, &new))
}

#[test]
fn html_report_is_self_contained_and_counts_match_the_json() {
    let dir = Dir::new("html_report_is_self_contained_and_counts_match_the_json");
    let (html, json) = html_report(&dir);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // A strict CSP: nothing but our own stylesheet, allowed by its hash.
    let csp_start = html.find("Content-Security-Policy\" content=\"").unwrap();
    let csp = &html[csp_start..html[csp_start..].find("\">").unwrap() + csp_start];
    assert!(
        csp.contains("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'none'"), "{csp}");
    let style = &html[html.find("<style>").unwrap() + 7..html.find("</style>").unwrap()];
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style.as_bytes()));
    assert!(
        csp.contains(&format!("'sha256-{hash}'")),
        "the CSP must allow the inline style"
    );
    for external in [
        "<script", "<link", "<img", "<iframe", "src=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!html.contains(external), "{external} in the report");
    }
    // Counts that a reader (and the browser test) relies on.
    let practices = json["practice_changes"].as_array().unwrap().len();
    let texts = json["text_changes"].as_array().unwrap().len();
    assert!(html.contains(&format!(
        "<body data-verdict=\"material\" data-practice-changes=\"{practices}\" data-text-changes=\"{texts}\">"
    )));
    assert_eq!(html.matches("<tr class=\"practice").count(), practices);
    assert_eq!(html.matches("<li class=\"k-").count(), texts);
    assert!(
        html.contains("<h3>Material changes (14)</h3>")
            && html
                .contains("<h3>To review: changed sentences no practice change explains (1)</h3>"),
        "grouped, material first"
    );
    assert!(html.contains("data-kind=\"moved-from\"") && html.contains("data-kind=\"moved-to\""));
    // Each change in the margin points at a row.
    for n in 0..texts {
        assert!(
            html.contains(&format!("id=\"c{n}\"")),
            "no row for change {n}"
        );
    }
}

#[test]
fn html_report_escapes_policy_text() {
    let dir = Dir::new("html_report_escapes_policy_text");
    dir.write("old.md", "We do not sell data.\n");
    dir.write(
        "new.md",
        "We sell data &lt;script&gt;alert(1)&lt;/script&gt; and `<img src=x onerror=alert(2)>`.\n\n\
         <script>alert(3)</script>\n",
    );
    dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-f", "html", "-o", "r.html"]));
    let html = dir.read("r.html");
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
}

/// The entries of a zip archive, as text.
fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the archive"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn docx_redline_has_tracked_changes_with_author_and_date() {
    let dir = Dir::new("docx_redline_has_tracked_changes_with_author_and_date");
    let (old, new) = (markdown("japantourist-2012"), markdown("sakura-2026"));
    let mut cmd = dir.handover([
        "diff",
        &old,
        &new,
        "-f",
        "docx",
        "-o",
        "redline.docx",
        "--author",
        "Jane Doe",
    ]);
    cmd.env("HANDOVER_NOW", "2026-11-30T09:00:00.5Z");
    dir.stdout(&mut cmd);
    let bytes = std::fs::read(dir.path().join("redline.docx")).unwrap();
    let xml = unzip(&bytes, "word/document.xml");
    for tag in [
        "<w:ins ",
        "<w:del ",
        "<w:moveFrom ",
        "<w:moveTo ",
        "<w:moveFromRangeStart ",
        "<w:delText",
    ] {
        assert!(xml.contains(tag), "no {tag}");
    }
    let stamps = xml
        .matches(" w:author=\"Jane Doe\" w:date=\"2026-11-30T09:00:00Z\"")
        .count();
    let revisions = [
        "<w:ins ",
        "<w:del ",
        "<w:moveFrom ",
        "<w:moveTo ",
        "<w:ins/",
        "<w:del/",
    ]
    .iter()
    .map(|t| xml.matches(t).count())
    .sum::<usize>();
    assert!(
        stamps >= revisions && revisions > 40,
        "{stamps} stamps, {revisions} revisions"
    );
    assert!(!xml.contains("w:author=\"handover\""));
    assert!(unzip(&bytes, "word/settings.xml").contains("<w:trackRevisions/>"));
    // The summary table at the top: a header row and a row per practice change.
    let json = dir.diff_json(&old, &new);
    let practices = json["practice_changes"].as_array().unwrap().len();
    let table = &xml[xml.find("<w:tbl>").unwrap()..xml.find("</w:tbl>").unwrap()];
    assert_eq!(
        table.matches("<w:tr>").count(),
        1 + 3 + practices,
        "header, three groups (material, to review, other), changes"
    );
    // Our own reader reads tracked changes as accepted: after the heading, the new policy.
    let redline = handover::policy::load(&dir.path().join("redline.docx")).unwrap();
    let new_policy = handover::policy::load(std::path::Path::new(&new)).unwrap();
    let heading = redline
        .blocks
        .iter()
        .position(|b| b.text == handover::render::docx::POLICY_HEADING)
        .expect("the policy heading");
    let accepted: Vec<&str> = redline.blocks[heading + 1..]
        .iter()
        .map(|b| b.norm.as_str())
        .collect();
    let expected: Vec<&str> = new_policy.blocks.iter().map(|b| b.norm.as_str()).collect();
    assert_eq!(accepted, expected);
}

#[test]
fn docx_is_refused_on_a_terminal_and_author_defaults_to_handover() {
    let dir = Dir::new("docx_is_refused_on_a_terminal_and_author_defaults_to_handover");
    dir.write("old.md", "We do not sell data.\n");
    dir.write("new.md", "We sell data.\n");
    let mut cmd = dir.handover(["diff", "old.md", "new.md", "-f", "docx"]);
    cmd.env("HANDOVER_NOW", "2027-01-02T03:04:05Z");
    let bytes = dir.run_expect(&mut cmd, 0).stdout;
    let xml = unzip(&bytes, "word/document.xml");
    assert!(
        xml.contains(" w:author=\"handover\" w:date=\"2027-01-02T03:04:05Z\""),
        "{xml}"
    );
    let output = dir.run_expect(
        &mut dir.handover([
            "diff",
            "old.md",
            "new.md",
            "-f",
            "docx",
            "--now",
            "yesterday",
        ]),
        2,
    );
    assert!(String::from_utf8_lossy(&output.stderr)
        .starts_with("handover: error: --now: `yesterday` is not an RFC 3339 time"));
}

#[test]
fn a_case_plans_the_same_from_any_format_of_the_acquirer_policy() {
    let members = "member_id,name,email,status,birth_date\nM1,Aiko,aiko@example.jp,active,1980-01-01\nM2,Ben,,active,\nM3,Chie,chie@example.jp,closed,\n";
    let mut plans = Vec::new();
    for acquirer in [
        "sakura-2026.md",
        "sakura-2026.html",
        "sakura-2026.docx",
        "sakura-2026.pdf",
    ] {
        let dir = Dir::new("a_case_plans_the_same_from_any_format_of_the_acquirer_policy");
        dir.copy_from_repo("policies/japantourist-2012.md");
        let source = if acquirer.ends_with(".md") {
            repo().join("policies").join(acquirer)
        } else {
            repo().join("tests/fixtures/documents").join(acquirer)
        };
        dir.write(acquirer, std::fs::read(source).unwrap());
        dir.write("members.csv", members);
        dir.write(
            "handover.yaml",
            format!(
                "case: Test\ndeal: merger\nacquirer_country: JP\npolicies:\n  current: policies/japantourist-2012.md\n  acquirer: {acquirer}\n\
                 rules: [metropolis-promise, appi]\nmembers:\n  path: members.csv\n  id: member_id\n  email: email\n\
                 \x20 birth_date: birth_date\n\
                 \x20 status: {{column: status, transfer: [active], exclude: [closed]}}\n\
                 \x20 data_types:\n    name: contact.name\n    email: contact.email\n\
                 \x20 export_columns: [member_id, name, email]\nledger: handover.db\n"
            ),
        );
        let mut cmd = dir.handover(["plan", "--out", "decisions.csv"]);
        cmd.env("HANDOVER_NOW", "2026-11-30T09:00:00Z");
        dir.stdout(&mut cmd);
        plans.push((acquirer, dir.read("decisions.csv")));
    }
    assert!(plans[0].1.contains("M1,notify,email"), "{}", plans[0].1);
    for (acquirer, plan) in &plans[1..] {
        assert_eq!(plan, &plans[0].1, "{acquirer}");
    }
}

/// `git ARGS` in `dir`, with no user or system configuration.
fn git(dir: &Dir, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn check_reads_word_and_html_policies_and_writes_an_html_report() {
    let dir = Dir::new("check_reads_word_and_html_policies_and_writes_an_html_report");
    let fixtures = repo().join("tests/fixtures/documents");
    // The current policy as a Word file and as a web page, committed.
    dir.write(
        "policies/privacy.docx",
        std::fs::read(fixtures.join("japantourist-2012.docx")).unwrap(),
    );
    dir.write(
        "policies/privacy.html",
        std::fs::read(fixtures.join("japantourist-2012.html")).unwrap(),
    );
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "policies"]);
    // Unchanged: the folder's Word and HTML files are found, and pass.
    let out = dir.stdout(&mut dir.handover(["check", "--base", "HEAD", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["policies/privacy.docx", "policies/privacy.html"]);
    // The acquirer's terms replace both: a material change in each, reported in one page.
    dir.write(
        "policies/privacy.docx",
        std::fs::read(fixtures.join("sakura-2026.docx")).unwrap(),
    );
    dir.write(
        "policies/privacy.html",
        std::fs::read(fixtures.join("sakura-2026.html")).unwrap(),
    );
    let mut cmd = dir.handover([
        "check",
        "--base",
        "HEAD",
        "--format",
        "html",
        "-o",
        "check.html",
    ]);
    let output = dir.run_expect(&mut cmd, 1);
    assert!(output.stdout.is_empty());
    let html = dir.read("check.html");
    assert!(
        html.contains("<body data-reports=\"2\" data-material=\"true\">"),
        "{html}"
    );
    assert_eq!(html.matches("<article class=\"report\"").count(), 2);
    assert!(
        html.contains("<h1>policies/privacy.docx</h1>")
            && html.contains("<h1>policies/privacy.html</h1>")
    );
    assert!(
        html.contains("new, paragraph "),
        "Word evidence is by paragraph"
    );
    assert!(
        html.contains("id=\"f1-c0\"") && html.contains("href=\"#f1-c0\""),
        "anchors are per report"
    );
    // GitHub annotations: a Word file has no file lines to point at, an HTML file has.
    let output = dir.run_expect(
        &mut dir.handover(["check", "--base", "HEAD", "--format", "json"]),
        1,
    );
    let out = String::from_utf8(output.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lines = |n: usize| -> Vec<bool> {
        json["files"][n]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].is_null())
            .collect()
    };
    assert!(
        lines(0).iter().all(|&null| null),
        "docx findings carry no line"
    );
    assert!(
        lines(1).iter().any(|&null| !null),
        "html findings carry lines"
    );
}

#[test]
fn damaged_documents_are_refused_or_read_never_a_crash() {
    // Truncations and flipped bytes of every fixture, chosen by a fixed pseudo-random walk:
    // each must read or fail with an error, and what reads must have positions in range.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    for policy in POLICIES {
        for format in FORMATS {
            let name = format!("{policy}.{format}");
            let bytes = std::fs::read(fixture(&name)).unwrap();
            for round in 0..24 {
                let mut damaged = bytes.clone();
                if round % 2 == 0 {
                    damaged.truncate(next(bytes.len()));
                } else {
                    for _ in 0..8 {
                        let at = next(damaged.len());
                        damaged[at] ^= 1 << next(8);
                    }
                }
                if let Ok(read) = handover::policy::from_bytes(&name, &damaged) {
                    for block in &read.blocks {
                        assert!(
                            block.lines.0 >= 1 && block.lines.1 <= read.line_count,
                            "{name} round {round}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn converted_pdf_snapshot() {
    // The PDF reader is the most heuristic: its reading of a real LibreOffice PDF (running
    // header, "Page N of M" footer, bullets, bold headings, three pages) is pinned.
    let dir = Dir::new("converted_pdf_snapshot");
    let out = dir.stdout(&mut dir.handover(["convert", &fixture("japantourist-2012.pdf")]));
    insta::assert_snapshot!("converted_pdf", out);
}
