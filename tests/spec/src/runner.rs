//! The `.wast` script runner: every command of a script through weft's text
//! parser, binary parser, validator and interpreter.
//!
//! One command is one check. `thread`/`wait` (the threads proposal's
//! concurrent scripts) and commands the script parser does not know
//! (`script`, `input`, a newer assertion) are counted as skipped, by name,
//! rather than failing the script.

use std::collections::HashMap;

use weft_ast::{AbsHeap, Features};
use weft_interp::{
    Engine, Extern, Instance, JitStats, Linker, MemoryMode, Module, Store, StoreLimits, Value,
};
use weft_wat::{Action, CommandKind, Expected, ModuleSource, NumPattern, ScriptModule, Shape};

use crate::phrase;

/// The outcome of one script.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Commands that did what the script expects.
    pub passed: u32,
    /// Commands that did not, each with its line and what happened.
    pub failures: Vec<(u32, String)>,
    /// Commands not run (`thread`, `wait`, unknown commands).
    pub skipped: u32,
    /// Each command not run: its line and its keyword (`skipped` is how
    /// many there are).
    pub skips: Vec<(u32, String)>,
    /// What the JIT compiled of the script's modules (with
    /// `Engine::Jit`): how many functions run in the interpreter.
    pub jit: JitStats,
}

impl Outcome {
    /// Number of failed commands.
    pub fn failed(&self) -> u32 {
        self.failures.len() as u32
    }

    /// The keywords of the skipped commands, each once with its count, in
    /// order of first appearance: `thread (2), wait (2)`; empty when none
    /// was skipped.
    pub fn skipped_names(&self) -> String {
        let mut names: Vec<(&str, u32)> = Vec::new();
        for (_, name) in &self.skips {
            match names.iter_mut().find(|(n, _)| n == name) {
                Some((_, count)) => *count += 1,
                None => names.push((name, 1)),
            }
        }
        let shown: Vec<String> = names.iter().map(|(n, c)| format!("{n} ({c})")).collect();
        shown.join(", ")
    }
}

/// How a script is run: the semantics its snapshot of the spec was written
/// against.
#[derive(Clone, Copy, Debug)]
pub struct Semantics {
    /// The proposals its modules may use.
    pub features: Features,
    /// Wasm 1.0's instantiation: every segment bounds-checked before any is
    /// written (see `weft_interp::Store::set_segments_checked_first`).
    pub segments_checked_first: bool,
    /// Fuel for each command (instantiation and start function, or
    /// action), so that no command runs forever; `None` runs unmetered.
    pub fuel: Option<u64>,
    /// The limits of the script's store.
    pub limits: StoreLimits,
    /// The engine that runs its modules.
    pub engine: Engine,
    /// How the store's memories are bounds-checked (guard pages matter
    /// to the JIT only).
    pub memory_mode: MemoryMode,
    /// For the interpreter: translate each body at its first call
    /// (`Module::with_lazy_translation`) instead of with its module.
    pub lazy: bool,
}

impl Semantics {
    /// The current semantics with the given proposals, unmetered, with the
    /// default limits.
    pub fn new(features: Features) -> Semantics {
        Semantics {
            features,
            segments_checked_first: false,
            fuel: None,
            limits: StoreLimits::default(),
            engine: Engine::Interp,
            memory_mode: MemoryMode::Explicit,
            lazy: false,
        }
    }
}

/// Runs a whole script with the given proposals enabled.
pub fn run_script(text: &str, features: Features) -> Outcome {
    run_script_with(text, Semantics::new(features))
}

/// Runs a whole script with the given semantics.
pub fn run_script_with(text: &str, semantics: Semantics) -> Outcome {
    let features = semantics.features;
    let mut outcome = Outcome::default();
    let script = match weft_wat::parse_script_with(text, features) {
        Ok(s) => s,
        Err(e) => {
            outcome
                .failures
                .push((e.line(), format!("script does not parse: {e}")));
            return outcome;
        }
    };
    let mut runner = Runner::new(
        features,
        semantics.limits,
        semantics.engine,
        semantics.memory_mode,
    );
    runner.lazy = semantics.lazy && semantics.engine == Engine::Interp;
    runner
        .store
        .set_segments_checked_first(semantics.segments_checked_first);
    for command in &script.commands {
        runner.store.set_fuel(semantics.fuel);
        match runner.command(&command.kind) {
            Some(Ok(())) => outcome.passed += 1,
            Some(Err(why)) => outcome.failures.push((command.line, why)),
            None => {
                outcome.skipped += 1;
                let name = match &command.kind {
                    CommandKind::Thread { .. } => "thread",
                    CommandKind::Wait { .. } => "wait",
                    CommandKind::Unknown { name } => name,
                    _ => "command",
                };
                outcome.skips.push((command.line, name.to_string()));
            }
        }
    }
    outcome.jit = runner.jit;
    outcome
}

