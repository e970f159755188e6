//! `.wast` scripts: modules, actions and assertions, as the spec
//! testsuite writes them.
//!
//! The parser is in `wast.rs`. A script parses even when some of its modules do not: each text module
//! keeps its own parse result ([`ModuleSource::Text`]), quoted modules keep
//! their source ([`ModuleSource::Quote`], parsed on demand by
//! [`ScriptModule::to_module`]) and binary modules their bytes.

use crate::error::Error;
use weft_ast::{AbsHeap, Features, Ieee32, Ieee64, Module, V128};

/// A parsed `.wast` script.
#[derive(Debug)]
pub struct Script {
    /// Its commands, in order.
    pub commands: Vec<Command>,
}

/// One top-level command with its 1-based source line.
#[derive(Debug)]
pub struct Command {
    /// Line of the command's opening parenthesis.
    pub line: u32,
    /// What the command does.
    pub kind: CommandKind,
}

/// The commands of a script.
#[derive(Debug)]
pub enum CommandKind {
    /// `(module ...)`: define (and, unless `definition`, instantiate) a module.
    Module(ScriptModule),
    /// `(module instance $i? $def?)`: instantiate a module definition.
    Instance {
        /// Name of the new instance.
        instance: Option<String>,
        /// The definition instantiated (the last one if `None`).
        module: Option<String>,
    },
    /// `(register "name" $id?)`: make an instance importable under a name.
    Register {
        /// The import module name.
        name: String,
        /// The instance (the last one if `None`).
        module: Option<String>,
    },
    /// A bare `invoke` or `get`.
    Action(Action),
    /// `(assert_return action result*)`.
    AssertReturn {
        /// What to run.
        action: Action,
        /// What it must return.
        results: Vec<Expected>,
    },
    /// `(assert_trap action "msg")`: the action traps.
    AssertTrap {
        /// What to run.
        action: Action,
        /// The expected trap message.
        message: String,
    },
    /// `(assert_trap (module ...) "msg")`: instantiation traps.
    AssertTrapModule {
        /// The module.
        module: ScriptModule,
        /// The expected trap message.
        message: String,
    },
    /// `(assert_exhaustion action "msg")`: the action exhausts the stack.
    AssertExhaustion {
        /// What to run.
        action: Action,
        /// The expected message.
        message: String,
    },
    /// `(assert_exception action)`: the action throws.
    AssertException {
        /// What to run.
        action: Action,
    },
    /// `(assert_invalid module "msg")`: validation fails.
    AssertInvalid {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(assert_malformed module "msg")`: decoding or parsing fails.
    AssertMalformed {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(assert_malformed_custom module "msg")`: the module is malformed
    /// in a custom section or an annotation (custom annotations and
    /// branch hinting proposals).
    AssertMalformedCustom {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(assert_invalid_custom module "msg")`: a custom section or an
    /// annotation breaks its proposal's rules (a branch hint on an
    /// instruction that does not branch).
    AssertInvalidCustom {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(assert_unlinkable module "msg")`: linking fails.
    AssertUnlinkable {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(assert_uninstantiable module "msg")`: instantiation traps.
    AssertUninstantiable {
        /// The module.
        module: ScriptModule,
        /// The expected message.
        message: String,
    },
    /// `(thread $t (shared (module $m))* command*)`.
    Thread {
        /// The thread's name.
        name: String,
        /// Instances shared with the thread.
        shared: Vec<String>,
        /// What the thread runs.
        commands: Vec<Command>,
    },
    /// `(wait $t)`: wait for a thread.
    Wait {
        /// The thread's name.
        thread: String,
    },
    /// A command this parser does not know (`(script ...)`, `(input ...)`,
    /// a newer assertion): read past, so that the rest of the script
    /// still runs; a runner counts it as skipped.
    Unknown {
        /// Its keyword.
        name: String,
    },
}

/// A module in a script.
#[derive(Debug)]
pub struct ScriptModule {
    /// 1-based line of the module.
    pub line: u32,
    /// Byte range of the whole `(module ...)` form in the script.
    pub span: std::ops::Range<usize>,
    /// Its `$id`, if any.
    pub id: Option<String>,
    /// Whether it is `(module definition ...)`: defined, not instantiated.
    pub definition: bool,
    /// Its contents.
    pub source: ModuleSource,
}

/// How a script gives a module.
#[derive(Debug)]
pub enum ModuleSource {
    /// A text module, already parsed (or its parse error, positioned in
    /// the script).
    Text(Result<Box<Module>, Error>),
    /// `(module binary "...")`: the bytes.
    Binary(Vec<u8>),
    /// `(module quote "...")`: the concatenated strings (bytes: they may
    /// not be UTF-8, which is then the error), parsed on demand. Errors of a
    /// quoted module are positioned in this text, not in the script.
    Quote(Vec<u8>),
}

impl ScriptModule {
    /// The module as an AST: the text parse, or the quote parsed now.
    /// Binary modules are for a binary parser; this returns an error for
    /// them.
    pub fn to_module(&self, features: Features) -> Result<Module, Error> {
        match &self.source {
            ModuleSource::Text(r) => r.clone().map(|m| *m),
            ModuleSource::Quote(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => crate::parse_module_with(text, features),
                Err(e) => {
                    let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                    Err(Error::at(good, good.len(), "malformed UTF-8 encoding"))
                }
            },
            ModuleSource::Binary(_) => Err(Error::at(
                "",
                0,
                "binary module: decode it with a binary parser",
            )),
        }
    }

    /// The module's binary: the bytes of a binary module, or the encoding
    /// of a text or quoted one.
    pub fn to_binary(&self, features: Features) -> Result<Vec<u8>, Error> {
        match &self.source {
            ModuleSource::Binary(b) => Ok(b.clone()),
            _ => self.to_module(features).map(|m| m.encode()),
        }
    }
}

/// An action: call an export or read an exported global.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `(invoke $m? "name" arg*)`.
    Invoke {
        /// The instance (the last one if `None`).
        module: Option<String>,
        /// The export.
        name: String,
        /// The arguments.
        args: Vec<Value>,
    },
    /// `(get $m? "name")`.
    Get {
        /// The instance (the last one if `None`).
        module: Option<String>,
        /// The export.
        name: String,
    },
}

/// A constant argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `(i32.const n)`.
    I32(i32),
    /// `(i64.const n)`.
    I64(i64),
    /// `(f32.const z)`, by its bits.
    F32(Ieee32),
    /// `(f64.const z)`, by its bits.
    F64(Ieee64),
    /// `(v128.const shape lanes)`.
    V128(V128),
    /// `(ref.null heaptype)`; `None` for a concrete type.
    RefNull(Option<AbsHeap>),
    /// `(ref.extern n)`: a host reference.
    RefExtern(u32),
    /// `(ref.host n)`: a host reference (older scripts).
    RefHost(u32),
}

/// A number pattern in an expected result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumPattern {
    /// Exactly these bits.
    Bits(u64),
    /// `nan:canonical`: a NaN with the canonical payload, either sign.
    CanonicalNan,
    /// `nan:arithmetic`: a NaN with the payload's top bit set, either sign.
    ArithmeticNan,
}

/// The lane shape of a `v128.const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Sixteen 8-bit integers.
    I8x16,
    /// Eight 16-bit integers.
    I16x8,
    /// Four 32-bit integers.
    I32x4,
    /// Two 64-bit integers.
    I64x2,
    /// Four 32-bit floats.
    F32x4,
    /// Two 64-bit floats.
    F64x2,
}

/// An expected result of `assert_return`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32` pattern (bits in the low 32 bits).
    F32(NumPattern),
    /// An `f64` pattern.
    F64(NumPattern),
    /// A vector, lane by lane (integer lanes as `Bits`).
    V128 {
        /// The lane shape.
        shape: Shape,
        /// One pattern per lane.
        lanes: Vec<NumPattern>,
    },
    /// `(ref.null ht?)`: a null reference.
    RefNull(Option<AbsHeap>),
    /// `(ref.extern n?)`: a host reference (that one, if a number is given).
    RefExtern(Option<u32>),
    /// `(ref.host n)`.
    RefHost(u32),
    /// `(ref.func)`: any function reference.
    RefFunc,
    /// `(ref.struct)`.
    RefStruct,
    /// `(ref.array)`.
    RefArray,
    /// `(ref.i31)`.
    RefI31,
    /// `(ref.eq)`.
    RefEq,
    /// `(ref.any)`.
    RefAny,
    /// `(ref.exn)`.
    RefExn,
    /// `(either r*)`: any one of these.
    Either(Vec<Expected>),
}
