//! `handover signoff`: legal approval of the plan in force, recorded in the ledger. A re-plan
//! makes a new plan, which needs its own sign-off before `export`.
use jiff::Timestamp;

use crate::case::Case;
use crate::error::{Error, Result};
use crate::ledger::exports::{add_signoff, Signoff};
use crate::ledger::Ledger;

/// Records that `by` approves the plan in force (with an optional note).
pub fn signoff(case: &Case, now: Timestamp, by: &str, note: &str) -> Result<Signoff> {
    let by = by.trim();
    if by.is_empty() || by.chars().any(char::is_control) {
        return Err(Error::Invalid {
            location: "--by".to_string(),
            message: "give the approver's name (not empty, one line)".to_string(),
        });
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::Invalid {
            location: "--note".to_string(),
            message: "the note may not hold control characters".to_string(),
        });
    }
    if !case.ledger.exists() {
        return Err(Error::Refused(format!(
            "there is no ledger at {}; run `handover plan` first",
            case.ledger.display()
        )));
    }
    let at = now.round(jiff::Unit::Second).unwrap_or(now).to_string();
    let mut ledger = Ledger::open(&case.ledger, &at)?;
    let mut write = ledger.write("signoff")?;
    let Some(pin) = write.ledger().pin()? else {
        return Err(Error::Refused(
            "no plan is recorded; run `handover plan` first, then sign it off".to_string(),
        ));
    };
    let err = write.ledger().err();
    let id = add_signoff(write.conn(), pin.id, by, &at, note).map_err(err)?;
    write.commit()?;
    Ok(Signoff {
        id,
        pin: pin.id,
        by: by.to_string(),
        at,
        note: note.to_string(),
    })
}
