//! `handover export`: the gate, then the encrypted bundle(s) of the ready members, their
//! receipts, and a report of who was held back and why.
//!
//! Exit 0; 2 on bad input (a recipient, key or case file); 3 when the gate refuses (inputs
//! changed since `plan`, no sign-off, members not resolved without `--partial`, nobody ready,
//! an output exists, the members file changed).
use std::io::IsTerminal;
use std::path::PathBuf;

use handover::bundle::{keys, ExportOptions, Recipients, Signer};
use handover::Error;
use secrecy::{ExposeSecret, SecretString};

use super::{output, CaseArgs, Outcome};

/// Arguments of `handover export`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("to").required(true).multiple(true)
    .args(["recipient", "recipients_file", "passphrase"]))]
pub(crate) struct Args {
    /// Encrypt to this public key: X25519 (age1...) or SSH (ssh-ed25519, ssh-rsa). Repeat
    /// for several.
    #[arg(long, short = 'r', value_name = "KEY")]
    recipient: Vec<String>,
    /// Encrypt to every public key in FILE (one a line, `#` comments). Repeatable.
    #[arg(long, short = 'R', value_name = "FILE")]
    recipients_file: Vec<PathBuf>,
    /// Encrypt with a passphrase instead (alone: no recipients), asked on the terminal
    /// unless --passphrase-file gives it.
    #[arg(long, conflicts_with_all = ["recipient", "recipients_file"])]
    passphrase: bool,
    /// Read the passphrase from the first line of FILE (keep it 0600).
    #[arg(long, value_name = "FILE", requires = "passphrase")]
    passphrase_file: Option<PathBuf>,
    /// Write ASCII armour (for mail or paste) instead of binary.
    #[arg(long, short = 'a')]
    armor: bool,
    /// The bundle to write, e.g. acme.handover.age; it must not exist.
    #[arg(long, short = 'o', value_name = "PATH")]
    out: PathBuf,
    /// At most N members per bundle; bundles are numbered NAME-00001.handover.age, ...
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    shard_members: Option<u64>,
    /// Export the ready members although others are still waiting.
    #[arg(long)]
    partial: bool,
    /// Sign the manifest with this SSH private key (ssh-keygen -Y sign format, namespace
    /// handover).
    #[arg(long, value_name = "SSH_KEY")]
    sign: Option<PathBuf>,
    #[command(flatten)]
    case: CaseArgs,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let case = args.case.case()?;
    let recipients = recipients(&args)?;
    let signer = args.sign.as_deref().map(Signer::read).transpose()?;
    let bar = super::progress::bar("{spinner} exporting {bytes}/{total_bytes} {wide_bar} {eta}");
    let mut on_progress = |p: handover::bundle::Progress| {
        if let Some(total) = p.total {
            bar.set_length(total);
        }
        bar.set_position(p.bytes);
    };
    let result = handover::bundle::export(
        &case,
        now,
        ExportOptions {
            out: args.out.clone(),
            recipients,
            armor: args.armor,
            shard_members: args.shard_members,
            partial: args.partial,
            signer,
        },
        &mut on_progress,
    );
    bar.finish_and_clear();
    let report = result?;
    output::emit(None, |out| handover::render::export::text(&report, out))?;
    Ok(0)
}

fn recipients(args: &Args) -> Result<Recipients, Error> {
    if args.passphrase {
        let secret = match &args.passphrase_file {
            Some(path) => keys::read_passphrase_file(path)?,
            None => prompt_twice()?,
        };
        return Ok(Recipients::Passphrase(secret));
    }
    let mut keys_out = Vec::new();
    for (i, r) in args.recipient.iter().enumerate() {
        keys_out.push(keys::Recipient::parse(
            r,
            &format!("--recipient #{}", i + 1),
        )?);
    }
    for file in &args.recipients_file {
        keys_out.extend(keys::read_recipients_file(file)?);
    }
    Ok(Recipients::Keys(keys_out))
}

/// Asks for a new passphrase twice on the terminal (never echoed).
fn prompt_twice() -> Result<SecretString, Error> {
    let invalid = |message: &str| Error::Invalid {
        location: "--passphrase".to_string(),
        message: message.to_string(),
    };
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        return Err(invalid(
            "no terminal to ask the passphrase on; give it with --passphrase-file FILE",
        ));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(SecretString::from)
            .map_err(|_| invalid("cannot read the passphrase from the terminal"))
    };
    let first = ask("Passphrase for the bundle: ")?;
    if first.expose_secret().is_empty() {
        return Err(invalid("the passphrase is empty"));
    }
    let second = ask("Again: ")?;
    if first.expose_secret() != second.expose_secret() {
        return Err(invalid("the two passphrases differ; run again"));
    }
    Ok(first)
}
