//! Manifest signatures in the `ssh-keygen -Y sign` format (SSHSIG, namespace `handover`), so
//! the acquirer can check who made a bundle with `ssh-keygen -Y verify` or `handover verify
//! --signer`.
//!
//! age proves who may read a bundle, not who wrote it: anyone with the acquirer's public key
//! can make one. The signature covers `MANIFEST.json`, which holds the SHA-256 of every other
//! file, so it covers the whole content.
use std::path::Path;

use crate::error::{BundleProblem, Error, Result};

/// The SSHSIG namespace of manifest signatures.
pub const NAMESPACE: &str = "handover";

/// A key that signs manifests.
pub struct Signer {
    key: ssh_key::PrivateKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.fingerprint())
    }
}

impl Signer {
    /// Reads an unencrypted OpenSSH private key (ed25519 or RSA).
    pub fn read(path: &Path) -> Result<Signer> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let key = ssh_key::PrivateKey::from_openssh(&bytes).map_err(|_| Error::Invalid {
            location: path.display().to_string(),
            message: "not an OpenSSH private key; give the key file `ssh-keygen -t ed25519` \
                      wrote (not the .pub)"
                .to_string(),
        })?;
        if key.is_encrypted() {
            return Err(Error::Invalid {
                location: path.display().to_string(),
                message: "this SSH key is protected by a passphrase, which --sign cannot ask \
                          for; sign with an unencrypted 0600 copy on the exporting machine"
                    .to_string(),
            });
        }
        Ok(Signer { key })
    }

    /// The public key's `SHA256:` fingerprint.
    pub fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(ssh_key::HashAlg::Sha256)
            .to_string()
    }

    /// The armoured SSHSIG signature of `message`.
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        let fail = |e: ssh_key::Error| Error::Invalid {
            location: "--sign".to_string(),
            message: format!("cannot sign with this key ({e}); use an ed25519 or RSA key"),
        };
        self.key
            .sign(NAMESPACE, ssh_key::HashAlg::Sha512, message)
            .map_err(fail)?
            .to_pem(ssh_key::LineEnding::LF)
            .map_err(fail)
    }
}

/// Checks `signature` over `message` against an allowed-signers file (the format of
/// `ssh-keygen -Y verify -f`: `principals [options] keytype base64 [comment]` per line);
/// returns the principals of the key that signed.
pub fn verify(bundle: &Path, allowed: &Path, message: &[u8], signature: &[u8]) -> Result<String> {
    let bad = |detail: String| Error::Bundle {
        path: bundle.to_path_buf(),
        problem: BundleProblem::BadSignature,
        detail,
    };
    let sig = ssh_key::SshSig::from_pem(signature)
        .map_err(|e| bad(format!("MANIFEST.json.sig is not an SSH signature ({e})")))?;
    if sig.namespace() != NAMESPACE {
        return Err(bad(format!(
            "the signature is for namespace `{}`, not `{NAMESPACE}`",
            sig.namespace()
        )));
    }
    let text = std::fs::read_to_string(allowed).map_err(|source| Error::Read {
        path: allowed.to_path_buf(),
        source,
    })?;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((principals, key)) = split_allowed(line) else {
            continue;
        };
        let Ok(key) = ssh_key::PublicKey::from_openssh(key) else {
            continue;
        };
        if key.key_data() == sig.public_key() {
            return match key.verify(NAMESPACE, message, &sig) {
                Ok(()) => Ok(principals.to_string()),
                Err(_) => Err(bad(
                    "the signature does not match MANIFEST.json: the manifest was altered after \
                     signing"
                        .to_string(),
                )),
            };
        }
    }
    let signer =
        ssh_key::PublicKey::from(sig.public_key().clone()).fingerprint(ssh_key::HashAlg::Sha256);
    Err(bad(format!(
        "signed by {signer}, which {} does not list",
        allowed.display()
    )))
}

/// `principals [options] keytype base64 ...` -> (principals, `keytype base64 ...`).
fn split_allowed(line: &str) -> Option<(&str, &str)> {
    let (principals, rest) = line.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    // Options (`namespaces="handover"`, `cert-authority`, ...) come before the key type.
    let start = rest
        .match_indices("ssh-")
        .map(|(i, _)| i)
        .chain(rest.match_indices("ecdsa-").map(|(i, _)| i))
        .chain(rest.match_indices("sk-").map(|(i, _)| i))
        .filter(|&i| i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace())
        .min()?;
    Some((principals, &rest[start..]))
}

#[cfg(test)]
mod tests {
    use super::split_allowed;

    #[test]
    fn allowed_signers_lines_split_at_the_key_type() {
        assert_eq!(
            split_allowed("seller@example.jp ssh-ed25519 AAAA comment"),
            Some(("seller@example.jp", "ssh-ed25519 AAAA comment"))
        );
        assert_eq!(
            split_allowed("a,b namespaces=\"handover\" ssh-ed25519 AAAA"),
            Some(("a,b", "ssh-ed25519 AAAA"))
        );
        assert_eq!(split_allowed("nokey"), None);
    }
}
