//! `handover man [--dir DIR]`: the manual page, generated from the clap definition.
//!
//! Without `--dir`, `handover.1` (the command, its options and the list of subcommands) goes
//! to standard output: `handover man > handover.1`, then `man ./handover.1`. With `--dir`,
//! one page per command is written there (`handover.1`, `handover-diff.1`, ...), each
//! atomically, for packaging under `share/man/man1`.
use std::path::PathBuf;

use clap::CommandFactory;

use super::{output, Outcome};

/// Arguments of `handover man`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write handover.1 and one page per subcommand (handover-diff.1, ...) into DIR.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Outcome {
    let command = super::Cli::command();
    let Some(dir) = args.dir else {
        output::emit(None, |out| clap_mangen::Man::new(command).render(out))?;
        return Ok(0);
    };
    std::fs::create_dir_all(&dir).map_err(|source| handover::Error::Write {
        path: dir.clone(),
        source,
    })?;
    let mut pages = vec![("handover".to_string(), command.clone())];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        // `handover-diff`: the name a page for a subcommand goes by (as git's do).
        let name = format!("handover-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("handover {}", sub.get_name()));
        pages.push((name, page));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        output::write_atomically(&path, |out| clap_mangen::Man::new(page).render(out))?;
        println!("wrote {}", path.display());
    }
    Ok(0)
}
