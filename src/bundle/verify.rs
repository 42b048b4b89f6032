//! `handover verify`: the acquirer's side. Decrypts a bundle in one pass, checks every entry
//! against the manifest and the evidence of every member, checks the signature when asked, and
//! extracts safely (see the [module doc](super) for the checks and their exit codes).
//!
//! Memory: the ids of members with notification evidence are kept as 8-byte hashes (80 MB
//! for 10 million members); everything else streams.
use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{self, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use secrecy::SecretString;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{sign, MANIFEST_SCHEMA, NOTIFICATIONS_HEADER};
use crate::error::{BundleProblem, Error, Result};

/// What to check.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The bundle.
    pub bundle: PathBuf,
    /// The identity file (age identities or an OpenSSH private key); not needed for a
    /// passphrase bundle.
    pub identity: Option<PathBuf>,
    /// Extract into this folder (created if missing; existing files are never replaced).
    pub extract: Option<PathBuf>,
    /// Check the manifest's signature against this allowed-signers file.
    pub signer: Option<PathBuf>,
}

/// What a bundle that passed holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// The case's name.
    pub case: String,
    /// When it was made.
    pub created_at: String,
    /// Shard number and count.
    pub shard: (u32, u32),
    /// Members.
    pub members: u64,
    /// Notification rows.
    pub notifications: u64,
    /// Files checked (the manifest aside).
    pub files: u64,
    /// Plaintext bytes read.
    pub bytes: u64,
    /// The SHA-256 of the manifest.
    pub manifest_sha256: String,
    /// The allowed signer's principals, when the signature was checked.
    pub signed_by: Option<String>,
    /// Where the files were extracted.
    pub extracted: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Manifest {
    schema: String,
    case: ManifestCase,
    export: ManifestExport,
    members: u64,
    notifications: u64,
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestCase {
    name: String,
}

#[derive(Deserialize)]
struct ManifestExport {
    created_at: String,
    shard: u32,
    shards: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct ManifestFile {
    path: String,
    bytes: u64,
    sha256: String,
    #[serde(default)]
    records: Option<u64>,
}

/// Checks (and with `extract`, unpacks) a bundle; `passphrase` is asked only for a
/// passphrase bundle.
pub fn verify(
    opts: &VerifyOptions,
    passphrase: &mut dyn FnMut() -> Result<SecretString>,
) -> Result<VerifyReport> {
    let mut extractor = opts.extract.as_deref().map(Extractor::new).transpose()?;
    let result = run(opts, passphrase, extractor.as_mut());
    if let Some(x) = extractor {
        match &result {
            Ok(_) => x.keep(),
            Err(_) => x.undo(),
        }
    }
    result
}

fn run(
    opts: &VerifyOptions,
    passphrase: &mut dyn FnMut() -> Result<SecretString>,
    mut extractor: Option<&mut Extractor>,
) -> Result<VerifyReport> {
    let path = &opts.bundle;
    let fail = |problem: BundleProblem, detail: String| Error::Bundle {
        path: path.clone(),
        problem,
        detail,
    };
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let consumed = Rc::new(Cell::new(0u64));
    let counting = Counting {
        inner: file,
        read: consumed.clone(),
    };
    let armored = age::armor::ArmoredReader::new(BufReader::with_capacity(1 << 16, counting));
    let at_end = || consumed.get() >= len;
    let decryptor = age::Decryptor::new_buffered(armored).map_err(|e| match e {
        age::DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => fail(
            BundleProblem::Truncated,
            "the file ends inside the age header".to_string(),
        ),
        other => fail(
            BundleProblem::Tampered,
            format!("not a readable age file ({other})"),
        ),
    })?;
    let scrypt = decryptor.is_scrypt();
    let identities: Vec<Box<dyn age::Identity + Send + Sync>> = if scrypt {
        let mut id = age::scrypt::Identity::new(passphrase()?);
        // A hostile file must not make us work for minutes.
        id.set_max_work_factor(22);
        vec![Box::new(id)]
    } else {
        match &opts.identity {
            Some(p) => super::keys::read_identities(p)?,
            None => {
                return Err(Error::Invalid {
                    location: path.display().to_string(),
                    message: "this bundle is encrypted to public keys: give the identity \
                              file with -i FILE"
                        .to_string(),
                })
            }
        }
    };
    let stream = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => fail(
                BundleProblem::WrongKey,
                "none of the identities given opens it".to_string(),
            ),
            age::DecryptError::DecryptionFailed if scrypt => fail(
                BundleProblem::WrongKey,
                "the passphrase does not open it".to_string(),
            ),
            age::DecryptError::ExcessiveWork { .. } => Error::Refused(format!(
                "{}: the passphrase would take too long to check ({e}); it was not made by \
                 handover",
                path.display()
            )),
            other => fail(
                BundleProblem::Tampered,
                format!("the age header was altered ({other})"),
            ),
        })?;
    let seen: Rc<RefCell<Option<io::Error>>> = Rc::new(RefCell::new(None));
    let watched = Watch {
        inner: stream,
        error: seen.clone(),
        bytes: 0,
    };
    // Why a read failed: the age stream's own verdict, recorded as it happened.
    let classify = |fallback: String| -> Error {
        match seen.borrow_mut().take() {
            Some(e) if e.kind() == io::ErrorKind::UnexpectedEof || at_end() => fail(
                BundleProblem::Truncated,
                format!("the file ends early or its end was cut ({e})"),
            ),
            Some(e) if e.kind() == io::ErrorKind::InvalidData => fail(
                BundleProblem::Tampered,
                format!("a block does not authenticate: the file was altered ({e})"),
            ),
            Some(e) => Error::Read {
                path: path.clone(),
                source: e,
            },
            None => fail(BundleProblem::Tampered, fallback),
        }
    };

    // Content that is not what handover writes was altered; a failed read is classified.
    let csv_error = |e: CsvFailure| match e {
        Ok(Error::Invalid { message, .. }) => fail(BundleProblem::Tampered, message),
        Ok(other) => other,
        Err(message) => classify(message),
    };
    let mut archive = tar::Archive::new(watched);
    let mut entries_seen: Vec<ManifestFile> = Vec::new();
    let mut manifest: Option<(Vec<u8>, Manifest)> = None;
    let mut signature: Option<Vec<u8>> = None;
    let mut with_evidence: Option<Vec<u64>> = None;
    let mut members = 0u64;
    let mut missing: Option<(String, u64)> = None;
    let entries = archive
        .entries()
        .map_err(|e| classify(format!("not a tar stream ({e})")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| classify(format!("a damaged tar entry ({e})")))?;
        let name = safe_name(&entry, path)?;
        if manifest.is_some() && name != "MANIFEST.json.sig" || signature.is_some() {
            return Err(fail(
                BundleProblem::Tampered,
                format!("`{name}` comes after the manifest, which must be last"),
            ));
        }
        let mut sink: Box<dyn Write> = match extractor.as_deref_mut() {
            Some(x) => Box::new(x.create(&name)?),
            None => Box::new(io::sink()),
        };
        let mut tee = Tee {
            inner: &mut entry,
            out: &mut sink,
            hasher: Sha256::new(),
            bytes: 0,
        };
        let mut records = None;
        if name == "MANIFEST.json" || name == "MANIFEST.json.sig" {
            let mut bytes = Vec::new();
            tee.read_to_end(&mut bytes)
                .map_err(|e| classify(format!("{name} cannot be read ({e})")))?;
            if name == "MANIFEST.json.sig" {
                signature = Some(bytes);
            } else {
                let parsed: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
                    fail(
                        BundleProblem::Tampered,
                        format!("MANIFEST.json is not a handover manifest ({e})"),
                    )
                })?;
                manifest = Some((bytes, parsed));
            }
        } else if name == "evidence/notifications.csv" {
            let (n, ids) = read_notifications(&mut tee, &name).map_err(&csv_error)?;
            records = Some(n);
            with_evidence = Some(ids);
        } else if name.starts_with("members/") && name.ends_with(".csv") {
            let Some(ids) = with_evidence.as_ref() else {
                return Err(fail(
                    BundleProblem::Tampered,
                    format!("{name} comes before evidence/notifications.csv"),
                ));
            };
            let n = read_members(&mut tee, &name, ids, &mut missing).map_err(&csv_error)?;
            members += n;
            records = Some(n);
        } else {
            io::copy(&mut tee, &mut io::sink())
                .map_err(|e| classify(format!("{name} cannot be read ({e})")))?;
        }
        let (sha256, bytes) = (crate::policy::hex(&tee.hasher.finalize()), tee.bytes);
        sink.flush().map_err(|source| Error::Write {
            path: name.clone().into(),
            source,
        })?;
        if name != "MANIFEST.json" && name != "MANIFEST.json.sig" {
            entries_seen.push(ManifestFile {
                path: name,
                bytes,
                sha256,
                records,
            });
        }
    }
    // The end of the tar is not the end of the age stream: read on, so a cut or altered
    // last block is found.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink())
        .map_err(|e| classify(format!("the end of the file cannot be read ({e})")))?;
    if let Some(e) = seen.borrow_mut().take() {
        drop(e);
        return Err(classify(String::new()));
    }
    let plaintext = rest.bytes;
    let Some((manifest_bytes, manifest)) = manifest else {
        return Err(fail(
            BundleProblem::Truncated,
            "MANIFEST.json is missing: the bundle ends before its manifest".to_string(),
        ));
    };
    if manifest.schema != MANIFEST_SCHEMA {
        return Err(fail(
            BundleProblem::Tampered,
            format!(
                "MANIFEST.json has schema `{}`, not `{MANIFEST_SCHEMA}`",
                manifest.schema
            ),
        ));
    }
    check_files(&manifest.files, &entries_seen).map_err(|d| fail(BundleProblem::Tampered, d))?;
    let notifications = entries_seen
        .iter()
        .find(|e| e.path == "evidence/notifications.csv")
        .and_then(|e| e.records);
    if manifest.members != members || Some(manifest.notifications) != notifications {
        return Err(fail(
            BundleProblem::Tampered,
            format!(
                "MANIFEST.json counts {} members and {} notification rows; the bundle has {} \
                 and {}",
                manifest.members,
                manifest.notifications,
                members,
                notifications.unwrap_or(0)
            ),
        ));
    }
    if let Some((first, count)) = missing {
        return Err(fail(
            BundleProblem::MissingEvidence,
            format!(
                "{count} member(s) have no notification evidence in \
                 evidence/notifications.csv, the first is member {first}"
            ),
        ));
    }
    let signed_by = match &opts.signer {
        None => None,
        Some(allowed) => {
            let Some(sig) = &signature else {
                return Err(fail(
                    BundleProblem::BadSignature,
                    "the bundle is not signed (no MANIFEST.json.sig)".to_string(),
                ));
            };
            Some(sign::verify(path, allowed, &manifest_bytes, sig)?)
        }
    };
    Ok(VerifyReport {
        case: manifest.case.name,
        created_at: manifest.export.created_at,
        shard: (manifest.export.shard, manifest.export.shards),
        members,
        notifications: manifest.notifications,
        files: entries_seen.len() as u64,
        bytes: plaintext,
        manifest_sha256: crate::policy::hex(&Sha256::digest(&manifest_bytes)),
        signed_by,
        extracted: opts.extract.clone(),
    })
}

