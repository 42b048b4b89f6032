//! Fuzz the member CSV's strictest field: email validation never panics, and an accepted
//! address has one `@`, no display name and a dotted domain.
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
    let _ = handover::email::normalised_key(text);
});
