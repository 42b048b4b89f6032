//! `handover`: the privacy side of an acquisition.
//!
//! The library turns two privacy policies into a [`PolicyDiff`](diff::PolicyDiff): a redline
//! that ignores formatting, the data practices each policy states, and a verdict on whether
//! the acquirer's terms differ and which differences are material.
//!
//! ```
//! let old = handover::policy::parse("old.md", "We do not sell your data.\n", String::new());
//! let new = handover::policy::parse("new.md", "We may sell your data.\n", String::new());
//! let taxonomy = handover::taxonomy::Taxonomy::embedded();
//! let diff = handover::diff::diff(&old, &new, &taxonomy);
//! assert!(diff.verdict.material);
//! assert!(diff.verdict.text_changed);
//! ```
//!
//! Data flows one way (DESIGN.md section 2): parse, extract, compare, render. Nothing here
//! prints; the `handover` binary owns the terminal.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ack;
pub mod bundle;
pub mod case;
pub mod check;
pub mod compare;
pub mod decide;
pub mod dedup;
pub mod diff;
pub mod email;
pub mod error;
pub mod eval;
mod git;
pub mod ledger;
pub mod machine;
pub mod members;
pub mod model;
pub mod plan;
pub mod policy;
pub mod practices;
pub mod redline;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod status;
pub mod taxonomy;
mod yaml;

pub use error::{Error, Result};
