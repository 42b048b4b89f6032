//! The integration tests of `handover`: one binary, one module per area.
//!
//! - [`cli_check`]: `handover check` in real git repositories (self-contained helpers);
//! - [`bundle`]: `handover signoff`, `export` and `verify` with the real `age` and `ssh-keygen`;
//! - [`cli_plan`]: `handover init`, `plan` and `status` on real case folders and ledgers;
//! - [`ledger`]: upgrading a 0.1.0 ledger, concurrent writers, file modes;
//! - [`walkthrough`]: one case through the whole notice window (plan, notify, record, site
//!   notice, time) with exact counts;
//! - [`cli_record`]: `handover record` on every evidence format, malformed files, `--strict`
//!   and the site notice;
//! - [`util`]: the harness (a temporary directory per test, a `handover` command with a clean
//!   environment, failure messages that show the whole run);
//! - [`redline`]: what `handover diff` counts as a change, asserted on its JSON;
//! - [`review`]: review changes (changed sentences no practice change explains) and what is
//!   not one;
//! - [`example`]: the shipped example policies, as snapshots and exact JSON fields;
//! - [`legal`]: the legal scenario table (`tests/legal/*.yaml`), every row through the packs;
//! - [`output`]: formats and `-o FILE`;
//! - [`errors`]: bad input and usage, with the messages pinned;
//! - [`documents`]: HTML, Word and PDF policies, `convert`, and the HTML and Word reports;
//! - [`bad_input`]: one test per finding of issue 9 (nothing written or changed) and per rule
//!   of the output policy; the harness also scans every run's standard error for the
//!   fixtures' people ([`util::scan_stderr`]);
//! - [`self_doc`]: completions, man pages, options only where they act, and documentation
//!   that stands alone;
//! - [`notify`]: notices: the outbox, previews, strict templates, SMTP on loopback, kills;
//! - [`props`]: property tests of the redline, through the binary and the library;
//! - [`eval_set`]: the practice layer on its labelled pairs and on the real policies in
//!   ../shared/corpus.
mod util;
mod walkthrough;

mod bad_input;
mod bundle;
mod cli_check;
mod cli_plan;
mod cli_record;
mod documents;
mod errors;
mod eval_set;
mod example;
mod ledger;
mod legal;
mod notify;
mod output;
mod props;
mod redline;
mod review;
mod self_doc;
