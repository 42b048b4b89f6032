//! Unit tests of [`decide`]: every decision path and every shipped pack.
use std::path::Path;

use super::*;
use crate::rules::{Pack, RuleSet, EMBEDDED};

fn change(
    id: &str,
    category: Category,
    kind: ChangeKind,
    material: bool,
    practice: &str,
    types: &[&str],
) -> PracticeChange {
    PracticeChange {
        id: id.to_string(),
        category,
        kind,
        material,
        review: false,
        also: Vec::new(),
        summary: String::new(),
        data_types: types.iter().map(|t| t.to_string()).collect(),
        old: Vec::new(),
        new: Vec::new(),
        practice: practice.to_string(),
    }
}

fn purpose() -> PracticeChange {
    change(
        "p1",
        Category::Purpose,
        ChangeKind::Added,
        true,
        "purpose.profiling",
        &[],
    )
}

fn abroad() -> PracticeChange {
    change(
        "i1",
        Category::International,
        ChangeKind::Added,
        true,
        "international.storage",
        &[],
    )
}

fn phone() -> PracticeChange {
    let kind = ChangeKind::Expanded;
    change(
        "c1",
        Category::Collection,
        kind,
        true,
        "collection",
        &["contact.phone"],
    )
}

fn ads() -> PracticeChange {
    let types = &["contact.email", "interests"];
    change(
        "s1",
        Category::Sharing,
        ChangeKind::Added,
        true,
        "sharing.advertisers",
        types,
    )
}

fn wording() -> PracticeChange {
    change(
        "n1",
        Category::Choices,
        ChangeKind::Added,
        false,
        "choices.access",
        &[],
    )
}

fn packs(names: &[&str]) -> RuleSet {
    let entries: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.to_string(), "t.yaml:1:1".to_string()))
        .collect();
    RuleSet::resolve(&entries, Path::new("."), "t.yaml:1:1").unwrap()
}

/// A shipped pack without its `extends`, to see the law's own rules.
fn alone(name: &str) -> RuleSet {
    let text = EMBEDDED.iter().find(|(n, _)| *n == name).unwrap().1;
    let text = text.replace("extends: [metropolis-promise]\n", "");
    RuleSet::from_packs(vec![Pack::from_yaml(name, &text).unwrap()])
}

fn ctx_with(rules: RuleSet, changes: &[PracticeChange], deal: Deal) -> PlanContext {
    PlanContext::from_parts(
        changes,
        rules.packs().to_vec(),
        rules.channels(),
        deal,
        Date::constant(2026, 12, 1),
        &Taxonomy::embedded(),
    )
}

fn ctx(names: &[&str], changes: &[PracticeChange]) -> PlanContext {
    ctx_with(packs(names), changes, Deal::Merger)
}

static NO_TYPES: DataTypes = DataTypes::new();

fn member() -> Member<'static> {
    Member {
        id: "M1",
        status: Status::Transfer,
        email_valid: true,
        held: &NO_TYPES,
        birth_date: None,
        flags: 0,
        withdrawal: None,
    }
}

fn short(d: &Decision) -> String {
    format!(
        "{} {} {} [{}] [{}]",
        d.kind.as_str(),
        d.channel.map_or("-", |c| c.as_str()),
        d.reason,
        d.rules.join(";"),
        d.changes.join(";")
    )
}

#[test]
fn withdrawal_and_status_exclude_first() {
    let c = ctx(&["appi"], &[purpose()]);
    let m = Member {
        withdrawal: Some(Withdrawal::Objected),
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "exclude - objected [handover.objected] []"
    );
    let m = Member {
        status: Status::Exclude("closed"),
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "exclude - status:closed [handover.status] []"
    );
    let m = Member {
        status: Status::Other,
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "exclude - status-not-transferred [handover.status] []"
    );
}

