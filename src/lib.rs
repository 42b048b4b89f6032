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
//! Data flows one way: each stage returns plain data that the next stage or a renderer takes.
//! Nothing here prints; the `handover` binary owns the terminal.
//!
//! ```text
//!  policy text --policy::parse--> Policy --practices::extract--> PracticeSet
//!  (md, html,                       |                                 |
//!   docx, pdf)                      +--redline (similar)--+           +--compare--+
//!                                                         v                       v
//!                                                  diff::PolicyDiff (redline, practice changes, verdict)
//!                                                         |            \--> render (text, Markdown, JSON, HTML, docx)
//!                                                         |             \--> check (git, acknowledgements)
//!                                                         v
//!  members.csv --members::Reader--> Row --decide::decide(PlanContext, Member)--> Decision
//!                                                         |
//!                        plan (pipeline: gate, stream, dedup, pin) -----------> ledger (SQLite)
//!                                                                                 |     ^
//!                                      status <-- machine::settle(state, now) ----+     |
//!   notify (templates -> outbox or SMTP; notices journalled) --- machine::step(event) --+
//!   record (delivery events, answers, site notice -> evidence) - machine::step(event) --+
//!   signoff (legal approval pinned to the plan) ------------------------------------------+
//!   bundle::export (ready members only -> tar -> age; receipt) <-- gate on pins + sign-off
//!   bundle::verify (decrypt, hashes, counts, evidence, ssh signature)
//! ```
//!
//! | module | job |
//! |---|---|
//! | [`model`] | the shared vocabulary (categories, change kinds, deals, channels, flags, decisions, states); a leaf |
//! | [`policy`], [`taxonomy`], [`practices`], [`redline`], [`compare`], [`diff`] | reading and comparing policies |
//! | [`check`], [`ack`] | the CI gate over git revisions, with acknowledgements |
//! | [`case`], [`rules`] | the case file and the rule packs, validated once |
//! | [`members`], [`datatypes`], [`email`], [`dedup`] | the members export, streamed and checked |
//! | [`decide`] | the pure per-member decision |
//! | [`plan`] | the plan pipeline: gate, stream, decide, write the ledger |
//! | [`machine`] | the member state machine: events and time, pure |
//! | [`ledger`] | the SQLite ledger: schema, migrations, every SQL statement |
//! | [`status`] | where a case stands, from the ledger and the clock |
//! | [`notify`] | notices: rendering, the outbox, SMTP sending, the notice journal |
//! | [`evidence`], [`record`] | provider events and answers read into evidence rows |
//! | [`bundle`] | sign-off, the encrypted export bundle, its receipt, and `verify` |
//! | [`input`] | the shared input policy: encodings, sizes, not-text files |
//! | [`render`] | text, Markdown and JSON renderers |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ack;
pub mod bundle;
pub mod case;
pub mod check;
pub mod compare;
pub mod datatypes;
pub mod decide;
pub mod dedup;
pub mod diff;
mod digest;
pub mod email;
pub mod error;
pub mod eval;
pub mod evidence;
mod git;
pub mod input;
pub mod ledger;
pub mod machine;
pub mod members;
pub mod model;
pub mod notify;
pub mod plan;
pub mod policy;
pub mod practices;
pub mod record;
pub mod redline;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod status;
pub mod taxonomy;
mod yaml;

pub use error::{Error, Result};