/// The state a script builds up: a store, the registered modules and the
/// named instances and definitions.
pub(crate) struct Runner {
    features: Features,
    engine: Engine,
    /// Whether modules are translated lazily (see [`Semantics::lazy`]).
    lazy: bool,
    /// What the JIT compiled of the script's modules.
    jit: JitStats,
    pub(crate) store: Store,
    linker: Linker,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
    last: Option<Instance>,
}

type Check = Result<(), String>;

impl Runner {
    pub(crate) fn new(
        features: Features,
        limits: StoreLimits,
        engine: Engine,
        memory_mode: MemoryMode,
    ) -> Runner {
        let mut store = Store::with_memory_mode(limits, memory_mode);
        let mut linker = Linker::new();
        weft_interp::spectest::define(&mut linker, &mut store)
            .expect("the spectest module always instantiates");
        Runner {
            features,
            engine,
            lazy: false,
            jit: JitStats::default(),
            store,
            linker,
            named: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
            last: None,
        }
    }

    /// Decodes or parses a script module and validates it.
    fn build(&mut self, module: &ScriptModule) -> Result<Module, String> {
        let ast = match &module.source {
            ModuleSource::Binary(bytes) => {
                weft_parser::parse_with(bytes, self.features).map_err(|e| e.to_string())?
            }
            _ => module.to_module(self.features).map_err(|e| e.to_string())?,
        };
        let m = if self.lazy {
            Module::with_lazy_translation(ast, self.features)
        } else {
            Module::with_engine(ast, self.features, self.engine)
        }
        .map_err(|e| e.to_string())?;
        if let Some(s) = m.jit_stats() {
            self.jit.add(s);
        }
        Ok(m)
    }

    pub(crate) fn instance(&self, name: &Option<String>) -> Result<Instance, String> {
        match name {
            Some(n) => self
                .named
                .get(n)
                .copied()
                .ok_or_else(|| format!("no instance named {n}")),
            None => self.last.ok_or_else(|| "no instance yet".to_string()),
        }
    }

    pub(crate) fn act(&mut self, action: &Action) -> Result<Vec<Value>, String> {
        match action {
            Action::Invoke { module, name, args } => {
                let instance = self.instance(module)?;
                let func = self
                    .store
                    .export_func(instance, name)
                    .ok_or_else(|| format!("no function export {name}"))?;
                let args: Vec<Value> = args.iter().map(to_value).collect();
                self.store.call(func, &args).map_err(|e| {
                    // Where a trap happened, innermost frame first.
                    let frames: Vec<String> = self
                        .store
                        .trap_backtrace()
                        .iter()
                        .map(|f| f.to_string())
                        .collect();
                    match (&e, frames.is_empty()) {
                        (weft_interp::Error::Trap(_), false) => {
                            format!("{e} (at {})", frames.join(" <- "))
                        }
                        _ => e.to_string(),
                    }
                })
            }
            Action::Get { module, name } => {
                let instance = self.instance(module)?;
                match self.store.export(instance, name) {
                    Some(Extern::Global(g)) => {
                        Ok(vec![self.store.global_get(g).map_err(|e| e.to_string())?])
                    }
                    _ => Err(format!("no global export {name}")),
                }
            }
        }
    }

    fn define(&mut self, module: &ScriptModule) -> Check {
        let built = self.build(module)?;
        if module.definition {
            if let Some(id) = &module.id {
                self.definitions.insert(id.clone(), built.clone());
            }
            self.last_definition = Some(built);
            return Ok(());
        }
        let instance = self
            .linker
            .instantiate(&mut self.store, &built)
            .map_err(|e| e.to_string())?;
        if let Some(id) = &module.id {
            self.named.insert(id.clone(), instance);
        }
        self.last = Some(instance);
        Ok(())
    }