#[test]
fn the_promise_notifies_on_any_practice_change_by_email_or_site() {
    let c = ctx(&["metropolis-promise"], &[wording()]);
    assert_eq!(
        short(&decide(&member(), &c)),
        "notify email practice-change [metropolis-promise.notice] []"
    );
    let m = Member {
        email_valid: false,
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "notify site-notice practice-change [metropolis-promise.notice] []"
    );
}

#[test]
fn identical_practices_transfer_without_notice() {
    let c = ctx(&["metropolis-promise", "appi", "ccpa", "ftc"], &[]);
    assert_eq!(
        short(&decide(&member(), &c)),
        "transfer - no-practice-change [] []"
    );
}

#[test]
fn no_allowed_channel_excludes() {
    let text = EMBEDDED[0]
        .1
        .replace("channels: [email, site-notice]", "channels: [email]");
    let pack = Pack::from_yaml("email-only.yaml", &text).unwrap();
    let c = ctx_with(RuleSet::from_packs(vec![pack]), &[wording()], Deal::Merger);
    let m = Member {
        email_valid: false,
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "exclude - no-channel [handover.no-channel] []"
    );
}

/// The opt-ins and who gives the yes.
fn yes(d: &Decision) -> String {
    format!(
        "opt_in [{}] by {}",
        d.opt_in.join(";"),
        d.consent_by.map_or("-", ConsentBy::as_str)
    )
}

fn with_terms(c: PlanContext, country: &str, basis: Option<TransferBasis>) -> PlanContext {
    c.with_terms(Terms {
        acquirer_country: Some(country.to_string()),
        transfer_basis: basis,
        ..Terms::default()
    })
}

#[test]
fn appi_moves_after_notice_and_holds_back_unrelated_purposes() {
    let c = with_terms(
        ctx(&["appi"], &[purpose(), abroad(), wording()]),
        "JP",
        None,
    );
    let d = decide(&member(), &c);
    assert_eq!(
        short(&d),
        "notify email practice-change+material-change+new-purpose \
         [metropolis-promise.notice;appi.notice;appi.purpose-consent] []"
    );
    assert_eq!(yes(&d), "opt_in [p1] by member");
    // Declared related: notice only (Arts. 17(2), 21(3)).
    let c = c.with_terms(Terms {
        acquirer_country: Some("JP".into()),
        related_purposes: vec!["profiling".into()],
        ..Terms::default()
    });
    let d = decide(&member(), &c);
    assert_eq!(d.kind, DecisionKind::Notify);
    assert_eq!(yes(&d), "opt_in [] by -");
}

#[test]
fn a_rule_on_a_category_matches_a_review_change_that_also_speaks_of_it() {
    // A changed sentence filed under collection that also speaks of purpose: nobody has
    // read its purpose yet, so APPI's new purpose waits for a yes, as for a purpose change.
    let mut review = change(
        "r1",
        Category::Collection,
        ChangeKind::Added,
        true,
        "review",
        &[],
    );
    review.review = true;
    let only_collection = with_terms(ctx(&["appi"], &[review.clone()]), "JP", None);
    assert_eq!(yes(&decide(&member(), &only_collection)), "opt_in [] by -");
    review.also = vec![Category::Purpose];
    let also_purpose = with_terms(ctx(&["appi"], &[review]), "JP", None);
    let d = decide(&member(), &also_purpose);
    assert!(
        d.rules.iter().any(|r| r == "appi.purpose-consent"),
        "{}",
        short(&d)
    );
    assert_eq!(yes(&d), "opt_in [r1] by member");
}

#[test]
fn appi_new_sharing_waits_for_a_yes_and_block_mode_holds_the_move() {
    let c = with_terms(ctx(&["appi"], &[ads()]), "JP", None);
    let d = decide(&member(), &c);
    assert_eq!(d.kind, DecisionKind::Notify);
    assert_eq!(
        d.reason,
        "practice-change+material-change+third-party-provision"
    );
    assert_eq!(yes(&d), "opt_in [s1] by member");
    let c = c.with_terms(Terms {
        acquirer_country: Some("JP".into()),
        consent_mode: ConsentMode::Block,
        ..Terms::default()
    });
    let d = decide(&member(), &c);
    assert_eq!(
        short(&d),
        "consent email third-party-provision [appi.third-party-provision-consent] []"
    );
    assert_eq!(yes(&d), "opt_in [s1] by member");
}

