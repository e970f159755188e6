//! Differential test against wasmparser (a dev-dependency oracle): the same
//! accept/reject verdict on every testsuite module and on mutated variants
//! (bytes flipped, instructions replaced by `nop`). Disagreements are listed
//! with both sides' reasons, and fail the test unless listed as intended
//! (`INTENDED`), the parser's rejections included.

mod common;

use std::collections::BTreeMap;

use common::{Verdict, all_scripts, assert_exact, ours, wasmparser_valid};
use weft_ast::{Features, Instr};

/// A small deterministic generator, so that failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Default)]
struct Tally {
    compared: usize,
    both_valid: usize,
    both_invalid: usize,
    /// Every disagreement: `name: what` (see [`INTENDED`]) and both sides'
    /// reasons.
    disagreements: BTreeMap<String, String>,
}

/// The disagreements with wasmparser that are intended, each with why:
/// `case: what`, `what` being `we accept, wasmparser rejects`, `validator
/// rejects, wasmparser accepts` or `parser rejects, wasmparser accepts`.
/// None today: the test fails on any disagreement not listed, and on a
/// listed one that no longer occurs.
const INTENDED: &[(&str, &str)] = &[];

impl Tally {
    fn compare(&mut self, name: &str, bytes: &[u8], features: Features) {
        self.compared += 1;
        let mine = ours(bytes, features);
        let theirs = wasmparser_valid(bytes, features);
        let (what, detail) = match (&mine, &theirs) {
            (Verdict::Valid, Ok(())) => {
                self.both_valid += 1;
                return;
            }
            (Verdict::Invalid(_) | Verdict::Malformed(_), Err(_)) => {
                self.both_invalid += 1;
                return;
            }
            (Verdict::Valid, Err(e)) => {
                ("we accept, wasmparser rejects", format!("wasmparser: {e}"))
            }
            (Verdict::Invalid(m), Ok(())) => ("validator rejects, wasmparser accepts", m.clone()),
            // Our decoder rejects what wasmparser decodes and validates,
            // mutants included: a disagreement as much as the validator's.
            (Verdict::Malformed(m), Ok(())) => ("parser rejects, wasmparser accepts", m.clone()),
        };
        self.disagreements.insert(format!("{name}: {what}"), detail);
    }

    fn print(&self, title: &str) {
        println!(
            "{title}: {} compared ({} valid and {} invalid for both); {} disagreements",
            self.compared,
            self.both_valid,
            self.both_invalid,
            self.disagreements.len()
        );
        for (id, detail) in &self.disagreements {
            println!("  {id} ({detail})");
        }
    }
}

/// Replaces a random instruction by another one of the same module, which
/// mostly breaks typing in varied ways.
fn replace_instr(bytes: &[u8], features: Features, rng: &mut XorShift) -> Option<Vec<u8>> {
    let mut m = weft_parser::parse_with(bytes, features).ok()?;
    if m.code.is_empty() {
        return None;
    }
    let (k, j) = (rng.below(m.code.len()), rng.below(m.code.len()));
    m.code[k] = m.code[j].clone();
    Some(m.encode())
}

/// Replaces the `k`-th instruction of the module's code by `nop`, which
/// drops it from the stack's point of view.
fn drop_instr(bytes: &[u8], features: Features, rng: &mut XorShift) -> Option<Vec<u8>> {
    let mut m = weft_parser::parse_with(bytes, features).ok()?;
    if m.code.is_empty() {
        return None;
    }
    let k = rng.below(m.code.len());
    m.code[k] = Instr::Nop;
    Some(m.encode())
}

/// Proposals switched off one at a time (those wasmparser can turn off
/// without turning off others it considers prerequisites).
const WITHOUT: &[(&str, Features)] = &[
    ("gc", Features::GC),
    ("exceptions", Features::EXCEPTIONS),
    ("simd", Features::SIMD.with(Features::RELAXED_SIMD)),
    ("relaxed-simd", Features::RELAXED_SIMD),
    ("threads", Features::THREADS),
    ("memory64", Features::MEMORY64),
    ("multi-memory", Features::MULTI_MEMORY),
    ("tail-call", Features::TAIL_CALL),
    ("extended-const", Features::EXTENDED_CONST),
    ("wide-arithmetic", Features::WIDE_ARITHMETIC),
    (
        "function-references",
        Features::FUNCTION_REFERENCES.with(Features::GC),
    ),
];

#[test]
fn agrees_with_wasmparser() {
    let mut plain = Tally::default();
    let mut flipped = Tally::default();
    let mut dropped = Tally::default();
    let mut replaced = Tally::default();
    // Every module again as Wasm 1.0 and 2.0: the proposals switched off
    // must be rejected exactly where wasmparser rejects them.
    let mut older = Tally::default();
    let wasm1 = Features::WASM1.with(Features::MUTABLE_GLOBAL);
    // And with single proposals of the default set switched off.
    let mut without = Tally::default();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for s in all_scripts(500) {
        let features = s.features;
        for case in &s.cases {
            plain.compare(&case.name, &case.bytes, features);
            older.compare(&format!("{} as 1.0", case.name), &case.bytes, wasm1);
            older.compare(
                &format!("{} as 2.0", case.name),
                &case.bytes,
                Features::WASM2,
            );
            without.compare(
                &format!("{} with all", case.name),
                &case.bytes,
                Features::ALL,
            );
            for &(name, off) in WITHOUT {
                without.compare(
                    &format!("{} without {name}", case.name),
                    &case.bytes,
                    Features::default().without(off),
                );
            }
            for n in 0..3 {
                if case.bytes.len() > 8 {
                    let mut b = case.bytes.clone();
                    let at = 8 + rng.below(b.len() - 8);
                    b[at] ^= 1 + rng.below(255) as u8;
                    flipped.compare(&format!("{} flip#{n}@{at}", case.name), &b, features);
                }
                if let Some(b) = drop_instr(&case.bytes, features, &mut rng) {
                    dropped.compare(&format!("{} drop#{n}", case.name), &b, features);
                }
                if let Some(b) = replace_instr(&case.bytes, features, &mut rng) {
                    replaced.compare(&format!("{} replace#{n}", case.name), &b, features);
                    older.compare(&format!("{} replace#{n} as 1.0", case.name), &b, wasm1);
                }
            }
        }
    }
    plain.print("testsuite modules");
    flipped.print("bytes flipped");
    dropped.print("instructions dropped");
    replaced.print("instructions replaced");
    older.print("as Wasm 1.0 and 2.0");
    without.print("every proposal on, and default without one proposal");
    // Every comparison was made: the testsuite's modules (each once as
    // is, twice as older versions, twelve times under other proposal sets)
    // and their mutants (fewer: a module must decode to be mutated).
    assert_eq!(plain.compared, MODULES, "testsuite modules compared");
    assert_eq!(without.compared, 12 * MODULES);
    assert!(older.compared > 2 * MODULES, "{}", older.compared);
    for (tally, min) in [(&flipped, 45_000), (&dropped, 39_000), (&replaced, 39_000)] {
        assert!(
            tally.compared >= min,
            "{} mutants compared, expected {min}",
            tally.compared
        );
    }
    // Every disagreement is listed above with both sides' reasons; only
    // the intended ones may remain.
    let mut all = BTreeMap::new();
    for tally in [&plain, &flipped, &dropped, &replaced, &older, &without] {
        all.extend(tally.disagreements.clone());
    }
    assert_exact("disagreements with wasmparser", &all, INTENDED);
}

/// The testsuite's modules (`tests/spec.rs` judges each of them).
const MODULES: usize = 15_117;
