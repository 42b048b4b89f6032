//! Strict email address checks: an address a notice can be sent to without guessing.
//!
//! Accepted: `local@domain.tld`, ASCII only, surrounding spaces ignored. The local part is a
//! dot-atom (letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots between them), at most 64
//! bytes. The domain has at least two labels of letters, digits and inner hyphens (1-63 bytes
//! each), a top-level domain of at least two letters (or an `xn--` label), at most 253 bytes;
//! the whole address at most 254. Rejected, each with its own reason: display names
//! (`Taro <taro@example.jp>`), quoted local parts, domain literals (`user@[192.0.2.1]`), a
//! missing top-level domain (`user@localhost`), non-ASCII addresses (write the domain in its
//! `xn--` form), and anything else that is not of that form.
//!
//! A member's address written with a display name (`Ana <ana@example.com>`,
//! `"Ana" <ana@example.com>`, `<ana@example.com>`) is reduced to the address inside the angle
//! brackets, checked as above, and used ([`check_reducing`]); the planner flags such rows for
//! review, since the export then holds an address that differs from the source cell.
//!
//! Two addresses belong to the same person, probably, when they are equal ignoring ASCII case
//! ([`normalised_key`]); they are never merged, only flagged.

/// Why an address is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// `Name <addr>` or a space inside.
    DisplayName,
    /// `"quoted"@example.jp`.
    Quoted,
    /// `user@[192.0.2.1]`.
    DomainLiteral,
    /// `user@localhost`.
    NoTopLevelDomain,
    /// Non-ASCII characters.
    NotAscii,
    /// Longer than the limits.
    TooLong,
    /// Anything else.
    Syntax,
}

impl Problem {
    /// A short code for the ledger (`invalid-email:display-name`).
    pub fn code(self) -> &'static str {
        match self {
            Problem::DisplayName => "display-name",
            Problem::Quoted => "quoted",
            Problem::DomainLiteral => "domain-literal",
            Problem::NoTopLevelDomain => "no-tld",
            Problem::NotAscii => "non-ascii",
            Problem::TooLong => "too-long",
            Problem::Syntax => "syntax",
        }
    }

    /// Why, for people; never quotes the address.
    pub fn message(self) -> &'static str {
        match self {
            Problem::DisplayName => "display names are not allowed",
            Problem::Quoted => "quoted local parts are not allowed",
            Problem::DomainLiteral => "domain literals are not allowed",
            Problem::NoTopLevelDomain => "the domain has no top-level domain",
            Problem::NotAscii => "only ASCII addresses are accepted (write the domain as xn--)",
            Problem::TooLong => "it is too long",
            Problem::Syntax => "it is not of the form name@domain.tld",
        }
    }
}

/// Bytes a dot-atom may hold besides dots (RFC 5322 `atext`).
const ATEXT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"!#$%&'*+/=?^_`{|}~-";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

/// A domain label's length and ends (its bytes are checked by the caller).
fn label_ok(l: &[u8]) -> bool {
    !l.is_empty() && l.len() <= 63 && l[0] != b'-' && l[l.len() - 1] != b'-'
}

