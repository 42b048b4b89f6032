//! Export bundles: the members who may move, encrypted for the acquirer, checkable, and
//! never as plaintext on disk; and `verify`, the acquirer's side.
//!
//! # The bundle
//!
//! One file per shard, `NAME.handover.age` (binary) or, with `--armor`, the same bytes in
//! ASCII armour (`-----BEGIN AGE ENCRYPTED FILE-----`): an [age](https://age-encryption.org/v1)
//! stream (X25519 and SSH recipients, several at once; or one passphrase alone) around a
//! ustar tar stream, written in one pass with bounded memory. Any age client opens it:
//! `age -d -i key.txt NAME.handover.age | tar -x`. Entries, in this order:
//!
//! | entry | what |
//! |---|---|
//! | `README.txt` | what this is and how to check it |
//! | `policies/current.md`, `policies/acquirer.md` | the two policies as pinned by `plan` |
//! | `report/diff.json`, `report/diff.md` | the policy diff (`handover.diff/v1`) and its Markdown report |
//! | `evidence/notifications.csv` | one row per member in this shard: `member_id,decision,channel,notice_key,sent_at,delivered_at,rules`; a `transfer` member has empty notice fields |
//! | `members/part-00001.csv` ... | the members, in members-file order: the case's `export_columns` (all columns without it) and `allowed_opt_ins`; each part at most 8 MiB, cut between records (a quoted field may hold a line break), each with the header row |
//! | `MANIFEST.json` | last: what is above, with hashes and counts |
//! | `MANIFEST.json.sig` | with `--sign` only: the SSH signature of `MANIFEST.json` |
//!
//! `allowed_opt_ins` lists, `;`-separated, the practice-change ids whose new use waited for
//! the member's yes (the plan's `opt_in`) and that the member said yes to (recorded
//! `consented` evidence naming them, not withdrawn by a later `declined`). A use not listed
//! is not allowed for that member.
//!
//! `MANIFEST.json` (schema `handover.manifest/v1`): `tool`, `case` (`name`, `sha256`),
//! `export` (`id` in the seller's ledger, `created_at`, `shard`, `shards`), `plan`
//! (`planned_at`, `members_sha256`: the members file read), `policies` (`current`, `acquirer`:
//! `path` in the bundle and `sha256`), `packs` (`id`, `sha256`), `signoff` (`by`, `at`,
//! `note`), `columns`, `members` (rows in the parts), `notifications` (rows in
//! `evidence/notifications.csv`), `recipients` (fingerprints), `signer` (the signing key's
//! `SHA256:` fingerprint or `null`), and `files`: every entry before it, in order, as `path`,
//! `bytes`, `sha256` and, for CSV files, `records` (data rows, header excluded).
//!
//! # Next to the bundle
//!
//! - `NAME.receipt.json` (schema `handover.receipt/v1`, `0600`, no personal data) for the
//!   seller's records: `bundle` (file name), `bundle_bytes`, `bundle_sha256` (of the file as
//!   written), `manifest_sha256`, `export_id`, `created_at`, `case`, `shard`, `shards`,
//!   `members`, `notifications`, `recipients`, `signer`, `signoff` (`by`, `at`).
//! - `NAME.MANIFEST.json.sig` with `--sign`: the same signature as inside the bundle.
//!
//! With `--shard-members N` the export is cut into shards of at most N members, each a
//! complete bundle with its own manifest, named `NAME-00001.handover.age`, ... (the number
//! goes before `.handover.age`, or before `.age`, or at the end).
//!
//! # Writing
//!
//! The bundle is written to a file without a name ([`file`]) and named only when it is
//! complete and synced, never over an existing file; the ledger records the export and its
//! members (`exports`, `export_members`) in the same transaction as the gate, committed just
//! before the files are named. A run killed at any point leaves no bundle and no plaintext;
//! killed between the commit and the naming, the ledger holds an export whose file does not
//! exist, and a rerun writes a new one.
//!
//! The ledger is read once, in members-file row order (the `members_row` index, ledger schema
//! 3); what the bundles need of it later (each ready member's notification row, and what
//! each row of the members file is checked against) is kept in two unnamed temporary files
//! in the output's folder, gone when the export ends however it ends. They hold ledger rows
//! (member ids, decisions, notice keys, times: about 200 bytes a member, 2 GB for 10
//! million), never data from the members file. The members file is then read once, on a
//! thread of its own, while the calling thread records `export_members` (a connection stays
//! on its thread); each bundle is encrypted, hashed and written on a third.
//!
//! # Verifying
//!
//! [`verify()`] decrypts, reads the tar stream once, refuses entries that are not plain
//! files with safe relative paths, checks every file's size, SHA-256 and record count
//! against the manifest, checks that every member has a row in `evidence/notifications.csv`
//! with a `transfer` decision or a `sent_at` (the member was told), and with an allowed-signers
//! file checks the signature. Failures have their own exit codes:
//!
//! | exit | failure |
//! |---|---|
//! | 4 | wrong key: no identity given opens the bundle (also when a recipient line of the age header was altered: age cannot tell the two apart) |
//! | 5 | tampered: a byte, a file or the manifest altered, an entry added or missing |
//! | 6 | truncated: the bundle ends early (or its last 64 KiB block was altered: age cannot tell the two apart) |
//! | 7 | missing evidence: a member without notification evidence |
//! | 8 | bad signature: missing, not from an allowed signer, or not matching the manifest |
//! | 3 | `--extract` refused an entry (absolute path, `..`, link, device) or an existing file |
use std::path::{Path, PathBuf};

