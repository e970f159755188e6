//! `weft compile IN`: validates and compiles a module without running it,
//! and prints what the engine made of it: functions, how many the JIT
//! compiled and how many it leaves to the interpreter, bytes of machine
//! code, and the time taken with its throughput in MB/s of code section
//! (validation included, one thread). `--json` prints one object.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{Error, FeatureArgs};

/// Arguments of `weft compile`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft compile app.wasm --repeat 5 --json")]
pub struct CompileArgs {
    /// The module (binary or text; `-` for standard input).
    input: PathBuf,
    /// The engine to prepare the module for: `jit` (the default) or
    /// `interp` (validation and the interpreter's translation only).
    #[arg(long, value_name = "ENGINE", default_value = "jit")]
    engine: weft_interp::Engine,
    /// Compile this many times and report the fastest.
    #[arg(long, value_name = "N", default_value_t = 1)]
    repeat: u32,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// The size of a binary module's code section (0 if it has none or the
/// bytes are not a well-formed sequence of sections).
fn code_section_bytes(bytes: &[u8]) -> u64 {
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let (mut size, mut shift) = (0u64, 0);
        loop {
            let Some(&b) = bytes.get(at) else { return 0 };
            at += 1;
            size |= ((b & 0x7f) as u64) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 35 {
                break;
            }
        }
        if id == 10 {
            return size;
        }
        at = at.saturating_add(size as usize);
    }
    0
}

/// Runs `weft compile`.
pub fn run(args: CompileArgs) -> Result<(), Error> {
    let features = args.features.features()?;
    if !args.engine.available() {
        return Err(Error::Usage(format!(
            "--engine {}: not available in this build (the JIT needs x86-64 Linux or macOS \
             and the `jit` feature)",
            args.engine.name()
        )));
    }
    let bytes = super::read(&args.input)?;
    let ast = super::decode(&args.input, &bytes, features)?;
    let binary = if super::is_binary(&args.input, &bytes) {
        bytes
    } else {
        weft_ast::encode::encode(&ast)
    };
    let code_bytes = code_section_bytes(&binary);
    let mut best = Duration::MAX;
    let mut stats = weft_interp::JitStats::default();
    for _ in 0..args.repeat.max(1) {
        let ast = ast.clone();
        let start = Instant::now();
        let module =
            weft_interp::Module::with_engine(ast, features, args.engine).map_err(|e| match e {
                weft_interp::Error::Validation(source) => Error::Invalid {
                    path: args.input.clone(),
                    source,
                },
                e => Error::Usage(format!("{}: {e}", args.input.display())),
            })?;
        best = best.min(start.elapsed());
        stats = module
            .jit_stats()
            .cloned()
            .unwrap_or_else(|| weft_interp::JitStats {
                functions: module.ast().funcs.len() as u32,
                interpreted: module.ast().funcs.len() as u32,
                ..Default::default()
            });
    }
    let secs = best.as_secs_f64();
    let mbps = if secs > 0.0 {
        code_bytes as f64 / secs / 1e6
    } else {
        0.0
    };
    let name = args.input.display().to_string();
    if args.json {
        super::emit(format_args!(
            "{{\"file\":{name:?},\"engine\":\"{}\",\"functions\":{},\"compiled\":{},\
             \"interpreted\":{},\"code_section_bytes\":{code_bytes},\"machine_code_bytes\":{},\
             \"seconds\":{secs:.6},\"mb_per_s\":{mbps:.2}}}\n",
            args.engine.name(),
            stats.functions,
            stats.compiled,
            stats.interpreted,
            stats.code_bytes,
        ))?;
    } else {
        super::emit(format_args!(
            "{name}: {} functions, {} compiled, {} in the interpreter; {code_bytes} bytes of \
             code section -> {} bytes of machine code in {:.3} ms ({mbps:.1} MB/s, {})\n",
            stats.functions,
            stats.compiled,
            stats.interpreted,
            stats.code_bytes,
            secs * 1e3,
            args.engine.name(),
        ))?;
        let mut why: Vec<_> = stats.unsupported.iter().collect();
        why.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (instr, n) in why {
            super::emit(format_args!("  {n:6} kept by {instr}\n"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::code_section_bytes;

    #[test]
    fn finds_the_code_section() {
        // magic, version, a type section of 4 bytes, a code section of 6.
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 4, 1, 0x60, 0, 0]);
        m.extend([10, 6, 1, 4, 0, 0x01, 0x01, 0x0b]);
        assert_eq!(code_section_bytes(&m), 6);
        assert_eq!(code_section_bytes(&m[..10]), 0);
    }
}