#[test]
fn a_foreign_acquirer_needs_consent_for_the_move_unless_a_basis_covers_it() {
    let us = with_terms(ctx(&["appi", "gdpr"], &[]), "US", None);
    let d = decide(&member(), &us);
    assert_eq!(
        short(&d),
        "consent email foreign-acquirer+no-transfer-mechanism \
         [appi.foreign-acquirer-consent;gdpr.transfer-mechanism] []"
    );
    assert_eq!(yes(&d), "opt_in [] by member");
    let d = decide(
        &member(),
        &with_terms(
            ctx(&["appi"], &[]),
            "US",
            Some(TransferBasis::EquivalentSystem),
        ),
    );
    assert_eq!(short(&d), "transfer - no-practice-change [] []");
    let d = decide(
        &member(),
        &with_terms(ctx(&["gdpr"], &[]), "US", Some(TransferBasis::Dpf)),
    );
    assert_eq!(short(&d), "notify email transfer [gdpr.notice] []");
    for inside in ["DE", "GB", "NO"] {
        let d = decide(&member(), &with_terms(ctx(&["appi"], &[]), inside, None));
        assert_eq!(d.kind, DecisionKind::Transfer, "{inside}");
    }
}

#[test]
fn minors_say_who_consents_and_never_make_consent_alone() {
    let young = Member {
        birth_date: Some(Date::constant(2012, 1, 1)),
        ..member()
    };
    let c = with_terms(ctx(&["appi"], &[phone()]), "JP", None);
    let d = decide(&young, &c);
    assert_eq!(
        short(&d),
        "notify email practice-change+material-change \
         [metropolis-promise.notice;appi.notice] []"
    );
    assert_eq!(yes(&d), "opt_in [] by -");
    let c = with_terms(ctx(&["appi"], &[purpose()]), "JP", None);
    let d = decide(&young, &c);
    assert_eq!(
        short(&d),
        "notify email practice-change+material-change+new-purpose+parental-consent \
         [metropolis-promise.notice;appi.notice;appi.purpose-consent;appi.minors] []"
    );
    assert_eq!(yes(&d), "opt_in [p1] by parent");
    let sixteen = Member {
        birth_date: Some(Date::constant(2010, 11, 1)),
        ..member()
    };
    assert_eq!(yes(&decide(&sixteen, &c)), "opt_in [p1] by member");
}

#[test]
fn a_deal_outside_the_promise_needs_consent_under_ftc_only() {
    let c = ctx_with(packs(&["ftc", "appi"]), &[], Deal::BusinessTransfer);
    let c = with_terms(c, "JP", None);
    assert_eq!(
        short(&decide(&member(), &c)),
        "consent email deal-outside-promise [ftc.outside-promise] []"
    );
    let c = with_terms(
        ctx_with(packs(&["appi"]), &[], Deal::BusinessTransfer),
        "JP",
        None,
    );
    assert_eq!(
        short(&decide(&member(), &c)),
        "transfer - no-practice-change [] []"
    );
}

#[test]
fn appi_share_purchase_is_third_party_provision() {
    let c = ctx_with(packs(&["appi"]), &[], Deal::SharePurchase);
    assert_eq!(
        short(&decide(&member(), &c)),
        "consent email third-party-provision [appi.third-party-provision] []"
    );
}

