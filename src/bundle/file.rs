//! Bundle files that get their name only when complete.
//!
//! On Linux a bundle is written to an anonymous file (`O_TMPFILE`) in the output's folder
//! and linked under its name only after it is complete and synced, and never over an
//! existing file: a run killed at any point leaves no file at all, not even a partial one.
//! Elsewhere (or on a file system without `O_TMPFILE`) it is a hidden `0600` temporary file
//! beside the output, renamed without replacing; a kill can leave that ciphertext-only
//! `.handover-*.partial` file, which a later run ignores. The receipt and the detached
//! signature are written the same way and synced before the bundle is named; then the three
//! are named in a row and the folder synced once, so a kill leaves no temporary file and at
//! most a moment in which the bundle is named and its receipt not yet.
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A file being written that has no final name yet.
pub(crate) struct Pending {
    file: File,
    named: Option<tempfile::TempPath>,
}

impl Pending {
    /// Creates it in `dir`, readable by its owner only.
    pub(crate) fn create(dir: &Path) -> io::Result<Pending> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let anonymous = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .mode(0o600)
                .custom_flags(rustix::fs::OFlags::TMPFILE.bits() as i32)
                .open(dir);
            if let Ok(file) = anonymous {
                return Ok(Pending { file, named: None });
            }
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".handover-").suffix(".partial");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o600));
        }
        let tmp = builder.tempfile_in(dir)?;
        let (file, path) = tmp.into_parts();
        Ok(Pending {
            file,
            named: Some(path),
        })
    }

    /// The file to write to.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// Syncs the data (the caller has flushed its buffers).
    pub(crate) fn sync(&self) -> io::Result<()> {
        self.file.sync_all()
    }

    /// Gives the file its name; fails with `AlreadyExists` rather than replace a file. The
    /// folder is not synced here: names are given in a row (bundle, receipt, signature) and
    /// the caller syncs the folder once after the last ([`sync_dir`]).
    pub(crate) fn link(self, path: &Path) -> io::Result<()> {
        match self.named {
            Some(tmp) => {
                std::fs::hard_link(&tmp, path)?;
                drop(tmp);
            }
            None => link_anonymous(&self.file, path)?,
        }
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn link_anonymous(file: &File, path: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let proc = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    rustix::fs::linkat(
        rustix::fs::CWD,
        &proc,
        rustix::fs::CWD,
        path,
        rustix::fs::AtFlags::SYMLINK_FOLLOW,
    )
    .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn link_anonymous(_file: &File, _path: &Path) -> io::Result<()> {
    Err(io::Error::other("anonymous files exist only on Linux"))
}

/// Syncs the folder that holds `path`, so the new name survives a power cut (best effort).
pub(crate) fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A small file (a receipt, a detached signature) written and synced in full but not yet
/// named: the export prepares its receipt and signature before it names the bundle, then
/// names all three at once, so a kill leaves at most a moment in which the bundle has its
/// name and the receipt not yet (and never a temporary file behind).
pub(crate) fn prepare_small(path: &Path, bytes: &[u8], mode: u32) -> io::Result<Pending> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let pending = Pending::create(&dir)?;
    let mut file = pending.file();
    file.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    pending.sync()?;
    Ok(pending)
}

impl Pending {
    /// Names a prepared small file (the folder is not synced: see [`Pending::link`]), replacing
    /// one an interrupted run left (a receipt is
    /// rewritten from the ledger's facts, so the newer one is the one to keep).
    pub(crate) fn publish_replacing(self, path: &Path) -> io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        self.link(path)
    }
}
