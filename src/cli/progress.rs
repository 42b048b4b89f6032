//! The progress bar every long command shows on standard error: drawn only when standard
//! error is a terminal (hidden in pipes, CI and tests), in the given indicatif template.
use std::io::IsTerminal;

/// A bar with `template` (an indicatif template), hidden when standard error is not a
/// terminal. A template indicatif rejects falls back to its default bar.
pub(crate) fn bar(template: &str) -> indicatif::ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
