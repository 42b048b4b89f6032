//! Practice changes: what differs in what the two policies say happens to data.
use serde::Serialize;

/// The eleven practice categories of DESIGN.md section 3; JSON uses these exact strings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
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

/// A quoted source line backing a practice change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based line in the file named by the side of the diff.
    pub line: u32,
    /// The sentence or list item, as written.
    pub text: String,
}

/// One practice change.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeChange {
    /// Stable fingerprint: the same change in an edited file keeps its id.
    pub id: String,
    /// The practice category.
    pub category: Category,
    /// How it changed.
    pub kind: ChangeKind,
    /// Widens what happens to data or weakens protection.
    pub material: bool,
    /// One line for people.
    pub summary: String,
    /// Data type ids the change touches; empty means policy-wide.
    pub data_types: Vec<String>,
    /// Evidence in the old policy.
    pub old: Vec<Evidence>,
    /// Evidence in the new policy.
    pub new: Vec<Evidence>,
}
