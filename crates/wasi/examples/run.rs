//! Runs a WASI command the way `weft run` is meant to: the host's standard
//! streams, the directories and variables given, the program's exit code.
//!
//! ```text
//! cargo run -p weft-wasi --example run -- [--dir HOST[::GUEST]]... [--env K=V]... PROG.wasm [ARGS...]
//! ```
//!
//! A `--dir` without `::GUEST` is seen by the program under its host path.

use std::process::ExitCode;

use weft_interp::{Linker, Module, Store};
use weft_wasi::WasiCtx;

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<i32, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut ctx = WasiCtx::builder().inherit_stdio();
    let prog = loop {
        let a = args
            .next()
            .ok_or("usage: run [--dir HOST[::GUEST]] [--env K=V] PROG.wasm [ARGS...]")?;
        match a.as_str() {
            "--dir" => {
                let d = args.next().ok_or("--dir needs a directory")?;
                let (host, guest) = d.split_once("::").unwrap_or((&d, &d));
                ctx = ctx.preopened_dir(host, guest);
            }
            "--env" => {
                let kv = args.next().ok_or("--env needs K=V")?;
                let (k, v) = kv.split_once('=').ok_or("--env needs K=V")?;
                ctx = ctx.env(k, v);
            }
            _ => break a,
        }
    };
    let ctx = ctx.arg(prog.as_str()).args(args).build()?;
    let bytes = std::fs::read(&prog)?;
    let module = Module::new(weft_parser::parse(&bytes)?)?;
    let mut store = Store::new();
    let mut linker = Linker::new();
    weft_wasi::add_to_linker(&mut linker, &mut store, ctx);
    Ok(weft_wasi::run_command(&mut store, &linker, &module)?)
}
