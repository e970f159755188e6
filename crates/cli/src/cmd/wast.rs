//! `weft wast FILE...`: runs `.wast` scripts and prints each file's result,
//! then `N passed, M failed` (or, with `--json`, one JSON object per file
//! and one of the totals).
//! A `.json` file is a `weft json-from-wast` (wast2json) command file, run
//! as the script it describes.
//! Exits with status 1 when any command fails.

use std::fmt::Write as _;
use std::path::PathBuf;

use weft_spec::runner::{self, Outcome};

use super::{EngineArgs, Error, FeatureArgs, LimitArgs};

/// Arguments of `weft wast`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft wast tests/*.wast --fuel 10000000")]
pub struct WastArgs {
    /// The scripts to run (`.json`: json-from-wast/wast2json command
    /// files, their modules beside them).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per file (file, passed, failed, skipped, failures:
    /// line and message of each failing command), then one with the
    /// totals (`{"totals": {"passed", "failed", "skipped"}}`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    features: FeatureArgs,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

/// Runs `weft wast`.
pub fn run(args: WastArgs) -> Result<(), Error> {
    let features = args.features.features()?;
    let engine = args.engine.engine()?;
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut progress = super::Progress::new(args.files.len() as u64);
    for path in &args.files {
        progress.step(&path.display());
        let mut text = super::json_from_wast::read_text(path)?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            // A json-from-wast (wast2json) command file: read back into a
            // script, its modules from beside it.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            text = super::json_from_wast::to_wast(&text, dir)?;
        }
        let semantics = runner::Semantics {
            engine,
            memory_mode: args.engine.memory_mode,
            lazy: !args.engine.eager,
            ..args.limits.apply(runner::Semantics::new(features))
        };
        let outcome = runner::run_script_with(&text, semantics);
        passed += outcome.passed;
        failed += outcome.failed();
        skipped += outcome.skipped;
        let name = path.display().to_string();
        progress.clear();
        if args.json {
            super::emit(format_args!("{}\n", json(&name, &outcome)))?;
        } else {
            for (line, why) in &outcome.failures {
                super::emit(format_args!("{name}:{line}: {why}\n"))?;
            }
            let skips = match outcome.skipped_names() {
                names if names.is_empty() => String::new(),
                names => format!(" ({names})"),
            };
            super::emit(format_args!(
                "{name}: {} passed, {} failed, {} skipped{skips}\n",
                outcome.passed,
                outcome.failed(),
                outcome.skipped
            ))?;
        }
    }
    progress.finish();
    if args.json {
        super::emit(format_args!(
            "{{\"totals\":{{\"passed\":{passed},\"failed\":{failed},\"skipped\":{skipped}}}}}\n"
        ))?;
    } else {
        super::emit(format_args!("{passed} passed, {failed} failed\n"))?;
    }
    if failed > 0 {
        return Err(Error::Failed(failed));
    }
    Ok(())
}

fn json(name: &str, outcome: &Outcome) -> String {
    let mut out = format!(
        "{{\"file\":{},\"passed\":{},\"failed\":{},\"skipped\":{},\"failures\":[",
        json_string(name),
        outcome.passed,
        outcome.failed(),
        outcome.skipped
    );
    for (i, (line, why)) in outcome.failures.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"line\":{line},\"message\":{}}}", json_string(why));
    }
    out.push_str("]}");
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        let outcome = Outcome {
            passed: 2,
            failures: vec![(7, "boom".into())],
            skipped: 1,
            skips: vec![(9, "thread".into())],
            jit: Default::default(),
        };
        assert_eq!(
            json("x.wast", &outcome),
            "{\"file\":\"x.wast\",\"passed\":2,\"failed\":1,\"skipped\":1,\"failures\":[{\"line\":7,\"message\":\"boom\"}]}"
        );
    }
}
