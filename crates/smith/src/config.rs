//! `Config`: what the generator may produce, and swarm mode.
//!
//! A configuration is plain data so that a fuzz target, the CLI (`weft
//! smith --config FILE.json`) and a test can all build one; the same bytes
//! and the same configuration always give the same module. Swarm mode draws
//! a narrower configuration from the input first (a subset of the features,
//! lower maxima, a few instruction groups switched off), so that a campaign
//! explores many small corners instead of one average module.

use arbitrary::{Result, Unstructured};
use weft_ast::{Features, Module};

use crate::instrs::{self, ROW_COUNT};

/// What the generator may produce.
///
/// Maxima are inclusive; a minimum larger than its maximum is read as the
/// maximum. Every count is also bounded by the input: when the bytes run
/// out, the generator closes what is open and stops.
#[derive(Clone, Debug)]
pub struct Config {
    /// The proposals the module may use (the same set `--features` names).
    pub features: Features,
    /// Fewest defined types.
    pub min_types: usize,
    /// Most defined types.
    pub max_types: usize,
    /// Most types in one recursion group (GC).
    pub max_rec_group: usize,
    /// Fewest defined functions.
    pub min_funcs: usize,
    /// Most defined functions.
    pub max_funcs: usize,
    /// Most imports.
    pub max_imports: usize,
    /// Most exports (besides those of `export_everything`).
    pub max_exports: usize,
    /// Most instructions in one function body (the closing `end`s and the
    /// guards added by `ensure_termination`, `disallow_traps` and
    /// `canonicalize_nans` not counted).
    pub max_instrs: usize,
    /// Deepest nesting of blocks in a body.
    pub max_nesting: usize,
    /// Deepest operand expression built for one instruction.
    pub max_expr_depth: usize,
    /// Most parameters of a function type (and results, and block types).
    pub max_params: usize,
    /// Most results of a function type (more than one needs multi-value).
    pub max_results: usize,
    /// Most declared locals of a function.
    pub max_locals: usize,
    /// Most fields of a struct type.
    pub max_fields: usize,
    /// Most memories (more than one needs multi-memory).
    pub max_memories: usize,
    /// Most pages of a memory's minimum and maximum.
    pub max_memory_pages: u64,
    /// Most tables (more than one needs reference types).
    pub max_tables: usize,
    /// Most elements of a table's minimum and maximum.
    pub max_table_size: u64,
    /// Most globals.
    pub max_globals: usize,
    /// Most tags (exceptions).
    pub max_tags: usize,
    /// Most element segments.
    pub max_elems: usize,
    /// Most data segments.
    pub max_datas: usize,
    /// Most bytes of one data segment.
    pub max_data_len: usize,
    /// Whether a start function may be chosen.
    pub allow_start: bool,
    /// Swarm mode: features (a subset of `features`), maxima and
    /// instruction groups are drawn from the input first.
    pub swarm: bool,
    /// Fuel: when set, an exported mutable `i32` global named `fuel` starts
    /// at this value; every function entry and loop head decrements it and
    /// traps (`unreachable`) when it is spent, so every call terminates.
    pub ensure_termination: Option<u32>,
    /// Replace the NaN results of float arithmetic (scalar and vector) with
    /// the canonical NaN, so engines free to pick NaN bits agree.
    pub canonicalize_nans: bool,
    /// Avoid traps where it can be done: memory accesses are guarded to
    /// stay in bounds (and aligned, for atomics), divisors kept nonzero and
    /// away from overflow, float-to-int conversions saturate; instructions
    /// that trap and cannot be guarded (`unreachable`, indirect and
    /// reference calls, table and bulk memory operations, throws, casts,
    /// GC accesses, atomic waits) are not generated. Stack exhaustion is
    /// still possible.
    pub disallow_traps: bool,
    /// Export every function, table, memory, global and tag.
    pub export_everything: bool,
    /// When set, imports are drawn from this module's imports only (its
    /// types are copied first so that type indices keep their meaning).
    pub available_imports: Option<Module>,
    /// Which instruction rows may be chosen, by row index (see
    /// [`crate::rows`]); `None` allows all. Constants, `end`/`else` and
    /// the instructions of the guards stay available: a valid body needs
    /// them.
    pub allowed_instrs: Option<Vec<bool>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            features: Features::default(),
            min_types: 0,
            max_types: 10,
            max_rec_group: 4,
            min_funcs: 0,
            max_funcs: 6,
            max_imports: 4,
            max_exports: 8,
            max_instrs: 30,
            max_nesting: 6,
            max_expr_depth: 3,
            max_params: 4,
            max_results: 3,
            max_locals: 6,
            max_fields: 5,
            max_memories: 2,
            max_memory_pages: 4,
            max_tables: 2,
            max_table_size: 16,
            max_globals: 6,
            max_tags: 3,
            max_elems: 4,
            max_datas: 4,
            max_data_len: 16,
            allow_start: true,
            swarm: false,
            ensure_termination: None,
            canonicalize_nans: false,
            disallow_traps: false,
            export_everything: false,
            available_imports: None,
            allowed_instrs: None,
        }
    }
}

