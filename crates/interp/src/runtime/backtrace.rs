//! Where a trap happened: the WebAssembly frames it passed through, kept by
//! the store for the embedder to show ([`Store::trap_backtrace`]).
//!
//! The interpreter records a trap's frames only when the trap happens
//! (each translated function keeps, per op, the body index of the
//! instruction it came from), so that running costs nothing for it.
//!
//! [`Store::trap_backtrace`]: crate::Store::trap_backtrace

use std::fmt;

use crate::runtime::handles::Instance;

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