pub mod export;
pub(crate) mod file;
pub mod keys;
pub(crate) mod pipe;
pub mod sign;
pub mod signoff;
pub mod verify;

pub use export::{export, ExportOptions, ExportReport, HeldBack, Progress, ShardReport};
pub use keys::{Recipient, Recipients};
pub use sign::Signer;
pub use signoff::signoff;
pub use verify::{verify, VerifyOptions, VerifyReport};

/// The manifest's schema.
pub const MANIFEST_SCHEMA: &str = "handover.manifest/v1";
/// The receipt's schema.
pub const RECEIPT_SCHEMA: &str = "handover.receipt/v1";
/// The largest members part, in bytes (a single larger record makes one larger part).
pub const PART_BYTES: usize = 8 << 20;
/// The header of `evidence/notifications.csv`.
pub const NOTIFICATIONS_HEADER: &str =
    "member_id,decision,channel,notice_key,sent_at,delivered_at,rules";

/// The path of shard `n` of an export to `out` (`None`: not sharded).
pub fn shard_path(out: &Path, n: Option<u32>) -> PathBuf {
    let Some(n) = n else {
        return out.to_path_buf();
    };
    let name = out
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, suffix) = split_suffix(&name);
    out.with_file_name(format!("{stem}-{n:05}{suffix}"))
}

/// The receipt beside `bundle`: `NAME.receipt.json`.
pub fn receipt_path(bundle: &Path) -> PathBuf {
    beside(bundle, ".receipt.json")
}

/// The detached signature beside `bundle`: `NAME.MANIFEST.json.sig`.
pub fn signature_path(bundle: &Path) -> PathBuf {
    beside(bundle, ".MANIFEST.json.sig")
}

fn beside(bundle: &Path, suffix: &str) -> PathBuf {
    let name = bundle
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, _) = split_suffix(&name);
    bundle.with_file_name(format!("{stem}{suffix}"))
}

/// `acme.handover.age` -> (`acme`, `.handover.age`); `acme.age` -> (`acme`, `.age`).
fn split_suffix(name: &str) -> (&str, &str) {
    for suffix in [".handover.age", ".age"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if !stem.is_empty() {
                return (stem, &name[stem.len()..]);
            }
        }
    }
    (name, "")
}

/// The opt-ins a member may be used for: those waiting for a yes (`opt_in`) that the
/// member's latest answer (`answers`, oldest first, `consented=A;B|declined=B`) says yes to.
pub fn allowed_opt_ins(opt_in: &str, answers: &str) -> String {
    if opt_in.is_empty() || answers.is_empty() {
        return String::new();
    }
    let waiting: Vec<&str> = opt_in.split(';').filter(|s| !s.is_empty()).collect();
    let mut yes: Vec<&str> = Vec::new();
    for answer in answers.split('|') {
        let Some((event, changes)) = answer.split_once('=') else {
            continue;
        };
        for change in changes.split(';').filter(|s| !s.is_empty()) {
            yes.retain(|c| *c != change);
            if event == "consented" {
                yes.push(change);
            }
        }
    }
    waiting
        .into_iter()
        .filter(|c| yes.contains(c))
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_numbered_before_the_suffix() {
        let p = |s: &str, n| shard_path(Path::new(s), n).display().to_string();
        assert_eq!(
            p("out/acme.handover.age", Some(2)),
            "out/acme-00002.handover.age"
        );
        assert_eq!(p("acme.age", Some(1)), "acme-00001.age");
        assert_eq!(p("acme", Some(3)), "acme-00003");
        assert_eq!(p("acme.handover.age", None), "acme.handover.age");
        assert_eq!(
            receipt_path(Path::new("d/acme-00002.handover.age")),
            Path::new("d/acme-00002.receipt.json")
        );
        assert_eq!(
            signature_path(Path::new("acme.age")),
            Path::new("acme.MANIFEST.json.sig")
        );
    }

    #[test]
    fn allowed_opt_ins_follow_the_latest_answer() {
        assert_eq!(allowed_opt_ins("a;b;c", "consented=a;b|declined=b"), "a");
        assert_eq!(allowed_opt_ins("a;b", "declined=a|consented=a"), "a");
        assert_eq!(allowed_opt_ins("", "consented=a"), "");
        assert_eq!(allowed_opt_ins("a", ""), "");
        assert_eq!(allowed_opt_ins("a", "consented=z"), "");
    }
}
