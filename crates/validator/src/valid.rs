//! `ValidModule`: what validation learned about the module as a whole.
//!
//! Per body it records only the type and the local count. It used to
//! carry each body's operand-stack high-water mark and, for every block,
//! its type, entry height and `else`/`end` positions, "so that engines
//! translate in one pass"; no engine read them, and none gains by them:
//! an engine's frame is counted in its own slots (a `v128` is two of the
//! interpreter's, a `try_table` clause delivers values the validator never
//! pushes, a legacy `catch` keeps a hidden slot), and both engines walk a
//! body once anyway, learning each block's type as it opens and patching
//! forward branches at its end. Keeping them for a lazily translated
//! module would have cost memory for every block of every function.
//! (Measured in the commit that removed them.)

use weft_ast::{FuncType, SubType, TypeIdx};

use crate::canon::CanonId;

/// Facts about one defined function's body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FuncFacts {
    /// Its type index.
    pub ty: TypeIdx,
    /// Number of locals, parameters included.
    pub num_locals: u32,
}

/// A module that passed validation: its types as the validator resolved
/// them (canonical ids for cross-module type equality) and every
/// function's type.
#[derive(Clone, Debug, Default)]
pub struct ValidModule {
    /// The module's types, by type index.
    pub types: Vec<SubType>,
    /// The canonical id of every type index, from the registry validation
    /// used ([`crate::validate_with`]) or a fresh one.
    pub canonical: Vec<CanonId>,
    /// The type index of every function, imported ones first.
    pub func_types: Vec<TypeIdx>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Facts about every defined function, by defined-function index.
    pub funcs: Vec<FuncFacts>,
}

static NO_FUNC: FuncType = FuncType {
    params: Vec::new(),
    results: Vec::new(),
};

impl ValidModule {
    /// The function type at a type index (the empty type for a non-function
    /// or unknown index, which validation never lets through).
    pub fn func_type_at(&self, ty: TypeIdx) -> &FuncType {
        match self.types.get(ty as usize).map(|t| &t.composite) {
            Some(weft_ast::CompositeType::Func(f)) => f,
            _ => &NO_FUNC,
        }
    }

    /// The type of a function (imported or defined), by function index.
    pub fn func_type(&self, func: u32) -> &FuncType {
        self.func_types
            .get(func as usize)
            .map_or(&NO_FUNC, |&t| self.func_type_at(t))
    }

    /// Facts about a function by function index; `None` for imports.
    pub fn func_facts(&self, func: u32) -> Option<&FuncFacts> {
        func.checked_sub(self.num_imported_funcs)
            .and_then(|i| self.funcs.get(i as usize))
    }
}
