//! Review changes: a changed sentence about personal data that no practice change explains
//! is never passed silently (`handover diff` JSON), while a rewording is no change.
use serde_json::json;

use crate::util::Dir;

/// A small policy whose sentences the practice reading understands.
const POLICY: &str = "# Example Privacy Policy

## Sharing

We disclose your data to service providers.

We do not sell personal information.

## Security

We protect your information with encryption.
";

fn diff(dir: &Dir, old: &str, new: &str) -> serde_json::Value {
    dir.write("old.md", old);
    dir.write("new.md", new);
    dir.diff_json("old.md", "new.md")
}

/// A policy whose data collection is a table.
const DATA_TABLE: &str = "# Example Privacy Policy

## Data collection

| What we collect | When | What it is used for |
|---|---|---|
| Email address | You register | To contact you |
";

/// [`POLICY`] with `text` as new paragraphs after its sale sentence.
fn after_sale(text: &str) -> String {
    const SALE: &str = "We do not sell personal information.\n";
    POLICY.replace(SALE, &format!("{SALE}\n{text}"))
}

/// `handover diff` of `policy` against the same with `from` made `to`, in a fresh test
/// folder `name`. Fails when `from` is not in `policy` (a test that could not fail).
fn diff_replacing(name: &str, policy: &str, from: &str, to: &str) -> serde_json::Value {
    let new = policy.replace(from, to);
    assert_ne!(new, policy, "{name}: {from:?} is not in the policy");
    diff(&Dir::new(name), policy, &new)
}

/// The one review change of `out` (fails the test when there are none or several).
fn only_review(out: &serde_json::Value) -> &serde_json::Value {
    let found = reviews(out);
    assert_eq!(found.len(), 1, "{out:#}");
    found[0]
}