    /// Runs one command; `None` when the command is skipped.
    pub(crate) fn command(&mut self, kind: &CommandKind) -> Option<Check> {
        Some(match kind {
            CommandKind::Module(module) => self.define(module),
            CommandKind::Instance { instance, module } => {
                self.instantiate_definition(instance, module)
            }
            CommandKind::Register { name, module } => self.instance(module).map(|instance| {
                self.linker.define_instance(&self.store, name, instance);
            }),
            CommandKind::Action(action) => self.act(action).map(|_| ()),
            CommandKind::AssertReturn { action, results } => match self.act(action) {
                Ok(values)
                    if values.len() == results.len()
                        && results
                            .iter()
                            .zip(&values)
                            .all(|(e, v)| matches(&self.store, e, v)) =>
                {
                    Ok(())
                }
                Ok(values) => Err(format!(
                    "got {}, expected {results:?}",
                    texts(&self.store, &values)
                )),
                Err(e) => Err(e),
            },
            CommandKind::AssertTrap { action, message }
            | CommandKind::AssertExhaustion { action, message } => match self.act(action) {
                Ok(values) => Err(format!(
                    "returned {}, expected trap `{message}`",
                    texts(&self.store, &values)
                )),
                Err(e) => expect_phrase(&e, message),
            },
            CommandKind::AssertTrapModule { module, message }
            | CommandKind::AssertUninstantiable { module, message }
            | CommandKind::AssertUnlinkable { module, message } => {
                let result = self.build(module).and_then(|m| {
                    self.linker
                        .instantiate(&mut self.store, &m)
                        .map_err(|e| e.to_string())
                });
                match result {
                    Ok(_) => Err(format!("instantiated, expected `{message}`")),
                    Err(e) => expect_phrase(&e, message),
                }
            }
            // A custom section or annotation that breaks its proposal's
            // rules: weft's parsers report it (a text annotation while
            // parsing, as there is no AST for a misplaced one), so any
            // error on the way to a validated module counts.
            CommandKind::AssertInvalid { module, message }
            | CommandKind::AssertInvalidCustom { module, message } => match self.build(module) {
                Ok(_) => Err(format!("validated, expected `{message}`")),
                Err(e) => expect_phrase(&e, message),
            },
            CommandKind::AssertMalformed { module, message }
            | CommandKind::AssertMalformedCustom { module, message } => {
                let result = match &module.source {
                    ModuleSource::Binary(bytes) => weft_parser::parse_with(bytes, self.features)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    _ => module
                        .to_module(self.features)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                };
                match result {
                    Ok(()) => Err(format!("parsed, expected `{message}`")),
                    Err(e) => expect_phrase(&e, message),
                }
            }
            CommandKind::AssertException { action } => match self.act(action) {
                Ok(values) => Err(format!("returned {values:?}, expected an exception")),
                // An exception that no handler caught, not a trap that
                // mentions exceptions (`null exception reference`).
                Err(e) if e.contains("uncaught exception") => Ok(()),
                Err(e) => Err(format!("expected an exception, got `{e}`")),
            },
            CommandKind::Thread { .. } | CommandKind::Wait { .. } | CommandKind::Unknown { .. } => {
                return None;
            }
        })
    }

    fn instantiate_definition(
        &mut self,
        instance: &Option<String>,
        module: &Option<String>,
    ) -> Check {
        let definition = match module {
            Some(n) => self.definitions.get(n).cloned(),
            None => self.last_definition.clone(),
        }
        .ok_or("no module definition")?;
        let created = self
            .linker
            .instantiate(&mut self.store, &definition)
            .map_err(|e| e.to_string())?;
        if let Some(id) = instance {
            self.named.insert(id.clone(), created);
        }
        self.last = Some(created);
        Ok(())
    }
}

/// Values in the text format's syntax, `[1, -nan:0x1, ref.null extern]`.
fn texts(store: &Store, values: &[Value]) -> String {
    let texts: Vec<String> = values.iter().map(|v| v.text(store).to_string()).collect();
    format!("[{}]", texts.join(", "))
}

fn expect_phrase(message: &str, expected: &str) -> Check {
    if phrase::matches(message, expected) {
        Ok(())
    } else {
        Err(format!("failed with `{message}`, expected `{expected}`"))
    }
}

