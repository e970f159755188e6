//! A module ready to instantiate: the AST plus each function body
//! translated once into the internal form, when the interpreter needs it.
//!
//! A module made for the interpreter translates every body up front (its
//! errors surface there). A module made for the JIT translates up front
//! only the functions the JIT left to the interpreter: a compiled
//! function's translation is made on first need (the first time a store
//! holding it also holds code the interpreter runs, see
//! `instantiate::interpreted_code`), kept in a `OnceLock` so that the
//! instances of one module, in any thread, share one translation.
//!
//! A module made with lazy translation ([`Module::with_lazy_translation`])
//! is validated in full up front, like any other, but translates a body
//! only when the function is first called: until then its instances hold
//! a shared placeholder whose frame size ([`LAZY_HEIGHT`]) no stack has
//! room for, so every call path of the executor leaves its fast path for
//! the one place that enters code from the store (`Store::call`, and the
//! outer loop's calls), which translates the body, puts it in the
//! function's place (`instantiate::translate_on_call`) and goes on. Large
//! modules of which a run calls a fraction start much faster that way.

use std::sync::{Arc, OnceLock};

use weft_ast::{AddrType, Features, ImportDesc, TypeIdx, ValType};

use crate::interpreter::ir::Code;
use crate::interpreter::translate::{Env, translate};
use crate::trap::Error;

/// A validated and translated module, cheap to clone and to instantiate
/// many times.
#[derive(Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

pub(crate) struct ModuleInner {
    pub ast: weft_ast::Module,
    /// The module-level facts translation needs.
    facts: Facts,
    /// One translated body per defined function, made on first need.
    codes: Box<[OnceLock<Arc<Code>>]>,
    /// The body a compiled function's instance holds while no translation
    /// is needed (see [`ModuleInner::stub`]).
    stub: OnceLock<Arc<Code>>,
    /// Whether bodies are translated on first call (see the file's
    /// comment).
    lazy: bool,
    /// The placeholder of a body not translated yet, in a lazy module.
    lazy_stub: OnceLock<Arc<Code>>,
    /// Machine code for the functions the JIT compiled (`Engine::Jit`);
    /// the others are translated with the module.
    #[cfg(weft_jit)]
    pub jit: Option<Arc<crate::jit::compile::Compiled>>,
    /// The same functions compiled for a guarded memory 0 (bounds
    /// unchecked, `crate::jit::guard`), made for the first instance whose
    /// memory 0 is guarded; `None` inside if that failed (the instance
    /// then runs `jit`).
    #[cfg(weft_jit)]
    jit_guarded: OnceLock<Option<Arc<crate::jit::compile::Compiled>>>,
}

/// Types of the module's functions, globals, memories and tags, imports
/// first: what translating one body reads besides the AST.
struct Facts {
    func_types: Vec<TypeIdx>,
    globals: Vec<ValType>,
    memories: Vec<AddrType>,
    tags: Vec<TypeIdx>,
    /// Number of tables, imports included.
    tables: usize,
}

impl Facts {
    fn of(ast: &weft_ast::Module) -> Facts {
        let mut func_types = Vec::new();
        let mut globals = Vec::new();
        let mut memories = Vec::new();
        let mut tags = Vec::new();
        let mut tables = ast.tables.len();
        for import in &ast.imports {
            match import.desc {
                ImportDesc::Func(ty) | ImportDesc::FuncExact(ty) => func_types.push(ty),
                ImportDesc::Global(g) => globals.push(g.val),
                ImportDesc::Memory(m) => memories.push(m.addr),
                ImportDesc::Tag(t) => tags.push(t.ty),
                ImportDesc::Table(_) => tables += 1,
            }
        }
        memories.extend(ast.memories.iter().map(|m| m.addr));
        tags.extend(ast.tags.iter().map(|t| t.ty));
        func_types.extend(ast.funcs.iter().map(|f| f.ty));
        globals.extend(ast.globals.iter().map(|g| g.ty.val));
        Facts {
            func_types,
            globals,
            memories,
            tags,
            tables,
        }
    }
}