/// The manifest's list against what the bundle holds, in order.
fn check_files(listed: &[ManifestFile], seen: &[ManifestFile]) -> std::result::Result<(), String> {
    for (i, s) in seen.iter().enumerate() {
        let Some(l) = listed.get(i) else {
            return Err(format!("{} is not in MANIFEST.json", s.path));
        };
        if l.path != s.path {
            return Err(format!(
                "entry {} is {}, MANIFEST.json lists {} there",
                i + 1,
                s.path,
                l.path
            ));
        }
        if l.bytes != s.bytes || l.sha256 != s.sha256 {
            return Err(format!(
                "{}: {} bytes with SHA-256 {}, MANIFEST.json says {} bytes with {}",
                s.path, s.bytes, s.sha256, l.bytes, l.sha256
            ));
        }
        if l.records != s.records {
            return Err(format!(
                "{}: {} records, MANIFEST.json says {}",
                s.path,
                s.records.unwrap_or(0),
                l.records.unwrap_or(0)
            ));
        }
    }
    if let Some(l) = listed.get(seen.len()) {
        return Err(format!("{} is listed in MANIFEST.json but missing", l.path));
    }
    Ok(())
}

/// A read failure inside a CSV entry: `Err(message)` when the stream itself failed (the
/// caller classifies it), `Ok(error)` for bad content.
type CsvFailure = std::result::Result<Error, String>;

