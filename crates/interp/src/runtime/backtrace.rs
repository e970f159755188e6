//! Where a trap happened: the WebAssembly frames it passed through, kept by
//! the store for the embedder to show ([`Store::trap_backtrace`]).
//!
//! The interpreter records a trap's frames only when the trap happens
//! (each translated function keeps, per op, the body index of the
//! instruction it came from), so that running costs nothing for it.
//!
//! [`Store::trap_backtrace`]: crate::Store::trap_backtrace

use std::fmt;

use crate::runtime::store::Instance;

/// One WebAssembly frame a trap passed through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrapFrame {
    /// The instance whose function ran in this frame.
    pub instance: Instance,
    /// The function's index in its module's function space (imports
    /// first).
    pub func: u32,
    /// The function's name, from the name section or the text's `$id`.
    pub name: Option<Box<str>>,
    /// The index, in the function's body, of the instruction running in
    /// this frame: the one that trapped in the innermost frame, a call in
    /// the others.
    pub instr: u32,
    /// That instruction's mnemonic (`i32.div_s`, `call`).
    pub mnemonic: &'static str,
}

impl fmt::Display for TrapFrame {
    /// `func 3 $name, instruction 12 (i32.div_s)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "func {}", self.func)?;
        if let Some(name) = &self.name {
            write!(f, " ${name}")?;
        }
        write!(f, ", instruction {} ({})", self.instr, self.mnemonic)
    }
}

/// The frame of function `func` of instance `inst` at instruction `instr`
/// of its body, named from the instance's module.
pub(crate) fn frame(store: &crate::Store, inst: u32, func: u32, instr: u32) -> TrapFrame {
    let ast = &store.instances[inst as usize].module.0.ast;
    let imported = ast
        .imports
        .iter()
        .filter(|i| {
            matches!(
                i.desc,
                weft_ast::ImportDesc::Func(_) | weft_ast::ImportDesc::FuncExact(_)
            )
        })
        .count();
    let mnemonic = (func as usize)
        .checked_sub(imported)
        .and_then(|i| ast.funcs.get(i))
        .and_then(|f| ast.code.get(f.body.start as usize + instr as usize))
        .map_or("?", |i| i.name());
    TrapFrame {
        instance: Instance(inst),
        func,
        name: weft_ast::Names::get(&ast.names.funcs, func).map(Into::into),
        instr,
        mnemonic,
    }
}
