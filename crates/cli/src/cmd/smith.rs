//! `weft smith [--seed N] [--count K] [--out DIR | -o FILE] [--features ..]
//! [--config FILE.json] [--ensure-termination F] [--swarm] ... [--stats]`:
//! valid modules from weft-smith, deterministic per seed.
//!
//! Module `k` of a run is the one of seed `N + k`: its input is
//! `weft_smith::seed_bytes(seed, --input-len)`, so a seed printed by a
//! failing campaign names the same module on any machine. `--out DIR`
//! writes `DIR/smith-SEED.wasm` per module, `-o FILE` one module;
//! `--stats` prints how often each instruction row appeared, the rows
//! never generated and the mean size.
//!
//! A configuration file is a JSON object whose keys are
//! `weft_smith::Config`'s field names (`"max_funcs": 20`, `"swarm": true`,
//! `"features": "wasm3,+gc"`, `"allow": ["i32.add", ...]`, `"deny": [...]`);
//! options on the command line override it.

use std::fmt;
use std::path::PathBuf;

use arbitrary::Unstructured;
use weft_smith::{Config, Smith, Stats};

use super::{Error, FeatureArgs};

/// Arguments of `weft smith`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft smith --seed 100 --count 1000 --out modules/")]
pub struct SmithArgs {
    /// The first seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How many modules (seeds `seed..seed + count`).
    #[arg(long, default_value_t = 1)]
    count: u64,
    /// Write each module to `DIR/smith-SEED.wasm`.
    #[arg(long, conflicts_with = "output")]
    out: Option<PathBuf>,
    /// Write the module to this file (with `--count 1`).
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// A JSON configuration (keys: `weft_smith::Config`'s fields).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Add an exported fuel global, decremented at function entries and
    /// loop heads, trapping when spent.
    #[arg(long, value_name = "FUEL")]
    ensure_termination: Option<u32>,
    /// Draw features and maxima from each input (swarm testing).
    #[arg(long)]
    swarm: bool,
    /// Canonicalize the NaNs of float arithmetic.
    #[arg(long)]
    canonicalize_nans: bool,
    /// Guard or leave out instructions that trap.
    #[arg(long)]
    disallow_traps: bool,
    /// Export every entity.
    #[arg(long)]
    export_everything: bool,
    /// Most defined functions.
    #[arg(long)]
    max_funcs: Option<usize>,
    /// Most instructions per body.
    #[arg(long)]
    max_instrs: Option<usize>,
    /// Only these instructions (mnemonics, comma-separated).
    #[arg(long, value_delimiter = ',')]
    allow: Vec<String>,
    /// Never these instructions (mnemonics, comma-separated).
    #[arg(long, value_delimiter = ',')]
    deny: Vec<String>,
    /// Input bytes per seed.
    #[arg(long, default_value_t = weft_smith::SEED_INPUT_LEN)]
    input_len: usize,
    /// Print instruction-row coverage over the generated modules.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// A `weft smith` or `weft shrink` failure of their own.
#[derive(Debug)]
pub enum CommandError {
    /// The configuration file or an option is not understood.
    Config {
        /// What and where.
        message: String,
    },
    /// `weft shrink`: the input module does not satisfy the predicate.
    NotInteresting,
    /// `weft shrink`: the predicate could not be run.
    Predicate {
        /// The command.
        command: String,
        /// What the system said.
        source: std::io::Error,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Config { message } => write!(f, "configuration: {message}"),
            CommandError::NotInteresting => {
                f.write_str("the input module does not satisfy the predicate")
            }
            CommandError::Predicate { command, source } => {
                write!(f, "cannot run predicate `{command}`: {source}")
            }
        }
    }
}

impl std::error::Error for CommandError {}

fn config_error(message: impl Into<String>) -> Error {
    Error::Command(CommandError::Config {
        message: message.into(),
    })
}

