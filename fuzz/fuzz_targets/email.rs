//! Fuzz the member CSV's strictest field: email validation never panics, and an accepted
//! address has one `@`, no display name and a dotted domain; a reduced display-name address
//! is itself strictly valid.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(address) = handover::email::check(text) {
        assert_eq!(address.matches('@').count(), 1, "{address:?}");
        assert!(
            !address.contains('<') && !address.contains(' '),
            "{address:?}"
        );
        let domain = address.rsplit('@').next().unwrap_or_default();
        assert!(domain.contains('.'), "{address:?}");
    }
    // The member reader reduces `Name <address>` to the address: whatever it keeps passes the
    // strict check, and is part of the input.
    if let Ok((address, reduced)) = handover::email::check_reducing(text) {
        assert_eq!(handover::email::check(address), Ok(address), "{text:?}");
        assert!(text.contains(address), "{text:?}");
        assert_eq!(reduced, handover::email::check(text).is_err(), "{text:?}");
    }
    let _ = handover::email::normalised_key(text);
});
