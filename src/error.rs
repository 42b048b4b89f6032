//! Typed errors of the library, and the exit codes they map to.
//!
//! Each error says what went wrong and where; [`Error::hint`] says what to do next, kept apart
//! so that the CLI prints both and a test can assert either. Errors from the libraries below
//! (I/O, SQLite, YAML, CSV) are kept as the `source`, never flattened into text only.
//!
//! [`Exit`] is the one table of exit codes (DESIGN.md section 4): bad input is 2, a refusal
//! by a safety gate (including a ledger another command holds) is 3.
use std::path::PathBuf;

/// The process exit codes of every subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Done; nothing blocking.
    Done = 0,
    /// A finding: `check` found unacknowledged material changes; `status --ready` is not
    /// ready.
    Finding = 1,
    /// Usage error or bad input.
    BadInput = 2,
    /// Refused by a safety gate.
    Refused = 3,
    /// `verify`: no identity given opens the bundle.
    WrongKey = 4,
    /// `verify`: the bundle was altered (a byte, a file, the manifest).
    Tampered = 5,
    /// `verify`: the bundle ends early.
    Truncated = 6,
    /// `verify`: an exported member has no notification evidence.
    MissingEvidence = 7,
    /// `verify --signer`: the manifest's signature is missing or not from an allowed signer.
    BadSignature = 8,
}

impl Exit {
    /// The code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

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
    /// A policy document (HTML, Word, PDF) that cannot be read as its format, or whose
    /// content contradicts its file extension.
    #[error("{path}: {what}; {hint}")]
    Document {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where in the document.
        what: String,
        /// What to do about it.
        hint: String,
        /// The parser's own error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
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
    /// A CSV file could not be parsed.
    #[error("{location}: {message}")]
    Csv {
        /// File, and row where known.
        location: String,
        /// What is wrong.
        message: String,
        /// The parser's error.
        #[source]
        source: csv::Error,
    },
    /// A YAML file (case file, rule pack, taxonomy, acknowledgements) could not be read.
    #[error("{location}: {message}")]
    Yaml {
        /// File, line and column: `handover.yaml:12:3`.
        location: String,
        /// What is wrong and what to do.
        message: String,
        /// The parser's error.
        #[source]
        source: serde_yaml_ng::Error,
    },
    /// The git command line failed or could not be run.
    #[error("{location}: {message}")]
    Git {
        /// The repository or folder.
        location: String,
        /// What failed, with git's first line of error.
        message: String,
        /// Why git could not be run at all, if so.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The ledger could not be read or written.
    #[error("{path}: ledger error: {source}")]
    Ledger {
        /// The ledger file.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// Another `handover` command holds the ledger.
    #[error("another handover command is using this case ({holder}); its ledger {path} is locked")]
    Locked {
        /// The ledger file.
        path: PathBuf,
        /// Which command holds it, as far as known (`handover plan, pid 4242, since ...`).
        holder: String,
    },
    /// A ledger written by a newer `handover`.
    #[error("{path}: this ledger has schema {found}, written by a newer handover; this one knows schema {known}")]
    NewerLedger {
        /// The ledger file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// A safety gate refused to go on.
    #[error("refused: {0}")]
    Refused(String),
    /// A notice template failed to load or render (strict: an undefined variable is an error).
    #[error("{location}: {message}")]
    Template {
        /// The template file and line: `templates/notice.ja.txt.j2:12`.
        location: String,
        /// What is wrong and what to do.
        message: String,
        /// The template engine's error.
        #[source]
        source: minijinja::Error,
    },
    /// The mail server could not be reached, or refused the session or the sender.
    #[error("{server}: {message}")]
    Smtp {
        /// The server as given (`smtp://host:port`), without credentials.
        server: String,
        /// What failed, with the server's reply code and text (never an address).
        message: String,
        /// The SMTP client's error, when there is one.
        #[source]
        source: Option<lettre::transport::smtp::Error>,
    },
    /// A bundle failed `verify`.
    #[error("{path}: {problem}: {detail}")]
    Bundle {
        /// The bundle.
        path: PathBuf,
        /// What kind of failure (each has its own exit code).
        problem: BundleProblem,
        /// What was found, and where in the bundle.
        detail: String,
    },
}

/// Why a bundle failed `verify`; each has its own exit code ([`Exit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleProblem {
    /// None of the identities given opens it.
    WrongKey,
    /// A byte, a file or the manifest was altered.
    Tampered,
    /// It ends early.
    Truncated,
    /// An exported member has no notification evidence.
    MissingEvidence,
    /// The manifest's signature is missing or not from an allowed signer.
    BadSignature,
}

impl std::fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BundleProblem::WrongKey => "wrong key",
            BundleProblem::Tampered => "tampered",
            BundleProblem::Truncated => "truncated",
            BundleProblem::MissingEvidence => "missing evidence",
            BundleProblem::BadSignature => "bad signature",
        })
    }
}

