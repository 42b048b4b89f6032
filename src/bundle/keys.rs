//! Who may open a bundle: age recipients (X25519 `age1...`, `ssh-ed25519`, `ssh-rsa`) or one
//! passphrase, and on the reading side the identities that open it.
//!
//! As `rage` does: key lines are never echoed in messages (only the file and line), secret
//! material stays in `secrecy` types, and a passphrase never comes from an argument.
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use secrecy::SecretString;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A recipient of a bundle, parsed.
pub enum Recipient {
    /// An X25519 key (`age1...`).
    X25519(age::x25519::Recipient),
    /// An SSH key (`ssh-ed25519`, `ssh-rsa`).
    Ssh(Box<age::ssh::Recipient>, String),
}

impl Recipient {
    /// Parses one recipient; `at` names where it came from for the message.
    pub fn parse(text: &str, at: &str) -> Result<Recipient> {
        let text = text.trim();
        if let Ok(r) = age::x25519::Recipient::from_str(text) {
            return Ok(Recipient::X25519(r));
        }
        match age::ssh::Recipient::from_str(text) {
            Ok(r) => Ok(Recipient::Ssh(Box::new(r), text.to_string())),
            Err(_) => Err(Error::Invalid {
                location: at.to_string(),
                message: "not an age recipient: give an X25519 public key (age1...) or an SSH \
                          public key line (ssh-ed25519 or ssh-rsa of 2048-4096 bits)"
                    .to_string(),
            }),
        }
    }

    /// A fingerprint that names the key without being it: `SHA256:...` as `ssh-keygen -l`
    /// prints it for SSH keys, `age1:<hex>` (SHA-256 of the key text, 16 bytes) for X25519.
    pub fn fingerprint(&self) -> String {
        match self {
            Recipient::X25519(r) => {
                let digest = Sha256::digest(r.to_string().as_bytes());
                format!("age1:{}", crate::policy::hex(&digest[..16]))
            }
            Recipient::Ssh(_, line) => ssh_key::PublicKey::from_openssh(line)
                .map(|k| k.fingerprint(ssh_key::HashAlg::Sha256).to_string())
                .unwrap_or_else(|_| {
                    format!(
                        "ssh:{}",
                        crate::policy::hex(&Sha256::digest(line.as_bytes())[..16])
                    )
                }),
        }
    }

    /// As the `age` crate wants it.
    pub(crate) fn as_age(&self) -> &dyn age::Recipient {
        match self {
            Recipient::X25519(r) => r,
            Recipient::Ssh(r, _) => r.as_ref(),
        }
    }
}

/// Who may open the bundles of one export.
pub enum Recipients {
    /// Public keys, one or more.
    Keys(Vec<Recipient>),
    /// One passphrase (scrypt); it cannot be combined with keys.
    Passphrase(SecretString),
}

impl Recipients {
    /// The fingerprints recorded in the receipt and the ledger.
    pub fn fingerprints(&self) -> Vec<String> {
        match self {
            Recipients::Keys(keys) => keys.iter().map(Recipient::fingerprint).collect(),
            Recipients::Passphrase(_) => vec!["passphrase (scrypt)".to_string()],
        }
    }

    /// The encryptor.
    pub(crate) fn encryptor(&self) -> Result<age::Encryptor> {
        match self {
            Recipients::Passphrase(p) => Ok(age::Encryptor::with_user_passphrase(p.clone())),
            Recipients::Keys(keys) => {
                age::Encryptor::with_recipients(keys.iter().map(|k| k.as_age())).map_err(|e| {
                    Error::Invalid {
                        location: "--recipient".to_string(),
                        message: format!("cannot encrypt to these recipients: {e}"),
                    }
                })
            }
        }
    }
}

/// Reads a recipients file as `age -R` does: one key per line, `#` comments and blank lines
/// skipped; a bad line is named by its number, never its text.
pub fn read_recipients_file(path: &Path) -> Result<Vec<Recipient>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(Recipient::parse(
            line,
            &format!("{}:{}", path.display(), n + 1),
        )?);
    }
    if out.is_empty() {
        return Err(Error::Invalid {
            location: path.display().to_string(),
            message: "the recipients file names no recipient; add one public key per line"
                .to_string(),
        });
    }
    Ok(out)
}

/// Reads a passphrase from the first line of a file (which should be `0600`).
pub fn read_passphrase_file(path: &Path) -> Result<SecretString> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let line = text.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        return Err(Error::Invalid {
            location: path.display().to_string(),
            message: "the passphrase file is empty; put the passphrase on its first line"
                .to_string(),
        });
    }
    Ok(SecretString::from(line))
}

/// The identities in a file: age identities (`AGE-SECRET-KEY-1...`, as `age-keygen` writes
/// them) or an unencrypted OpenSSH private key.
pub fn read_identities(path: &Path) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_err)?;
    if let Ok(file) = age::IdentityFile::from_buffer(&bytes[..]) {
        if let Ok(ids) = file.into_identities() {
            if !ids.is_empty() {
                return Ok(ids);
            }
        }
    }
    match age::ssh::Identity::from_buffer(&bytes[..], Some(path.display().to_string())) {
        Ok(age::ssh::Identity::Unencrypted(key)) => {
            Ok(vec![Box::new(age::ssh::Identity::Unencrypted(key))])
        }
        Ok(age::ssh::Identity::Encrypted(_)) => Err(Error::Invalid {
            location: path.display().to_string(),
            message: "this SSH key is protected by a passphrase; decrypt a copy (ssh-keygen -p) \
                      into a 0600 file, or use an age identity"
                .to_string(),
        }),
        _ => Err(Error::Invalid {
            location: path.display().to_string(),
            message: "no identity here: give an age identity file (AGE-SECRET-KEY-1..., from \
                      age-keygen) or an OpenSSH private key (ed25519 or RSA)"
                .to_string(),
        }),
    }
}