/// Applies a JSON configuration object to `c`.
fn apply_json(c: &mut Config, text: &str) -> Result<(), Error> {
    use serde_json::Value;
    let v: Value = serde_json::from_str(text).map_err(|e| config_error(e.to_string()))?;
    let Value::Object(map) = v else {
        return Err(config_error("expected a JSON object"));
    };
    let num = |k: &str, v: &Value| {
        v.as_u64()
            .ok_or_else(|| config_error(format!("`{k}` must be a non-negative integer")))
    };
    let flag = |k: &str, v: &Value| {
        v.as_bool()
            .ok_or_else(|| config_error(format!("`{k}` must be true or false")))
    };
    let names = |k: &str, v: &Value| -> Result<Vec<String>, Error> {
        v.as_array()
            .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect())
            .ok_or_else(|| config_error(format!("`{k}` must be an array of mnemonics")))
    };
    for (k, v) in &map {
        let k = k.as_str();
        match k {
            "features" => {
                let s = v
                    .as_str()
                    .ok_or_else(|| config_error("`features` must be a string"))?;
                c.features = weft_ast::Features::parse(s).map_err(Error::Features)?;
            }
            "min_types" => c.min_types = num(k, v)? as usize,
            "max_types" => c.max_types = num(k, v)? as usize,
            "max_rec_group" => c.max_rec_group = num(k, v)? as usize,
            "min_funcs" => c.min_funcs = num(k, v)? as usize,
            "max_funcs" => c.max_funcs = num(k, v)? as usize,
            "max_imports" => c.max_imports = num(k, v)? as usize,
            "max_exports" => c.max_exports = num(k, v)? as usize,
            "max_instrs" => c.max_instrs = num(k, v)? as usize,
            "max_nesting" => c.max_nesting = num(k, v)? as usize,
            "max_expr_depth" => c.max_expr_depth = num(k, v)? as usize,
            "max_params" => c.max_params = num(k, v)? as usize,
            "max_results" => c.max_results = num(k, v)? as usize,
            "max_locals" => c.max_locals = num(k, v)? as usize,
            "max_fields" => c.max_fields = num(k, v)? as usize,
            "max_memories" => c.max_memories = num(k, v)? as usize,
            "max_memory_pages" => c.max_memory_pages = num(k, v)?,
            "max_tables" => c.max_tables = num(k, v)? as usize,
            "max_table_size" => c.max_table_size = num(k, v)?,
            "max_globals" => c.max_globals = num(k, v)? as usize,
            "max_tags" => c.max_tags = num(k, v)? as usize,
            "max_elems" => c.max_elems = num(k, v)? as usize,
            "max_datas" => c.max_datas = num(k, v)? as usize,
            "max_data_len" => c.max_data_len = num(k, v)? as usize,
            "allow_start" => c.allow_start = flag(k, v)?,
            "swarm" => c.swarm = flag(k, v)?,
            "canonicalize_nans" => c.canonicalize_nans = flag(k, v)?,
            "disallow_traps" => c.disallow_traps = flag(k, v)?,
            "export_everything" => c.export_everything = flag(k, v)?,
            "ensure_termination" => {
                c.ensure_termination = if v.is_null() {
                    None
                } else {
                    Some(u32::try_from(num(k, v)?).map_err(|_| config_error("fuel too large"))?)
                }
            }
            "allow" => {
                let n = names(k, v)?;
                *c = std::mem::take(c)
                    .allow_only(n.iter().map(String::as_str))
                    .map_err(|n| config_error(format!("unknown instruction `{n}`")))?;
            }
            "deny" => {
                let n = names(k, v)?;
                *c = std::mem::take(c)
                    .deny(n.iter().map(String::as_str))
                    .map_err(|n| config_error(format!("unknown instruction `{n}`")))?;
            }
            other => return Err(config_error(format!("unknown key `{other}`"))),
        }
    }
    Ok(())
}

/// The configuration the arguments describe.
fn config(args: &SmithArgs) -> Result<Config, Error> {
    let mut c = Config::with_features(args.features.features()?);
    if let Some(path) = &args.config {
        let bytes = super::read(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| config_error(format!("{}: not UTF-8", path.display())))?;
        apply_json(&mut c, &text).map_err(|e| config_error(format!("{}: {e}", path.display())))?;
    }
    c.swarm |= args.swarm;
    c.canonicalize_nans |= args.canonicalize_nans;
    c.disallow_traps |= args.disallow_traps;
    c.export_everything |= args.export_everything;
    if args.ensure_termination.is_some() {
        c.ensure_termination = args.ensure_termination;
    }
    if let Some(n) = args.max_funcs {
        c.max_funcs = n;
    }
    if let Some(n) = args.max_instrs {
        c.max_instrs = n;
    }
    if !args.allow.is_empty() {
        c = c
            .allow_only(args.allow.iter().map(String::as_str))
            .map_err(|n| config_error(format!("unknown instruction `{n}`")))?;
    }
    if !args.deny.is_empty() {
        c = c
            .deny(args.deny.iter().map(String::as_str))
            .map_err(|n| config_error(format!("unknown instruction `{n}`")))?;
    }
    Ok(c)
}

/// Runs `weft smith`.
pub fn run(args: SmithArgs) -> Result<(), Error> {
    let config = config(&args)?;
    if args.count != 1 && args.output.is_some() {
        return Err(config_error(
            "-o writes one module: use --out DIR with --count",
        ));
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
    }
    let to_stdout = args.out.is_none() && args.output.is_none() && !args.stats;
    if to_stdout && args.count != 1 {
        return Err(config_error("several modules need --out DIR"));
    }
    let mut stats = Stats::new();
    let mut progress = super::Progress::new(args.count);
    for k in 0..args.count {
        let seed = args.seed.wrapping_add(k);
        progress.step(&format_args!("seed {seed}"));
        let bytes = weft_smith::seed_bytes(seed, args.input_len);
        let module = weft_ast::Module::arbitrary(&mut Unstructured::new(&bytes), &config)
            .map_err(|e| config_error(format!("seed {seed}: {e}")))?;
        let wasm = module.encode();
        if args.stats {
            stats.add(&module, wasm.len());
        }
        if let Some(dir) = &args.out {
            super::write(&dir.join(format!("smith-{seed}.wasm")), &wasm)?;
        } else if let Some(path) = &args.output {
            super::write(path, &wasm)?;
        } else if to_stdout {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(&wasm)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("<stdout>"),
                    source,
                })?;
        }
    }
    progress.finish();
    if args.stats {
        super::emit(format_args!("{stats}"))?;
        // In swarm mode the features drawn are subsets of these.
        let features = config.features;
        let missing = stats.missing(features);
        let (seen, total) = stats.coverage(features);
        super::emit(format_args!(
            "coverage of the enabled rows: {seen} of {total} ({:.1}%)\n",
            100.0 * seen as f64 / total.max(1) as f64
        ))?;
        for (_, row) in missing {
            super::emit(format_args!(
                "never generated: {} ({})\n",
                row.name, row.variant
            ))?;
        }
    }
    Ok(())
}
