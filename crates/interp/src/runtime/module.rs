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
    /// Machine code for the functions the JIT compiled (`Engine::Jit`);
    /// every function keeps its translated body too.
    #[cfg(weft_jit)]
    pub jit: Option<Arc<crate::jit::compile::Compiled>>,
}

/// What the JIT compiled of a module (all zero for the interpreter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JitStats {
    /// Functions defined by the module.
    pub functions: u32,
    /// Functions compiled to machine code.
    pub compiled: u32,
    /// Functions left to the interpreter (an instruction not compiled
    /// yet).
    pub interpreted: u32,
    /// For each instruction that kept functions in the interpreter, how
    /// many (counted by the first such instruction of each function).
    pub unsupported: std::collections::BTreeMap<&'static str, u32>,
    /// Bytes of machine code.
    pub code_bytes: usize,
}

impl JitStats {
    /// Adds another module's counts to these.
    pub fn add(&mut self, other: &JitStats) {
        self.functions += other.functions;
        self.compiled += other.compiled;
        self.interpreted += other.interpreted;
        for (k, v) in &other.unsupported {
            *self.unsupported.entry(k).or_default() += v;
        }
        self.code_bytes += other.code_bytes;
    }
}

/// The engine that runs a module's functions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Engine {
    /// The reference interpreter.
    #[default]
    Interp,
    /// The baseline JIT (x86-64 Linux and macOS with the `jit` feature):
    /// functions it does not compile yet run in the interpreter.
    Jit,
}

impl Engine {
    /// Whether this build has the engine.
    pub fn available(self) -> bool {
        match self {
            Engine::Interp => true,
            Engine::Jit => cfg!(weft_jit),
        }
    }

    /// The engine's name, as `--engine` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Interp => "interp",
            Engine::Jit => "jit",
        }
    }
}

impl std::str::FromStr for Engine {
    type Err = String;

    /// `interp` or `jit`.
    fn from_str(s: &str) -> Result<Engine, String> {
        match s {
            "interp" => Ok(Engine::Interp),
            "jit" => Ok(Engine::Jit),
            _ => Err(format!("unknown engine '{s}' (interp or jit)")),
        }
    }
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
        Ok(Module(Arc::new(ModuleInner {
            ast,
            codes,
            #[cfg(weft_jit)]
            jit: None,
        })))
    }

    /// Validates a module with the proposals of `features` and prepares it
    /// for `engine`: translated for the interpreter, and for the JIT also
    /// compiled to machine code (functions the JIT does not compile yet
    /// run in the interpreter; see [`Module::jit_stats`]). Asking for the
    /// JIT in a build without it is [`Error::Unsupported`].
    pub fn with_engine(
        ast: weft_ast::Module,
        features: Features,
        engine: Engine,
    ) -> Result<Module, Error> {
        if !engine.available() {
            return Err(Error::Unsupported(
                "the jit engine (this build has only the interpreter)",
            ));
        }
        #[allow(unused_mut)]
        let mut m = Module::with_features(ast, features)?;
        #[cfg(weft_jit)]
        if engine == Engine::Jit {
            let compiled = crate::jit::compile::compile(&m.0.ast)?;
            if let Some(inner) = Arc::get_mut(&mut m.0) {
                inner.jit = Some(Arc::new(compiled));
            }
        }
        Ok(m)
    }

    /// The engine the module runs on.
    pub fn engine(&self) -> Engine {
        #[cfg(weft_jit)]
        if self.0.jit.is_some() {
            return Engine::Jit;
        }
        Engine::Interp
    }

    /// What the JIT compiled of the module (`None` for the interpreter).
    pub fn jit_stats(&self) -> Option<&JitStats> {
        #[cfg(weft_jit)]
        if let Some(c) = &self.0.jit {
            return Some(&c.stats);
        }
        None
    }

    /// The module's AST.
    pub fn ast(&self) -> &weft_ast::Module {
        &self.0.ast
    }
}
