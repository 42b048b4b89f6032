//! The shared vocabulary of every stage: practice categories and change kinds, deals,
//! channels, flags, decisions, withdrawals and member states.
//!
//! This module is a leaf: it imports nothing of ours, so any module may use it without a
//! dependency cycle. Every type here has a wire name (`as_str`) that the JSON formats, the
//! decisions CSV, the ledger and the fingerprints users keep are built from; those names are
//! stable, whatever the Rust names become.
use serde::{Deserialize, Serialize};

/// The eleven practice categories of DESIGN.md section 3; JSON uses these exact strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Which data are collected, and from whom.
    Collection,
    /// What the data are used for.
    Purpose,
    /// Disclosure, sale or rent to others.
    Sharing,
    /// Merger, acquisition, bankruptcy, asset sale.
    Transfer,
    /// How long data are kept.
    Retention,
    /// Safeguards and access limits.
    Security,
    /// Cookies, beacons, trackers, Do Not Track.
    Tracking,
    /// What people can still control.
    Choices,
    /// How policy changes are announced.
    ChangeNotice,
    /// Children and other audiences.
    Audience,
    /// Storage or processing abroad.
    International,
}

impl Category {
    /// All categories, in report order.
    pub const ALL: [Category; 11] = [
        Category::Collection,
        Category::Purpose,
        Category::Sharing,
        Category::Transfer,
        Category::Retention,
        Category::Security,
        Category::Tracking,
        Category::Choices,
        Category::ChangeNotice,
        Category::Audience,
        Category::International,
    ];

    /// The wire name (`change-notice`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Collection => "collection",
            Category::Purpose => "purpose",
            Category::Sharing => "sharing",
            Category::Transfer => "transfer",
            Category::Retention => "retention",
            Category::Security => "security",
            Category::Tracking => "tracking",
            Category::Choices => "choices",
            Category::ChangeNotice => "change-notice",
            Category::Audience => "audience",
            Category::International => "international",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a practice changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A practice only the new policy states.
    Added,
    /// A practice only the old policy states.
    Removed,
    /// Stated in both; the new one covers more (data, recipients, time).
    Expanded,
    /// Stated in both; the new one covers less.
    Narrowed,
    /// Stated in both, differently, neither wider nor narrower.
    Modified,
}

impl ChangeKind {
    /// The wire name (`added`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Expanded => "expanded",
            ChangeKind::Narrowed => "narrowed",
            ChangeKind::Modified => "modified",
        }
    }

    /// The name practice-change fingerprints are built from. Fixed text, pinned by a test:
    /// acknowledgements users commit name fingerprints, so this never changes.
    pub fn fingerprint_name(self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Removed => "Removed",
            ChangeKind::Expanded => "Expanded",
            ChangeKind::Narrowed => "Narrowed",
            ChangeKind::Modified => "Modified",
        }
    }
}

/// A quoted source line backing a practice change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based line in the file named by the side of the diff.
    pub line: u32,
    /// The sentence or list item, as written.
    pub text: String,
}

/// What kind of deal moves the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deal {
    /// The target merges into the acquirer: a new controller.
    Merger,
    /// The business (assets) is sold: a new controller.
    BusinessTransfer,
    /// The target's shares are bought; the target stays a separate company, so handing its
    /// members' data to the new parent is a disclosure to another company.
    SharePurchase,
}

impl Deal {
    /// The case-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Deal::Merger => "merger",
            Deal::BusinessTransfer => "business-transfer",
            Deal::SharePurchase => "share-purchase",
        }
    }
}

/// A notice channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The member's email address.
    Email,
    /// A prominent notice on the site (and in the account).
    SiteNotice,
}

impl Channel {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::SiteNotice => "site-notice",
        }
    }
}

/// A yes/no column that may travel with a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// California "do not sell or share".
    DoNotSell,
    /// Unsubscribed from newsletters.
    Unsubscribed,
}

impl Flag {
    /// The case-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::DoNotSell => "do_not_sell",
            Flag::Unsubscribed => "unsubscribed",
        }
    }

    /// The bit of this flag in a member's flag set.
    pub fn bit(self) -> u8 {
        match self {
            Flag::DoNotSell => 1,
            Flag::Unsubscribed => 2,
        }
    }
}

/// The four decisions of DESIGN.md section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DecisionKind {
    /// Not transferred.
    Exclude,
    /// Transferred without notice.
    Transfer,
    /// Transferred after notice.
    Notify,
    /// Transferred only after opt-in.
    Consent,
}

impl DecisionKind {
    /// All kinds, in report order.
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Exclude,
        DecisionKind::Transfer,
        DecisionKind::Notify,
        DecisionKind::Consent,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Exclude => "exclude",
            DecisionKind::Transfer => "transfer",
            DecisionKind::Notify => "notify",
            DecisionKind::Consent => "consent",
        }
    }

    /// The state a member starts in (DESIGN.md section 6): `excluded`, `ready` (nothing to
    /// wait for), or `pending` (a notice or a consent request is due).
    pub fn initial_state(self) -> State {
        match self {
            DecisionKind::Exclude => State::Excluded,
            DecisionKind::Transfer => State::Ready,
            DecisionKind::Notify | DecisionKind::Consent => State::Pending,
        }
    }

    /// The kind of this wire name.
    pub fn parse(name: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Evidence in the ledger that takes a member out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Withdrawal {
    /// The member objected.
    Objected,
    /// The member's data were deleted.
    Deleted,
    /// The member declined consent.
    Declined,
}

impl Withdrawal {
    /// The evidence event (and reason) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Withdrawal::Objected => "objected",
            Withdrawal::Deleted => "deleted",
            Withdrawal::Declined => "declined",
        }
    }
}

/// Where a member stands on the way to the export (DESIGN.md section 6).
///
/// `pending`, `excluded` and `ready` are where a plan starts a member; evidence moves it on
/// ([`crate::machine`] holds the transitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// A notice or consent request is due and has not gone out.
    Pending,
    /// The notice went out; no delivery report yet.
    Sent,
    /// The provider reported delivery.
    Delivered,
    /// The address bounced hard.
    Bounced,
    /// Told by the prominent notice on the site.
    SiteNotice,
    /// Sending may or may not have happened; an operator must decide.
    Uncertain,
    /// The member said yes to the move.
    Consented,
    /// Out of the transfer (closed, deleted, objected, declined, no answer in time).
    Excluded,
    /// May be exported.
    Ready,
}

impl State {
    /// All states, in wire order (`handover.status/v1`).
    pub const ALL: [State; 9] = [
        State::Pending,
        State::Sent,
        State::Delivered,
        State::Bounced,
        State::SiteNotice,
        State::Uncertain,
        State::Consented,
        State::Excluded,
        State::Ready,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Sent => "sent",
            State::Delivered => "delivered",
            State::Bounced => "bounced",
            State::SiteNotice => "site-notice",
            State::Uncertain => "uncertain",
            State::Consented => "consented",
            State::Excluded => "excluded",
            State::Ready => "ready",
        }
    }

    /// The state of this wire name.
    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the member no longer holds up the export.
    pub fn is_resolved(self) -> bool {
        matches!(self, State::Excluded | State::Ready)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