/// Checks an address; `Ok` holds it without surrounding spaces.
///
/// Each part is read once (this runs for every member of a plan); the reasons come in the
/// order the module doc gives them, and a test holds it to a plainer reference version.
pub fn check(address: &str) -> Result<&str, Problem> {
    let a = address.trim_matches([' ', '\t']);
    let bytes = a.as_bytes();
    let (mut at, mut display, mut non_ascii) = (None, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'@' => at = Some(i),
            b'<' | b'>' | b' ' => display = true,
            0x80.. => non_ascii = true,
            _ => {}
        }
    }
    if non_ascii {
        return Err(Problem::NotAscii);
    }
    if display {
        return Err(Problem::DisplayName);
    }
    if bytes.first() == Some(&b'"') {
        return Err(Problem::Quoted);
    }
    let Some(at) = at else {
        return Err(Problem::Syntax);
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    if domain.first() == Some(&b'[') {
        return Err(Problem::DomainLiteral);
    }
    if a.len() > 254 || local.len() > 64 || domain.len() > 253 {
        return Err(Problem::TooLong);
    }
    // A dot-atom: atext runs with single dots between them, none at either end.
    let mut after_dot = true;
    for &b in local {
        let ok = if b == b'.' {
            !after_dot
        } else {
            ATEXT[b as usize]
        };
        if !ok {
            return Err(if local.contains(&b'"') {
                Problem::Quoted
            } else {
                Problem::Syntax
            });
        }
        after_dot = b == b'.';
    }
    if after_dot {
        return Err(Problem::Syntax);
    }
    // Labels of letters, digits and inner hyphens (1 to 63 bytes), in one pass that also
    // finds the last dot.
    let (mut start, mut last_dot) = (0, None);
    for (i, &b) in domain.iter().enumerate() {
        if b == b'.' {
            if !label_ok(&domain[start..i]) {
                return Err(Problem::Syntax);
            }
            start = i + 1;
            last_dot = Some(i);
        } else if !(b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Problem::Syntax);
        }
    }
    if !label_ok(&domain[start..]) {
        return Err(Problem::Syntax);
    }
    let Some(dot) = last_dot else {
        return Err(Problem::NoTopLevelDomain);
    };
    let tld = &domain[dot + 1..];
    let tld_ok = (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
        || (tld.len() > 4 && tld[..4].eq_ignore_ascii_case(b"xn--"));
    if !tld_ok {
        return Err(Problem::NoTopLevelDomain);
    }
    Ok(a)
}

/// Checks a member's address like [`check`], but first reduces `Name <address>` (or a bare
/// `<address>`) to the address inside the brackets. `Ok` holds the address and whether it was
/// reduced; an address that is still not valid keeps the reason of the inner address.
pub fn check_reducing(address: &str) -> Result<(&str, bool), Problem> {
    let a = address.trim_matches([' ', '\t']);
    if let Some(inner) = a.strip_suffix('>') {
        if let Some(open) = inner.rfind('<') {
            if !inner[..open].contains(['<', '>']) {
                return check(&inner[open + 1..]).map(|addr| (addr, true));
            }
        }
    }
    check(a).map(|addr| (addr, false))
}

