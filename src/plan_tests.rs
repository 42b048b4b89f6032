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

fn member() -> Member<'static> {
    Member {
        id: "M1",
        status: Status::Transfer,
        email_valid: true,
        held: 0,
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

#[test]
fn appi_asks_consent_for_new_purposes_and_storage_abroad() {
    let c = ctx(&["appi"], &[purpose(), abroad(), wording()]);
    assert_eq!(
        short(&decide(&member(), &c)),
        "consent email new-purpose+cross-border \
         [appi.purpose-consent;appi.cross-border-consent] [p1;i1]"
    );
}

#[test]
fn appi_minors_need_consent_only_when_notice_is_due() {
    let young = Member {
        birth_date: Some(Date::constant(2010, 1, 1)),
        ..member()
    };
    let c = ctx(&["appi"], &[phone()]);
    assert_eq!(
        short(&decide(&young, &c)),
        "consent email minor [appi.minors] []"
    );
    let adult = Member {
        birth_date: Some(Date::constant(2008, 12, 1)),
        ..member()
    };
    assert_eq!(
        short(&decide(&adult, &c)),
        "notify email practice-change+material-change \
         [metropolis-promise.notice;appi.notice] []"
    );
    let c = ctx(&["appi"], &[]);
    assert_eq!(
        short(&decide(&young, &c)),
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
        held: c.type_bit("health"),
        ..member()
    };
    assert_eq!(
        short(&decide(&health, &c)),
        "consent email special-category [gdpr.special-category-consent] []"
    );
    let child = Member {
        birth_date: Some(Date::constant(2011, 6, 1)),
        ..member()
    };
    assert_eq!(
        short(&decide(&child, &c)),
        "consent email minor [gdpr.minors] []"
    );
}

#[test]
fn ccpa_notifies_affected_members_and_carries_do_not_sell() {
    let c = ctx_with(alone("ccpa"), &[phone()], Deal::Merger);
    let email_only = Member {
        held: c.type_bit("contact.email"),
        ..member()
    };
    assert_eq!(
        short(&decide(&email_only, &c)),
        "transfer - no-rule-triggered [] []"
    );
    let with_phone = Member {
        held: c.type_bit("contact.phone"),
        flags: Flag::DoNotSell.bit(),
        ..member()
    };
    assert_eq!(
        short(&decide(&with_phone, &c)),
        "notify email material-change [ccpa.notice;ccpa.carry-do-not-sell] [c1]"
    );
    let c = ctx_with(alone("ccpa"), &[ads()], Deal::Merger);
    let teen = Member {
        held: c.type_bit("interests"),
        birth_date: Some(Date::constant(2012, 1, 1)),
        ..member()
    };
    assert_eq!(
        short(&decide(&teen, &c)),
        "consent email minor-sale [ccpa.minor-sale-consent] [s1]"
    );
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
    assert_eq!(
        short(&decide(&member(), &c)),
        "consent email material-retroactive [ftc.retroactive-consent] [p1]"
    );
}

#[test]
fn a_custom_pack_can_ask_consent_for_do_not_sell_members() {
    let text = "pack: counsel\ntitle: t\nnotice_period_days: 10\ntrigger: material-change\n\
                scope: affected\nchannels: [email, site-notice]\nobjection: exclude\n\
                consent_required:\n  - id: dns\n    reason: do-not-sell\n    when: {flag: do_not_sell, practice: [sharing.advertisers]}\n";
    let pack = Pack::from_yaml("counsel.yaml", text).unwrap();
    let c = ctx_with(RuleSet::from_packs(vec![pack]), &[ads()], Deal::Merger);
    let m = Member {
        held: c.type_bit("contact.email"),
        flags: Flag::DoNotSell.bit(),
        ..member()
    };
    assert_eq!(
        short(&decide(&m, &c)),
        "consent email do-not-sell [counsel.dns] [s1]"
    );
    let m = Member { flags: 0, ..m };
    assert_eq!(
        short(&decide(&m, &c)),
        "notify email material-change [counsel.notice] [s1]"
    );
}