#[test]
fn gdpr_notifies_every_transfer_and_asks_consent_for_sensitive_data() {
    let c = ctx(&["gdpr"], &[]);
    assert_eq!(
        short(&decide(&member(), &c)),
        "notify email transfer [gdpr.notice] []"
    );
    let health = Member {
        held: &c.types_of(&["health"]),
        ..member()
    };
    assert_eq!(
        short(&decide(&health, &c)),
        "consent email special-category [gdpr.special-category-consent] []"
    );
    // The move rests on Art. 6(1)(f): a child is notified, not asked (Art. 8 needs a consent
    // basis), unless the data leave with a sensitive type; then a parent says yes.
    let child = Member {
        birth_date: Some(Date::constant(2011, 6, 1)),
        ..member()
    };
    assert_eq!(
        short(&decide(&child, &c)),
        "notify email transfer [gdpr.notice] []"
    );
    let sick_child = Member {
        held: &c.types_of(&["health"]),
        ..child
    };
    let d = decide(&sick_child, &c);
    assert_eq!(
        short(&d),
        "consent email special-category+parental-consent \
         [gdpr.special-category-consent;gdpr.minors] []"
    );
    assert_eq!(yes(&d), "opt_in [] by parent");
}

#[test]
fn ccpa_notifies_affected_members_and_carries_do_not_sell() {
    let c = ctx_with(alone("ccpa"), &[phone()], Deal::Merger);
    let email_only = Member {
        held: &c.types_of(&["contact.email"]),
        ..member()
    };
    assert_eq!(
        short(&decide(&email_only, &c)),
        "transfer - no-rule-triggered [] []"
    );
    let with_phone = Member {
        held: &c.types_of(&["contact.phone"]),
        flags: Flag::DoNotSell.bit(),
        ..member()
    };
    assert_eq!(
        short(&decide(&with_phone, &c)),
        "notify email material-change [ccpa.notice;ccpa.carry-do-not-sell] [c1]"
    );
    let c = ctx_with(alone("ccpa"), &[ads()], Deal::Merger);
    let teen = Member {
        held: &c.types_of(&["interests"]),
        birth_date: Some(Date::constant(2012, 1, 1)),
        ..member()
    };
    let d = decide(&teen, &c);
    assert_eq!(
        short(&d),
        "notify email material-change+minor-sale [ccpa.notice;ccpa.minor-sale-consent] []"
    );
    assert_eq!(yes(&d), "opt_in [s1] by member");
}

#[test]
fn ftc_asks_consent_for_material_changes_and_wins_when_combined() {
    let c = ctx(&["ftc"], &[wording()]);
    assert_eq!(
        short(&decide(&member(), &c)),
        "notify email practice-change [metropolis-promise.notice] []"
    );
    let c = ctx(
        &["metropolis-promise", "gdpr", "ftc"],
        &[purpose(), wording()],
    );
    let d = decide(&member(), &c);
    assert_eq!(d.kind, DecisionKind::Notify);
    assert_eq!(
        d.rules,
        [
            "metropolis-promise.notice",
            "gdpr.notice",
            "ftc.notice",
            "gdpr.purpose-consent",
            "ftc.retroactive-consent"
        ]
    );
    assert_eq!(yes(&d), "opt_in [p1] by member");
}

#[test]
fn a_custom_pack_can_ask_consent_for_do_not_sell_members() {
    let text = "pack: counsel\ntitle: t\nnotice_period_days: 10\ntrigger: material-change\n\
                scope: affected\nchannels: [email, site-notice]\nobjection: exclude\n\
                consent_required:\n  - id: dns\n    reason: do-not-sell\n    when: {flag: do_not_sell, practice: [sharing.advertisers]}\n";
    let pack = Pack::from_yaml("counsel.yaml", text).unwrap();
    let c = ctx_with(RuleSet::from_packs(vec![pack]), &[ads()], Deal::Merger);
    let m = Member {
        held: &c.types_of(&["contact.email"]),
        flags: Flag::DoNotSell.bit(),
        ..member()
    };
    let d = decide(&m, &c);
    assert_eq!(
        short(&d),
        "notify email material-change+do-not-sell [counsel.notice;counsel.dns] []"
    );
    assert_eq!(yes(&d), "opt_in [s1] by member");
    let m = Member { flags: 0, ..m };
    assert_eq!(
        short(&decide(&m, &c)),
        "notify email material-change [counsel.notice] [s1]"
    );
}