fn reviews(out: &serde_json::Value) -> Vec<&serde_json::Value> {
    out["practice_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["review"] == true)
        .collect()
}

#[test]
fn a_new_sentence_the_extractor_cannot_read_is_a_material_review_change() {
    let dir = Dir::new("a_new_sentence_the_extractor_cannot_read_is_a_material_review_change");
    let new = after_sale("When you follow a site, we show your email address to its owner.\n");
    let out = diff(&dir, POLICY, &new);
    let found = only_review(&out);
    let change = found;
    assert_eq!(change["category"], "sharing");
    assert_eq!(change["kind"], "added");
    assert_eq!(change["material"], true);
    assert_eq!(change["data_types"], json!(["contact.email"]));
    assert_eq!(change["old"], json!([]));
    assert_eq!(
        change["new"],
        json!([{"line": 9, "text": "When you follow a site, we show your email address to its owner."}])
    );
    assert_eq!(change["id"].as_str().unwrap().len(), 16);
    assert_eq!(out["verdict"]["review"], 1);
    assert_eq!(out["verdict"]["material"], true);
    assert_eq!(out["verdict"]["practices_changed"], true);
    assert_eq!(
        out["verdict"]["summary"],
        "no practice change read, but 1 changed sentence about personal data to review"
    );
}

#[test]
fn rewording_reordering_and_synonyms_are_no_review_change() {
    let dir = Dir::new("rewording_reordering_and_synonyms_are_no_review_change");
    let new = POLICY
        .replace(
            "We disclose your data to service providers.",
            "To service providers, we share your information.",
        )
        .replace(
            "We protect your information with encryption.",
            "We protect your information using encryption.",
        );
    let out = diff(&dir, POLICY, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
    assert_eq!(out["verdict"]["review"], 0);
    assert_eq!(out["verdict"]["material"], false);
    assert_eq!(out["verdict"]["text_changed"], true);
}

#[test]
fn a_list_made_of_an_inline_sentence_is_no_review_change() {
    let dir = Dir::new("a_list_made_of_an_inline_sentence_is_no_review_change");
    let old = "# Policy\n\nWe use your information to contact you and to improve our services.\n";
    let new =
        "# Policy\n\nWe use your information:\n\n- to contact you;\n- to improve our services.\n";
    let out = diff(&dir, old, new);
    assert_eq!(reviews(&out).len(), 0, "{out:#}");
}

#[test]
fn a_deleted_sentence_that_only_exposed_data_is_a_review_change_but_not_material() {
    let dir = Dir::new("a_deleted_sentence_that_only_exposed_data_is_not_material");
    // The sharing practice stays stated elsewhere, so no practice change explains the
    // deleted sentence; removing a case of sharing can only narrow.
    let old = "# Policy\n\nWe share your email address with advertisers.\n\n\
               When you enter a contest, we share your email address with advertisers.\n";
    let new = "# Policy\n\nWe share your email address with advertisers.\n";
    let out = diff(&dir, old, new);
    let found = only_review(&out);
    assert_eq!(found["kind"], "removed");
    assert_eq!(found["category"], "sharing");
    assert_eq!(found["material"], false);
    assert_eq!(out["verdict"]["material"], false);
}

#[test]
fn a_new_trigger_for_a_practice_stated_elsewhere_is_a_review_change() {
    let dir = Dir::new("a_new_trigger_for_a_practice_stated_elsewhere_is_a_review_change");
    let old = "# Policy\n\nWhen you comment, we share your email address with the site owner.\n";
    let new = "# Policy\n\nWhen you comment, we share your email address with the site owner.\n\n\
               When you follow a site, we share your email address with its owner.\n";
    let out = diff(&dir, old, new);
    let found = only_review(&out);
    assert_eq!(found["kind"], "added");
    assert_eq!(found["category"], "sharing");
    assert_eq!(found["material"], true);
}

#[test]
fn a_sentence_that_sends_the_reader_elsewhere_is_no_review_change() {
    let dir = Dir::new("a_sentence_that_sends_the_reader_elsewhere_is_no_review_change");
    let new = after_sale(
        "If you reside outside of the United States, \
         click here to learn about our legal bases for processing personal information.\n\n\
         To obtain a copy of these, please contact our Data Protection Officer.\n",
    );
    let out = diff(&dir, POLICY, &new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["material"], false);
}

#[test]
fn we_do_not_track_you_is_not_the_do_not_track_signal() {
    let dir = Dir::new("we_do_not_track_you_is_not_the_do_not_track_signal");
    let old = POLICY.replace(
        "## Security\n",
        "## Tracking\n\nWe honour the “Do Not Track” setting of your browser.\n\n## Security\n",
    );
    let out = diff(&dir, &old, POLICY);
    let tracking: Vec<_> = out["practice_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["category"] == "tracking" && c["review"] == false)
        .collect();
    assert_eq!(tracking.len(), 1, "{out:#}");
    assert_eq!(tracking[0]["kind"], "removed");
    // "we don't track you" names no signal: no Do Not Track practice on either side.
    let plain = POLICY.replace(
        "## Security\n",
        "## Tracking\n\nAs always, we don't track you.\n\n## Security\n",
    );
    let out = diff(&dir, &plain, POLICY);
    assert!(
        out["practice_changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["summary"]
                .as_str()
                .unwrap()
                .find("Do Not Track")
                .is_none()),
        "{out:#}"
    );
}

#[test]
fn may_against_a_firm_statement_and_a_merged_negation_are_no_review_change() {
    let dir = Dir::new("may_against_a_firm_statement_and_a_merged_negation_are_no_review_change");
    let old = "# Privacy\n\nWe may provide information to trusted partners under confidentiality \
               agreements.\n\nThese companies may use your personal information to send you our \
               offers. However, these companies do not have any independent right to share this \
               information.\n";
    let new = "# Privacy\n\nWe provide information to trusted partners under confidentiality \
               agreements.\n\nThese companies may use your personal information to send you our \
               offers, but they have no independent right to share it.\n";
    let out = diff(&dir, old, new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    // A promise weakened to "may" still is one.
    let promise = "# Privacy\n\nWe will notify you by email before we share your personal \
                   information with partners.\n";
    let weakened = promise.replace("We will notify", "We may notify");
    let out = diff(&dir, promise, &weakened);
    assert_eq!(reviews(&out).len(), 1, "{out:#}");
}

#[test]
fn a_vendor_swapped_for_one_the_taxonomy_does_not_know_is_reviewed() {
    // "Google Analytics" is an analytics tracker the taxonomy knows; its vendor list entry
    // made a name it does not know reads as the tracker removed (not material). The new
    // vendor must still reach a person, filed under sharing.
    let old = "# Policy\n\n## Sharing\n\nWe share your personal information with these \
               vendors:\n\n- Stripe processes payments.\n- Google Analytics provides website \
               traffic analysis.\n";
    let out = diff_replacing(
        "a_vendor_swapped_for_one_the_taxonomy_does_not_know",
        old,
        "Google Analytics provides",
        "Statly Insights provides",
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["review"] == false
            && c["category"] == "tracking"
            && c["kind"] == "removed"
            && c["material"] == false),
        "{out:#}"
    );
    let found = only_review(&out);
    assert_eq!(found["category"], "sharing", "{out:#}");
    assert_eq!(found["kind"], "modified", "{out:#}");
    assert_eq!(found["material"], true, "{out:#}");
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_name_the_other_text_never_mentions_files_a_review_change_under_sharing_too() {
    let dir = Dir::new("a_name_the_other_text_never_mentions");
    const BANK: &str = "We keep the names on bank transfers for six years, as the law requires, \
                        and our bank (Barclays) keeps them for as long.\n";
    let policy = after_sale(&format!(
        "{BANK}\nOur Website keeps your login for a month, and the website forgets it after \
         that.\n"
    ));
    // A new bank is a new party that holds the data, whatever the sentence is filed under.
    let out = diff_replacing(
        "a_name_the_other_text_never_mentions",
        &policy,
        "our bank (Barclays) keeps",
        "our banks (Barclays and Transferwise) keep",
    );
    let found = only_review(&out);
    assert_eq!(found["category"], "retention", "{out:#}");
    assert_eq!(found["also_categories"], json!(["sharing"]), "{out:#}");
    // A new sentence about keeping data: filed under sharing too when it names a new party,
    // not when the name is known, nor for a common word set in title case ("Website", written
    // "website" elsewhere), nor for a sentence's first word.
    let added = |sentence: &str| {
        let out = diff(
            &dir,
            &policy,
            &policy.replace(BANK, &format!("{BANK}\n{sentence}\n")),
        );
        let found = only_review(&out);
        assert_eq!(found["category"], "retention", "{out:#}");
        found.get("also_categories").cloned()
    };
    assert_eq!(
        added("Our bank Monzo keeps the names of people we refund for six years."),
        Some(json!(["sharing"]))
    );
    assert_eq!(
        added("Our bank Barclays keeps the names of people we refund for six years."),
        None
    );
    assert_eq!(
        added("Our Website keeps the names of people we refund for six years."),
        None
    );
    assert_eq!(
        added("Additionally, the names of people we refund are kept for six years."),
        None
    );
    // In a list item a name may open the text: a new provider is a party.
    let providers = "# Policy\n\n## Who keeps your data\n\nWe keep your account details \
                     for six years with these providers:\n\n- Hetzner keeps backups for six \
                     years.\n";
    let out = diff(
        &dir,
        providers,
        &format!("{providers}- Backblaze keeps backups for six years.\n"),
    );
    let found = only_review(&out);
    assert_eq!(found["category"], "retention", "{out:#}");
    assert_eq!(found["also_categories"], json!(["sharing"]), "{out:#}");
}

#[test]
fn a_review_change_is_filed_under_what_its_words_say_most_and_also_under_close_seconds() {
    let dir = Dir::new("a_review_change_is_filed_under_what_its_words_say_most");
    // "We use ... telemetry": the common verb "use" must not outvote the tracking tool.
    let new = after_sale("We use Glean telemetry on our pages to count your visits.\n");
    let out = diff(&dir, POLICY, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "tracking", "{out:#}");
    // A sentence about a recipient and about keeping data is filed under both.
    let new = after_sale(
        "Your card number goes straight to our payment processor and stays on its servers \
         until the account is deleted.\n",
    );
    let out = diff(&dir, POLICY, &new);
    let found = only_review(&out);
    // (And under collection: the card number is data the old policy never names.)
    assert_eq!(found["category"], "sharing", "{out:#}");
    assert_eq!(
        found["also_categories"],
        json!(["collection", "retention"]),
        "{out:#}"
    );
    assert!(
        found["summary"]
            .as_str()
            .unwrap()
            .starts_with("sentence added, to review (also collection, retention): "),
        "{out:#}"
    );
    // A category scoring under half the best still counts when a cue word names it: a right
    // to erasure is about keeping data too.
    let new = format!(
        "{POLICY}\n## Your rights\n\nYou can also ask us to erase the personal data we hold \
         about you.\n"
    );
    let out = diff(&dir, POLICY, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "choices", "{out:#}");
    assert_eq!(found["also_categories"], json!(["retention"]), "{out:#}");
    // A practice change never carries the field.
    assert!(out["practice_changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["review"] == true || c.get("also_categories").is_none()));
}

#[test]
fn a_named_recipient_without_the_word_data_is_still_reviewed() {
    let dir = Dir::new("a_named_recipient_without_the_word_data_is_still_reviewed");
    let old = "# Donations\n\nOur payment partners are DonorBox and Stripe.\n";
    let new = "# Donations\n\nOur payment partners are DonorBox, Stripe and SendOwl, our \
               shipping vendor.\n";
    let out = diff(&dir, old, new);
    let found = only_review(&out);
    assert_eq!(found["category"], "sharing", "{out:#}");
}

#[test]
fn a_vendor_swapped_in_an_unchanged_sentence_is_a_review_change_but_a_capital_is_not() {
    let dir = Dir::new("a_vendor_swapped_in_an_unchanged_sentence_is_a_review_change");
    let old =
        "# Newsletter\n\nIf you sign up for the newsletter, your email address and name will \
               be stored by Mailchimp.\n";
    let out = diff(&dir, old, &old.replace("Mailchimp", "MailerLite"));
    let found = only_review(&out);
    assert_eq!(found["kind"], "modified", "{out:#}");
    assert_eq!(found["material"], true, "{out:#}");
    // Capitals alone name nobody new.
    let old = "# Sharing\n\nWe disclose your email address to Service Providers who host our \
               newsletter.\n";
    let out = diff(
        &dir,
        old,
        &old.replace("Service Providers", "service providers"),
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
}

#[test]
fn a_heading_made_a_paragraph_and_a_placeholder_filled_in_are_no_review_change() {
    let dir = Dir::new("a_heading_made_a_paragraph_and_a_placeholder_filled_in");
    let old = "# Privacy\n\n###### (f) Cookies.\n\nWe use cookies to keep you signed in.\n\n\
               You agree that we use your information as our Terms of Use \
               **[INSERT LINK TO TERMS OF USE]** say.\n";
    let new = "# Privacy\n\n(f) Cookies.\n\nWe use cookies to keep you signed in.\n\n\
               You agree that we use your information as our \
               [Terms of Use](https://example.org/terms) say.\n";
    let out = diff(&dir, old, new);
    assert!(reviews(&out).is_empty(), "{out:#}");
}

#[test]
fn a_new_contact_address_or_transfer_framework_is_no_review_change() {
    let dir = Dir::new("a_new_contact_address_or_transfer_framework_is_no_review_change");
    let old = format!(
        "{POLICY}\n## Contact\n\nThe controller of your personal data is Example Ltd., \
         1 Old Road, Leeds, United Kingdom.\n\nWe comply with the EU-U.S. Privacy Shield \
         Framework regarding personal data received from the European Union.\n"
    );
    let new = old
        .replace("1 Old Road, Leeds", "22 New Street, York")
        .replace("Privacy Shield Framework", "Data Privacy Framework")
        + "\nYou have the right to lodge a complaint with your supervisory authority.\n";
    let out = diff(&dir, &old, &new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["practices_changed"], false, "{out:#}");
    // A sentence that also states a practice is still read and reviewed.
    let shared = new.replace(
        "You have the right",
        "We share your email address with our representative in the EU. You have the right",
    );
    let out = diff(&dir, &new, &shared);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_new_opt_out_only_narrows_and_a_lost_one_is_material() {
    let dir = Dir::new("a_new_opt_out_only_narrows_and_a_lost_one_is_material");
    let with = after_sale(
        "You can choose to opt out of questionnaires altogether via your account page.\n",
    );
    let out = diff(&dir, POLICY, &with);
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    let out = diff(&dir, &with, POLICY);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    // Service messages one may not opt out of are no choice.
    let without = after_sale("We may send you service emails that you may not opt out of.\n");
    let out = diff(&dir, POLICY, &without);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_numbered_heading_a_list_lead_in_and_a_trademark_notice_are_no_review_change() {
    let dir =
        Dir::new("a_numbered_heading_a_list_lead_in_and_a_trademark_notice_are_no_review_change");
    let new = after_sale(
        "3.Personal Data to be collected\n\n\
         Specifically, we collect the following types of Personal Information:\n\n\
         All product names and trademarks are the property of their respective owners.\n",
    );
    let out = diff(&dir, POLICY, &new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    // A lead-in that states what the data is used for is reviewed.
    let purpose = after_sale(
        "The following categories of data are used to prevent fraudulent payments, including:\n",
    );
    let out = diff(&dir, POLICY, &purpose);
    assert_eq!(reviews(&out).len(), 1, "{out:#}");
}

#[test]
fn a_named_analytics_tool_or_processor_is_reviewed_under_what_it_does() {
    let dir = Dir::new("a_named_analytics_tool_or_processor_is_reviewed_under_what_it_does");
    let new = after_sale(
        "The website uses Optimizely to test the effects of changes to the website.\n\n\
         We use Sentry for error logging and performance monitoring.\n\n\
         Note that Mailchimp may transfer personal data outside the EU.\n",
    );
    let out = diff(&dir, POLICY, &new);
    let found: Vec<(&str, &str)> = reviews(&out)
        .iter()
        .map(|c| {
            (
                c["category"].as_str().unwrap(),
                c["new"][0]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "sharing",
                "We use Sentry for error logging and performance monitoring."
            ),
            (
                "tracking",
                "The website uses Optimizely to test the effects of changes to the website."
            ),
            (
                "international",
                "Note that Mailchimp may transfer personal data outside the EU."
            ),
        ],
        "{out:#}"
    );
}

#[test]
fn a_new_list_item_is_reviewed_when_its_lead_in_speaks_of_personal_data() {
    let dir = Dir::new("a_new_list_item_is_reviewed_when_its_lead_in_speaks_of_personal_data");
    let old = format!(
        "{POLICY}\n## Contacts\n\nWe keep contact details for:\n\n\
         * people who have signed up to get our news\n* staff and interns\n\n\
         Our offices are in:\n\n* Amsterdam and Brussels\n"
    );
    let new = old
        .replace(
            "* staff and interns\n",
            "* people who participate in our communities by joining mailing lists\n\
             * Mozilla Firefox\n* staff and interns\n",
        )
        .replace(
            "* Amsterdam and Brussels\n",
            "* Amsterdam and Brussels\n* a shared space where visitors sign in at the desk\n",
        );
    let out = diff(&dir, &old, &new);
    let found: Vec<&str> = reviews(&out)
        .iter()
        .map(|c| c["new"][0]["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        ["people who participate in our communities by joining mailing lists"],
        "{out:#}"
    );
}

#[test]
fn data_moved_to_another_section_both_texts_have_is_reviewed_but_a_renamed_section_is_not() {
    let dir = Dir::new("data_moved_to_another_section_both_texts_have_is_reviewed");
    let old = "# P\n\n## What we collect\n\n**All users:**\n\n* IP address of each request\n\n\
               **With an account:**\n\n* Email address\n\
               * Preferred language, which defaults to your browser setting\n";
    let moved = "# P\n\n## What we collect\n\n**All users:**\n\n* IP address of each request\n\
                 * Preferred language, which defaults to your browser setting\n\n\
                 **With an account:**\n\n* Email address\n";
    let out = diff(&dir, old, moved);
    let found = only_review(&out);
    assert_eq!(found["kind"], "modified");
    assert!(
        found["summary"].as_str().unwrap().starts_with(
            "moved from \u{201c}With an account:\u{201d} to \u{201c}All users:\u{201d}"
        ),
        "{out:#}"
    );
    assert_eq!(found["data_types"], json!(["profile.preferences"]));
    // Sections renamed, nothing moved between them: no change to review.
    let renamed = old
        .replace("**All users:**", "**Everyone:**")
        .replace("**With an account:**", "**Account holders:**");
    let out = diff(&dir, old, &renamed);
    assert!(reviews(&out).is_empty(), "{out:#}");
}

#[test]
fn a_clause_of_contrast_added_to_a_denial_is_reviewed() {
    let dir = Dir::new("a_clause_of_contrast_added_to_a_denial_is_reviewed");
    let old = after_sale("We respect your privacy, so we do not track individual visitors.\n");
    let new = old.replace(
        "we do not track individual visitors.",
        "we do not track individual visitors but count their visits.",
    );
    let out = diff(&dir, &old, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "tracking");
    assert_eq!(found["kind"], "modified");
}

#[test]
fn a_new_automatic_deletion_only_narrows() {
    let dir = Dir::new("a_new_automatic_deletion_only_narrows");
    let new = after_sale(
        "Personal details will automatically be removed from our database after two years of \
         inactivity of the account.\n",
    );
    let out = diff(&dir, POLICY, &new);
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_purpose_added_to_an_exception_is_reviewed() {
    let dir = Dir::new("a_purpose_added_to_an_exception_is_reviewed");
    let old = after_sale(
        "Your phone number will not be shared with anyone, except the providers that send our \
         text messages.\n",
    );
    let new = old.replace(
        "that send our text messages.",
        "that send our text messages or as required by law.",
    );
    let out = diff(&dir, &old, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "sharing");
    assert_eq!(found["material"], true);
}

#[test]
fn a_vendor_name_written_in_one_word_or_two_is_the_same_vendor() {
    let dir = Dir::new("a_vendor_name_written_in_one_word_or_two_is_the_same_vendor");
    let old = POLICY.replace(
        "We disclose your data to service providers.",
        "Our service providers include GitHub, RegOnline and Stripe.",
    );
    let new = old.replace("include GitHub, RegOnline", "include GitHub, Reg Online");
    let out = diff(&dir, &old, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
    // With other wording changed too, the name is still not a new party.
    let new = old.replace(
        "Our service providers include GitHub, RegOnline",
        "Our main service providers include GitHub, Reg Online",
    );
    let out = diff(&dir, &old, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
}

#[test]
fn a_table_of_contents_states_nothing() {
    let dir = Dir::new("a_table_of_contents_states_nothing");
    let old = "# Example Privacy Policy

## 1. How We Share Your Personal Data

We disclose your data to service providers.

## 2. Cookies and Tracking Technologies

We use a session cookie to keep you signed in.
";
    let new = old.replace(
        "## 1.",
        "## Contents\n\n\
         - [How We Share Your Personal Data](#1-how-we-share-your-personal-data)\n\
         - [Cookies and Tracking Technologies](#2-cookies-and-tracking-technologies)\n\n## 1.",
    );
    let out = diff(&dir, old, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_new_table_row_naming_avatars_is_a_change() {
    let dir = Dir::new("a_new_table_row_naming_avatars_is_a_change");
    let old = DATA_TABLE;
    let new = old.replace(
        "| To contact you |\n",
        "| To contact you |\n| Avatar URLs | You join | Public profiles |\n",
    );
    let out = diff(&dir, old, &new);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    let collection: Vec<_> = out["practice_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["category"] == "collection")
        .collect();
    assert_eq!(collection.len(), 1, "{out:#}");
    assert_eq!(
        collection[0]["data_types"],
        json!(["profile.user"]),
        "{out:#}"
    );
}

#[test]
fn a_new_item_under_an_unchanged_lead_in_is_reviewed_although_its_lead_in_says_the_same_elsewhere()
{
    let dir = Dir::new("a_new_item_under_an_unchanged_lead_in_is_reviewed");
    let old = "# Example Privacy Policy

## What we collect

Because we want to understand how our sites are used, we collect some information when you:

- Make public contributions.
- Attend conferences or chapter meetings.

## Analytics

We measure how our sites are used to understand what to improve.
";
    let new = old
        .replace(
            "- Attend conferences",
            "- Choose to donate to us or become a paying member.\n- Attend conferences",
        )
        .replace(
            "We measure how our sites are used to understand what to improve.",
            "We measure how our sites are used to understand what we should improve next.",
        );
    let out = diff(&dir, old, &new);
    let found = reviews(&out);
    assert!(
        found.iter().any(|c| c["new"][0]["text"]
            == "Choose to donate to us or become a paying member."
            && c["material"] == true),
        "{out:#}"
    );
}

#[test]
fn a_selfie_compared_with_an_id_is_biometric_data() {
    let dir = Dir::new("a_selfie_compared_with_an_id_is_biometric_data");
    let new = after_sale("A self-photograph may be needed to validate your driver's license.\n");
    let out = diff(&dir, POLICY, &new);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    let data: Vec<&str> = out["practice_changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["data_types"].as_array().unwrap())
        .filter_map(|d| d.as_str())
        .collect();
    assert!(data.contains(&"biometric"), "{out:#}");
    assert!(data.contains(&"government.national_id"), "{out:#}");
}

#[test]
fn a_new_row_of_a_data_table_is_reviewed_as_collection() {
    let dir = Dir::new("a_new_row_of_a_data_table_is_reviewed_as_collection");
    let old = DATA_TABLE;
    let new = old.replace(
        "| To contact you |\n",
        "| To contact you |\n| System information | You sign up for an event | Used to verify that your setup works |\n",
    );
    let out = diff(&dir, old, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "collection", "{out:#}");
    assert_eq!(found["material"], true);
}

#[test]
fn a_new_name_in_a_list_of_third_party_services_is_reviewed_as_sharing() {
    let dir = Dir::new("a_new_name_in_a_list_of_third_party_services_is_reviewed_as_sharing");
    let old = "# Example Privacy Policy

## Services we use

We use various third party services to run the site and take donations.

- [Cloudflare](https://example.com/cloudflare-privacy)
- [Donorbox](https://example.com/donorbox-privacy)
";
    let new = old.replace(
        "- [Donorbox]",
        "- [Coinbase](https://example.com/coinbase-privacy)\n- [Donorbox]",
    );
    let out = diff(&dir, old, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "sharing");
    assert_eq!(found["kind"], "added");
    assert_eq!(found["material"], true);
}

#[test]
fn an_acronym_spelled_out_is_no_change() {
    let dir = Dir::new("an_acronym_spelled_out_is_no_change");
    let old = after_sale(
        "We keep the personal information you send us in a SOR, where you may access and \
         review it.\n",
    );
    let new = old.replace("in a SOR,", "in a system of records,");
    let out = diff(&dir, &old, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
}

#[test]
fn a_removal_deadline_doubled_in_words_is_a_retention_change() {
    let dir = Dir::new("a_removal_deadline_doubled_in_words_is_a_retention_change");
    let old = after_sale(
        "Your entry will be removed from our servers within a week after the event ends.\n",
    );
    let new = old.replace("within a week", "within two weeks");
    let out = diff(&dir, &old, &new);
    let found = only_review(&out);
    assert_eq!(found["category"], "retention");
    assert_eq!(found["material"], true);
    // The same period in digits and in words is a rewording.
    let old = old.replace("within a week", "within 30 days");
    let new = old.replace("within 30 days", "within thirty days");
    let out = diff(&dir, &old, &new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
}

#[test]
fn a_repeated_noun_does_not_outweigh_the_verb_in_the_category_guess() {
    // "parent" four times names whom the sentence is about once; "collect" says what is done.
    let dir = Dir::new("a_repeated_noun_does_not_outweigh_the_verb_in_the_category_guess");
    let new = after_sale(
        "We collect what a parent tells us about personal matters, whether the parent writes, \
         the parent calls or the parent visits.\n",
    );
    let out = diff(&dir, POLICY, &new);
    let change = only_review(&out);
    assert_eq!(change["category"], "collection", "{out:#}");
    assert_eq!(change["kind"], "added");
}

#[test]
fn a_practice_extended_to_something_joined_with_and_is_a_review_change() {
    // Nothing of the old sentence is gone; the new words widen whom or what it covers.
    let policy = after_sale(
        "Our website uses cookies to tell you apart from other visitors.\n\n\
         We share your contact details with schools.\n\n\
         We keep your IP address to keep your account safe.\n",
    );
    for (from, to, category) in [
        (
            "Our website uses cookies to tell you apart from other visitors.",
            "Our website and apps use cookies to tell you apart from other visitors.",
            "tracking",
        ),
        (
            "We share your contact details with schools.",
            "We share your contact details with schools, colleges and adult learning providers.",
            "sharing",
        ),
        (
            "We keep your IP address to keep your account safe.",
            "We keep your IP address to keep your account safe and to plan capacity.",
            "retention",
        ),
    ] {
        let out = diff_replacing(
            &format!(
                "a_practice_extended_to_something_joined_with_and_is_a_review_change_{category}"
            ),
            &policy,
            from,
            to,
        );
        let change = only_review(&out);
        assert_eq!(change["category"], category, "{out:#}");
        assert_eq!(change["kind"], "modified");
        assert_eq!(change["material"], true);
    }
}

#[test]
fn a_word_added_without_joining_anything_new_is_no_review_change() {
    let dir = Dir::new("a_word_added_without_joining_anything_new_is_no_review_change");
    let policy = after_sale("We share your contact details with schools and colleges.\n");
    let new = policy.replace(
        "with schools and colleges.",
        "with local schools and colleges.",
    );
    let out = diff(&dir, &policy, &new);
    assert_eq!(reviews(&out).len(), 0, "{out:#}");
}

#[test]
fn a_promise_made_conditional_is_a_review_change() {
    // "by default" made "when possible", a firm "we delete" made "we try to delete", and a
    // default dropped (a setting, or always?).
    let policy = after_sale(
        "Messages are protected with end-to-end encryption by default.\n\n\
         We delete your IP address after 30 days.\n\n\
         We share your precise location with other members by default.\n",
    );
    for (from, to, category) in [
        (
            "with end-to-end encryption by default.",
            "with end-to-end encryption when possible.",
            "security",
        ),
        (
            "We delete your IP address after 30 days.",
            "We try to delete your IP address after 30 days.",
            "retention",
        ),
        (
            "with other members by default.",
            "with other members.",
            "sharing",
        ),
    ] {
        let out = diff_replacing(
            &format!("a_promise_made_conditional_is_a_review_change_{category}"),
            &policy,
            from,
            to,
        );
        let change = only_review(&out);
        assert_eq!(change["category"], category, "{out:#}");
        assert_eq!(change["kind"], "modified");
    }
}

#[test]
fn a_changed_contact_line_or_menu_line_is_no_review_change() {
    // A contact line says where to write; a menu copied with the page names links. Neither
    // says what is done with anyone's data.
    let policy = after_sale(
        "Email: privacy@example.org\n\n\
         Home Products Pricing Support Contact Sales Careers Blog Press Cookie Settings Your \
         Privacy Choices\n",
    );
    for (name, from, to) in [
        (
            "contact",
            "Email: privacy@example.org",
            "Email: privacy@example.org\n\nEmail: data-protection-office@privacy.example-company.org",
        ),
        ("menu", "Blog Press Cookie", "Blog Press Partners Cookie"),
    ] {
        let out = diff_replacing(&format!("contact_or_menu_line_{name}"), &policy, from, to);
        assert_eq!(reviews(&out).len(), 0, "{name}: {out:#}");
        assert_eq!(out["verdict"]["material"], false, "{name}");
    }
}

#[test]
fn an_item_added_to_a_list_after_a_comma_is_a_review_change_but_a_longer_clause_is_not() {
    let policy = after_sale(
        "Our telemetry reports which features you turned off: update checks, cache cleanup.\n\n\
         When you register for Example, we collect your username and password.\n",
    );
    let out = diff_replacing(
        "an_item_added_to_a_list_after_a_comma_is_a_review_change",
        &policy,
        "cache cleanup.",
        "cache cleanup, parallelism limits.",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "tracking", "{out:#}");
    assert_eq!(change["kind"], "modified");

    let out = diff_replacing(
        "a_clause_grown_before_a_comma_is_no_review_change",
        &policy,
        "register for Example, we",
        "register for Example.org, we",
    );
    assert_eq!(reviews(&out).len(), 0, "{out:#}");

    // A reordered sentence: the comma closes a clause, and "maintain" is no new item.
    let out = diff_replacing(
        "a_reordered_sentence_with_a_comma_is_no_review_change",
        POLICY,
        "We protect your information with encryption.",
        "To protect your information, we maintain encryption.",
    );
    assert_eq!(reviews(&out).len(), 0, "{out:#}");
}

#[test]
fn the_policys_own_name_in_place_of_we_is_no_review_change_but_a_vendor_is() {
    // "Examplia" names the company in four blocks (twice as a sentence's first word).
    let policy = "# Privacy Policy\n\n\
        Examplia runs the Examplia forum.\n\n\
        Examplia keeps this policy up to date.\n\n\
        Write to the Examplia team with questions.\n\n\
        The Examplia forum is free.\n\n\
        You can correct the personal data that we process about you.\n\n\
        We may share your data with others, including on any website operated by the Company.\n";
    for (name, from, to) in [
        ("we", "that we process", "that Examplia processes"),
        (
            "company",
            "operated by the Company",
            "operated by Examplia, Inc",
        ),
    ] {
        let out = diff_replacing(&format!("own_name_in_place_of_we_{name}"), policy, from, to);
        assert_eq!(reviews(&out).len(), 0, "{name}: {out:#}");
    }
    let out = diff_replacing(
        "own_name_in_place_of_we_vendor",
        policy,
        "that we process",
        "that Mailchimp processes",
    );
    assert_eq!(reviews(&out).len(), 1, "{out:#}");
}

#[test]
fn a_new_denial_only_narrows_unless_it_has_an_exception_a_condition_or_takes_a_choice_away() {
    let dir = Dir::new("a_new_denial_only_narrows");
    for narrows in [
        "No personal data is collected from the visitors of our blog.",
        "We do not use any of your data to profile you.",
    ] {
        let out = diff(&dir, POLICY, &after_sale(&format!("{narrows}\n")));
        // Still shown for review, but it cannot widen anything.
        assert_eq!(only_review(&out)["material"], false, "{narrows}: {out:#}");
        assert_eq!(out["verdict"]["material"], false, "{narrows}: {out:#}");
    }
    for widens in [
        "We do not share your messages with anyone except our hosting company.",
        "If you do not log in, your posts are visible to everyone.",
        "You cannot opt out of our newsletter once you have joined a course.",
    ] {
        let out = diff(&dir, POLICY, &after_sale(&format!("{widens}\n")));
        assert_eq!(out["verdict"]["material"], true, "{widens}: {out:#}");
    }
}

#[test]
fn a_legal_basis_alone_is_reviewed_but_not_material_and_one_naming_a_use_is() {
    let dir = Dir::new("a_legal_basis_alone_is_reviewed_but_not_material");
    let basis = "The lawful basis we rely on to process your personal data is article 6(1)(e) of \
                 the UK GDPR.";
    let out = diff(&dir, POLICY, &after_sale(&format!("{basis}\n")));
    assert_eq!(only_review(&out)["material"], false, "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    // The basis changed, nothing else: reviewed, not material.
    let was =
        after_sale("Our legal basis for your account data is your consent (Art. 6(1)(a) GDPR).\n");
    let out = diff_replacing(
        "a_legal_basis_changed_alone",
        &was,
        "your consent (Art. 6(1)(a) GDPR)",
        "our legitimate interests (Art. 6(1)(f) GDPR)",
    );
    assert_eq!(only_review(&out)["material"], false, "{out:#}");
    // A basis given for a new use names the use: material.
    let out = diff(
        &dir,
        POLICY,
        &after_sale(
            "On the basis of our legitimate interests we use your email address for targeted \
             advertising.\n",
        ),
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_deletion_period_made_a_shorter_keeping_period_is_one_narrowing_and_nothing_to_review() {
    let out = diff_replacing(
        "a_deletion_period_made_a_shorter_keeping_period",
        &after_sale("These logs are deleted after 30 days.\n"),
        "are deleted after 30 days",
        "are stored for only 1 day",
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{out:#}");
    assert_eq!(changes[0]["kind"], "narrowed", "{out:#}");
    assert_eq!(changes[0]["review"], false, "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_capitalised_pronoun_in_a_title_is_no_party() {
    let out = diff_replacing(
        "a_capitalised_pronoun_in_a_title_is_no_party",
        &after_sale(
            "We hold personal information about you on behalf of Her Majesty's Prison Service.\n",
        ),
        "Her Majesty's",
        "His Majesty's",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_promise_to_notify_made_an_attempt_is_a_material_review_change() {
    let out = diff_replacing(
        "a_promise_to_notify_made_an_attempt",
        &after_sale(
            "If the law ever requires us to keep connection logs, we will immediately notify \
             our customers by email.\n",
        ),
        "we will immediately notify",
        "we will attempt to notify",
    );
    let change = only_review(&out);
    assert_eq!(change["kind"], "modified", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
}

/// A policy that registers people through a code host, its paragraphs under a list item.
const REGISTRATION: &str = "# Example Privacy Policy

## How are my data used, and for what purpose, when you register?

1. **Registering with GitHub**

   When you sign up with your GitHub account, we can read some data at GitHub.

   Such data include: *user profile (name, username, and email address), list of repositories you have access to, the configuration state of \"service hooks\" on each of those repositories*

## Security

We protect your information with encryption.
";

#[test]
fn a_paragraph_copied_for_a_second_provider_is_reviewed_as_collection() {
    // The copy sits in an indented block (prose that lost its list), and its data sentence
    // is word for word the one the first provider's item still has, under a heading that
    // changed (so both are among the changed sentences).
    let new = REGISTRATION
        .replace(
            "How are my data used, and for what purpose, when you register?",
            "How are my data used, and for what purpose, when you register with a code host?",
        )
        .replace(
            "## Security",
            "**Registering with Bitbucket**\n\n    When you sign up with your Bitbucket account, we can \
             read some data at Bitbucket.\n\n    Such data include: *user profile (name, username, \
             and email address), list of repositories you have access to, the configuration \
             state of \"service hooks\" on each of those repositories*\n\n## Security",
        );
    let out = diff(
        &Dir::new("a_paragraph_copied_for_a_second_provider"),
        REGISTRATION,
        &new,
    );
    let found = reviews(&out);
    let copied = found
        .iter()
        .find(|c| c["summary"].as_str().unwrap().contains("Such data include"))
        .unwrap_or_else(|| panic!("the copied data sentence is not reviewed: {out:#}"));
    assert_eq!(copied["category"], "collection", "{out:#}");
    assert_eq!(copied["kind"], "added", "{out:#}");
    assert_eq!(copied["material"], true, "{out:#}");
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_new_row_of_a_table_of_providers_is_a_sharing_review_change() {
    let policy = "# Example Privacy Policy

## Providers

| Third Party Provider | Data Processing Purpose | Privacy Shield | Processing outside the EU |
|---|---|---|---|
| Stripe | We use Stripe, Inc., San Francisco, USA, for payments. | Certified under the EU-US Privacy Shield. | Yes |
";
    let out = diff_replacing(
        "a_new_row_of_a_table_of_providers",
        policy,
        "Privacy Shield. | Yes |\n",
        "Privacy Shield. | Yes |\n| Atlassian | For the purpose of providing our software we use the development \
         platform by Atlassian Corporation Plc, Sydney, Australia. | Certified under the EU-US \
         Privacy Shield. | Yes |\n",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "sharing", "{out:#}");
    assert_eq!(change["kind"], "added", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
    assert!(
        change["also_categories"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("international"))),
        "{out:#}"
    );
}

#[test]
fn a_new_row_of_a_table_its_lead_in_calls_sub_processors_is_a_sharing_review_change() {
    // The header ("Name | Address | Purpose") says nothing of recipients; the sentence
    // leading into the table does.
    let policy = "# Example Privacy Policy

## Service providers

The following is a list of the main sub-processors we use:

| Name | Address | Purpose |
|---|---|---|
| Stripe | 354 Oyster Point Blvd, South San Francisco, USA | Payments. |
";
    let out = diff_replacing(
        "a_new_row_of_a_table_its_lead_in_calls_sub_processors",
        policy,
        "| Payments. |\n",
        "| Payments. |\n| Pylon Labs, Inc | 188 King Street, San Francisco, USA | Customer support. |\n",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "sharing", "{out:#}");
    assert_eq!(change["kind"], "added", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
    // Under a lead-in that names no recipient, the same row is a table row like any other.
    let plain = diff_replacing(
        "a_new_row_of_a_table_its_lead_in_names_no_recipient",
        &policy.replace("a list of the main sub-processors we use", "where our offices are"),
        "| Payments. |\n",
        "| Payments. |\n| Pylon Labs, Inc | 188 King Street, San Francisco, USA | Customer support. |\n",
    );
    assert!(reviews(&plain).is_empty(), "{plain:#}");
}

#[test]
fn handing_users_on_when_the_organisation_winds_down_is_a_transfer() {
    let out = diff(
        &Dir::new("handing_users_on_when_the_organisation_winds_down"),
        POLICY,
        &after_sale(
            "If we must wind down, the whole operation, with your personal data, will be \
             transferred to another organisation.\n",
        ),
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["category"] == "transfer" && c["material"] == true),
        "{out:#}"
    );
}

#[test]
fn a_denial_that_names_less_is_a_material_review_change() {
    let out = diff_replacing(
        "a_denial_that_names_less",
        &after_sale("Of course, we do not use analysis tools and unnecessary cookies.\n"),
        "analysis tools and unnecessary cookies",
        "unnecessary cookies",
    );
    let change = only_review(&out);
    assert_eq!(change["kind"], "modified", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
}

#[test]
fn text_in_a_raw_html_block_of_a_markdown_policy_is_read_and_compared() {
    let policy = "# Example Privacy Policy\n\n<p class=\"lead\">We do not use analysis tools and \
                  unnecessary cookies.</p>\n\n## Security\n\nWe protect your information with \
                  encryption.\n";
    let out = diff_replacing(
        "text_in_a_raw_html_block",
        policy,
        "analysis tools and ",
        "",
    );
    let text = out["text_changes"].as_array().unwrap();
    assert_eq!(text.len(), 1, "{out:#}");
    assert_eq!(text[0]["kind"], "modified", "{out:#}");
    assert_eq!(text[0]["old_lines"], json!([3, 3]), "{out:#}");
    assert_eq!(only_review(&out)["material"], true, "{out:#}");
}

#[test]
fn servers_moved_to_another_country_is_a_material_international_change() {
    let policy = after_sale("Your account data is stored on our own servers in Norway.\n");
    let out = diff_replacing("servers_moved_country", &policy, "in Norway", "in Portugal");
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["category"] == "international"
            && c["kind"] == "modified"
            && c["material"] == true),
        "{out:#}"
    );
}

#[test]
fn a_stated_storage_period_is_reviewed_as_retention() {
    // The processor's name alone would make this sharing; the periods say it is about how
    // long.
    let out = diff_replacing(
        "a_stated_storage_period",
        &after_sale("Storage duration: 14 days.\n"),
        "14 days.",
        "14 days for Example Hosting; 90 days for Amazon Web Services.",
    );
    assert_eq!(only_review(&out)["category"], "retention", "{out:#}");
}

#[test]
fn a_government_domain_name_is_no_country() {
    // "GOV.UK Notify" is a British government service, not a transfer to the UK: the sentence
    // is about who receives the data.
    let out = diff_replacing(
        "a_government_domain_name",
        &after_sale("We give GOV.UK Notify your email address so it can send you reminders.\n"),
        "your email address",
        "your email address and phone number",
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().all(|c| c["category"] != "international"
            && c.get("also_categories")
                .is_none_or(|a| !a.to_string().contains("international"))),
        "{out:#}"
    );
}

#[test]
fn a_new_contact_address_in_a_sentence_about_a_right_is_no_change() {
    let out = diff_replacing(
        "a_new_contact_address",
        &after_sale(
            "If you wish to request deletion of any information stored on our servers, \
             please contact us at team@example.uk.\n",
        ),
        "team@example.uk",
        "urgent@example.chat",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["practices_changed"], false, "{out:#}");
}

#[test]
fn a_companys_register_entry_is_no_review_change() {
    let out = diff_replacing(
        "a_companys_register_entry",
        &after_sale(
            "Example Services GmbH, Hauptstrasse 1, 10115 Berlin, Germany, registered in the \
             commercial register of Berlin under HRB 12345, represented by the managing director \
             Ann Example, email: data@example.com.\n",
        ),
        "Ann Example",
        "Ben Example",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
}

#[test]
fn a_sentence_that_says_what_the_policy_tells_is_no_review_change() {
    let out = diff(
        &Dir::new("a_sentence_that_says_what_the_policy_tells"),
        POLICY,
        &after_sale(
            "This privacy policy tells you what information we collect when you use the \
             example service.\n",
        ),
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
}

#[test]
fn an_item_under_a_lead_in_that_turns_from_a_denial_is_not_denied() {
    // The items complete what follows "however", not the denial before it.
    let policy = "# Example Privacy Policy\n\nWe do not collect any personal data about how you \
                  use the app, you should however be aware of the following:\n\n* Crash \
                  reports are sent to us only when you choose to send them.\n";
    let new =
        format!("{policy}* Loading the map tiles will transmit your IP address to its operator.\n");
    let out = diff(
        &Dir::new("an_item_under_a_lead_in_that_turns"),
        policy,
        &new,
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    assert_eq!(only_review(&out)["category"], "sharing", "{out:#}");
}

#[test]
fn crash_reports_are_data_collected() {
    let out = diff(
        &Dir::new("crash_reports_are_data_collected"),
        POLICY,
        &after_sale("When the app stops unexpectedly we collect a crash report.\n"),
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["category"] == "collection"
            && c["material"] == true
            && c["data_types"]
                .as_array()
                .unwrap()
                .contains(&json!("technical.diagnostics"))),
        "{out:#}"
    );
}

#[test]
fn opens_and_clicks_recorded_by_a_mailing_service_are_tracking() {
    let out = diff(
        &Dir::new("opens_and_clicks_recorded"),
        POLICY,
        &after_sale(
            "Our mailing service records whether you open each newsletter and which links you \
             click.\n",
        ),
    );
    assert_eq!(only_review(&out)["category"], "tracking", "{out:#}");
}

#[test]
fn programmes_for_young_people_are_about_the_audience() {
    let out = diff(
        &Dir::new("programmes_for_young_people"),
        POLICY,
        &after_sale(
            "Some of our workshops are for young people, and a guardian signs them up with \
             their name and email address.\n",
        ),
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["category"] == "audience"),
        "{out:#}"
    );
}

#[test]
fn a_new_owner_is_reviewed_as_a_transfer() {
    let out = diff(
        &Dir::new("a_new_owner_is_reviewed_as_a_transfer"),
        POLICY,
        &format!(
            "{POLICY}\n## About us\n\nExample Services is now part of the Example Media Group.\n"
        ),
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "transfer", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
}

#[test]
fn location_data_named_in_a_denial_is_compared() {
    let out = diff_replacing(
        "location_data_named_in_a_denial",
        &after_sale("Location data, device information and clicks are not collected.\n"),
        "Location data, device information",
        "Device information",
    );
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["category"] == "collection" && c["material"] == true),
        "{out:#}"
    );
}

#[test]
fn a_heading_run_into_its_first_sentence_set_apart_is_no_change() {
    // A converted page that lost its heading's line break, then the heading restored.
    let old = "# Example Privacy Policy\n\n## Billing\n\nWe keep your account details. 4. Billing \
               information Should you buy a plan, we will require your billing information to \
               process the transaction.\n";
    let new = "# Example Privacy Policy\n\n## Billing\n\nWe keep your account details.\n\n### 4. \
               Billing information\n\nShould you buy a plan, we will require your billing \
               information to process the transaction.\n";
    let out = diff(&Dir::new("a_heading_run_into_its_first_sentence"), old, new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    // Words of the heading added elsewhere than at the opening are not excused by it.
    let new = new.replace("### 4. Billing information", "### Email address");
    let widened = new.replace(
        "billing information to",
        "billing information with your email address to",
    );
    let out = diff(
        &Dir::new("a_heading_run_into_its_first_sentence_2"),
        &new,
        &widened,
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn layout_that_keeps_every_word_in_order_is_no_change() {
    // A heading run into the end of the sentence before it, then set apart.
    let old = "# Example Privacy Policy\n\n## Messenger\n\nWe cannot offer the bot if you do not \
               agree to the use of the Chatfuel service.Updates to this policy We review this \
               policy every six months and keep your data for one year.\n";
    let new = "# Example Privacy Policy\n\n## Messenger\n\nWe cannot offer the bot if you do not \
               agree to the use of the Chatfuel service.\n\n## Updates to this policy\n\nWe \
               review this policy every six months and keep your data for one year.\n";
    let out = diff(&Dir::new("layout_heading_set_apart"), old, new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
    // A paragraph of bullet characters made a Markdown list.
    let old = "# Example Privacy Policy\n\n## Uses\n\nWe use your data to: • Verify your \
               identity and prevent fraud. • Send you security alerts and support messages. \
               • Disclose information to comply with a subpoena or court order.\n";
    let new = "# Example Privacy Policy\n\n## Uses\n\nWe use your data to:\n\n* Verify your \
               identity and prevent fraud.\n* Send you security alerts and support messages.\n\
               * Disclose information to comply with a subpoena or court order.\n";
    let out = diff(&Dir::new("layout_bullets_made_a_list"), old, new);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
    // The same layout change with one word changed is still a change.
    let edited = new.replace("a subpoena or court order", "any request from a partner");
    let out = diff(&Dir::new("layout_bullets_made_a_list_2"), old, &edited);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_sentence_written_once_more_is_still_new_though_its_words_were_there() {
    let old = "# Example Privacy Policy\n\n## GitHub\n\nWe receive your profile and your email \
               address from the provider you sign in with.\n";
    let new = format!(
        "{old}\n## Bitbucket\n\nWe receive your profile and your email address from the \
         provider you sign in with.\n"
    );
    let out = diff(&Dir::new("sentence_written_once_more"), old, &new);
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_long_question_heading_and_its_link_in_a_raw_html_contents_table_state_nothing() {
    let body = "# Example Privacy Policy\n\n\
                ## What personal and product data does Example collect and how does Example use \
                and share the personal data it collects?\n\n\
                We disclose your data to service providers.\n\n\
                <p id=\"retention\"><strong>DATA RETENTION AND YOUR PERSONAL INFORMATION</strong></p>\n\n\
                We keep your data for one year.\n";
    let contents = "1. [What personal and product data does Example collect and how does Example \
                    use and share the personal data it collects?](#what-personal)\n\n\
                    <table><tr><td>&nbsp;[Data Retention and Your Personal \
                    Information](#retention)</td></tr></table>\n\n";
    let old = body.replacen("## What", &format!("{contents}## What"), 1);
    let out = diff(&Dir::new("question_heading_contents"), &old, body);
    assert_eq!(out["practice_changes"], json!([]), "{out:#}");
}

#[test]
fn words_run_together_and_set_apart_again_are_no_change() {
    let old =
        "# Example Privacy Policy\n\n## Logs\n\nWhen you visit, weautomatically collect your \
               IP address, browser typeand language.\n";
    let new = old
        .replace("weautomatically", "we automatically")
        .replace("typeand", "type and");
    let out = diff(&Dir::new("words_run_together"), old, &new);
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_denial_made_to_hold_only_without_consent_is_a_material_review_change() {
    let out = diff_replacing(
        "denial_without_consent",
        "# Example Privacy Policy\n\n## Cookies\n\n- No information, such as cookies, is stored \
         in your browser.\n",
        "stored in your browser.",
        "stored in your browser without your explicit consent.",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "tracking", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
}

#[test]
fn a_program_that_now_connects_to_a_named_server_is_a_sharing_review_change() {
    let policy = "# Example Privacy Policy\n\n## Updates\n\nThe app works offline.\n";
    let connects = "The app works offline.\n\nIf you enable the update check, the app will \
                    connect to GitHub every 24 hours at most. [GitHub Privacy \
                    Policy](https://docs.github.com/privacy)\n";
    let out = diff_replacing(
        "connects_to_github",
        policy,
        "The app works offline.\n",
        connects,
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "sharing", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
    // A name written elsewhere only as part of a domain ("cdn.jsdelivr.net") is still a name.
    let fetches = "The app works offline.\n\nThe page makes your browser fetch some resources \
                   from the JSDelivr content delivery network, under the cdn.jsdelivr.net \
                   privacy policy.\n";
    let out = diff_replacing(
        "fetches_from_jsdelivr",
        policy,
        "The app works offline.\n",
        fetches,
    );
    assert_eq!(only_review(&out)["category"], "sharing", "{out:#}");
}

#[test]
fn a_connection_already_stated_and_reworded_is_no_review_change() {
    let policy = "# Example Privacy Policy\n\n## Extensions\n\nThe Extensions program allows \
                  broadcasters to embed custom third-party content on their channel pages.\n";
    let out = diff_replacing(
        "connection_reworded",
        policy,
        "The Extensions program",
        "The Extensions Program for Developers",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
}

/// A policy whose sentences the practice reading does not fully read: a login table, a
/// contact-deletion sentence, a retention period.
const LOGINS: &str = "# Example Privacy Policy

## Logins

We offer sign-in through Google, Twitter and Facebook; with your consent, these providers pass your name and email address to us.

## Your choices

You can delete your account in the settings.

## Keeping data

Log files are kept for 30 days and backups for one year.
";

#[test]
fn dropping_a_provider_from_a_sentence_narrows_and_is_not_material() {
    let out = diff_replacing(
        "dropping_a_provider_from_a_sentence_narrows_and_is_not_material",
        LOGINS,
        "Google, Twitter and Facebook",
        "Google and Twitter",
    );
    for change in reviews(&out) {
        assert_eq!(change["material"], false, "{out:#}");
    }
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn dropping_a_limit_or_a_period_from_a_sentence_stays_material() {
    // Consent asked first is a limit; dropping it widens.
    let out = diff_replacing(
        "dropping_a_limit_from_a_sentence_stays_material",
        LOGINS,
        "; with your consent, these",
        "; these",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    // A period dropped may keep data for longer.
    let out = diff_replacing(
        "dropping_a_period_from_a_sentence_stays_material",
        LOGINS,
        "Log files are kept for 30 days and backups for one year.",
        "Log files are kept for 30 days and backups.",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn dropping_an_item_from_a_denial_stays_material() {
    let out = diff_replacing(
        "dropping_an_item_from_a_denial_stays_material",
        POLICY,
        "We do not sell personal information.",
        "We do not sell personal information, search history or contacts.",
    );
    // The other direction: the new text denies less.
    let new = POLICY.replace(
        "We do not sell personal information.",
        "We do not sell personal information, search history or contacts.",
    );
    let back = diff(
        &Dir::new("dropping_an_item_from_a_denial_stays_material_back"),
        &new,
        POLICY,
    );
    assert_eq!(back["verdict"]["material"], true, "{back:#}");
    // Denying more only narrows.
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
}

#[test]
fn a_new_way_to_use_a_choice_is_not_material() {
    let out = diff_replacing(
        "a_new_way_to_use_a_choice_is_not_material",
        LOGINS,
        "You can delete your account in the settings.",
        "You can delete your account in the settings or by writing to our support team.",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "choices", "{out:#}");
    assert_eq!(change["material"], false, "{out:#}");
}

#[test]
fn a_new_deletion_promise_or_safeguard_is_not_material_but_keeping_more_is() {
    for (name, text, material) in [
        (
            "deletion_promise",
            "Users may request permanent deletion of their account at any time.",
            false,
        ),
        (
            "safeguard",
            "All information is sent and received through secure connections.",
            false,
        ),
        (
            "keeping_after_deletion",
            "Following deletion, we may retain some records for as long as the law requires.",
            true,
        ),
        (
            "choice_taken_away",
            "You cannot opt out of service emails.",
            true,
        ),
    ] {
        let out = diff(
            &Dir::new(&format!("a_new_deletion_promise_{name}")),
            LOGINS,
            &format!("{LOGINS}\n{text}\n"),
        );
        assert_eq!(out["verdict"]["material"], material, "{name}: {out:#}");
    }
}

#[test]
fn a_new_denial_that_asks_consent_first_is_not_material() {
    let out = diff(
        &Dir::new("a_new_denial_that_asks_consent_first_is_not_material"),
        POLICY,
        &after_sale("Other apps get no access to your messages without your approval.\n"),
    );
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    let out = diff(
        &Dir::new("a_new_denial_with_another_exception_stays_material"),
        POLICY,
        &after_sale("Other apps get no access to your messages except our partners' apps.\n"),
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_list_item_naming_a_new_recipient_under_a_reworded_lead_in_is_reviewed() {
    let old = "# Example Privacy Policy

## Who we share with

The organisations we share your personal information with are:

-   Zendesk to handle any feedback that you leave.
-   Mailgun to send emails.
";
    let new = old
        .replace(
            "The organisations we share your personal information with are:",
            "We share your personal information with:",
        )
        .replace(
            "-   Mailgun to send emails.\n",
            "-   Mailgun to send emails.\n-   Selected individuals employed in the private prison estate.\n",
        );
    let out = diff(
        &Dir::new("a_list_item_naming_a_new_recipient_under_a_reworded_lead_in_is_reviewed"),
        old,
        &new,
    );
    let added: Vec<_> = reviews(&out)
        .into_iter()
        .filter(|c| c["kind"] == "added")
        .collect();
    assert_eq!(added.len(), 1, "{out:#}");
    assert_eq!(added[0]["category"], "sharing");
    assert_eq!(added[0]["material"], true);
}

#[test]
fn only_limiting_words_added_to_a_use_narrow_it() {
    let policy = "# Example Privacy Policy

## Partners

When you use Example, our advertising partners see the pages you visit.

We do not sell personal information.
";
    let out = diff_replacing(
        "only_limiting_words_added_to_a_use_narrow_it",
        policy,
        "see the pages you visit.",
        "see the pages you visit, aggregated and anonymised.",
    );
    let change = only_review(&out);
    assert_eq!(change["material"], false, "{out:#}");
    // More that is not a limit stays material.
    let out = diff_replacing(
        "words_added_to_a_use_that_do_not_limit_it_stay_material",
        policy,
        "see the pages you visit.",
        "see the pages you visit, grouped and enriched.",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_safeguard_added_to_a_security_sentence_only_protects() {
    let policy = "# Example Privacy Policy

## Security

We protect the information we hold. For example, we strictly limit access to our servers \
and the data we store on them.
";
    let out = diff_replacing(
        "a_safeguard_added_to_a_security_sentence",
        policy,
        "we strictly limit access",
        "we use SSL/TLS for all data transfer and strictly limit access",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "security", "{out:#}");
    assert_eq!(change["material"], false, "{out:#}");
    // Letting more people in is no safeguard, whatever else the words say.
    let out = diff_replacing(
        "contractors_added_to_a_security_sentence",
        policy,
        "we strictly limit access to our servers",
        "we strictly limit access to our servers, over TLS, to our staff and contractors",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_dropped_promise_to_announce_changes_is_a_material_review_change() {
    let policy = "# Example Privacy Policy

## Amendment of this statement

This privacy statement is subject to amendment. We will publish the amended statement on our \
website. You will be informed of any amendments relevant to you via the notifications in the \
app.
";
    let out = diff_replacing(
        "a_dropped_promise_to_announce_changes",
        policy,
        " You will be informed of any amendments relevant to you via the notifications in the \
         app.",
        "",
    );
    let change = only_review(&out);
    assert_eq!(change["category"], "change-notice", "{out:#}");
    assert_eq!(change["kind"], "removed", "{out:#}");
    assert_eq!(change["material"], true, "{out:#}");
}

#[test]
fn a_new_revision_date_is_no_review_change_but_a_new_period_is() {
    let policy = "# Example Privacy Policy

## Changes

We may change this policy and will notify you of material changes by email. This privacy \
policy was last updated on 13 May 2022.

## Retention

We keep server logs for 30 days.
";
    let out = diff_replacing(
        "a_new_revision_date",
        policy,
        "last updated on 13 May 2022.",
        "last updated on 18th August 2023.",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    // Nor is a new date line: it announces nothing.
    let out = diff_replacing(
        "a_new_revision_date_line",
        policy,
        "## Retention",
        "This privacy policy was last updated in January.\n\n## Retention",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
    let out = diff_replacing(
        "a_new_retention_period_beside_a_revision_date",
        policy,
        "for 30 days.",
        "for 90 days, as updated on 13 May 2022.",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_cross_reference_renamed_is_no_review_change_but_new_data_beside_it_is() {
    let policy = "# Example Privacy Policy

## What we collect

We collect your name and email address to run your account.

## Additional rights for people in the EU

This Appendix 1 applies to the personal information we collect about you.
";
    let out = diff_replacing(
        "a_cross_reference_renamed",
        policy,
        "This Appendix 1 applies",
        "This \"Additional rights for people in the EU\" section applies",
    );
    assert!(reviews(&out).is_empty(), "{out:#}");
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    let out = diff_replacing(
        "a_cross_reference_renamed_beside_new_data",
        policy,
        "This Appendix 1 applies to the personal information",
        "This section applies to the personal information and the payment history",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn what_is_sent_to_you_is_no_sharing_but_what_is_sent_to_your_employer_is() {
    let policy = "# Example Privacy Policy

## Newsletters

You can unsubscribe by following the instructions on this website.
";
    let out = diff_replacing(
        "what_is_sent_to_you",
        policy,
        "on this website.",
        "on this website or sent to you by email.",
    );
    assert_eq!(out["verdict"]["material"], false, "{out:#}");
    let out = diff_replacing(
        "what_is_sent_to_your_employer",
        policy,
        "on this website.\n",
        "on this website.\n\nYour attendance record may be sent to your employer.\n",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["category"] == "sharing" && c["review"] != true),
        "{out:#}"
    );
}

#[test]
fn code_sent_to_another_company_is_sharing() {
    let policy = "# Example Privacy Policy

## Compiling

We compile the source code you submit on our own servers and delete it shortly after.
";
    let out = diff_replacing(
        "code_sent_to_another_company",
        policy,
        "shortly after.\n",
        "shortly after.\n\nIf you choose a Contoso compiler, your code may be sent to and compiled \
         on a machine run by Contoso.\n",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["category"] == "sharing"
            || c["also_categories"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("sharing")))),
        "{out:#}"
    );
}

#[test]
fn data_named_in_the_plural_is_data() {
    // "IP addresses" is the plural of the taxonomy's "ip address" (a final "-sses"), and
    // "third parties" of "third party" (a final "-ies").
    let out = diff_replacing(
        "data_named_in_the_plural",
        POLICY,
        "We do not sell personal information.\n",
        "We do not sell personal information.\n\nWe collect IP addresses.\n",
    );
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
    let changes = out["practice_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["category"] == "collection"
            && c["data_types"]
                .as_array()
                .is_some_and(|d| d.contains(&json!("technical.ip_address")))),
        "{out:#}"
    );
}

#[test]
fn an_item_of_a_nested_list_speaks_under_the_lead_in_above_its_own() {
    let policy = "# Example Privacy Policy

## What we collect

We collect the following information when you apply:

* your name;
* information that decides whether we can pay you:
    * your country of residence
";
    let out = diff_replacing(
        "an_item_of_a_nested_list",
        policy,
        "    * your country of residence\n",
        "    * your country of residence\n    * which country you will be living in during \
         the internship, and for how long\n",
    );
    let review = only_review(&out);
    assert_eq!(review["kind"], "added", "{out:#}");
    assert_eq!(out["verdict"]["material"], true, "{out:#}");
}

#[test]
fn a_review_change_naming_data_the_old_text_never_names_is_also_filed_under_collection() {
    let policy = "# Example Privacy Policy

## Sharing with organisers

We share your name and email address with the organisers of events you attend.
";
    // Gender is named nowhere in the old text: the policy now covers more data.
    let out = diff_replacing(
        "naming_data_the_old_text_never_names",
        policy,
        "events you attend.\n",
        "events you attend.\n\nWe also display the gender of speakers in a talk proposal to \
         the organisers of the event.\n",
    );
    let found = only_review(&out);
    assert_eq!(found["category"], "sharing", "{out:#}");
    assert_eq!(found["also_categories"], json!(["collection"]), "{out:#}");
    // Data the old text already names is no new data.
    let out = diff_replacing(
        "naming_data_the_old_text_names",
        policy,
        "events you attend.\n",
        "events you attend.\n\nWe also display the name of speakers in a talk proposal to \
         the organisers of the event.\n",
    );
    let found = only_review(&out);
    assert!(
        found["also_categories"]
            .as_array()
            .is_none_or(|a| !a.contains(&json!("collection"))),
        "{out:#}"
    );
}

#[test]
fn analytics_services_and_embeds_by_name_are_tracking() {
    for (name, sentence) in [
        (
            "posthog",
            "The app reports which screens you open to PostHog.",
        ),
        ("youtube", "Our tutorial pages embed videos from YouTube."),
    ] {
        let out = diff_replacing(
            &format!("tracking_by_name_{name}"),
            POLICY,
            "We do not sell personal information.\n",
            &format!("We do not sell personal information.\n\n{sentence}\n"),
        );
        assert_eq!(out["verdict"]["material"], true, "{out:#}");
        let changes = out["practice_changes"].as_array().unwrap();
        assert!(
            changes.iter().any(|c| c["category"] == "tracking"),
            "{out:#}"
        );
    }
}