fn id_hash(id: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn csv_reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(r)
}

fn csv_failure(name: &str, e: csv::Error) -> CsvFailure {
    match e.kind() {
        csv::ErrorKind::Io(_) => Err(format!("{name} cannot be read ({e})")),
        _ => Ok(Error::Invalid {
            location: name.to_string(),
            message: format!("{name} is not valid CSV ({e})"),
        }),
    }
}

/// Counts the rows and collects (hashed, sorted) the members that have evidence: a
/// `transfer` decision, or a `sent_at` (they were told).
fn read_notifications(
    r: &mut dyn Read,
    name: &str,
) -> std::result::Result<(u64, Vec<u64>), CsvFailure> {
    let mut csv = csv_reader(r);
    let header = csv
        .byte_headers()
        .map_err(|e| csv_failure(name, e))?
        .clone();
    let expected: Vec<&str> = NOTIFICATIONS_HEADER.split(',').collect();
    if header.iter().ne(expected.iter().map(|s| s.as_bytes())) {
        return Err(Ok(Error::Invalid {
            location: name.to_string(),
            message: format!("{name} does not have the header `{NOTIFICATIONS_HEADER}`"),
        }));
    }
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut ids = Vec::new();
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_failure(name, e))?
    {
        rows += 1;
        let transfer = &record[1] == b"transfer";
        let told = !record[4].is_empty();
        if transfer || told {
            ids.push(id_hash(&record[0]));
        }
    }
    ids.sort_unstable();
    Ok((rows, ids))
}

