//! A module ready to instantiate: the AST plus every function body
//! translated once into the internal form.

use std::sync::Arc;

use weft_ast::ImportDesc;

use crate::compile::{Env, translate};
use crate::op::Code;
use crate::trap::Error;

/// A translated module, cheap to clone and to instantiate many times.
///
/// The module must be valid (see `weft_validator::validate`): translation
/// notices some invalid modules and rejects them with [`Error::Invalid`],
/// but it checks no types.
#[derive(Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

pub(crate) struct ModuleInner {
    pub ast: weft_ast::Module,
    /// One translated body per defined function.
    pub codes: Vec<Arc<Code>>,
}

impl Module {
    /// Translates every function body of a valid module.
    pub fn new(ast: weft_ast::Module) -> Result<Module, Error> {
        let mut func_types = Vec::new();
        let mut globals = Vec::new();
        for import in &ast.imports {
            match import.desc {
                ImportDesc::Func(ty) => func_types.push(ty),
                ImportDesc::Global(g) => globals.push(g.val),
                _ => {}
            }
        }
        func_types.extend(ast.funcs.iter().map(|f| f.ty));
        globals.extend(ast.globals.iter().map(|g| g.ty.val));
        let codes = {
            let env = Env {
                module: &ast,
                func_types: &func_types,
                globals: &globals,
            };
            ast.funcs
                .iter()
                .map(|f| translate(&env, f).map(Arc::new))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Module(Arc::new(ModuleInner { ast, codes })))
    }

    /// The module's AST.
    pub fn ast(&self) -> &weft_ast::Module {
        &self.0.ast
    }
}
