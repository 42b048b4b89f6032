//! `handover verify BUNDLE -i IDENTITY [--extract DIR] [--signer ALLOWED_SIGNERS]`: the
//! acquirer's check of a bundle.
//!
//! Exit 0 when every check passed; 2 on bad input; 3 when an entry is unsafe to extract or a
//! file exists; 4 wrong key, 5 tampered, 6 truncated, 7 missing evidence, 8 bad signature.
use std::path::PathBuf;

use handover::bundle::{keys, VerifyOptions};
use handover::Error;
use secrecy::SecretString;

use super::{output, Outcome};

/// Arguments of `handover verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The bundle (.handover.age, binary or armoured).
    bundle: PathBuf,
    /// The identity that opens it: an age identity file (age-keygen) or an OpenSSH private
    /// key.
    #[arg(long, short = 'i', value_name = "IDENTITY")]
    identity: Option<PathBuf>,
    /// Extract the files into DIR (created if missing; no existing file is replaced; all of
    /// it is removed again if a check fails).
    #[arg(long, value_name = "DIR")]
    extract: Option<PathBuf>,
    /// Check the manifest's signature against this allowed-signers file (the
    /// `ssh-keygen -Y verify -f` format).
    #[arg(long, value_name = "ALLOWED_SIGNERS")]
    signer: Option<PathBuf>,
    /// For a passphrase bundle: read the passphrase from the first line of FILE instead of
    /// asking.
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Outcome {
    let opts = VerifyOptions {
        bundle: args.bundle,
        identity: args.identity,
        extract: args.extract,
        signer: args.signer,
    };
    let file = args.passphrase_file;
    let mut passphrase = || -> Result<SecretString, Error> {
        match &file {
            Some(path) => keys::read_passphrase_file(path),
            None => rpassword::prompt_password("Passphrase: ")
                .map(SecretString::from)
                .map_err(|_| Error::Invalid {
                    location: "verify".to_string(),
                    message: "this bundle needs a passphrase and there is no terminal to ask \
                              on; give it with --passphrase-file FILE"
                        .to_string(),
                }),
        }
    };
    let report = handover::bundle::verify(&opts, &mut passphrase)?;
    output::emit(None, |out| {
        handover::render::export::verified(&opts.bundle, &report, out)
    })?;
    Ok(0)
}
