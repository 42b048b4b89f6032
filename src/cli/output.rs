//! Where a command's output goes: one policy for every `-o` / `--out`.
//!
//! - `-` (or no option) is standard output, coloured on a terminal unless `NO_COLOR`.
//! - A file that is one of the command's inputs (a policy, the members file, the case file,
//!   a taxonomy or rule pack, the acknowledgements file) or the case's ledger (with its
//!   `-wal`, `-shm` and `-journal` companions) is refused (exit 2) before anything is
//!   written: [`refuse_inputs`]. Files are compared by identity (device and inode), so a
//!   second name, a `./` or a symlink does not get past it; paths that do not exist yet are
//!   compared after resolving their folder.
//! - A regular file (or a path that does not exist yet) is written to a temporary file beside
//!   it and renamed into place, so it is never half-written and a failed run leaves the old
//!   one. An existing file keeps its permissions; a symlink is written through (its target is
//!   replaced, the link stays). A new file gets the usual permissions (umask), except files
//!   holding personal data (the decisions CSV), which are created 0600.
//! - A device or named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written to directly:
//!   renaming over it would replace it with a plain file.
//! - Temporary files are named `.handover-<target>.<pid>-<n>.tmp` in the target's folder and
//!   are always 0600 while written. One left by a run that was killed is removed by the next
//!   run writing the same target, once no process with its pid is alive (on systems without
//!   `/proc`, once it is a day old).
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use handover::Error;

/// Runs `write` against standard output (for `None` or `-`) or, with a path, against the
/// file at `path` (escape codes stripped; see the module doc for how it is written).
pub(crate) fn emit(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), super::Failure> {
    match path.filter(|p| !is_stdout(p)) {
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
    match path.filter(|p| !is_stdout(p)) {
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

/// Whether an output path means standard output.
pub(crate) fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// An input of a command, for [`refuse_inputs`]: what it is ("the members file") and where.
pub(crate) type Input<'a> = (&'a str, PathBuf);

/// Refuses (exit 2) an output path that is one of `inputs`; `flag` names the option in the
/// message (`--out`). Standard output and `None` pass.
pub(crate) fn refuse_inputs<'a>(
    flag: &str,
    path: Option<&Path>,
    inputs: impl IntoIterator<Item = Input<'a>>,
) -> Result<(), Error> {
    let Some(path) = path.filter(|p| !is_stdout(p)) else {
        return Ok(());
    };
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(Error::Invalid {
            location: format!("{flag} {}", path.display()),
            message: "this is a folder; name a file to write".to_string(),
        });
    }
    for (what, input) in inputs {
        if same_file(path, &input) {
            return Err(Error::Invalid {
                location: format!("{flag} {}", path.display()),
                message: format!(
                    "this is {what} ({}), which this command reads; writing the output there \
                     would destroy it, so nothing was written: choose another file",
                    input.display()
                ),
            });
        }
    }
    Ok(())
}

/// The ledger and the files SQLite keeps beside it, as inputs.
pub(crate) fn ledger_files(ledger: &Path) -> Vec<Input<'static>> {
    let mut files = vec![("the case's ledger", ledger.to_path_buf())];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = ledger.as_os_str().to_owned();
        name.push(suffix);
        files.push(("a file of the case's ledger", PathBuf::from(name)));
    }
    files
}

/// Whether two paths name the same file: the same device and inode when both exist, else the
/// same resolved path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return x.dev() == y.dev() && x.ino() == y.ino();
    }
    resolve(a) == resolve(b)
}

