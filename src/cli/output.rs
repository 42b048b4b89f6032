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

/// Writes a file through a temporary sibling and renames it into place; styles are stripped.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let fail = |source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(fail)?;
        let mut buffered: Box<dyn Write> = Box::new(io::BufWriter::new(file));
        let mut stripped = anstream::StripStream::new(&mut *buffered);
        write(&mut stripped).map_err(fail)?;
        stripped.flush().map_err(fail)?;
        return Ok(());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".handover-")
        .tempfile_in(&dir)
        .map_err(fail)?;
    {
        let file = tmp.as_file().try_clone().map_err(fail)?;
        let mut buffered: Box<dyn Write> = Box::new(io::BufWriter::new(file));
        let mut stripped = anstream::StripStream::new(&mut *buffered);
        write(&mut stripped).map_err(fail)?;
        stripped.flush().map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
