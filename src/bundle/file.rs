//! Bundle files that get their name only when complete.
//!
//! On Linux a bundle is written to an anonymous file (`O_TMPFILE`) in the output's folder
//! and linked under its name only after it is complete and synced, and never over an
//! existing file: a run killed at any point leaves no file at all, not even a partial one.
//! Elsewhere (or on a file system without `O_TMPFILE`) it is a hidden `0600` temporary file
//! beside the output, renamed without replacing; a kill can leave that ciphertext-only
//! `.handover-*.partial` file, which a later run ignores.
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

    /// Gives the file its name; fails with `AlreadyExists` rather than replace a file.
    pub(crate) fn publish(self, path: &Path) -> io::Result<()> {
        match self.named {
            Some(tmp) => {
                std::fs::hard_link(&tmp, path)?;
                drop(tmp);
            }
            None => link_anonymous(&self.file, path)?,
        }
        sync_dir(path);
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
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes a small file (a receipt, a detached signature) atomically: temporary file, sync,
/// rename. Replaces an earlier one of an interrupted run.
pub(crate) fn write_small(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".handover-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(path);
    Ok(())
}