/// The file a path ends at: symlinks followed (also a dangling one, whose target is where a
/// write lands), and a path that does not exist yet made absolute through its folder.
fn resolve(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // A bounded walk: a link loop is left for the write to report.
    for _ in 0..40 {
        if let Ok(real) = fs::canonicalize(&path) {
            return real;
        }
        match fs::read_link(&path) {
            Ok(target) => {
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                }
            }
            Err(_) => break,
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (fs::canonicalize(&dir), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(&path).unwrap_or(path),
    }
}

/// Writes a report file through [`AtomicFile`]; styles are stripped. A new file gets the
/// usual permissions.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let file = AtomicFile::open(path, false)?;
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
/// renames over the target, or, for a device or pipe, the target itself (see the module
/// doc). Dropped without `commit`, the temporary file is removed.
pub(crate) struct AtomicFile {
    /// The path as given, for messages.
    path: PathBuf,
    target: Target,
}

enum Target {
    Temporary {
        file: File,
        temporary: PathBuf,
        /// Where the rename goes: the path with symlinks followed.
        destination: PathBuf,
        committed: bool,
    },
    Direct(File),
}

/// Temporary files of this process, numbered so that two outputs never collide.
static SEQUENCE: AtomicU32 = AtomicU32::new(0);

impl AtomicFile {
    /// Opens the output for a file holding personal data (new files are created 0600).
    pub(crate) fn create(path: &Path) -> Result<AtomicFile, Error> {
        AtomicFile::open(path, true)
    }

    /// Opens the temporary sibling of `path`, or `path` itself when it is a device or pipe.
    /// `personal`: a new file is created 0600 rather than with the usual permissions.
    pub(crate) fn open(path: &Path, personal: bool) -> Result<AtomicFile, Error> {
        let fail = |source: io::Error| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        let existing = fs::metadata(path).ok();
        if existing
            .as_ref()
            .is_some_and(|m| !m.is_file() && !m.is_dir())
        {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                target: Target::Direct(file),
            });
        }
        let destination = if fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
            resolve(path)
        } else {
            path.to_path_buf()
        };
        let dir = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let stem = temporary_stem(&destination);
        remove_stale(&dir, &stem);
        let (file, temporary) = create_temporary(&dir, &stem).map_err(fail)?;
        let mode = match &existing {
            Some(meta) => Some(meta.permissions()),
            None if personal => None,
            // The usual permissions of a new file: what the umask leaves of 0666. Applied at
            // commit, so the temporary file stays 0600 while it is written.
            None => Some(umask_permissions(&dir).map_err(fail)?),
        };
        let guard = AtomicFile {
            path: path.to_path_buf(),
            target: Target::Temporary {
                file,
                temporary,
                destination,
                committed: false,
            },
        };
        if let (Some(mode), Target::Temporary { file, .. }) = (mode, &guard.target) {
            file.set_permissions(mode).map_err(|e| guard.fail(e))?;
        }
        Ok(guard)
    }

    /// The file to write to.
    pub(crate) fn file(&self) -> &File {
        match &self.target {
            Target::Temporary { file, .. } => file,
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
    pub(crate) fn commit(mut self) -> Result<(), Error> {
        let result = match &mut self.target {
            Target::Temporary {
                file,
                temporary,
                destination,
                committed,
            } => file
                .sync_all()
                .and_then(|()| fs::rename(&*temporary, &*destination))
                .map(|()| *committed = true),
            Target::Direct(file) => file.flush(),
        };
        result.map_err(|e| self.fail(e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Target::Temporary {
            temporary,
            committed: false,
            ..
        } = &self.target
        {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// `.handover-<file name>.`: the prefix of every temporary file for this target. Long names
/// are cut (file names have a length limit), on a character boundary.
fn temporary_stem(destination: &Path) -> String {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cut: String = name.chars().take(100).collect();
    format!(".handover-{cut}.")
}

fn create_temporary(dir: &Path, stem: &str) -> io::Result<(File, PathBuf)> {
    create_numbered(dir, stem, 0o600)
}

/// Creates `<stem><pid>-<n>.tmp` in `dir` with `mode` (before the umask), taking the next
/// number when one is left by an earlier process with the same pid that is still alive by
/// the stale-file test.
fn create_numbered(dir: &Path, stem: &str, mode: u32) -> io::Result<(File, PathBuf)> {
    let pid = std::process::id();
    loop {
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{stem}{pid}-{n}.tmp"));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes temporary files for the same target that a killed run left behind: those whose
/// pid is not a live process (see the module doc). Failures are ignored: a file that cannot
/// be removed now is tried again next time.
fn remove_stale(dir: &Path, stem: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(stem))
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(p, _)| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != me && !alive(pid, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn alive(pid: u32, entry: &fs::DirEntry) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < DAY))
}

/// The permissions the umask gives a new file: found by creating one (the only portable way
/// to read the umask without changing it) and removing it again.
fn umask_permissions(dir: &Path) -> io::Result<fs::Permissions> {
    let stem = ".handover-umask.";
    remove_stale(dir, stem);
    let (file, path) = create_numbered(dir, stem, 0o666)?;
    let permissions = file.metadata().map(|m| m.permissions());
    let _ = fs::remove_file(&path);
    permissions
}
