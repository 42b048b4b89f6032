//! The integration tests: one binary, one module per area.
mod cli_check;
mod eval_set;