fn to_value(v: &weft_wat::Value) -> Value {
    match v {
        weft_wat::Value::I32(x) => Value::I32(*x),
        weft_wat::Value::I64(x) => Value::I64(*x),
        weft_wat::Value::F32(x) => Value::F32(*x),
        weft_wat::Value::F64(x) => Value::F64(*x),
        weft_wat::Value::V128(x) => Value::V128(u128::from_le_bytes(x.0)),
        weft_wat::Value::RefNull(heap) => match heap.map(AbsHeap::top) {
            Some(AbsHeap::Extern) => Value::ExternRef(None),
            Some(AbsHeap::Exn) => Value::ExnRef(None),
            Some(AbsHeap::Any) => Value::AnyRef(None),
            _ => Value::FuncRef(None),
        },
        weft_wat::Value::RefExtern(n) => Value::ExternRef(Some(*n)),
        // The GC proposal's host reference lives in the `any` hierarchy: it
        // is what `any.convert_extern` makes of `ref.extern n`.
        weft_wat::Value::RefHost(n) => Value::AnyRef(Some(weft_interp::AnyRef::host(*n))),
    }
}

/// Whether float bits match a pattern (exact bits, or a NaN class).
fn num_matches(pattern: NumPattern, bits: u64, width: u32) -> bool {
    let (sign, quiet, exponent) = if width == 32 {
        (1u64 << 31, 1u64 << 22, 0x7f80_0000u64)
    } else {
        (1u64 << 63, 1u64 << 51, 0x7ff0_0000_0000_0000u64)
    };
    let magnitude = bits & !sign;
    match pattern {
        NumPattern::Bits(b) => bits == b,
        NumPattern::CanonicalNan => magnitude == exponent | quiet,
        NumPattern::ArithmeticNan => magnitude & (exponent | quiet) == exponent | quiet,
    }
}

fn matches(store: &Store, expected: &Expected, value: &Value) -> bool {
    match (expected, value) {
        (Expected::I32(a), Value::I32(b)) => a == b,
        (Expected::I64(a), Value::I64(b)) => a == b,
        (Expected::F32(p), Value::F32(b)) => num_matches(*p, b.0.into(), 32),
        (Expected::F64(p), Value::F64(b)) => num_matches(*p, b.0, 64),
        (Expected::V128 { shape, lanes }, Value::V128(x)) => {
            let (count, width) = match shape {
                Shape::I8x16 => (16, 8),
                Shape::I16x8 => (8, 16),
                Shape::I32x4 | Shape::F32x4 => (4, 32),
                Shape::I64x2 | Shape::F64x2 => (2, 64),
            };
            let float = matches!(shape, Shape::F32x4 | Shape::F64x2);
            let mask = if width == 64 {
                u64::MAX
            } else {
                (1u64 << width) - 1
            };
            lanes.len() == count
                && lanes.iter().enumerate().all(|(i, p)| {
                    let lane = (x >> (i as u32 * width)) as u64 & mask;
                    match p {
                        NumPattern::Bits(b) if !float => lane == b & mask,
                        _ => num_matches(*p, lane, width),
                    }
                })
        }
        // A null of the expected heap type's hierarchy (a value's null
        // carries no more than its hierarchy); `(ref.null)` matches any.
        (Expected::RefNull(heap), v) => {
            let top = match v {
                Value::FuncRef(None) => AbsHeap::Func,
                Value::ExternRef(None) => AbsHeap::Extern,
                Value::ExnRef(None) => AbsHeap::Exn,
                Value::AnyRef(None) => AbsHeap::Any,
                _ => return false,
            };
            heap.is_none_or(|h| h.top() == top)
        }
        (Expected::RefExtern(None), Value::ExternRef(Some(_))) => true,
        (Expected::RefExtern(Some(n)) | Expected::RefHost(n), Value::ExternRef(Some(m))) => n == m,
        (Expected::RefExtern(Some(n)) | Expected::RefHost(n), Value::AnyRef(Some(r))) => {
            r.as_host() == Some(*n)
        }
        (Expected::RefFunc, Value::FuncRef(Some(_))) => true,
        (Expected::RefExn, Value::ExnRef(Some(_))) => true,
        (Expected::RefI31, Value::AnyRef(Some(r))) => r.as_i31().is_some(),
        (Expected::RefStruct, Value::AnyRef(Some(r))) => store.is_struct(*r),
        (Expected::RefArray, Value::AnyRef(Some(r))) => store.is_array(*r),
        (Expected::RefEq, Value::AnyRef(Some(r))) => {
            r.as_i31().is_some() || store.is_struct(*r) || store.is_array(*r)
        }
        (Expected::RefAny, Value::AnyRef(Some(_))) => true,
        (Expected::Either(options), v) => options.iter().any(|e| matches(store, e, v)),
        _ => false,
    }
}
