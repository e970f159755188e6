//! The branch hint section (`metadata.code.branch_hint`), decoded into
//! [`Module::branch_hints`].
//!
//! The section comes before the code section and names instructions by
//! byte offset in their function's body, so it is read in two steps: its
//! entries when it is met ([`read`]), their instructions once the bodies
//! are decoded ([`resolve`]). As for the name section, a custom section
//! never makes a module malformed: anything that does not fit leaves the
//! section as raw bytes. It is decoded only when writing it back gives the
//! same bytes: known shape, functions and offsets in increasing order,
//! every offset at an `if` or `br_if` of a body whose encoding is the
//! encoder's own (same size, hence same offsets: every other encoding of
//! an instruction is longer).

use weft_ast::encode::{encode_branch_hints, encode_func_body};
use weft_ast::{BranchHint, ExternKind, FuncBranchHints, Instr, Module};

use crate::reader::Reader;

/// The section's entries: by function index, (byte offset, likely).
pub type Entries = Vec<(u32, Vec<(u32, bool)>)>;

/// Reads the section's payload (after its name), or `None` when it is not
/// the proposal's shape.
pub fn read(payload: &[u8]) -> Option<Entries> {
    let mut r = Reader::new(payload, 0);
    let (n, cap) = r.count().ok()?;
    let mut funcs: Entries = Vec::with_capacity(cap);
    for _ in 0..n {
        let func = r.u32().ok()?;
        if funcs.last().is_some_and(|(last, _)| func <= *last) {
            return None;
        }
        let (count, cap) = r.count().ok()?;
        let mut hints: Vec<(u32, bool)> = Vec::with_capacity(cap);
        for _ in 0..count {
            let offset = r.u32().ok()?;
            if hints.last().is_some_and(|(last, _)| offset <= *last) {
                return None;
            }
            // The value's size, then the value: one byte, 0 or 1.
            if r.u32().ok()? != 1 {
                return None;
            }
            let likely = match r.u8().ok()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            hints.push((offset, likely));
        }
        funcs.push((func, hints));
    }
    r.at_end().then_some(funcs)
}

/// Sets [`Module::branch_hints`] from `entries`, naming instructions by
/// index; returns `false` (and leaves the module without hints) when one
/// does not name an `if` or `br_if` of a defined function, or when the
/// hints would not be written back as `payload` (see the module comment).
/// `sizes` holds each body's size in bytes as decoded.
pub fn resolve(module: &mut Module, sizes: &[u32], entries: &Entries, payload: &[u8]) -> bool {
    match by_index(module, sizes, entries) {
        Some(hints) => module.branch_hints = hints,
        None => return false,
    }
    // What the encoder would write must be these very bytes (a padded
    // number, or a function without hints, would not be given back).
    let mut again = Vec::with_capacity(payload.len());
    encode_branch_hints(module, &mut again);
    if again != payload {
        module.branch_hints.clear();
        return false;
    }
    true
}

/// The hints of `entries` by instruction index.
fn by_index(module: &Module, sizes: &[u32], entries: &Entries) -> Option<Vec<FuncBranchHints>> {
    let imported = module.num_imports(ExternKind::Func);
    let mut out = Vec::with_capacity(entries.len());
    let mut scratch = Vec::new();
    let mut offsets = Vec::new();
    for (func, hints) in entries {
        let defined = func.checked_sub(imported)? as usize;
        let f = module.funcs.get(defined)?;
        let code = module
            .code
            .get(f.body.start as usize..f.body.end as usize)?;
        scratch.clear();
        offsets.clear();
        encode_func_body(module, f, &mut scratch, |_, off| offsets.push(off));
        if scratch.len() != *sizes.get(defined)? as usize {
            return None;
        }
        let mut resolved = Vec::with_capacity(hints.len());
        for &(offset, likely) in hints {
            let instr = offsets.binary_search(&(offset as usize)).ok()?;
            if !matches!(code[instr], Instr::If { .. } | Instr::BrIf { .. }) {
                return None;
            }
            resolved.push(BranchHint {
                instr: instr as u32,
                likely,
            });
        }
        out.push(FuncBranchHints {
            func: *func,
            hints: resolved,
        });
    }
    Some(out)
}
