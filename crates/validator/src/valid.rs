//! `ValidModule`: what validation learned, in the form engines consume.

use weft_ast::{BlockType, FuncType, SubType, TypeIdx, ValType};

use crate::canon::CanonId;

/// Facts about one structured instruction (`block`, `loop`, `if`, `try`,
/// `try_table`) of a function body, in the order they open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockFacts {
    /// Index in the body of the opening instruction.
    pub pos: u32,
    /// Index of the matching `else` (or `u32::MAX` when there is none).
    pub else_pos: u32,
    /// Index of the matching `end` (or of the `delegate` that closes a
    /// legacy `try`).
    pub end_pos: u32,
    /// Operand stack height at entry, below the block's parameters.
    pub height: u32,
    /// The block type as written.
    pub ty: BlockType,
    /// Number of parameters.
    pub params: u32,
    /// Number of results.
    pub results: u32,
}

/// Facts about one defined function's body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuncFacts {
    /// Its type index.
    pub ty: TypeIdx,
    /// Number of locals, parameters included.
    pub num_locals: u32,
    /// The highest the operand stack gets (parameters and locals not
    /// counted).
    pub max_height: u32,
    /// Every block of the body, in opening order.
    pub blocks: Vec<BlockFacts>,
}

/// A module that passed validation, with what an engine needs so that it
/// does not have to re-derive anything.
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

    /// A block's parameter types.
    pub fn block_params(&self, block: &BlockFacts) -> &[ValType] {
        match block.ty {
            BlockType::Func(t) => &self.func_type_at(t).params,
            _ => &[],
        }
    }

    /// A block's result types.
    pub fn block_results<'a>(&'a self, block: &'a BlockFacts) -> &'a [ValType] {
        match &block.ty {
            BlockType::Func(t) => &self.func_type_at(*t).results,
            BlockType::Val(v) => std::slice::from_ref(v),
            BlockType::Empty => &[],
        }
    }
}