impl Config {
    /// The default configuration with these features.
    pub fn with_features(features: Features) -> Config {
        Config {
            features,
            ..Config::default()
        }
    }

    /// The default configuration in swarm mode over these features.
    pub fn swarm(features: Features) -> Config {
        Config {
            features,
            swarm: true,
            ..Config::default()
        }
    }

    /// Allows only the instructions with these mnemonics (every row of a
    /// mnemonic that has two). Unknown names are returned as the error.
    pub fn allow_only<'a>(
        mut self,
        names: impl IntoIterator<Item = &'a str>,
    ) -> std::result::Result<Config, String> {
        let mut allowed = vec![false; ROW_COUNT];
        for name in names {
            let mut found = false;
            for (i, row) in instrs::ROWS.iter().enumerate() {
                if row.name == name {
                    allowed[i] = true;
                    found = true;
                }
            }
            if !found {
                return Err(name.to_string());
            }
        }
        self.allowed_instrs = Some(allowed);
        Ok(self)
    }

    /// Forbids the instructions with these mnemonics. Unknown names are
    /// returned as the error.
    pub fn deny<'a>(
        mut self,
        names: impl IntoIterator<Item = &'a str>,
    ) -> std::result::Result<Config, String> {
        let mut allowed = self
            .allowed_instrs
            .take()
            .unwrap_or_else(|| vec![true; ROW_COUNT]);
        for name in names {
            let mut found = false;
            for (i, row) in instrs::ROWS.iter().enumerate() {
                if row.name == name {
                    allowed[i] = false;
                    found = true;
                }
            }
            if !found {
                return Err(name.to_string());
            }
        }
        self.allowed_instrs = Some(allowed);
        Ok(self)
    }

    /// Draws the swarm configuration for one module: features are kept or
    /// dropped one by one (then closed under the proposals' dependencies),
    /// maxima lowered, and a few instruction groups switched off.
    pub(crate) fn draw_swarm(&self, u: &mut Unstructured<'_>) -> Result<Config> {
        let mut c = self.clone();
        c.swarm = false;
        let mut features = Features::MVP;
        for &(_, f) in Features::NAMED {
            if self.features.contains(f) && u.ratio(3, 4)? {
                features |= f;
            }
        }
        c.features = close_features(features, self.features);
        let lower =
            |u: &mut Unstructured<'_>, max: usize| -> Result<usize> { u.int_in_range(0..=max) };
        c.max_types = lower(u, self.max_types)?.max(self.min_types);
        c.max_funcs = lower(u, self.max_funcs)?.max(self.min_funcs);
        c.max_imports = lower(u, self.max_imports)?;
        c.max_instrs = lower(u, self.max_instrs)?;
        c.max_nesting = lower(u, self.max_nesting)?;
        c.max_globals = lower(u, self.max_globals)?;
        c.max_memories = lower(u, self.max_memories)?;
        c.max_tables = lower(u, self.max_tables)?;
        c.max_elems = lower(u, self.max_elems)?;
        c.max_datas = lower(u, self.max_datas)?;
        c.max_tags = lower(u, self.max_tags)?;
        c.allow_start = self.allow_start && u.arbitrary()?;
        // Switch off a few groups of instructions, by proposal.
        let mut allowed = self
            .allowed_instrs
            .clone()
            .unwrap_or_else(|| vec![true; ROW_COUNT]);
        for &(_, f) in Features::NAMED
            .iter()
            .chain([("mvp", Features::MVP)].iter())
        {
            if u.ratio(1, 8)? {
                for (i, row) in instrs::ROWS.iter().enumerate() {
                    if row.feature == f && !row.structural {
                        allowed[i] = false;
                    }
                }
            }
        }
        c.allowed_instrs = Some(allowed);
        Ok(c)
    }
}

/// `wanted` closed under the dependencies between proposals (a proposal
/// whose types or instructions need another's), within `limit`: a
/// dependent whose base is outside `limit` is dropped.
pub(crate) fn close_features(wanted: Features, limit: Features) -> Features {
    const NEEDS: &[(Features, Features)] = &[
        (Features::REFERENCE_TYPES, Features::BULK_MEMORY),
        (Features::FUNCTION_REFERENCES, Features::REFERENCE_TYPES),
        (Features::GC, Features::FUNCTION_REFERENCES),
        (Features::EXCEPTIONS, Features::REFERENCE_TYPES),
        (Features::LEGACY_EXCEPTIONS, Features::EXCEPTIONS),
        (Features::CUSTOM_DESCRIPTORS, Features::GC),
        (Features::RELAXED_SIMD, Features::SIMD),
    ];
    let mut f = wanted;
    // Add bases first (to a fixed point), then drop what cannot be had.
    loop {
        let before = f;
        for &(dep, base) in NEEDS {
            if f.contains(dep) && limit.contains(base) {
                f |= base;
            }
        }
        if f == before {
            break;
        }
    }
    loop {
        let before = f;
        for &(dep, base) in NEEDS {
            if f.contains(dep) && !f.contains(base) {
                f = f.without(dep);
            }
        }
        if f == before {
            break;
        }
    }
    f
}