impl ModuleInner {
    /// The machine code for an instance whose memory 0 is guarded or not
    /// (`None` for a module made for the interpreter): the guarded code
    /// compiled on first need, the explicit code where it cannot be.
    #[cfg(weft_jit)]
    pub(crate) fn jit_for(&self, guarded: bool) -> Option<Arc<crate::jit::compile::Compiled>> {
        self.jit.as_ref()?;
        if guarded {
            let g = self.jit_guarded.get_or_init(|| {
                crate::jit::compile::compile(&self.ast, true)
                    .ok()
                    .flatten()
                    .map(Arc::new)
            });
            if let Some(g) = g {
                return Some(g.clone());
            }
        }
        self.jit.clone()
    }

    /// The translated body of defined function `i`, translated now if no
    /// one has yet (two threads asking at once may both translate; one
    /// result is kept).
    pub(crate) fn code(&self, i: usize) -> Result<Arc<Code>, Error> {
        let cell = self
            .codes
            .get(i)
            .ok_or(Error::Invalid("unknown function"))?;
        if let Some(c) = cell.get() {
            return Ok(c.clone());
        }
        let f = &self.ast.funcs[i];
        let env = Env {
            module: &self.ast,
            func_types: &self.facts.func_types,
            globals: &self.facts.globals,
            memories: &self.facts.memories,
            tags: &self.facts.tags,
            tables: self.facts.tables,
        };
        let imported = self.facts.func_types.len() - self.ast.funcs.len();
        let code = Arc::new(translate(&env, f, (imported + i) as u32)?);
        Ok(cell.get_or_init(|| code).clone())
    }

    /// Whether defined function `i` has machine code (which every engine
    /// runs it by: the interpreter calls it through its translation only
    /// when interpreted code calls it).
    pub(crate) fn compiled(&self, i: usize) -> bool {
        #[cfg(weft_jit)]
        if let Some(c) = &self.jit {
            return c.entry(i as u32).is_some();
        }
        let _ = i;
        false
    }

    /// The body a compiled function's instance holds in a store where the
    /// interpreter runs nothing: no engine runs it there (`Store::call` and
    /// compiled code enter compiled functions by their machine code, and
    /// only interpreted code runs translations), and instantiating code the
    /// interpreter runs replaces it with the translation first. Should it
    /// ever run, it traps at once, touching no slot.
    pub(crate) fn stub(&self) -> Arc<Code> {
        self.stub
            .get_or_init(|| Arc::new(crate::interpreter::translate::stub()))
            .clone()
    }

    /// The code an instance of this module holds for defined function
    /// `i`: its translation, or in a lazy module, the placeholder until
    /// someone called it (see [`is_lazy`]).
    pub(crate) fn code_or_lazy(&self, i: usize) -> Result<Arc<Code>, Error> {
        if self.lazy {
            if let Some(c) = self.codes.get(i).and_then(OnceLock::get) {
                return Ok(c.clone());
            }
            return Ok(self
                .lazy_stub
                .get_or_init(|| {
                    let mut code = crate::interpreter::translate::stub();
                    code.max_height = LAZY_HEIGHT;
                    Arc::new(code)
                })
                .clone());
        }
        self.code(i)
    }
}

/// The frame size of a lazy module's placeholder body: more slots than
/// any stack may hold (the translator bounds real frames far below it), so
/// that every call of it leaves the executor's fast paths (which enter a
/// callee only with room for its frame) for the one that translates it.
pub(crate) const LAZY_HEIGHT: u32 = u32::MAX;

