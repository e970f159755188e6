//! weft-smith: valid WebAssembly modules from arbitrary bytes, for fuzzing
//! engines, and a reducer that keeps them valid.
//!
//! [`Smith::arbitrary`] turns an [`arbitrary::Unstructured`] into a
//! [`weft_ast::Module`] that is valid under the [`Config`]'s features,
//! every time: types, imports and exports of every kind, memories (64-bit,
//! several, shared, custom page sizes), tables, globals, tags, element and
//! data segments (active, passive, declarative), a start function, and
//! bodies with nested blocks, branches and calls of every kind, exceptions
//! (new and legacy), and every instruction row of the enabled proposals.
//! The same bytes and the same configuration always give the same module.
//!
//! Instruction choice is driven by weft's one instruction table
//! (`weft_ast::for_each_instr!`): rows whose immediates are plain get their
//! immediates and signature from the table and this crate's typing
//! function, so a new row of that kind is generated the day it is added.
//!
//! ```
//! use arbitrary::Unstructured;
//! use weft_smith::{Config, Smith};
//!
//! let bytes = [7u8; 512];
//! let module = weft_ast::Module::arbitrary(&mut Unstructured::new(&bytes), &Config::default())
//!     .unwrap();
//! let wasm = module.encode();
//! assert_eq!(&wasm[..4], b"\0asm");
//! ```
//!
//! [`shrink`] reduces a module while a predicate holds, offering it only
//! valid candidates; [`Stats`] counts the instruction rows a set of
//! modules uses.

#![warn(missing_docs)]

mod code;
mod config;
mod instrs;
mod modgen;
pub mod shrink;
mod stats;

pub use config::Config;
pub use instrs::{ROW_COUNT, ROWS, Row, row_of};
pub use shrink::shrink;
pub use stats::Stats;

use arbitrary::Unstructured;
use weft_ast::Module;

/// Generation of a valid module from unstructured bytes.
pub trait Smith: Sized {
    /// A module valid under `config.features` (in swarm mode, under the
    /// features drawn from `u`, a subset of them).
    fn arbitrary(u: &mut Unstructured<'_>, config: &Config) -> arbitrary::Result<Self>;
}

impl Smith for Module {
    fn arbitrary(u: &mut Unstructured<'_>, config: &Config) -> arbitrary::Result<Module> {
        generate(u, config)
    }
}

/// A valid module from unstructured bytes (see [`Smith::arbitrary`]).
pub fn generate(u: &mut Unstructured<'_>, config: &Config) -> arbitrary::Result<Module> {
    let cfg = if config.swarm {
        config.draw_swarm(u)?
    } else {
        config.clone()
    };
    modgen::Gen::new(u, cfg).module()
}

/// The features a module generated from these bytes uses: the
/// configuration's, or in swarm mode the subset drawn from the bytes.
pub fn features_for(bytes: &[u8], config: &Config) -> weft_ast::Features {
    if config.swarm {
        let mut u = Unstructured::new(bytes);
        match config.draw_swarm(&mut u) {
            Ok(c) => c.features,
            Err(_) => config.features,
        }
    } else {
        config.features
    }
}

/// The input bytes for a seed: `len` bytes of a SplitMix64 stream, so a
/// seed names the same module on every machine.
pub fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// How many input bytes a seed gets in [`from_seed`]: enough that the
/// maxima, not the input, end a module most of the time.
pub const SEED_INPUT_LEN: usize = 4096;

/// The module of a seed: [`generate`] over [`seed_bytes`]. Returns the
/// module and the features it was generated for.
pub fn from_seed(seed: u64, config: &Config) -> (Module, weft_ast::Features) {
    let bytes = seed_bytes(seed, SEED_INPUT_LEN);
    let features = features_for(&bytes, config);
    let module = generate(&mut Unstructured::new(&bytes), config)
        .expect("generation reads only what the bytes give");
    (module, features)
}

/// A module of the default configuration, for fuzz targets that take an
/// `Arbitrary` input.
#[derive(Clone, Debug)]
pub struct ArbitraryModule(pub Module);

impl<'a> arbitrary::Arbitrary<'a> for ArbitraryModule {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<ArbitraryModule> {
        generate(u, &Config::default()).map(ArbitraryModule)
    }
}
