//! The integration tests of `handover`: one binary, one module per area.
//!
//! - [`cli_check`]: `handover check` in real git repositories (self-contained helpers);
//! - [`cli_plan`]: `handover init`, `plan` and `status` on real case folders and ledgers;
//! - [`util`]: the harness (a temporary directory per test, a `handover` command with a clean
//!   environment, failure messages that show the whole run);
//! - [`redline`]: what `handover diff` counts as a change, asserted on its JSON;
//! - [`review`]: review changes (changed sentences no practice change explains) and what is
//!   not one;
//! - [`example`]: the shipped example policies, as snapshots and exact JSON fields;
//! - [`output`]: formats and `-o FILE`;
//! - [`errors`]: bad input and usage, with the messages pinned;
//! - [`props`]: property tests of the redline, through the binary and the library;
//! - [`eval_set`]: the practice layer on its labelled pairs and on the real policies in
//!   ../shared/corpus.
mod util;

mod cli_check;
mod cli_plan;
mod errors;
mod eval_set;
mod example;
mod output;
mod props;
mod redline;
mod review;