/// Whether `code` is a lazy module's placeholder for a body not translated
/// yet: it must never run, only be replaced (`instantiate::translate_on_call`).
#[inline(always)]
pub(crate) fn is_lazy(code: &Code) -> bool {
    code.max_height == LAZY_HEIGHT
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
    /// index the runtime looks up and the stack heights, rejecting what it
    /// cannot make sense of with [`Error::Invalid`]; it checks no value
    /// types, so an invalid module it lets through computes garbage, but
    /// stays in bounds.
    pub fn new_unchecked(ast: weft_ast::Module) -> Result<Module, Error> {
        let m = Module::untranslated(ast);
        for i in 0..m.0.ast.funcs.len() {
            m.0.code(i)?;
        }
        Ok(m)
    }

    /// Validates a module with the proposals of `features`, in full (an
    /// invalid module is rejected here, with the error [`Module::with_features`]
    /// gives), and translates each function body for the interpreter only
    /// when the function is first called. Startup then costs validation
    /// alone; the first call of each function pays for its translation.
    /// Translation rejects only what validation does, or a frame beyond
    /// the interpreter's limits, which [`Module::with_features`] reports
    /// here and this mode as a trap of the call (`Trap::Host`).
    pub fn with_lazy_translation(
        ast: weft_ast::Module,
        features: Features,
    ) -> Result<Module, Error> {
        weft_validator::validate(&ast, features).map_err(Error::Validation)?;
        Ok(Module::lazy_unchecked(ast))
    }

    /// [`Module::with_lazy_translation`] for a module the caller has
    /// already validated (`weft_validator::validate`, or decoded and
    /// validated in one pass by `weft_validator::validate_bytes`): like
    /// [`Module::new_unchecked`], each translation still checks every index
    /// and the stack heights, so an invalid module stays in bounds.
    pub fn lazy_unchecked(ast: weft_ast::Module) -> Module {
        let mut m = Module::untranslated(ast);
        if let Some(inner) = Arc::get_mut(&mut m.0) {
            inner.lazy = true;
        }
        m
    }

    /// How many of the module's function bodies are translated for the
    /// interpreter so far (all of them, but in a lazy module or a JIT
    /// one's, where they are made on first need).
    pub fn translated_functions(&self) -> usize {
        self.0.codes.iter().filter(|c| c.get().is_some()).count()
    }

    /// The module with no body translated yet.
    fn untranslated(ast: weft_ast::Module) -> Module {
        Module(Arc::new(ModuleInner {
            facts: Facts::of(&ast),
            codes: (0..ast.funcs.len()).map(|_| OnceLock::new()).collect(),
            stub: OnceLock::new(),
            lazy: false,
            lazy_stub: OnceLock::new(),
            ast,
            #[cfg(weft_jit)]
            jit: None,
            #[cfg(weft_jit)]
            jit_guarded: OnceLock::new(),
        }))
    }

    /// Validates a module with the proposals of `features` and prepares it
    /// for `engine`: translated for the interpreter, or compiled to machine
    /// code for the JIT (functions the JIT does not compile yet are
    /// translated and run in the interpreter; see [`Module::jit_stats`];
    /// compiled functions are translated only if a store needs it). Asking
    /// for the JIT in a build without it is [`Error::Unsupported`].
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
        if engine == Engine::Interp {
            return Module::with_features(ast, features);
        }
        weft_validator::validate(&ast, features).map_err(Error::Validation)?;
        #[allow(unused_mut)]
        let mut m = Module::untranslated(ast);
        #[cfg(weft_jit)]
        {
            let compiled = crate::jit::compile::compile(&m.0.ast, false)?;
            if let Some(inner) = Arc::get_mut(&mut m.0) {
                inner.jit = compiled.map(Arc::new);
            }
        }
        for i in 0..m.0.ast.funcs.len() {
            if !m.0.compiled(i) {
                m.0.code(i)?;
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

#[cfg(all(test, weft_jit))]
mod tests {
    use super::*;

    #[test]
    fn the_jit_translates_only_what_it_leaves_to_the_interpreter() {
        // The JIT compiles every function here (it compiles every
        // instruction, and leaves a function to the interpreter only when
        // its frame is beyond what it addresses), so none is translated
        // for the interpreter until asked.
        let text = r#"
        (module
          (type $t (func (param i32) (result i32)))
          (table funcref (elem $h))
          (func $h (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
          (func $f (param i32) (result i32)
            (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
          (func $g (param i32) (result i32) (call $f (local.get 0))))"#;
        let ast = weft_wat::parse_module(text).expect("parses");
        let m = Module::with_engine(ast.clone(), Features::default(), Engine::Jit).expect("valid");
        let translated: Vec<bool> = m.0.codes.iter().map(|c| c.get().is_some()).collect();
        assert_eq!(translated, [false, false, false]);
        // On demand, a compiled function's translation is made once.
        let a = m.0.code(0).expect("translates");
        assert!(Arc::ptr_eq(&a, &m.0.code(0).expect("translates")));
        assert!(a.ops.len() > 1);
        let m = Module::with_engine(ast, Features::default(), Engine::Interp).expect("valid");
        assert!(m.0.codes.iter().all(|c| c.get().is_some()));
    }
}
