//! Where a report goes: standard output (coloured on a terminal, unless `NO_COLOR`), or a
//! file written to a temporary name beside it and renamed into place, never half-written.
//!
//! Only regular files (or paths that do not exist yet) are replaced by rename: `-o /dev/null`,
//! `-o /dev/stdout` or a named pipe are written to directly, since renaming over them would
//! replace the device or pipe with a plain file.
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use handover::Error;

/// Runs `write` against standard output or, with a path, against the file at `path`.
pub(crate) fn emit(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), super::Failure> {
    match path {
        None => {
            let mut out = anstream::stdout().lock();
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => Ok(write_atomically(path, write)?),
    }
}

/// Like [`emit`], but the bytes go out as they are (no styles stripped): for binary formats
/// and HTML. Refuses to write a binary format to a terminal.
pub(crate) fn emit_raw(
    path: Option<&Path>,
    binary: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), super::Failure> {
    match path {
        None => {
            use std::io::IsTerminal;
            let stdout = io::stdout();
            if binary && stdout.is_terminal() {
                return Err(Error::Invalid {
                    location: "--output".to_string(),
                    message: "this format is binary and standard output is a terminal; \
                              write it to a file with -o FILE"
                        .to_string(),
                }
                .into());
            }
            let mut out = stdout.lock();
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => {
            let file = AtomicFile::create(path)?;
            {
                let handle = file.file().try_clone().map_err(|e| file.fail(e))?;
                let mut buffered = io::BufWriter::new(handle);
                write(&mut buffered).map_err(|e| file.fail(e))?;
                buffered.flush().map_err(|e| file.fail(e))?;
            }
            Ok(file.commit()?)
        }
    }
}

/// Writes a file through [`AtomicFile`]; styles are stripped.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let file = AtomicFile::create(path)?;
    {
        let handle = file.file().try_clone().map_err(|e| file.fail(e))?;
        let mut buffered: Box<dyn Write> = Box::new(io::BufWriter::new(handle));
        let mut stripped = anstream::StripStream::new(&mut *buffered);
        write(&mut stripped).map_err(|e| file.fail(e))?;
        stripped.flush().map_err(|e| file.fail(e))?;
    }
    file.commit()
}

/// An output file being written: a temporary sibling that [`AtomicFile::commit`] syncs and
/// renames over the target, so readers never see half a file and a failed run leaves the old
/// one; or, for a device or pipe, the target itself (see the module doc). Dropped without
/// `commit`, the temporary file is removed.
pub(crate) struct AtomicFile {
    path: PathBuf,
    target: Target,
}

enum Target {
    Temporary(tempfile::NamedTempFile),
    Direct(std::fs::File),
}

impl AtomicFile {
    /// Opens the temporary sibling of `path`, or `path` itself when it is a device or pipe.
    pub(crate) fn create(path: &Path) -> Result<AtomicFile, Error> {
        let fail = |source: io::Error| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        let target = if special {
            Target::Direct(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(fail)?,
            )
        } else {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            Target::Temporary(
                tempfile::Builder::new()
                    .prefix(".handover-")
                    .tempfile_in(&dir)
                    .map_err(fail)?,
            )
        };
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target,
        })
    }

    /// The file to write to.
    pub(crate) fn file(&self) -> &std::fs::File {
        match &self.target {
            Target::Temporary(tmp) => tmp.as_file(),
            Target::Direct(file) => file,
        }
    }

    /// The error for a failed write, naming the target (not the temporary name).
    pub(crate) fn fail(&self, source: io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Syncs the temporary file and renames it over the target.
    pub(crate) fn commit(self) -> Result<(), Error> {
        match self.target {
            Target::Temporary(tmp) => {
                let fail = |source: io::Error| Error::Write {
                    path: self.path.clone(),
                    source,
                };
                tmp.as_file().sync_all().map_err(fail)?;
                tmp.persist(&self.path).map_err(|e| fail(e.error))?;
                Ok(())
            }
            Target::Direct(_) => Ok(()),
        }
    }
}
