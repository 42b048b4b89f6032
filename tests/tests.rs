//! The integration tests: one binary, one module per area.
mod eval_set;
