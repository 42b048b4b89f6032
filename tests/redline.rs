//! What `handover diff` counts as a change: wording, not formatting; moves as moves.
//!
//! Each test writes two small invented policies and asserts exact fields of the
//! `handover.diff/v1` JSON (DESIGN.md section 4).
use serde_json::json;

use crate::util::{kinds, text_changes, Dir};

/// A small policy in one Markdown style: `##` headings, `*` bullets, hard-wrapped lines.
const STYLE_A: &str = r#"# Acme Widgets Privacy Notice

## 1. Information We Collect

We collect your name, email address and postal
address when you create an account. We also collect
the customer's order history.

* We use cookies to remember your preferences.
* We keep server logs for thirty days.

* We ask for your date of birth.

1. To provide the service you asked for.
2. To send you "service notices" about your account.
3. To improve our products.

## 2. Sharing

We share data with payment processors listed on [our partners page](https://acme.example/partners).
"#;

/// The same wording as [`STYLE_A`], formatted differently throughout.
const STYLE_B: &str = "# Acme Widgets Privacy Notice

**2. Information We Collect**

We collect your name, *email address* and postal address when you create an
account. We also collect the customer\u{2019}s order
history.

- We use cookies to remember your preferences.
- We keep server logs for _thirty_ days.

1. We ask for your date of birth.

3. To provide the service you asked for.
4. To send you \u{201c}service notices\u{201d} about your account.
5. To improve our **products**.

## 3. Sharing

We share data with **payment processors** listed on
[our partners page](https://acme.example/v2/partners).
";

/// Sections of different sizes, so that moving the smallest one is unambiguous.
const SECTIONS: &str = "# Acme Widgets Privacy Notice

We explain here what we do with personal data.

## Children

Our services are not meant for children under sixteen.

If we learn that a child gave us data, we delete it.

## Information We Collect

We collect your name and email address when you register.

We collect the pages you visit on our site.

We collect the device you use and its settings.

## Sharing

We share data with payment processors.

We share data with the courier that delivers your order.

We never sell personal data.
";

/// [`SECTIONS`] with the Children section (heading and two paragraphs) moved to the end.
const SECTIONS_MOVED: &str = "# Acme Widgets Privacy Notice

We explain here what we do with personal data.

## Information We Collect

We collect your name and email address when you register.

We collect the pages you visit on our site.

We collect the device you use and its settings.

## Sharing

We share data with payment processors.

We share data with the courier that delivers your order.

We never sell personal data.

## Children

Our services are not meant for children under sixteen.

If we learn that a child gave us data, we delete it.
";

fn diff(dir: &Dir, old: &str, new: &str) -> serde_json::Value {
    dir.write("old.md", old);
    dir.write("new.md", new);
    dir.diff_json("old.md", "new.md")
}

#[test]
fn identical_files_have_no_changes() {
    let dir = Dir::new("identical_files_have_no_changes");
    let out = diff(&dir, SECTIONS, SECTIONS);
    assert_eq!(out["schema"], "handover.diff/v1");
    assert_eq!(out["text_changes"], json!([]));
    assert_eq!(out["verdict"]["text_changed"], false);
    assert_eq!(out["old"]["sha256"], out["new"]["sha256"]);
}

#[test]
fn a_file_diffed_with_itself_has_no_changes() {
    let dir = Dir::new("a_file_diffed_with_itself_has_no_changes");
    dir.write("policy.md", STYLE_A);
    let out = dir.diff_json("policy.md", "policy.md");
    assert_eq!(out["text_changes"], json!([]));
    assert_eq!(out["verdict"]["text_changed"], false);
}

#[test]
fn reflowed_and_remarked_text_is_no_change() {
    let dir = Dir::new("reflowed_and_remarked_text_is_no_change");
    let out = diff(&dir, STYLE_A, STYLE_B);
    assert_eq!(out["text_changes"], json!([]), "{out:#}");
    assert_eq!(out["verdict"]["text_changed"], false);
    // The files differ, so the hashes must too: the tool did not compare bytes.
    assert_ne!(out["old"]["sha256"], out["new"]["sha256"]);
    let back = diff(&dir, STYLE_B, STYLE_A);
    assert_eq!(back["text_changes"], json!([]), "{back:#}");
}

#[test]
fn each_formatting_change_alone_is_no_change() {
    let dir = Dir::new("each_formatting_change_alone_is_no_change");
    let cases = [
        (
            "soft wrap",
            "We keep logs for thirty days and then delete them.\n",
            "We keep logs for\nthirty days and then\ndelete them.\n",
        ),
        (
            "star to dash",
            "* We keep logs.\n* We delete them.\n",
            "- We keep logs.\n- We delete them.\n",
        ),
        (
            "bullet to number",
            "- We keep logs.\n- We delete them.\n",
            "1. We keep logs.\n2. We delete them.\n",
        ),
        (
            "renumbered list",
            "1. We keep logs.\n2. We delete them.\n",
            "4. We keep logs.\n5. We delete them.\n",
        ),
        (
            "renumbered heading",
            "## 2. Cookies\n\nWe set cookies.\n",
            "## 3. Cookies\n\nWe set cookies.\n",
        ),
        (
            "heading style",
            "Intro.\n\n## Cookies\n\nWe set cookies.\n",
            "Intro.\n\n**Cookies**\n\nWe set cookies.\n",
        ),
        (
            "heading level",
            "## Cookies\n\nWe set cookies.\n",
            "### Cookies\n\nWe set cookies.\n",
        ),
        (
            "emphasis",
            "We never sell your data.\n",
            "We *never* sell **your** data.\n",
        ),
        (
            "link target",
            "See [our partners](https://a.example/p).\n",
            "See [our partners](https://b.example/q).\n",
        ),
        (
            "curly quotes",
            "We call it \"the service\"; it's free.\n",
            "We call it \u{201c}the service\u{201d}; it\u{2019}s free.\n",
        ),
        (
            "line endings",
            "## Cookies\n\nWe set\ncookies.\n",
            "## Cookies\r\n\r\nWe set\r\ncookies.\r\n",
        ),
        (
            "byte order mark",
            "We set cookies.\n",
            "\u{feff}We set cookies.\n",
        ),
    ];
    for (what, old, new) in cases {
        let out = diff(&dir, old, new);
        assert_eq!(out["text_changes"], json!([]), "{what}: {out:#}");
        assert_eq!(out["verdict"]["text_changed"], false, "{what}");
    }
}

#[test]
fn a_moved_section_is_one_move() {
    let dir = Dir::new("a_moved_section_is_one_move");
    let out = diff(&dir, SECTIONS, SECTIONS_MOVED);
    let text = "Children\n\nOur services are not meant for children under sixteen.\n\n\
                If we learn that a child gave us data, we delete it.";
    assert_eq!(
        out["text_changes"],
        json!([{
            "kind": "moved",
            "section": "Children",
            "old_lines": [5, 9],
            "new_lines": [21, 25],
            "old_text": text,
            "new_text": text,
            "words": [],
        }]),
        "{out:#}"
    );
    assert_eq!(out["verdict"]["text_changed"], true);
}

#[test]
fn a_moved_and_edited_paragraph_is_a_move_with_words() {
    let dir = Dir::new("a_moved_and_edited_paragraph_is_a_move_with_words");
    let new = SECTIONS_MOVED.replace(
        "If we learn that a child gave us data, we delete it.",
        "If we learn that a child gave us data, we delete it promptly.",
    );
    let out = diff(&dir, SECTIONS, &new);
    assert_eq!(kinds(&out), ["moved", "moved"], "{out:#}");
    let edited = &text_changes(&out)[1];
    assert_eq!(edited["old_lines"], json!([9, 9]));
    assert_eq!(edited["new_lines"], json!([25, 25]));
    assert_eq!(
        edited["words"],
        json!([
            {"op": "equal", "text": "If we learn that a child gave us data, we delete it"},
            {"op": "insert", "text": " promptly"},
            {"op": "equal", "text": "."},
        ])
    );
}

/// A paragraph that moved and lost its last sentence (a dropped promise) is a move whose
/// words show the deletion, not an unrelated deletion and insertion.
#[test]
fn a_moved_paragraph_that_lost_a_sentence_is_a_move() {
    let dir = Dir::new("a_moved_paragraph_that_lost_a_sentence_is_a_move");
    let old =
        "# P\n\n## Use\n\nWe use your answers to surveys to plan better tours for our members and \
               readers. We will never give them to anyone under any circumstances.\n\n## Other\n\n\
               Other text stays here.\n";
    let new = "# P\n\n## Other\n\nOther text stays here.\n\n## Use\n\nWe use your answers to \
               surveys to plan better tours for our members and readers.\n";
    let out = diff(&dir, old, new);
    let moved: Vec<&serde_json::Value> = text_changes(&out)
        .iter()
        .filter(|c| c["old_lines"] == json!([5, 5]))
        .collect();
    assert_eq!(moved.len(), 1, "{out:#}");
    assert_eq!(moved[0]["kind"], "moved", "{out:#}");
    assert_eq!(moved[0]["new_lines"], json!([9, 9]));
    assert_eq!(
        moved[0]["words"][1],
        json!({"op": "delete", "text": " We will never give them to anyone under any circumstances."})
    );
}

#[test]
fn a_modified_sentence_has_exact_word_ops() {
    let dir = Dir::new("a_modified_sentence_has_exact_word_ops");
    let new = SECTIONS.replace(
        "We never sell personal data.",
        "We may sell personal data to our advertising partners.",
    );
    let out = diff(&dir, SECTIONS, &new);
    assert_eq!(
        out["text_changes"],
        json!([{
            "kind": "modified",
            "section": "Sharing",
            "old_lines": [25, 25],
            "new_lines": [25, 25],
            "old_text": "We never sell personal data.",
            "new_text": "We may sell personal data to our advertising partners.",
            "words": [
                {"op": "equal", "text": "We "},
                {"op": "delete", "text": "never"},
                {"op": "insert", "text": "may"},
                {"op": "equal", "text": " sell personal data"},
                {"op": "insert", "text": " to our advertising partners"},
                {"op": "equal", "text": "."},
            ],
        }]),
        "{out:#}"
    );
    assert_eq!(out["verdict"]["text_changed"], true);
}

#[test]
fn a_replaced_phrase_is_one_delete_and_one_insert() {
    let dir = Dir::new("a_replaced_phrase_is_one_delete_and_one_insert");
    let out = diff(
        &dir,
        "We do not sell or rent personal data to anyone.\n",
        "We may sell personal data to anyone.\n",
    );
    assert_eq!(kinds(&out), ["modified"]);
    assert_eq!(
        text_changes(&out)[0]["words"],
        json!([
            {"op": "equal", "text": "We "},
            {"op": "delete", "text": "do not"},
            {"op": "insert", "text": "may"},
            {"op": "equal", "text": " sell "},
            {"op": "delete", "text": "or rent "},
            {"op": "equal", "text": "personal data to anyone."},
        ])
    );
}

#[test]
fn a_reflowed_and_edited_paragraph_reports_only_the_edit() {
    let dir = Dir::new("a_reflowed_and_edited_paragraph_reports_only_the_edit");
    let out = diff(
        &dir,
        "We keep server logs for thirty days\nand then delete them.\n",
        "We keep server logs for ninety\ndays and then delete them.\n",
    );
    let change = &text_changes(&out)[0];
    assert_eq!(change["old_lines"], json!([1, 2]));
    assert_eq!(change["new_lines"], json!([1, 2]));
    assert_eq!(
        change["words"],
        json!([
            {"op": "equal", "text": "We keep server logs for "},
            {"op": "delete", "text": "thirty"},
            {"op": "insert", "text": "ninety"},
            {"op": "equal", "text": " days and then delete them."},
        ])
    );
}

#[test]
fn a_renamed_heading_is_modified() {
    let dir = Dir::new("a_renamed_heading_is_modified");
    let new = SECTIONS.replace("## Children", "## Young People");
    let out = diff(&dir, SECTIONS, &new);
    assert_eq!(
        out["text_changes"],
        json!([{
            "kind": "modified",
            "section": "Young People",
            "old_lines": [5, 5],
            "new_lines": [5, 5],
            "old_text": "Children",
            "new_text": "Young People",
            "words": [
                {"op": "delete", "text": "Children"},
                {"op": "insert", "text": "Young People"},
            ],
        }]),
        "{out:#}"
    );
}

#[test]
fn a_renamed_bold_heading_is_modified() {
    let dir = Dir::new("a_renamed_bold_heading_is_modified");
    let old = "Intro text.\n\n**Cookies**\n\nWe set cookies.\n";
    let new = "Intro text.\n\n**Cookies and Beacons**\n\nWe set cookies.\n";
    let out = diff(&dir, old, new);
    assert_eq!(kinds(&out), ["modified"], "{out:#}");
    let change = &text_changes(&out)[0];
    assert_eq!(change["section"], "Cookies and Beacons");
    assert_eq!(change["old_lines"], json!([3, 3]));
    assert_eq!(change["new_lines"], json!([3, 3]));
    assert_eq!(
        change["words"],
        json!([
            {"op": "equal", "text": "Cookies"},
            {"op": "insert", "text": " and Beacons"},
        ])
    );
}

#[test]
fn inserted_and_deleted_paragraphs() {
    let dir = Dir::new("inserted_and_deleted_paragraphs");
    let new = SECTIONS
        .replace("We collect the pages you visit on our site.\n\n", "")
        .replace(
            "We never sell personal data.\n",
            "We never sell personal data.\n\nWe keep order records for seven years.\n",
        );
    let out = diff(&dir, SECTIONS, &new);
    assert_eq!(
        out["text_changes"],
        json!([
            {
                "kind": "deleted",
                "section": "Information We Collect",
                "old_lines": [15, 15],
                "new_lines": null,
                "old_text": "We collect the pages you visit on our site.",
                "new_text": null,
                "words": [],
            },
            {
                "kind": "inserted",
                "section": "Sharing",
                "old_lines": null,
                "new_lines": [25, 25],
                "old_text": null,
                "new_text": "We keep order records for seven years.",
                "words": [],
            },
        ]),
        "{out:#}"
    );
}

/// Regression: an unchanged list item between two inserted ones (or two deleted ones) used
/// to be swallowed by one `inserted` change spanning all three lines, because changes were
/// grouped by line distance alone.
#[test]
fn an_unchanged_item_splits_the_changes_around_it() {
    let dir = Dir::new("an_unchanged_item_splits_the_changes_around_it");
    let one = "- We keep logs.\n";
    let three = "- We sell data.\n- We keep logs.\n- We rent data.\n";
    let out = diff(&dir, one, three);
    assert_eq!(kinds(&out), ["inserted", "inserted"], "{out:#}");
    assert_eq!(text_changes(&out)[0]["new_lines"], json!([1, 1]));
    assert_eq!(text_changes(&out)[0]["new_text"], "We sell data.");
    assert_eq!(text_changes(&out)[1]["new_lines"], json!([3, 3]));
    assert_eq!(text_changes(&out)[1]["new_text"], "We rent data.");
    let out = diff(&dir, three, one);
    assert_eq!(kinds(&out), ["deleted", "deleted"], "{out:#}");
    assert_eq!(text_changes(&out)[0]["old_lines"], json!([1, 1]));
    assert_eq!(text_changes(&out)[1]["old_lines"], json!([3, 3]));
}

#[test]
fn adjacent_inserted_items_are_one_change() {
    let dir = Dir::new("adjacent_inserted_items_are_one_change");
    let out = diff(
        &dir,
        "- We keep logs.\n",
        "- We keep logs.\n- We sell data.\n- We rent data.\n",
    );
    assert_eq!(
        out["text_changes"],
        json!([{
            "kind": "inserted",
            "section": "",
            "old_lines": null,
            "new_lines": [2, 3],
            "old_text": null,
            "new_text": "We sell data.\n\nWe rent data.",
            "words": [],
        }]),
        "{out:#}"
    );
}
