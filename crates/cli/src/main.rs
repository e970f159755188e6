//! The `weft` command.
//!
//! Each subcommand lives in its own module under `cmd/`, with its clap
//! arguments and a `run` function; adding one is a new file, one variant of
//! [`Command`] and one line in [`main`].

#![warn(missing_docs)]

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// weft: a WebAssembly toolkit.
#[derive(Debug, Parser)]
#[command(
    name = "weft",
    version,
    about,
    after_help = "Example: weft objdump -d module.wasm"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Validate and compile a module without running it; print what the
    /// engine made of it and how fast.
    Compile(cmd::compile::CompileArgs),
    /// Read a module (binary or text) and encode it to the binary format.
    Parse(cmd::parse::ParseArgs),
    /// Show a module's sections, counts, imports and exports.
    Dump(cmd::dump::DumpArgs),
    /// Show a module's sections, details, disassembly or bytes, like
    /// `wasm-objdump`.
    Objdump(cmd::objdump::ObjdumpArgs),
    /// Print a module (binary or text) as text.
    Print(cmd::print::PrintArgs),
    /// Call an exported function and print its results.
    Run(cmd::run::RunArgs),
    /// Check a module (binary or text) against the validation rules.
    Validate(cmd::validate::ValidateArgs),
    #[cfg(feature = "testsuite")]
    /// Run the official spec testsuite (bundled) and print a table by directory.
    Spec(cmd::spec::SpecArgs),
    /// Remove custom sections, copying every other byte as it is.
    Strip(cmd::strip::StripArgs),
    /// Convert a .wast script to wabt's wast2json form (JSON and module
    /// files).
    JsonFromWast(cmd::json_from_wast::JsonFromWastArgs),
    /// Run .wast scripts (or json-from-wast command files).
    Wast(cmd::wast::WastArgs),
    /// Generate valid modules from seeds (weft-smith), or coverage stats.
    Smith(cmd::smith::SmithArgs),
    /// Reduce a module while a predicate command holds, keeping it valid.
    Shrink(cmd::shrink::ShrinkArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish,
    /// powershell).
    #[command(
        after_help = "Example: weft completions bash > ~/.local/share/bash-completion/completions/weft"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// What `weft --version` says: the version, the build's optional parts,
/// and the proposals on by default.
fn version() -> String {
    let mut built: Vec<&str> = Vec::new();
    if cfg!(feature = "testsuite") {
        built.push("testsuite");
    }
    if weft_interp::Engine::Jit.available() {
        built.push("jit");
    }
    let proposals: Vec<&str> = weft_ast::Features::DEFAULT.names().collect();
    format!(
        "{}\nfeatures: {}\ndefault proposals: {}",
        env!("CARGO_PKG_VERSION"),
        if built.is_empty() {
            "none".to_string()
        } else {
            built.join(", ")
        },
        proposals.join(", ")
    )
}

fn main() -> ExitCode {
    let argv = cmd::run::normalize_args(std::env::args_os().collect(), &Cli::command());
    // Built once per run: clap keeps a `'static` version text.
    let version: &'static str = Box::leak(version().into_boxed_str());
    let matches = Cli::command().version(version).get_matches_from(argv);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Compile(args) => cmd::compile::run(args),
        Command::Parse(args) => cmd::parse::run(args),
        Command::Dump(args) => cmd::dump::run(args),
        Command::Objdump(args) => cmd::objdump::run(args),
        Command::Print(args) => cmd::print::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Validate(args) => cmd::validate::run(args),
        #[cfg(feature = "testsuite")]
        Command::Spec(args) => cmd::spec::run(args),
        Command::Strip(args) => cmd::strip::run(args),
        Command::JsonFromWast(args) => cmd::json_from_wast::run(args),
        Command::Wast(args) => cmd::wast::run(args),
        Command::Smith(args) => cmd::smith::run(args),
        Command::Shrink(args) => cmd::shrink::run(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "weft", &mut script);
            cmd::write(std::path::Path::new("-"), &script)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A program's own exit code, as the program gave it.
        Err(cmd::Error::Exit(code)) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
