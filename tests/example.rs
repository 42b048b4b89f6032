//! The shipped example: the 2012 JapanTourist policy against the invented Sakura Travel one.
//!
//! The text and Markdown reports are snapshots (`tests/snapshots/`), each cut in two: the
//! head (title, verdict, practice changes) and the redline. The practice layer will change
//! the head; re-accept it after reading the new output with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test example`), while the redline snapshot keeps guarding the
//! redline. The JSON assertions avoid `practice_changes`, `verdict.material` and
//! `verdict.summary` for the same reason.
use serde_json::json;

use crate::util::{sha256_of, text_changes, Dir};

const OLD: &str = "policies/japantourist-2012.md";
const NEW: &str = "policies/sakura-2026.md";

fn example_dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.copy_from_repo(OLD);
    dir.copy_from_repo(NEW);
    dir
}

/// Splits a report at the line that starts the redline.
fn split_at_redline<'a>(report: &'a str, marker: &str) -> (&'a str, &'a str) {
    let at = report
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in the report:\n{report}"));
    report.split_at(at)
}

#[test]
fn example_text_report() {
    let dir = example_dir("example_text_report");
    let report = dir.stdout(&mut dir.handover(["diff", OLD, NEW, "--format", "text"]));
    let (head, redline) = split_at_redline(&report, "\nRedline (");
    insta::assert_snapshot!("example_text_head", head);
    insta::assert_snapshot!("example_text_redline", redline);
    // Text is the default format.
    let default = dir.stdout(&mut dir.handover(["diff", OLD, NEW]));
    assert_eq!(default, report);
}

#[test]
fn example_markdown_report() {
    let dir = example_dir("example_markdown_report");
    let report = dir.stdout(&mut dir.handover(["diff", OLD, NEW, "--format", "markdown"]));
    let (head, redline) = split_at_redline(&report, "## Redline\n");
    insta::assert_snapshot!("example_markdown_head", head);
    insta::assert_snapshot!("example_markdown_redline", redline);
}

#[test]
fn example_json_fields() {
    let dir = example_dir("example_json_fields");
    let out = dir.diff_json(OLD, NEW);
    assert_eq!(out["schema"], "handover.diff/v1");
    assert_eq!(
        out["old"],
        json!({
            "path": OLD,
            "sha256": sha256_of(&dir.path().join(OLD)),
            "title": "JapanTourist - The Tourist's Portal to Japan",
            "format": "markdown",
        })
    );
    assert_eq!(
        out["new"],
        json!({
            "path": NEW,
            "sha256": sha256_of(&dir.path().join(NEW)),
            "title": "Sakura Travel Privacy Policy",
            "format": "markdown",
        })
    );
    assert_eq!(out["verdict"]["text_changed"], true);
    assert!(out["practice_changes"].is_array(), "{out:#}");
    for change in text_changes(&out) {
        let kind = change["kind"].as_str().unwrap();
        assert!(
            ["inserted", "deleted", "modified", "moved"].contains(&kind),
            "{change:#}"
        );
    }
}

/// Finds the one text change whose old or new text contains `needle`.
fn change_with<'a>(out: &'a serde_json::Value, needle: &str) -> &'a serde_json::Value {
    let found: Vec<_> = text_changes(out)
        .iter()
        .filter(|c| {
            [&c["old_text"], &c["new_text"]]
                .iter()
                .any(|t| t.as_str().is_some_and(|t| t.contains(needle)))
        })
        .collect();
    assert_eq!(found.len(), 1, "changes with {needle:?}: {found:#?}");
    found[0]
}

#[test]
fn example_merger_sentence_is_modified() {
    let dir = example_dir("example_merger_sentence_is_modified");
    let out = dir.diff_json(OLD, NEW);
    let change = change_with(&out, "merger");
    assert_eq!(change["kind"], "modified");
    assert_eq!(change["section"], "Sharing and Disclosure");
    assert_eq!(change["old_lines"], json!([33, 33]));
    assert_eq!(change["new_lines"], json!([33, 33]));
    assert_eq!(
        change["old_text"],
        "If there is a merger or takeover by another company of Metropolis, then we may \
         transfer customer information to the acquirer. In this event, Metropolis will notify \
         you before information about you is transferred IF the terms of the acquirer's \
         privacy policy is different to ours."
    );
    assert_eq!(
        change["new_text"],
        "If Sakura Travel is involved in a merger, acquisition or sale of assets, we may \
         transfer customer information to the acquirer as part of that transaction."
    );
    // The promise to notify members is what the acquirer dropped.
    let deleted: String = change["words"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|op| op["op"] == "delete")
        .map(|op| op["text"].as_str().unwrap())
        .collect();
    assert!(
        deleted.contains("Metropolis will notify you before information about you is transferred"),
        "{deleted}"
    );
}

#[test]
fn example_other_changes() {
    let dir = example_dir("example_other_changes");
    let out = dir.diff_json(OLD, NEW);
    // A bold-only heading renamed into a `##` heading.
    let cookies = change_with(&out, "Cookies and Similar Technologies");
    assert_eq!(cookies["kind"], "modified");
    assert_eq!(cookies["old_lines"], json!([37, 37]));
    assert_eq!(cookies["new_lines"], json!([35, 35]));
    assert_eq!(
        cookies["words"],
        json!([
            {"op": "equal", "text": "Cookies"},
            {"op": "insert", "text": " and Similar Technologies"},
        ])
    );
    // A new retention section.
    let retention = change_with(&out, "seven years after it is closed");
    assert_eq!(retention["kind"], "inserted");
    assert_eq!(retention["old_lines"], json!(null));
    assert_eq!(retention["new_lines"], json!([40, 42]));
    // The unchanged security section, reformatted from `*` bullets under a bold heading to
    // `-` bullets under `##`, is not in the redline.
    let security = "We have physical, electronic, and procedural safeguards";
    assert!(
        !text_changes(&out)
            .iter()
            .any(|c| c.to_string().contains(security)),
        "{out:#}"
    );
}
