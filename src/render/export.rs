//! The reports of `handover export` (what was written, who was held back and why) and
//! `handover verify` (what a bundle that passed holds).
use std::io::{self, Write};
use std::path::Path;

use crate::bundle::{ExportReport, VerifyReport};
use crate::render::sanitize;

/// The export report, for a person.
pub fn text(r: &ExportReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Exported {} member(s) into {} bundle(s), signed off by {} at {}:",
        r.exported,
        r.shards.len(),
        sanitize(&r.signoff.by),
        r.signoff.at
    )?;
    for s in &r.shards {
        writeln!(
            out,
            "  {}  {} member(s), {} bytes, manifest sha256 {}",
            s.path.display(),
            s.members,
            s.bytes,
            s.manifest_sha256
        )?;
        writeln!(out, "    receipt: {}", s.receipt.display())?;
        if let Some(sig) = &s.signature {
            writeln!(out, "    signature: {}", sig.display())?;
        }
    }
    writeln!(out, "Recipients: {}", r.recipients.join(", "))?;
    if r.held_back_total == 0 {
        writeln!(out, "Held back: none.")?;
        return Ok(());
    }
    let states: Vec<String> = r
        .held_back_by_state
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    writeln!(
        out,
        "Held back: {} member(s) ({}), not in any bundle:",
        r.held_back_total,
        states.join(", ")
    )?;
    for h in &r.held_back {
        writeln!(
            out,
            "  {}  {}  {}",
            sanitize(&h.member_id),
            h.state,
            sanitize(&h.reason)
        )?;
    }
    if r.held_back_total > r.held_back.len() as u64 {
        writeln!(
            out,
            "  ... and {} more (`handover status --blockers 0` lists those still waiting)",
            r.held_back_total - r.held_back.len() as u64
        )?;
    }
    Ok(())
}

/// What `verify` found in a bundle that passed.
pub fn verified(bundle: &Path, r: &VerifyReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: OK: bundle {} of {} of \"{}\", made {}",
        bundle.display(),
        r.shard.0,
        r.shard.1,
        sanitize(&r.case),
        r.created_at
    )?;
    writeln!(
        out,
        "  {} member(s), each with notification evidence ({} rows); {} files match \
         MANIFEST.json (sha256 {})",
        r.members, r.notifications, r.files, r.manifest_sha256
    )?;
    match &r.signed_by {
        Some(who) => writeln!(
            out,
            "  MANIFEST.json is signed by {} (namespace handover)",
            sanitize(who)
        )?,
        None => writeln!(
            out,
            "  signature not checked (give --signer ALLOWED_SIGNERS)"
        )?,
    }
    if let Some(dir) = &r.extracted {
        writeln!(out, "  extracted into {}", dir.display())?;
    }
    Ok(())
}
