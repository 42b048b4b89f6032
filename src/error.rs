//! Typed errors of the library. Each message says what went wrong, where, and what to do next.
//!
//! The CLI maps [`Error::exit_code`] to the process exit code (DESIGN.md section 4): bad input
//! is 2, a refusal by a safety gate is 3.
use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}; check the path and that the file is readable")]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}; check that its folder exists and is writable")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A policy file is not text.
    #[error("{path}: {what}; a policy must be a UTF-8 Markdown or plain-text file (convert it, e.g. with pandoc or iconv, and try again)")]
    NotText {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the byte or line where it was found.
        what: String,
    },
    /// An input file that is not usable text: another encoding, binary, or empty
    /// (see `crate::input`).
    #[error("{location}: {what}; {fix}")]
    BadText {
        /// The file, with line and column where known.
        location: String,
        /// What is wrong with it.
        what: String,
        /// What to do.
        fix: String,
    },
    /// Input that parsed but makes no sense (a bad YAML key, a bad CSV row, ...).
    #[error("{location}: {message}")]
    Invalid {
        /// File, and line or row where known: `handover.yaml:12:3`.
        location: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A safety gate refused to go on.
    #[error("refused: {0}")]
    Refused(String),
}

impl Error {
    /// The exit code this error maps to (DESIGN.md section 4).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Refused(_) => 3,
            _ => 2,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