/// The key two addresses of one person share: a stable 64-bit FNV-1a hash of the address in
/// ASCII lower case. The ledger stores this, not the address (a probable-duplicate check
/// needs no more); `handover record` can match an event's address the same way.
pub fn normalised_key(address: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in address.bytes() {
        hash ^= u64::from(b.to_ascii_lowercase());
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain version of [`check`] that the fast one must agree with.
    fn reference(address: &str) -> Result<&str, Problem> {
        let a = address.trim_matches([' ', '\t']);
        if !a.is_ascii() {
            return Err(Problem::NotAscii);
        }
        let bytes = a.as_bytes();
        if bytes.iter().any(|b| matches!(b, b'<' | b'>')) || bytes.contains(&b' ') {
            return Err(Problem::DisplayName);
        }
        if a.starts_with('"') {
            return Err(Problem::Quoted);
        }
        let Some(at) = a.rfind('@') else {
            return Err(Problem::Syntax);
        };
        let (local, domain) = (&a[..at], &a[at + 1..]);
        if domain.starts_with('[') {
            return Err(Problem::DomainLiteral);
        }
        if a.len() > 254 || local.len() > 64 || domain.len() > 253 {
            return Err(Problem::TooLong);
        }
        let atext = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(b);
        if local.is_empty()
            || local
                .split('.')
                .any(|part| part.is_empty() || !part.bytes().all(|b| atext(&b)))
        {
            return Err(if local.contains('"') {
                Problem::Quoted
            } else {
                Problem::Syntax
            });
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if !domain.split('.').all(label_ok) {
            return Err(Problem::Syntax);
        }
        let Some((_, tld)) = domain.rsplit_once('.') else {
            return Err(Problem::NoTopLevelDomain);
        };
        let tld_ok = (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
            || (tld.len() > 4 && tld[..4].eq_ignore_ascii_case("xn--"));
        if !tld_ok {
            return Err(Problem::NoTopLevelDomain);
        }
        Ok(a)
    }

    proptest! {
        #[test]
        fn agrees_with_the_plain_version(a in prop_oneof![
            // Anything from the characters that matter, with or without a domain.
            "[ a-zA-Z0-9.@<>\"\\[\\]!#+_~-]{0,12}(@[a-z0-9.-]{0,8}(\\.[a-z]{0,3}|\\.xn--[a-z0-9]{0,3})?)?[é ]?",
            // Near-valid addresses, where one wrong byte decides.
            "[a-z.+\"-]{0,6}@[a-z0-9.-]{1,8}\\.([a-z]{2,3}|[a-z0-9]{2})",
        ]) {
            prop_assert_eq!(check(&a), reference(&a));
        }
    }

    #[test]
    fn accepts_plain_addresses() {
        for a in [
            "taro@example.jp",
            " Hanako.Sato+travel@mail.example.co.jp ",
            "o'brien@example.com",
            "x@xn--eckwd4c7c.xn--zckzah",
        ] {
            assert!(check(a).is_ok(), "{a}");
        }
        assert_eq!(check(" a@b.jp "), Ok("a@b.jp"));
    }

    #[test]
    fn rejects_with_reasons() {
        let cases = [
            ("Taro Yamada <taro@example.jp>", Problem::DisplayName),
            ("<taro@example.jp>", Problem::DisplayName),
            ("taro @example.jp", Problem::DisplayName),
            ("\"taro\"@example.jp", Problem::Quoted),
            ("taro@[192.0.2.1]", Problem::DomainLiteral),
            ("taro@localhost", Problem::NoTopLevelDomain),
            ("taro@example.123", Problem::NoTopLevelDomain),
            ("taro@example", Problem::NoTopLevelDomain),
            ("tarö@example.jp", Problem::NotAscii),
            ("taro.example.jp", Problem::Syntax),
            ("taro..x@example.jp", Problem::Syntax),
            (".taro@example.jp", Problem::Syntax),
            ("taro@-example.jp", Problem::Syntax),
            ("taro@example..jp", Problem::Syntax),
            ("@example.jp", Problem::Syntax),
            ("a@b@example.jp", Problem::Syntax),
        ];
        for (a, p) in cases {
            assert_eq!(check(a), Err(p), "{a}");
        }
        assert_eq!(
            check(&format!("{}@example.jp", "a".repeat(65))),
            Err(Problem::TooLong)
        );
    }

    #[test]
    fn display_names_are_reduced_to_the_address() {
        for (given, address) in [
            ("Ana <ana@example.com>", "ana@example.com"),
            (
                "\"Sofia Watanabe\" <sofia.watanabe@example.com>",
                "sofia.watanabe@example.com",
            ),
            (" <taro@example.jp> ", "taro@example.jp"),
        ] {
            assert_eq!(check_reducing(given), Ok((address, true)), "{given}");
        }
        assert_eq!(
            check_reducing("ana@example.com"),
            Ok(("ana@example.com", false))
        );
        assert_eq!(
            check_reducing("Ana <ana@localhost>"),
            Err(Problem::NoTopLevelDomain)
        );
        for bad in ["Ana <ana@example.com", "Ana <<ana@example.com>>", "Ana <>"] {
            assert!(check_reducing(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_ignores_case_only() {
        assert_eq!(
            normalised_key("Taro@Example.JP"),
            normalised_key("taro@example.jp")
        );
        assert_ne!(
            normalised_key("taro@example.jp"),
            normalised_key("taro1@example.jp")
        );
    }
}