/// Counts a members part's rows and notes members without evidence (the id is the first
/// column).
fn read_members(
    r: &mut dyn Read,
    name: &str,
    with_evidence: &[u64],
    missing: &mut Option<(String, u64)>,
) -> std::result::Result<u64, CsvFailure> {
    let mut csv = csv_reader(r);
    csv.byte_headers().map_err(|e| csv_failure(name, e))?;
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_failure(name, e))?
    {
        rows += 1;
        let id = &record[0];
        if with_evidence.binary_search(&id_hash(id)).is_err() {
            match missing {
                Some((_, n)) => *n += 1,
                None => *missing = Some((String::from_utf8_lossy(id).into_owned(), 1)),
            }
        }
    }
    Ok(rows)
}

/// The entry's path if it is a plain file with a safe relative path; refused otherwise.
fn safe_name<R: Read>(entry: &tar::Entry<'_, R>, bundle: &Path) -> Result<String> {
    let raw = entry.path_bytes();
    let shown = crate::render::sanitize(&String::from_utf8_lossy(&raw)).into_owned();
    let refuse = |why: &str| {
        Err(Error::Refused(format!(
            "{}: entry `{shown}` {why}; handover never writes such an entry, so the bundle was \
             not made by it or was altered: nothing of it is kept",
            bundle.display()
        )))
    };
    let kind = entry.header().entry_type();
    if kind.is_symlink() || kind.is_hard_link() {
        return refuse("is a link");
    }
    if kind.is_character_special() || kind.is_block_special() || kind.is_fifo() {
        return refuse("is a device or pipe");
    }
    if !kind.is_file() {
        return refuse("is not a plain file");
    }
    let Ok(text) = std::str::from_utf8(&raw) else {
        return refuse("has a name that is not UTF-8");
    };
    let p = Path::new(text);
    if p.is_absolute() || text.starts_with('/') || text.contains('\\') {
        return refuse("has an absolute path");
    }
    if text.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return refuse("has `..` or `.` in its path");
    }
    Ok(text.to_string())
}

/// Reads `inner`, hashing and counting it, and copies it to `out`.
struct Tee<'a, R, W: ?Sized> {
    inner: &'a mut R,
    out: &'a mut W,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read, W: Write + ?Sized> Read for Tee<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        self.out.write_all(&buf[..n])?;
        Ok(n)
    }
}

/// Counts the ciphertext read, to tell a cut file from an altered one.
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Keeps the first error of the decrypting stream, which tar and csv may rephrase.
struct Watch<R> {
    inner: R,
    error: Rc<RefCell<Option<io::Error>>>,
    bytes: u64,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) => {
                let copy = io::Error::new(e.kind(), e.to_string());
                self.error.borrow_mut().get_or_insert(e);
                Err(copy)
            }
        }
    }
}

/// Writes extracted files, never over existing ones, and removes them all if the bundle
/// fails.
struct Extractor {
    root: PathBuf,
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Extractor {
    fn new(root: &Path) -> Result<Extractor> {
        let mut x = Extractor {
            root: root.to_path_buf(),
            files: Vec::new(),
            dirs: Vec::new(),
        };
        x.make_dir(root)?;
        Ok(x)
    }

    fn make_dir(&mut self, dir: &Path) -> Result<()> {
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => Ok(()),
            Ok(_) => Err(Error::Refused(format!(
                "{} exists and is not a folder (or is a link); --extract writes only into \
                 real folders",
                dir.display()
            ))),
            Err(_) => {
                if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                    if !parent.exists() {
                        self.make_dir(parent)?;
                    }
                }
                std::fs::create_dir(dir).map_err(|source| Error::Write {
                    path: dir.to_path_buf(),
                    source,
                })?;
                self.dirs.push(dir.to_path_buf());
                Ok(())
            }
        }
    }

    /// Creates `name` (already checked safe) under the root, `0600`, refusing an existing
    /// file.
    fn create(&mut self, name: &str) -> Result<std::fs::File> {
        let target = self.root.join(name);
        let mut dir = self.root.clone();
        if let Some(parent) = Path::new(name).parent() {
            for c in parent.components() {
                dir.push(c);
                self.make_dir(&dir)?;
            }
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&target) {
            Ok(f) => {
                self.files.push(target);
                Ok(f)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(Error::Refused(format!(
                "{} exists; --extract never replaces a file: extract into an empty folder",
                target.display()
            ))),
            Err(source) => Err(Error::Write {
                path: target,
                source,
            }),
        }
    }

    fn keep(self) {}

    /// Removes what was extracted: a bundle that failed leaves no plaintext behind.
    fn undo(self) {
        for f in self.files.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}
