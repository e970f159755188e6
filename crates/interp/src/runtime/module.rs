//! A module ready to instantiate: the AST plus every function body
//! translated once into the internal form.

use std::sync::Arc;

use weft_ast::{Features, ImportDesc};

use crate::interpreter::ir::Code;
use crate::interpreter::translate::{Env, translate};
use crate::trap::Error;

/// A validated and translated module, cheap to clone and to instantiate
/// many times.
#[derive(Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

pub(crate) struct ModuleInner {
    pub ast: weft_ast::Module,
    /// One translated body per defined function.
    pub codes: Vec<Arc<Code>>,
}

impl Module {
    /// Validates a module with the default features (Wasm 3.0) and
    /// translates every function body.
    pub fn new(ast: weft_ast::Module) -> Result<Module, Error> {
        Module::with_features(ast, Features::default())
    }

    /// Validates a module with the proposals of `features` and translates
    /// every function body.
    pub fn with_features(ast: weft_ast::Module, features: Features) -> Result<Module, Error> {
        weft_validator::validate(&ast, features).map_err(Error::Validation)?;
        Module::new_unchecked(ast)
    }

    /// Translates every function body of a module the caller has already
    /// validated (`weft_validator::validate`). Translation checks every
    /// index and the stack heights, rejecting what it cannot make sense of
    /// with [`Error::Invalid`]; it checks no value types, so an invalid
    /// module it lets through computes garbage, but stays in bounds.
    pub fn new_unchecked(ast: weft_ast::Module) -> Result<Module, Error> {
        let mut func_types = Vec::new();
        let mut globals = Vec::new();
        let mut memories = Vec::new();
        let mut tags = Vec::new();
        for import in &ast.imports {
            match import.desc {
                ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => func_types.push(ty),
                ImportDesc::Global(g) => globals.push(g.val),
                ImportDesc::Memory(m) => memories.push(m.addr),
                ImportDesc::Tag(t) => tags.push(t.ty),
                _ => {}
            }
        }
        memories.extend(ast.memories.iter().map(|m| m.addr));
        tags.extend(ast.tags.iter().map(|t| t.ty));
        func_types.extend(ast.funcs.iter().map(|f| f.ty));
        globals.extend(ast.globals.iter().map(|g| g.ty.val));
        let codes = {
            let env = Env {
                module: &ast,
                func_types: &func_types,
                globals: &globals,
                memories: &memories,
                tags: &tags,
            };
            let imported = func_types.len() - ast.funcs.len();
            ast.funcs
                .iter()
                .enumerate()
                .map(|(i, f)| translate(&env, f, (imported + i) as u32).map(Arc::new))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Module(Arc::new(ModuleInner { ast, codes })))
    }

    /// The module's AST.
    pub fn ast(&self) -> &weft_ast::Module {
        &self.0.ast
    }
}
