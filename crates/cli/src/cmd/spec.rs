//! `weft spec`: the official testsuite, bundled into the binary, run
//! through the whole toolchain; prints passed/failed/skipped commands by
//! testsuite directory (spec versions and proposals).

use weft_spec::report::Table;
use weft_spec::runner;
use weft_spec::suite;

use super::{EngineArgs, Error, LimitArgs};

/// Arguments of `weft spec`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft spec --filter proposals/gc -v")]
pub struct SpecArgs {
    /// Run only the files whose `dir/name` contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// List every failing command with its file and line (and, with
    /// `--engine jit`, which instructions kept functions in the
    /// interpreter).
    #[arg(long, short)]
    verbose: bool,
    /// Exit with status 1 when any command fails.
    #[arg(long)]
    strict: bool,
    /// One JSON object instead of the table: `dirs` (each directory's
    /// passed, failed, skipped), the totals, and with -v `failures`
    /// (file, line, message).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

/// Runs `weft spec`.
pub fn run(args: SpecArgs) -> Result<(), Error> {
    let engine = args.engine.engine()?;
    let mut table = Table::default();
    let mut jit = weft_interp::JitStats::default();
    let mut files = 0;
    let mut dirs: std::collections::BTreeMap<String, [u32; 3]> = Default::default();
    let mut failures = Vec::new();
    let chosen: Vec<_> = suite::all_files()
        .into_iter()
        .filter(|file| {
            args.filter
                .as_deref()
                .is_none_or(|f| file.key().contains(f))
        })
        .collect();
    let mut progress = super::Progress::new(chosen.len() as u64);
    for file in chosen {
        let key = file.key();
        progress.step(&key);
        files += 1;
        let semantics = runner::Semantics {
            engine,
            memory_mode: args.engine.memory_mode,
            lazy: !args.engine.eager,
            ..args.limits.apply(file.semantics())
        };
        let outcome = runner::run_script_with(file.text, semantics);
        jit.add(&outcome.jit);
        if args.verbose {
            if !args.json && !outcome.failures.is_empty() {
                progress.clear();
            }
            for (line, why) in &outcome.failures {
                if args.json {
                    failures.push(serde_json::json!({"file": key, "line": line, "message": why}));
                } else {
                    super::emit(format_args!("{key}:{line}: {why}\n"))?;
                }
            }
        }
        let row = dirs.entry(file.dir.clone()).or_default();
        row[0] += outcome.passed;
        row[1] += outcome.failed();
        row[2] += outcome.skipped;
        table.add(&file.dir, &outcome);
    }
    progress.finish();
    if files == 0 {
        return Err(Error::Usage(format!(
            "no testsuite file matches `{}`",
            args.filter.as_deref().unwrap_or_default()
        )));
    }
    if args.json {
        let [passed, failed, skipped] = table.totals();
        let rows: Vec<serde_json::Value> = dirs
            .iter()
            .map(|(dir, [p, f, s])| {
                serde_json::json!({"dir": dir, "passed": p, "failed": f, "skipped": s})
            })
            .collect();
        let mut o = serde_json::json!({
            "dirs": rows,
            "passed": passed,
            "failed": failed,
            "skipped": skipped,
        });
        if args.verbose {
            o["failures"] = serde_json::Value::Array(failures);
        }
        if engine == weft_interp::Engine::Jit {
            o["jit"] = serde_json::json!({
                "functions": jit.functions,
                "compiled": jit.compiled,
                "interpreted": jit.interpreted,
            });
        }
        super::emit(format_args!("{o}\n"))?;
        if args.strict && failed > 0 {
            return Err(Error::Failed(failed));
        }
        return Ok(());
    }
    super::emit(format_args!("{table}"))?;
    if engine == weft_interp::Engine::Jit {
        super::emit(format_args!(
            "jit: {} of {} functions compiled, {} run in the interpreter\n",
            jit.compiled, jit.functions, jit.interpreted
        ))?;
        if args.verbose {
            let mut why: Vec<_> = jit.unsupported.iter().collect();
            why.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (instr, n) in why {
                super::emit(format_args!("  {n:6} kept by {instr}\n"))?;
            }
        }
    }
    let [passed, failed, skipped] = table.totals();
    super::emit(format_args!(
        "{passed} passed, {failed} failed, {skipped} skipped\n"
    ))?;
    if args.strict && failed > 0 {
        return Err(Error::Failed(failed));
    }
    Ok(())
}
