//! `weft spec`: the official testsuite, bundled into the binary, run
//! through the whole toolchain; prints passed/failed/skipped commands by
//! testsuite directory (spec versions and proposals).

use weft_spec::report::Table;
use weft_spec::runner;
use weft_spec::suite;

use super::{Error, LimitArgs};

/// Arguments of `weft spec`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft spec --filter proposals/gc -v")]
pub struct Args {
    /// Run only the files whose `dir/name` contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// List every failing command with its file and line.
    #[arg(long, short)]
    verbose: bool,
    /// Exit with status 1 when any command fails.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Runs `weft spec`.
pub fn run(args: Args) -> Result<(), Error> {
    let mut table = Table::default();
    let mut files = 0;
    for file in suite::all_files() {
        let key = file.key();
        if args.filter.as_deref().is_some_and(|f| !key.contains(f)) {
            continue;
        }
        files += 1;
        let semantics = args.limits.apply(file.semantics());
        let outcome = runner::run_script_with(file.text, semantics);
        if args.verbose {
            for (line, why) in &outcome.failures {
                super::emit(format_args!("{key}:{line}: {why}\n"))?;
            }
        }
        table.add(&file.dir, &outcome);
    }
    if files == 0 {
        return Err(Error::Usage(format!(
            "no testsuite file matches `{}`",
            args.filter.as_deref().unwrap_or_default()
        )));
    }
    super::emit(format_args!("{table}"))?;
    let [passed, failed, skipped] = table.totals();
    super::emit(format_args!(
        "{passed} passed, {failed} failed, {skipped} skipped\n"
    ))?;
    if args.strict && failed > 0 {
        return Err(Error::Failed(failed));
    }
    Ok(())
}
