//! Code metadata: the branch hinting proposal's `metadata.code.branch_hint`
//! custom section, decoded.
//!
//! In the binary format a hint names its instruction by byte offset from
//! the start of the function's body (its local declarations' count, right
//! after the body's size). The AST has no byte offsets, so a hint names the
//! instruction by its index in the body instead ([`BranchHint::instr`], 0
//! for the first instruction): the text parser knows that index, the
//! encoder turns it into the offset of the instruction it writes, and the
//! binary parser turns an offset back into an index once the bodies are
//! decoded (keeping the section as raw bytes when an offset does not land
//! on an `if` or `br_if`). Like the name section, the section itself keeps
//! its place among the custom sections ([`crate::CustomKind::BranchHints`]).

use crate::instr::FuncIdx;

/// The name of the branch hint custom section.
pub const BRANCH_HINT_SECTION: &str = "metadata.code.branch_hint";

/// The branch hints of one function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FuncBranchHints {
    /// The function (imports counted).
    pub func: FuncIdx,
    /// Its hints, by increasing instruction index.
    pub hints: Vec<BranchHint>,
}

/// A hint on one `if` or `br_if`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BranchHint {
    /// Index of the instruction in the function's body (0 is the first).
    pub instr: u32,
    /// Whether the branch is likely taken (`"\01"`) rather than unlikely
    /// (`"\00"`).
    pub likely: bool,
}

impl BranchHint {
    /// The hint's byte in the binary and text formats: 1 when likely.
    pub fn value(self) -> u8 {
        u8::from(self.likely)
    }
}