impl Error {
    /// The exit code this error maps to (DESIGN.md section 4).
    pub fn exit(&self) -> Exit {
        match self {
            Error::Refused(_) | Error::Locked { .. } => Exit::Refused,
            Error::Bundle { problem, .. } => match problem {
                BundleProblem::WrongKey => Exit::WrongKey,
                BundleProblem::Tampered => Exit::Tampered,
                BundleProblem::Truncated => Exit::Truncated,
                BundleProblem::MissingEvidence => Exit::MissingEvidence,
                BundleProblem::BadSignature => Exit::BadSignature,
            },
            _ => Exit::BadInput,
        }
    }

    /// The exit code this error maps to, as a number.
    pub fn exit_code(&self) -> u8 {
        self.exit().code()
    }

    /// What to do next, where the message does not already say it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Ledger { source, .. } if is_busy(source) => Some(
                "another handover command is using this case; wait for it to finish and run again",
            ),
            Error::Ledger { .. } => Some(
                "check that the file is a handover ledger (the case file's `ledger:`), that the \
                 disk is not full and that you may write to its folder",
            ),
            Error::Locked { .. } => {
                Some("wait for that command to finish, then run this one again")
            }
            Error::NewerLedger { .. } => Some("upgrade handover to the version that wrote it"),
            Error::Git {
                source: Some(_), ..
            } => Some("install git and make sure it is on PATH"),
            Error::Git { .. } => Some("check that the repository is intact (`git status`)"),
            Error::Smtp { .. } => Some(
                "check --smtp, the credentials and that the server is up; notices not sent stay \
                 prepared and the next run sends them (none is sent twice)",
            ),
            Error::Bundle { problem, .. } => Some(match problem {
                BundleProblem::WrongKey => {
                    "give the identity file whose public key the bundle was made for (-i FILE)"
                }
                BundleProblem::Tampered | BundleProblem::Truncated => {
                    "do not use this copy; ask the sender for the bundle again and compare its \
                     SHA-256 with the receipt"
                }
                BundleProblem::MissingEvidence => {
                    "do not import these members; ask the sender to export again from a ledger \
                     with complete notification evidence"
                }
                BundleProblem::BadSignature => {
                    "check the allowed-signers file; do not trust the bundle's origin until the \
                     signature checks out"
                }
            }),
            Error::Csv { .. } => Some(
                "save the file as UTF-8 CSV with one header row, commas between fields and \
                 quotes closed, then run again",
            ),
            _ => None,
        }
    }

    /// A ledger error for `path`.
    pub(crate) fn ledger<P: Into<PathBuf>>(path: P) -> impl Fn(rusqlite::Error) -> Error {
        let path: PathBuf = path.into();
        move |source| Error::Ledger {
            path: path.clone(),
            source,
        }
    }
}

/// Whether SQLite gave up waiting for a lock.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
