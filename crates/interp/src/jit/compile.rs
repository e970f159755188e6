//! Translation of a module's functions to x86-64, one pass per function.
//!
//! # Calling convention
//!
//! r15 holds the instance's VM context (`ctx.rs`) in all compiled code;
//! rbp is the frame pointer; no other register survives a call. A caller
//! passes the address of its arguments' slots (8 bytes each, a `v128`
//! 16) in rax; the callee copies the parameters into its locals and, on
//! return, writes its results over the same slots, which the caller sized
//! for both. An argument area is simply the caller's operand slots, so a
//! call moves nothing but the arguments that were not spilled yet.
//!
//! # Tail calls
//!
//! `return_call`, `return_call_indirect` and `return_call_ref` to a
//! compiled function of the same instance pop the caller's frame and jump
//! to the callee, which then returns to the caller's caller: the native
//! stack stays constant however long the chain of tail calls. The callee's
//! results go where the caller's would have gone (the two have the same
//! result types). Its arguments go to the caller's own argument area when
//! they fit in its results' slots (all that is sure to be there: a
//! function entered by a tail call has the area of the function that made
//! the call; the callee's entry takes them there), else to the instance's
//! tail buffer in the context, and the callee is entered at its *tail
//! entry*, three bytes past its entry, which takes the arguments at rax
//! and the results' address in rdx (the entry is `mov rdx, rax` followed
//! by the tail entry). The callee of an indirect tail call is resolved
//! and checked by a helper, which says whether it can be jumped to; a
//! callee that cannot (an import, a host function, an interpreted
//! function, another instance's) is called, and its results returned.
//!
//! # Frame
//!
//! ```text
//! [rbp + 8]            return address
//! [rbp]                caller's rbp
//! [rbp - 8]            the argument slots' address (for the results)
//! [rbp - 8 - L, rbp-8) locals, parameters first (8 bytes, v128 16)
//! [rsp, rsp + 8 * S)   operand slots: the entry at depth d (in slots) is
//!                      spilled to [rsp + 8 d]
//! ```
//!
//! The frame size is known when the body is done; the prologue's
//! `sub rsp` is patched then. The prologue checks rsp against the
//! context's stack limit (`call stack exhausted` below it).
//!
//! # Code
//!
//! Each function compiles into a buffer of its own, so that a function
//! with an instruction not compiled yet is dropped (and runs in the
//! interpreter) without touching the others; the module's code is the
//! trampoline followed by every compiled function, with direct calls
//! patched to their callees. Traps jump to stubs that return from the
//! trampoline (see `entry.rs`). Instructions compiled inline: control
//! flow, locals, globals, constants, integer arithmetic and comparisons
//! (fused into a following `br_if`/`if`), the common float operations,
//! memory 0's loads and stores for 32-bit memories (explicit bounds
//! checks, or none in guard mode; the memory's base kept in a register
//! as a cached pseudo-local, `stack::MEM0_BASE`, and the offset folded
//! into the address), its `memory.fill` and `memory.copy` as direct calls
//! of their helpers, the SIMD instructions with an exact SSE4.1 lowering
//! (`simd.rs`), `select`, calls, `br_on_null`/`br_on_non_null`; `br_on_cast`
//! and its kin test through a helper and branch inline; `call_indirect`
//! through a 32-bit table 0 reads the element inline and calls a callee
//! found in the instance's indirect-call cache (`ctx::ICell`) directly,
//! other `call_indirect`s, a miss and `call_ref` resolve the callee
//! through a helper. `return` writes the results to the caller's slots
//! and pops the frame where it is. Every other instruction the shared
//! semantics of `crate::ops` executes becomes a call to `helpers::instr`,
//! which runs it on the operand slots (a GC instruction's operand count
//! from the types it names).
//!
//! # Exceptions
//!
//! An exception in flight is the context's `exn` (its index in the
//! store's exceptions, plus one). `throw` and `throw_ref` set it through a
//! helper and jump to the innermost handler: a `try_table`'s, whose code
//! (emitted at the block's start and jumped over) asks `helpers::catch`
//! for the clause that catches it, which writes the clause's values at
//! its label's height, and branches there; or, where no clause catches,
//! the enclosing `try_table`'s handler, and finally the function's
//! *unwind*, which returns to the caller with the exception still in
//! flight. Every call is followed by a test of `exn` that goes to the
//! handler around it, so an exception crosses compiled frames as
//! ordinary returns. A call out through a helper (to the interpreter, a
//! host function, another instance) that ends in `uncaught exception`
//! puts the store's `thrown` exception in flight in the caller; compiled
//! code that returns to the entry trampoline with one in flight ends the
//! entry in `uncaught exception`, leaving it in `thrown` for whoever
//! called. A legacy `try` body has a handler too, made of one test per
//! `catch`/`catch_all` clause (`helpers::legacy_catch`) chained as the
//! clauses come, the last going on to the enclosing handler; the caught
//! exception's reference is kept in a hidden local of the function (one
//! per `try`) for `rethrow`; `delegate` sends the body's exceptions to the
//! handler the interpreter picks (the innermost legacy `try` body around
//! its label, or out of the function).
//!
//! # Fuel
//!
//! When the store meters fuel, compiled code charges it where the
//! interpreter does: one unit per call (in the caller, before the callee
//! runs; in the helper for indirect calls) and per loop back-edge (`br`,
//! `br_if`, `br_table` and `br_on_*` to a loop's label), from the context's
//! `fuel`, which the store's fuel is copied into on entry and back from on
//! every exit and helper call. Unmetered, the context holds `u64::MAX` and
//! the same code never runs out.

// dynasm's expansion converts dynamic register numbers with `.into()`.
#![allow(clippy::useless_conversion)]

use std::collections::BTreeMap;

use dynasmrt::x64::X64Relocation;
use dynasmrt::{DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler, dynasm};
use weft_ast::{AddrType, BlockType, ImportDesc, Instr, ValType};

use crate::jit::ctx::{ICACHE, off};
use crate::jit::enc;
use crate::jit::entry::{PENDING, Trampoline, TrapCode};
use crate::jit::helpers;
use crate::jit::stack::{Cache, Dst, Emitter, Entry, GLOBAL, Loc, MEM0_BASE, Reg, ValueStack};
use crate::runtime::module::JitStats as Stats;
use crate::trap::Error;

macro_rules! asm {
    ($a:expr; $($t:tt)*) => {
        dynasm!($a ; .arch x64 ; $($t)*)
    };
}

// The vector instructions (a child module: it extends `FnCompiler`).
#[path = "simd.rs"]
mod simd;

/// A module's machine code.
pub(crate) struct Compiled {
    /// The code's entry in the guard handler's registry (compiled for a
    /// guarded memory 0): dropped before `buf` is unmapped.
    _registration: Option<crate::jit::guard::Registration>,
    /// The code offsets of memory 0's unchecked accesses, sorted (what
    /// the registration points to).
    _sites: Box<[u32]>,
    buf: dynasmrt::ExecutableBuffer,
    /// Each defined function's entry offset, if compiled.
    entries: Vec<Option<usize>>,
    /// Slots of the largest parameter list of the module's function
    /// types: the size of each instance's tail-call argument buffer
    /// (`VmCtx::tail_args`).
    pub tail_slots: usize,
    /// Data the code points to (`try_table` clauses' label heights).
    _data: Vec<Box<[u32]>>,
    /// What compiling did.
    pub stats: Stats,
}

impl Compiled {
    /// The entry of defined function `i`, if compiled.
    pub fn entry(&self, i: u32) -> Option<*const u8> {
        let off = (*self.entries.get(i as usize)?)?;
        Some(self.buf.ptr(dynasmrt::AssemblyOffset(off)))
    }

    /// The entry trampoline (at offset 0).
    pub fn trampoline(&self) -> Trampoline {
        let p = self.buf.ptr(dynasmrt::AssemblyOffset(0));
        // SAFETY: offset 0 of the buffer holds the trampoline `compile`
        // emitted, of that signature; the buffer is executable.
        unsafe { std::mem::transmute::<*const u8, Trampoline>(p) }
    }
}

/// Facts about the module a function's translation needs.
struct ModEnv<'a> {
    ast: &'a weft_ast::Module,
    /// Every function's type index (imports first).
    func_types: Vec<u32>,
    /// Imported functions.
    imported: u32,
    /// Whether each global is a `v128`.
    global_wide: Vec<bool>,
    /// Whether each global is an `f32`/`f64`.
    global_float: Vec<bool>,
    /// Whether memory 0 exists and is a 32-bit memory.
    mem0_32: bool,
    /// Whether memory 0 is guarded (`guard.rs`): accesses unchecked.
    mem0_guarded: bool,
    /// Whether table 0 exists and is a 32-bit table (`call_indirect`
    /// through it looks its callee up inline first).
    table0_32: bool,
    /// Which defined functions are compiled (direct calls reach them).
    compiled: Vec<bool>,
    /// Every tag's type index (imports first).
    tag_types: Vec<u32>,
    /// Processor features.
    lzcnt: bool,
    bmi1: bool,
    popcnt: bool,
    sse41: bool,
}

/// Compiles every function of `ast` (validated) it can; with `guarded`,
/// for instances whose memory 0 is a guarded 32-bit memory (its loads and
/// stores unchecked, registered as trap sites). `None` then if the code
/// cannot be registered (the registry is full).
pub(crate) fn compile(ast: &weft_ast::Module, guarded: bool) -> Result<Option<Compiled>, Error> {
    let mut func_types = Vec::new();
    let mut global_wide = Vec::new();
    let mut global_float = Vec::new();
    let mut mems = Vec::new();
    let mut tables = Vec::new();
    let mut tag_types = Vec::new();
    for i in &ast.imports {
        match i.desc {
            ImportDesc::Func(t) | ImportDesc::FuncExact(t) => func_types.push(t),
            ImportDesc::Global(g) => {
                global_wide.push(g.val == ValType::V128);
                global_float.push(float(g.val));
            }
            ImportDesc::Memory(m) => mems.push(m),
            ImportDesc::Table(t) => tables.push(t),
            ImportDesc::Tag(t) => tag_types.push(t.ty),
        }
    }
    let imported = func_types.len() as u32;
    func_types.extend(ast.funcs.iter().map(|f| f.ty));
    global_wide.extend(ast.globals.iter().map(|g| g.ty.val == ValType::V128));
    global_float.extend(ast.globals.iter().map(|g| float(g.ty.val)));
    mems.extend(ast.memories.iter().copied());
    tables.extend(ast.tables.iter().map(|t| t.ty));
    tag_types.extend(ast.tags.iter().map(|t| t.ty));
    let mut stats = Stats {
        functions: ast.funcs.len() as u32,
        ..Stats::default()
    };
    // Every function is tried; the compile pass itself finds what it
    // cannot translate (no scan of every instruction beforehand).
    let compiled = ast
        .funcs
        .iter()
        .map(|f| local_count(f) <= MAX_LOCALS)
        .collect();
    let mut env = ModEnv {
        ast,
        func_types,
        imported,
        global_wide,
        global_float,
        mem0_32: mems.first().is_some_and(|m| m.addr == AddrType::I32),
        mem0_guarded: guarded,
        table0_32: tables.first().is_some_and(|t| t.addr == AddrType::I32),
        compiled,
        tag_types,
        lzcnt: std::is_x86_feature_detected!("lzcnt"),
        bmi1: std::is_x86_feature_detected!("bmi1"),
        popcnt: std::is_x86_feature_detected!("popcnt"),
        sse41: std::is_x86_feature_detected!("sse4.1"),
    };
    // The functions that fail to compile (an instruction not compiled, or
    // the frame too large) are dropped, all of one pass at once, and the
    // others compiled again without direct calls to them (each pass drops
    // one at least).
    let bodies = loop {
        match bodies(&env) {
            Ok(bodies) => break bodies,
            Err(failed) => {
                for i in failed {
                    env.compiled[i] = false;
                    let instrs = ast.instrs(ast.funcs[i].body);
                    let why = instrs
                        .iter()
                        .find(|i| !supported(ast, i))
                        .map_or("(frame too large)", |i| i.name());
                    *stats.unsupported.entry(why).or_default() += 1;
                }
            }
        }
    };
    // Lay out: the trampoline, then each function at a 16-byte boundary;
    // the bodies go straight into the buffer, sized once (no growing copy
    // of the whole code in between).
    let mut tramp = trampoline();
    let stub_at = tramp.len();
    if guarded {
        tramp.extend(crate::jit::guard::trap_stub());
    }
    let mut len = tramp.len();
    let mut entries = Vec::with_capacity(bodies.len());
    for b in &bodies {
        match b {
            Some(b) => {
                len = len.next_multiple_of(16);
                entries.push(Some(len));
                len += b.code.len();
            }
            None => entries.push(None),
        }
    }
    let mut buf = dynasmrt::mmap::MutableBuffer::new(len.max(1))
        .map_err(|_| Error::Unsupported("no memory for machine code"))?;
    buf.set_len(len);
    let code: &mut [u8] = &mut buf;
    code[..tramp.len()].copy_from_slice(&tramp);
    let mut sites = Vec::new();
    let mut end = tramp.len();
    for (b, at) in bodies.iter().zip(&entries) {
        let (Some(b), Some(at)) = (b, *at) else {
            continue;
        };
        // Padding between functions: int3.
        code[end..at].fill(0xcc);
        code[at..at + b.code.len()].copy_from_slice(&b.code);
        end = at + b.code.len();
        sites.extend(b.sites.iter().map(|&s| (at + s) as u32));
        for &(end, callee, skip) in &b.calls {
            let target =
                entries[callee as usize].expect("direct calls reach compiled functions") + skip;
            let site = at + end;
            let rel = target as i64 - site as i64;
            code[site - 4..site].copy_from_slice(&(rel as i32).to_le_bytes());
        }
    }
    // The bodies' code is copied out; only their tables stay, for the code
    // that reads them.
    let data = bodies.into_iter().flatten().flat_map(|b| b.data).collect();
    stats.compiled = entries.iter().filter(|e| e.is_some()).count() as u32;
    stats.interpreted = stats.functions - stats.compiled;
    stats.code_bytes = len;
    // W^X: written while writable, then mapped read+execute.
    let buf = buf
        .make_exec()
        .map_err(|_| Error::Unsupported("cannot map machine code executable"))?;
    dump(&buf, &entries);
    let tail_slots = (0..ast.types.len() as u32)
        .filter_map(|t| ast.func_type(t))
        .map(|f| {
            f.params
                .iter()
                .map(|&t| if wide(t) { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    // Functions are laid out in order, so the sites come sorted.
    let sites: Box<[u32]> = sites.into();
    let registration = if guarded {
        let start = buf.ptr(dynasmrt::AssemblyOffset(0));
        let stub = buf.ptr(dynasmrt::AssemblyOffset(stub_at));
        match crate::jit::guard::Registration::new(start, len, &sites, stub) {
            Some(r) => Some(r),
            None => return Ok(None),
        }
    } else {
        None
    };
    Ok(Some(Compiled {
        _registration: registration,
        _sites: sites,
        buf,
        entries,
        tail_slots,
        _data: data,
        stats,
    }))
}

/// A debugging aid: with `WEFT_JIT_DUMP=PREFIX` in the environment, each
/// module's code is written to `PREFIX.<address>.bin` (the address it runs
/// at, in hex, for matching a profiler's samples) with each defined
/// function's entry offset in `PREFIX.<address>.txt`; read it with
/// `objdump -D -b binary -m i386:x86-64 FILE`. Failures to write are
/// ignored (it changes nothing of what runs).
fn dump(buf: &dynasmrt::ExecutableBuffer, entries: &[Option<usize>]) {
    let Some(prefix) = std::env::var_os("WEFT_JIT_DUMP") else {
        return;
    };
    let base = buf.ptr(dynasmrt::AssemblyOffset(0)) as usize;
    let mut name = prefix;
    name.push(format!(".{base:x}"));
    let mut bin = name.clone();
    bin.push(".bin");
    let _ = std::fs::write(bin, &buf[..]);
    let mut txt = String::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(e) = e {
            txt.push_str(&format!("{i} {e:#x}\n"));
        }
    }
    name.push(".txt");
    let _ = std::fs::write(name, txt);
}

/// The machine code of every function `env` marks compiled (`None` for
/// the others), or the indices of those that fail to compile, in order.
fn bodies(env: &ModEnv<'_>) -> Result<Vec<Option<Body>>, Vec<usize>> {
    let one = |(i, f): (usize, &weft_ast::Func)| {
        if !env.compiled[i] {
            return Ok(None);
        }
        FnCompiler::new(env, f)
            .and_then(|c| c.run(f))
            .map(Some)
            .ok_or(i)
    };
    // With `parallel`, functions compile on rayon's threads; the result
    // (code, and which functions fail) is the serial one.
    #[cfg(feature = "parallel")]
    let all: Vec<Result<Option<Body>, usize>> = {
        use rayon::prelude::*;
        env.ast.funcs.par_iter().enumerate().map(one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let all: Vec<Result<Option<Body>, usize>> = env.ast.funcs.iter().enumerate().map(one).collect();
    let failed: Vec<usize> = all
        .iter()
        .filter_map(|r| r.as_ref().err().copied())
        .collect();
    if failed.is_empty() {
        Ok(all.into_iter().flatten().collect())
    } else {
        Err(failed)
    }
}

/// The most locals a compiled function may declare (a larger frame stays
/// in the interpreter, whose stack is on the heap).
const MAX_LOCALS: u64 = 50_000;

fn local_count(f: &weft_ast::Func) -> u64 {
    f.locals.iter().map(|l| l.count as u64).sum()
}

/// Whether the compiler translates `i` (inline or through
/// `helpers::instr`): asked only of a function that failed to compile,
/// to name what it could not translate.
fn supported(ast: &weft_ast::Module, i: &Instr) -> bool {
    use Instr::*;
    match i {
        Unreachable
        | Nop
        | Block { .. }
        | Loop { .. }
        | If { .. }
        | Else
        | End
        | Br { .. }
        | BrIf { .. }
        | BrTable { .. }
        | Return
        | Call { .. }
        | CallIndirect { .. }
        | CallRef { .. }
        | ReturnCall { .. }
        | ReturnCallIndirect { .. }
        | ReturnCallRef { .. }
        | Throw { .. }
        | ThrowRef
        | TryTable { .. }
        | Try { .. }
        | Catch { .. }
        | CatchAll
        | Delegate { .. }
        | Rethrow { .. }
        | Drop
        | Select
        | SelectT { .. }
        | LocalGet { .. }
        | LocalSet { .. }
        | LocalTee { .. }
        | GlobalGet { .. }
        | GlobalSet { .. }
        | I32Const { .. }
        | I64Const { .. }
        | F32Const { .. }
        | F64Const { .. }
        | V128Const { .. }
        | RefNull { .. }
        | RefFunc { .. }
        | RefIsNull
        | BrOnNull { .. }
        | BrOnNonNull { .. }
        | BrOnCast { .. }
        | BrOnCastFail { .. }
        | BrOnCastDescEq { .. }
        | BrOnCastDescEqFail { .. } => true,
        // The signature's effect first: it allocates nothing, and most
        // instructions have one.
        _ => crate::interpreter::translate::effect::effect(i).is_some() || effect(ast, i).is_some(),
    }
}

/// The slots an instruction run by `helpers::instr` pops and the widths
/// (in slots) of the values it pushes: from its signature, or for a GC
/// instruction from the types it names.
fn effect(ast: &weft_ast::Module, i: &Instr) -> Option<(u32, Vec<u8>)> {
    use crate::interpreter::translate::effect as fx;
    if let Some((pops, pushes)) = fx::effect(i) {
        return Some((pops, pushes.to_vec()));
    }
    let gc = i.feature() == weft_ast::Features::GC
        || i.feature() == weft_ast::Features::CUSTOM_DESCRIPTORS;
    if !gc || i.signature().never {
        return None;
    }
    let (pops, push) = fx::gc_effect(ast, i).ok()?;
    Some((pops, push.into_iter().collect()))
}

/// The entry trampoline: `(ctx, func, args, stack) -> status` (see
/// `entry.rs`).
fn trampoline() -> Vec<u8> {
    let mut a = VecAssembler::<X64Relocation>::new(0);
    asm!(a
        ; push rbp
        ; mov rbp, rsp
        ; push rbx
        ; push r12
        ; push r13
        ; push r14
        ; push r15
        ; sub rsp, 8
        ; mov r15, rdi
        ; mov [r15 + off::ENTRY_SP], rsp
        ; test rcx, rcx
        ; jz >stay
        ; mov rsp, rcx
        ; stay:
        ; mov rax, rdx
        ; call rsi
        ; xor eax, eax
    );
    return_to_host(&mut a);
    a.finalize()
        .expect("the trampoline has no unresolved labels")
}

/// The way out of compiled code to the host (a return from the entry
/// trampoline, eax the trap code or 0): the native stack back to where the
/// trampoline left it, its saved registers restored. The trampoline's
/// own return, every function's exit and the guard-page trap stub end so.
pub(crate) fn return_to_host(a: &mut VecAssembler<X64Relocation>) {
    asm!(a
        ; mov rsp, [r15 + off::ENTRY_SP]
        ; add rsp, 8
        ; pop r15
        ; pop r14
        ; pop r13
        ; pop r12
        ; pop rbx
        ; pop rbp
        ; ret
    );
}

/// A function's code before layout.
struct Body {
    code: Vec<u8>,
    /// Direct calls and tail jumps: the offset just after each `call
    /// rel32` or `jmp rel32`, the defined function it reaches, and the
    /// bytes past its entry it goes to (0, or [`TAIL_ENTRY`]).
    calls: Vec<(usize, u32, usize)>,
    /// Data the code points to.
    data: Vec<Box<[u32]>>,
    /// Offsets of memory 0's unchecked accesses (guarded), in order.
    sites: Vec<usize>,
}

/// The assembler and what moving values needs (the locals' offsets).
struct Asm {
    a: VecAssembler<X64Relocation>,
    /// Each local's offset from rbp.
    local_off: Vec<i32>,
}

/// Bytes from a function's entry to its tail entry (see the prologue in
/// `FnCompiler::run`).
const TAIL_ENTRY: usize = 3;

const RAX: Reg = 0;
const RCX: Reg = 1;
const RDX: Reg = 2;
const RSI: Reg = 6;

fn slot_disp(s: u32) -> i32 {
    (s * 8) as i32
}

/// A memory operand of a move: a slot, a local, a global.
#[derive(Clone, Copy)]
enum Mem {
    /// `[rsp + disp]`.
    Rsp(i32),
    /// `[rbp + disp]`.
    Rbp(i32),
    /// `[rax + disp]`.
    Rax(i32),
    /// `[r15 + disp]`: a field of the context.
    R15(i32),
}

impl Mem {
    /// The base register's number and the displacement.
    fn base(self) -> (Reg, i32) {
        match self {
            Mem::Rsp(o) => (4, o),
            Mem::Rbp(o) => (5, o),
            Mem::Rax(o) => (RAX, o),
            Mem::R15(o) => (15, o),
        }
    }
}

impl Asm {
    /// Where a value at `l` (with home slot `slot`) is read from; for a
    /// global (`Loc::Local(GLOBAL | g)`), its address is loaded into rax
    /// first.
    fn mem(&mut self, l: Loc, slot: u32) -> Mem {
        match l {
            Loc::Local(MEM0_BASE) => Mem::R15(off::MEM0_BASE),
            Loc::Local(i) if i >= GLOBAL => {
                let d = ((i - GLOBAL) * 8) as i32;
                asm!(self.a
                    ; mov rax, [r15 + off::GLOBALS]
                    ; mov rax, [rax + d]
                );
                Mem::Rax(off::GLOBAL_LO)
            }
            Loc::Local(i) => Mem::Rbp(self.local_off[i as usize]),
            _ => Mem::Rsp(slot_disp(slot)),
        }
    }

    fn load_gpr(&mut self, d: Reg, m: Mem) {
        let (base, o) = m.base();
        enc::load64(&mut self.a, d, base, o);
    }

    fn load_xmm(&mut self, d: Reg, m: Mem, wide: bool) {
        let a = &mut self.a;
        match (m, wide) {
            (Mem::Rsp(o), false) => asm!(a; movq Rx(d), [rsp + o]),
            (Mem::Rbp(o), false) => asm!(a; movq Rx(d), [rbp + o]),
            (Mem::Rax(o), false) => asm!(a; movq Rx(d), [rax + o]),
            (Mem::R15(o), false) => asm!(a; movq Rx(d), [r15 + o]),
            (Mem::Rsp(o), true) => asm!(a; movdqu Rx(d), [rsp + o]),
            (Mem::Rbp(o), true) => asm!(a; movdqu Rx(d), [rbp + o]),
            (Mem::Rax(o), true) => asm!(a; movdqu Rx(d), [rax + o]),
            (Mem::R15(o), true) => asm!(a; movdqu Rx(d), [r15 + o]),
        }
    }

    fn store_gpr(&mut self, m: Mem, s: Reg) {
        let (base, o) = m.base();
        enc::store64(&mut self.a, base, o, s);
    }

    fn store_xmm(&mut self, m: Mem, s: Reg, wide: bool) {
        let a = &mut self.a;
        match (m, wide) {
            (Mem::Rsp(o), false) => asm!(a; movq [rsp + o], Rx(s)),
            (Mem::Rbp(o), false) => asm!(a; movq [rbp + o], Rx(s)),
            (Mem::Rax(o), false) => asm!(a; movq [rax + o], Rx(s)),
            (Mem::R15(o), false) => asm!(a; movq [r15 + o], Rx(s)),
            (Mem::Rsp(o), true) => asm!(a; movdqu [rsp + o], Rx(s)),
            (Mem::Rbp(o), true) => asm!(a; movdqu [rbp + o], Rx(s)),
            (Mem::Rax(o), true) => asm!(a; movdqu [rax + o], Rx(s)),
            (Mem::R15(o), true) => asm!(a; movdqu [r15 + o], Rx(s)),
        }
    }

    fn store_imm(&mut self, m: Mem, c: i32) {
        let (base, o) = m.base();
        enc::store64_imm(&mut self.a, base, o, c);
    }
}

impl Emitter for Asm {
    fn mov(&mut self, dst: Dst, src: Loc, slot: u32, wide: bool) {
        // The source's memory operand only where it is read from memory
        // (a global's takes a load of its address first).
        match dst {
            Dst::Gpr(d) => match src {
                Loc::Const(c) if c <= u32::MAX as u64 => enc::mov32_imm(&mut self.a, d, c as u32),
                Loc::Const(c) => asm!(self.a; mov Rq(d), QWORD c as i64),
                Loc::Gpr(s) => enc::mov64(&mut self.a, d, s),
                Loc::Xmm(s) => asm!(self.a; movq Rq(d), Rx(s)),
                _ => {
                    let m = self.mem(src, slot);
                    self.load_gpr(d, m)
                }
            },
            Dst::Xmm(d) => match src {
                Loc::Const(c) => asm!(self.a; mov rax, QWORD c as i64; movq Rx(d), rax),
                Loc::Gpr(s) => asm!(self.a; movq Rx(d), Rq(s)),
                Loc::Xmm(s) => asm!(self.a; movaps Rx(d), Rx(s)),
                _ => {
                    let m = self.mem(src, slot);
                    self.load_xmm(d, m, wide)
                }
            },
            Dst::Slot(_) | Dst::Local(_) => {
                let m = match dst {
                    Dst::Slot(s) => Mem::Rsp(slot_disp(s)),
                    Dst::Local(i) => Mem::Rbp(self.local_off[i as usize]),
                    _ => unreachable!("a memory destination"),
                };
                match src {
                    Loc::Const(c) if (c as i64) == (c as i64 as i32 as i64) => {
                        self.store_imm(m, c as i64 as i32)
                    }
                    Loc::Const(c) => {
                        asm!(self.a; mov rax, QWORD c as i64);
                        self.store_gpr(m, RAX);
                    }
                    Loc::Gpr(s) => self.store_gpr(m, s),
                    Loc::Xmm(s) => self.store_xmm(m, s, wide),
                    _ if wide => {
                        let src_mem = self.mem(src, slot);
                        self.load_xmm(0, src_mem, true);
                        self.store_xmm(m, 0, true);
                    }
                    _ => {
                        let src_mem = self.mem(src, slot);
                        self.load_gpr(RAX, src_mem);
                        self.store_gpr(m, RAX);
                    }
                }
            }
        }
    }
}

/// A condition of the flags, as a comparison leaves them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cond {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cond {
    fn not(self) -> Cond {
        use Cond::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            GeS => LtS,
            LtU => GeU,
            GeU => LtU,
            GtS => LeS,
            LeS => GtS,
            GtU => LeU,
            LeU => GtU,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Func,
    Block,
    Loop,
    If {
        else_label: DynamicLabel,
        has_else: bool,
    },
    /// A legacy `try`: `next` is where its handler goes on testing (the
    /// next clause's test, or on to the enclosing handler), `hidden` the
    /// hidden local holding the caught exception's reference (for
    /// `rethrow`), `catching` whether its `catch` clauses have begun.
    Try {
        next: DynamicLabel,
        hidden: u32,
        catching: bool,
    },
}

/// An enclosing block.
struct Ctl {
    kind: Kind,
    /// Where a branch to it goes: a loop's head, else its end.
    label: DynamicLabel,
    /// Entries below its parameters.
    base_len: usize,
    /// Their height in slots.
    base_slot: u32,
    params: Vec<bool>,
    results: Vec<bool>,
    /// The stack at its start (an `if`'s, for `else`, and a legacy
    /// `try`'s, for its clauses; empty for other blocks).
    saved: Vec<Entry>,
    /// Whether a branch goes to its end.
    targeted: bool,
    /// The locals cached in registers at its start (a loop's after its
    /// preloads): every path to its label brings the registers to it.
    cache: Cache,
    /// Where a branch to it goes: a loop's back-edge entry (fuel, then
    /// the head), else `label`.
    back: DynamicLabel,
}

impl Ctl {
    /// The widths of the values a branch to it carries.
    fn arity(&self) -> &[bool] {
        if self.kind == Kind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

struct FnCompiler<'a> {
    env: &'a ModEnv<'a>,
    asm: Asm,
    vs: ValueStack,
    ctls: Vec<Ctl>,
    local_wide: Vec<bool>,
    /// Whether each local is an `f32`/`f64` (cached in an SSE register).
    local_float: Vec<bool>,
    /// The body, and the index of the instruction being translated.
    body: &'a [Instr],
    pc: usize,
    /// Bytes of locals.
    locals_bytes: u32,
    /// Whether the code being translated is unreachable, and how many
    /// blocks deep into it.
    dead: bool,
    dead_depth: u32,
    /// Each trap's label, once code branches to it, indexed by its code
    /// (an array, not a map: `memory` asks for one per access).
    traps: [Option<(TrapCode, DynamicLabel)>; TRAP_CODES],
    exit: DynamicLabel,
    calls: Vec<(usize, u32, usize)>,
    /// A comparison whose flags a following `br_if`/`if` branches on.
    cond: Option<Cond>,
    /// Slots of the function's own argument area that a tail call may
    /// reuse: its results' (a caller sized the area for the callee's
    /// parameters too, but a function entered by a tail call at its tail
    /// entry has the area of the function that made the call).
    room: u32,
    /// The handlers of the enclosing `try_table`s and legacy `try` bodies,
    /// innermost last, each with the depth of its block in `ctls` and
    /// whether it is a legacy `try`'s (`delegate` goes to those only, as
    /// in the interpreter).
    handlers: Vec<(usize, DynamicLabel, bool)>,
    /// The next hidden local for a legacy `try` (they follow the declared
    /// locals, one per `try` of the body).
    next_hidden: u32,
    /// Whether the call being compiled is a tail call's (made as a call
    /// and a return: the function's handlers do not cover its callee).
    tail: bool,
    /// Where an exception no handler of the function catches goes: a
    /// return to the caller with it still in flight.
    unwind: DynamicLabel,
    /// Data the code points to (`try_table` clauses' label heights), kept
    /// with it.
    data: Vec<Box<[u32]>>,
    /// Offsets of memory 0's unchecked accesses (guarded), in order.
    sites: Vec<usize>,
    /// Out-of-line fuel charges: each stub's label and where it returns.
    fuel_stubs: Vec<(DynamicLabel, DynamicLabel)>,
}

/// The bytes of machine code an instruction is expected to take (for
/// sizing a function's assembler).
const CODE_PER_INSTR: usize = 16;

/// One more than the largest [`TrapCode`]: the length of
/// `FnCompiler::traps`.
const TRAP_CODES: usize = TrapCode::OutOfFuel as usize + 1;

fn wide(t: ValType) -> bool {
    t == ValType::V128
}

fn float(t: ValType) -> bool {
    matches!(t, ValType::F32 | ValType::F64)
}

/// A loop's preloads leave this many general-purpose registers free (of
/// nine) for the values its body computes...
const PRELOAD_KEEP_GPR: u32 = 5;
/// ... and this many SSE registers (of fourteen).
const PRELOAD_KEEP_XMM: u32 = 6;
/// The parameters a function's entry caches in registers: general-purpose
/// ones...
const PARAM_GPRS: u32 = 4;
/// ... and floats.
const PARAM_XMMS: u32 = 4;
/// The most instructions of a loop's body counted for its preloads (a
/// bound on the compile time nested loops spend).
const PRELOAD_SCAN: usize = 4096;

/// Slots of values of these widths.
fn slot_count(wide: &[bool]) -> u32 {
    wide.iter().map(|&w| if w { 2 } else { 1 }).sum()
}

impl<'a> FnCompiler<'a> {
    fn new(env: &'a ModEnv<'a>, f: &weft_ast::Func) -> Option<FnCompiler<'a>> {
        let ty = env.ast.func_type(f.ty)?;
        let mut local_wide: Vec<bool> = ty.params.iter().map(|t| wide(*t)).collect();
        for l in &f.locals {
            local_wide.extend(std::iter::repeat_n(wide(l.ty), l.count as usize));
        }
        let mut local_float: Vec<bool> = ty.params.iter().map(|t| float(*t)).collect();
        for l in &f.locals {
            local_float.extend(std::iter::repeat_n(float(l.ty), l.count as usize));
        }
        let first_hidden = local_wide.len() as u32;
        let tries = env
            .ast
            .instrs(f.body)
            .iter()
            .filter(|i| matches!(i, Instr::Try { .. }))
            .count();
        local_wide.extend(std::iter::repeat_n(false, tries));
        let locals_bytes: u32 = local_wide.iter().map(|&w| if w { 16 } else { 8 }).sum();
        let mut local_off = Vec::with_capacity(local_wide.len());
        let mut at = -8 - locals_bytes as i32;
        for &w in &local_wide {
            local_off.push(at);
            at += if w { 16 } else { 8 };
        }
        // Sized from the body (about 12 bytes of code per instruction on
        // real modules, a label and a relocation per few), so that the
        // buffers rarely grow by copying.
        let n = env.ast.instrs(f.body).len();
        let mut a = VecAssembler::<X64Relocation>::new_with_capacity(
            0,
            n * CODE_PER_INSTR + 64,
            0,
            0,
            n / 4 + 4,
            0,
            n / 2 + 4,
        );
        let exit = a.new_dynamic_label();
        let unwind = a.new_dynamic_label();
        Some(FnCompiler {
            env,
            asm: Asm { a, local_off },
            vs: ValueStack::new(),
            ctls: Vec::new(),
            local_wide,
            local_float,
            body: env.ast.instrs(f.body),
            pc: 0,
            locals_bytes,
            dead: false,
            dead_depth: 0,
            traps: [None; TRAP_CODES],
            exit,
            calls: Vec::new(),
            cond: None,
            room: 0,
            handlers: Vec::new(),
            next_hidden: first_hidden,
            tail: false,
            unwind,
            data: Vec::new(),
            sites: Vec::new(),
            fuel_stubs: Vec::new(),
        })
    }

    fn block_type(&self, bt: BlockType) -> Option<(Vec<bool>, Vec<bool>)> {
        Some(match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Val(t) => (vec![], vec![wide(t)]),
            BlockType::Func(i) => {
                let f = self.env.ast.func_type(i)?;
                (
                    f.params.iter().map(|t| wide(*t)).collect(),
                    f.results.iter().map(|t| wide(*t)).collect(),
                )
            }
        })
    }

    fn func_sig(&self, func: u32) -> Option<(Vec<bool>, Vec<bool>)> {
        let t = *self.env.func_types.get(func as usize)?;
        self.block_type(BlockType::Func(t))
    }

    fn trap(&mut self, code: TrapCode) -> DynamicLabel {
        let a = &mut self.asm.a;
        self.traps[code as usize]
            .get_or_insert_with(|| (code, a.new_dynamic_label()))
            .1
    }

    /// Translates the body; `None` if the frame is too large.
    fn run(mut self, f: &weft_ast::Func) -> Option<Body> {
        let ty = self.env.ast.func_type(f.ty)?;
        let params: Vec<bool> = ty.params.iter().map(|t| wide(*t)).collect();
        let results: Vec<bool> = ty.results.iter().map(|t| wide(*t)).collect();
        // Entered at its tail entry, the function's result slots are the
        // tail-calling function's, sized for that one's parameters and the
        // results both have: only the results are sure to fit.
        self.room = slot_count(&results);
        let stack_trap = self.trap(TrapCode::StackExhausted);
        // Prologue: the entry takes the arguments' and the results' slots
        // at one address (rax); the tail entry, `TAIL_ENTRY` bytes on,
        // the arguments at rax and the results' slots at rdx.
        let a = &mut self.asm.a;
        asm!(a; mov rdx, rax);
        debug_assert_eq!(a.offset().0, TAIL_ENTRY);
        asm!(a
            ; push rbp
            ; mov rbp, rsp
            ; sub rsp, DWORD 0x7fff_fff0
        );
        let frame_patch = a.offset().0;
        asm!(a
            ; cmp rsp, [r15 + off::STACK_LIMIT]
            ; jb =>stack_trap
            ; mov [rbp - 8], rdx
        );
        // The first parameters go through registers that stay their
        // cached copies (the body's first reads of them are then no
        // loads of what was just stored).
        let mut at = 0i32;
        let (mut gprs, mut xmms) = (0, 0);
        for (i, &w) in params.iter().enumerate() {
            let o = self.asm.local_off[i];
            let float = self.local_float[i];
            if w {
                asm!(self.asm.a; movdqu xmm0, [rax + at]; movdqu [rbp + o], xmm0);
                at += 16;
                continue;
            }
            if float && xmms < PARAM_XMMS {
                let x = self.vs.alloc_xmm(&mut self.asm);
                asm!(self.asm.a; movq Rx(x), [rax + at]; movq [rbp + o], Rx(x));
                self.vs.cache_local(i as u32, Loc::Xmm(x));
                xmms += 1;
            } else if !float && gprs < PARAM_GPRS {
                let r = self.vs.alloc_gpr(&mut self.asm);
                asm!(self.asm.a; mov Rq(r), [rax + at]; mov [rbp + o], Rq(r));
                self.vs.cache_local(i as u32, Loc::Gpr(r));
                gprs += 1;
            } else {
                asm!(self.asm.a; mov rcx, [rax + at]; mov [rbp + o], rcx);
            }
            at += 8;
        }
        let a = &mut self.asm.a;
        let first = params.len();
        let n = self.local_wide.len() - first;
        if n > 0 {
            let start = self.asm.local_off[first];
            let bytes = -8 - start;
            if bytes <= 128 {
                let mut o = start;
                while o < -8 {
                    asm!(a; mov QWORD [rbp + o], 0);
                    o += 8;
                }
            } else {
                asm!(a
                    ; lea rdi, [rbp + start]
                    ; mov ecx, bytes / 8
                    ; xor eax, eax
                    ; rep stosq
                );
                // rdi may have held a parameter.
                self.vs.clear_cache();
            }
        }
        let end = self.asm.a.new_dynamic_label();
        self.ctls.push(Ctl {
            kind: Kind::Func,
            label: end,
            base_len: 0,
            base_slot: 0,
            params: vec![],
            results: results.clone(),
            saved: vec![],
            targeted: false,
            cache: Cache::EMPTY,
            back: end,
        });
        let body = self.body;
        for (k, i) in body.iter().enumerate() {
            self.pc = k;
            self.vs.unpin();
            self.instr(i, body.get(k + 1))?;
            if self.ctls.is_empty() {
                break;
            }
        }
        // Epilogue: the results from slots 0.. to the caller's slots.
        let a = &mut self.asm.a;
        asm!(a; mov rcx, [rbp - 8]);
        let mut at = 0i32;
        for &w in &results {
            if w {
                asm!(a; movdqu xmm0, [rsp + at]; movdqu [rcx + at], xmm0);
                at += 16;
            } else {
                asm!(a; mov rax, [rsp + at]; mov [rcx + at], rax);
                at += 8;
            }
        }
        asm!(a
            ; mov rsp, rbp
            ; pop rbp
            ; ret
            // An exception in flight, to the caller.
            ; =>self.unwind
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );
        // Fuel charged out of line (see `charge`).
        let fuel_trap = (!self.fuel_stubs.is_empty()).then(|| self.trap(TrapCode::OutOfFuel));
        let a = &mut self.asm.a;
        for (stub, back) in std::mem::take(&mut self.fuel_stubs) {
            let t = fuel_trap.expect("a stub charges fuel");
            asm!(a
                ; =>stub
                ; sub QWORD [r15 + off::FUEL], 1
                ; jb =>t
                ; jmp =>back
            );
        }
        // Traps: the code in eax, then out through the trampoline.
        // In the order of their codes.
        for (code, label) in std::mem::take(&mut self.traps).into_iter().flatten() {
            asm!(a; =>label);
            if code == TrapCode::OutOfFuel {
                // The interpreter's meaning: fuel stays at 0.
                asm!(a; mov QWORD [r15 + off::FUEL], 0);
            }
            asm!(a; mov eax, code as i32; jmp =>self.exit);
        }
        asm!(a; =>self.exit);
        return_to_host(a);
        let frame = 8 + self.locals_bytes as u64 + 8 * self.vs.max_slots as u64;
        let frame = frame.div_ceil(16) * 16;
        if frame > 1 << 30 {
            return None;
        }
        let mut code = self.asm.a.finalize().ok()?;
        // Kept until the module's layout: only its length (shrinking is
        // in place).
        code.shrink_to_fit();
        code[frame_patch - 4..frame_patch].copy_from_slice(&(frame as u32).to_le_bytes());
        Some(Body {
            code,
            calls: self.calls,
            data: self.data,
            sites: self.sites,
        })
    }

    /// Translates one instruction (`next` is the one after it).
    fn instr(&mut self, i: &Instr, next: Option<&Instr>) -> Option<()> {
        use Instr::*;
        if self.dead {
            match i {
                Block { .. } | Loop { .. } | If { .. } | TryTable { .. } | Try { .. } => {
                    self.dead_depth += 1;
                    return Some(());
                }
                End | Delegate { .. } if self.dead_depth > 0 => {
                    self.dead_depth -= 1;
                    return Some(());
                }
                Else | Catch { .. } | CatchAll if self.dead_depth > 0 => return Some(()),
                End | Else | Catch { .. } | CatchAll | Delegate { .. } => {}
                _ => return Some(()),
            }
        }
        let fuse = matches!(next, Some(BrIf { .. } | If { .. }));
        match i {
            Nop => {}
            Unreachable => {
                let t = self.trap(TrapCode::Unreachable);
                asm!(self.asm.a; jmp =>t);
                self.dead = true;
            }
            Block { ty } => {
                let (p, r) = self.block_type(*ty)?;
                self.vs.flush(p.len(), &mut self.asm);
                let label = self.asm.a.new_dynamic_label();
                self.push_ctl(Kind::Block, label, p, r);
            }
            Loop { ty } => {
                let (p, r) = self.block_type(*ty)?;
                self.vs.flush(p.len(), &mut self.asm);
                let want = self.loop_locals();
                self.vs
                    .preload(&want, PRELOAD_KEEP_GPR, PRELOAD_KEEP_XMM, &mut self.asm);
                // The head; back-edges go to `back` before it, which
                // charges fuel and falls into the head, so that a
                // back-edge needing no moves is one jump.
                let label = self.asm.a.new_dynamic_label();
                let back = self.asm.a.new_dynamic_label();
                asm!(self.asm.a; jmp =>label; =>back);
                self.charge();
                asm!(self.asm.a; =>label);
                self.push_ctl(Kind::Loop, label, p, r);
                if let Some(c) = self.ctls.last_mut() {
                    c.back = back;
                }
            }
            If { ty } => {
                let (p, r) = self.block_type(*ty)?;
                let cond = self.pop_cond();
                self.vs.flush(p.len(), &mut self.asm);
                let else_label = self.asm.a.new_dynamic_label();
                self.jcc(cond.not(), else_label);
                let label = self.asm.a.new_dynamic_label();
                self.push_ctl(
                    Kind::If {
                        else_label,
                        has_else: false,
                    },
                    label,
                    p,
                    r,
                );
            }
            Else => {
                let c = self.ctls.last_mut()?;
                let Kind::If { else_label, .. } = c.kind else {
                    return None;
                };
                c.kind = Kind::If {
                    else_label,
                    has_else: true,
                };
                let cache = c.cache;
                if !self.dead {
                    let (n, base, label) = (c.results.len(), c.base_slot, c.label);
                    c.targeted = true;
                    self.vs.copy_top_to(n, base, &mut self.asm);
                    self.conform(cache);
                    asm!(self.asm.a; jmp =>label);
                }
                let c = self.ctls.last()?;
                asm!(self.asm.a; =>else_label);
                self.vs.reset(&c.saved);
                self.vs.set_cache(cache);
                self.dead = false;
            }
            End => {
                // The function's own end, reached: its results go to the
                // caller from where they are.
                if self.ctls.len() == 1 && !self.dead {
                    self.return_inline();
                    self.dead = true;
                }
                self.end()?
            }
            Br { label } => {
                self.br(*label)?;
                self.dead = true;
            }
            BrIf { label } => {
                let cond = self.pop_cond();
                self.br_on(cond, *label)?;
            }
            BrOnNull { label } => {
                // Taken: the null is dropped; not taken: the reference stays.
                let x = self.vs.pop();
                let r = self.vs.in_gpr(x, &mut self.asm);
                asm!(self.asm.a; test Rq(r), Rq(r));
                self.br_on(Cond::Eq, *label)?;
                self.vs.push(Loc::Gpr(r), false);
            }
            BrOnNonNull { label } => {
                // Taken: the reference goes with the branch; not taken: the
                // null is dropped.
                let x = self.vs.pop();
                let r = self.vs.in_gpr(x, &mut self.asm);
                self.vs.push(Loc::Gpr(r), false);
                asm!(self.asm.a; test Rq(r), Rq(r));
                self.br_on(Cond::Ne, *label)?;
                let x = self.vs.pop();
                self.vs.free(x.loc);
            }
            BrOnCast { cast } | BrOnCastFail { cast } => {
                let fail = matches!(i, BrOnCastFail { .. });
                self.vs.spill_regs(&mut self.asm);
                let x = *self.vs.peek(0)?;
                self.asm.mov(Dst::Gpr(RSI), x.loc, x.slot, false);
                let rt = &cast.to as *const weft_ast::RefType;
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov rdx, QWORD rt as i64
                    ; mov rax, QWORD helpers::ref_test as *const () as i64
                    ; call rax
                    ; test eax, eax
                );
                self.br_on(if fail { Cond::Eq } else { Cond::Ne }, cast.label)?;
            }
            BrOnCastDescEq { cast } | BrOnCastDescEqFail { cast } => {
                let fail = matches!(i, BrOnCastDescEqFail { .. });
                self.vs.spill_regs(&mut self.asm);
                let desc = self.vs.pop();
                let x = *self.vs.peek(0)?;
                self.asm.mov(Dst::Gpr(RDX), desc.loc, desc.slot, false);
                self.vs.free(desc.loc);
                self.asm.mov(Dst::Gpr(RSI), x.loc, x.slot, false);
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov ecx, i32::from(cast.to.nullable)
                    ; mov rax, QWORD helpers::desc_test as *const () as i64
                    ; call rax
                    ; cmp eax, 1
                    ; ja =>self.exit
                    ; test eax, eax
                );
                self.br_on(if fail { Cond::Eq } else { Cond::Ne }, cast.label)?;
            }
            BrTable { table } => self.br_table(&table.targets, table.default)?,
            Return => {
                self.return_inline();
                self.dead = true;
            }
            Call { func } => self.call(*func)?,
            CallIndirect { ty, table } => self.call_indirect(*ty, *table)?,
            CallRef { ty } => self.call_ref(*ty)?,
            ReturnCall { func } => {
                self.return_call(*func)?;
                self.dead = true;
            }
            ReturnCallIndirect { ty, table } => {
                self.return_call_indirect(*ty, *table)?;
                self.dead = true;
            }
            ReturnCallRef { ty } => {
                self.return_call_ref(*ty)?;
                self.dead = true;
            }
            Throw { tag } => {
                // The exception is made and put in flight, then the
                // innermost handler takes it.
                let ty = *self.env.tag_types.get(*tag as usize)?;
                let (p, _) = self.block_type(BlockType::Func(ty))?;
                let base = self.args_in_slots(p.len(), &[]);
                let d = slot_disp(base);
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov esi, *tag as i32
                    ; lea rdx, [rsp + d]
                    ; mov rax, QWORD helpers::throw as *const () as i64
                    ; call rax
                    ; test eax, eax
                    ; jnz =>self.exit
                );
                let h = self.handler();
                asm!(self.asm.a; jmp =>h);
                self.dead = true;
            }
            ThrowRef => {
                let x = self.vs.pop();
                self.asm.mov(Dst::Gpr(RSI), x.loc, x.slot, false);
                self.vs.free(x.loc);
                let h = self.handler();
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov rax, QWORD helpers::throw_ref as *const () as i64
                    ; call rax
                    ; test eax, eax
                    ; jnz =>self.exit
                    ; jmp =>h
                );
                self.dead = true;
            }
            TryTable { table } => self.try_table(table)?,
            Try { ty } => {
                let (p, r) = self.block_type(*ty)?;
                self.vs.flush(p.len(), &mut self.asm);
                let label = self.asm.a.new_dynamic_label();
                let next = self.asm.a.new_dynamic_label();
                let hidden = self.next_hidden;
                self.next_hidden += 1;
                let kind = Kind::Try {
                    next,
                    hidden,
                    catching: false,
                };
                self.push_ctl(kind, label, p, r);
                self.handlers.push((self.ctls.len(), next, true));
            }
            Catch { tag } => self.legacy_catch(Some(*tag))?,
            CatchAll => self.legacy_catch(None)?,
            Delegate { label } => self.delegate(*label)?,
            Rethrow { label } => {
                let k = self.ctls.len().checked_sub(*label as usize + 1)?;
                let Kind::Try {
                    hidden,
                    catching: true,
                    ..
                } = self.ctls.get(k)?.kind
                else {
                    return None;
                };
                let o = *self.asm.local_off.get(hidden as usize)?;
                let h = self.handler();
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov rsi, [rbp + o]
                    ; mov rax, QWORD helpers::throw_ref as *const () as i64
                    ; call rax
                    ; test eax, eax
                    ; jnz =>self.exit
                    ; jmp =>h
                );
                self.dead = true;
            }
            Drop => {
                let x = self.vs.pop();
                self.vs.free(x.loc);
            }
            Select => self.select(),
            SelectT { .. } => self.select(),
            LocalGet { local } => {
                let w = *self.local_wide.get(*local as usize)?;
                self.vs.push(Loc::Local(*local), w);
            }
            LocalSet { local } | LocalTee { local } => {
                // The slot is written (the cache writes through); a value
                // in a register becomes the local's cached copy.
                let l = *local;
                let x = self.vs.pop();
                self.vs.spill_locals(Some(l), &mut self.asm);
                if x.loc == Loc::Local(l) {
                    self.vs.push(x.loc, x.wide);
                    if matches!(i, LocalSet { .. }) {
                        self.vs.pop();
                    }
                    return Some(());
                }
                // Another local's (or global's) cached value is copied to a
                // register of its own, which becomes this local's copy: a
                // loop whose locals shift (`a = b`) then keeps them all in
                // registers.
                let x = match self.vs.src(x.loc) {
                    Loc::Gpr(_) if !x.wide && x.loc != self.vs.src(x.loc) => Entry {
                        loc: Loc::Gpr(self.vs.in_gpr(x, &mut self.asm)),
                        ..x
                    },
                    Loc::Xmm(_) if !x.wide && x.loc != self.vs.src(x.loc) => Entry {
                        loc: Loc::Xmm(self.vs.in_xmm(x, &mut self.asm)),
                        ..x
                    },
                    _ => x,
                };
                // The innermost loop wants the local in a register of its
                // own (its preloads): the value goes there if it can, so
                // that the back-edge finds it in place.
                let want = self
                    .ctls
                    .iter()
                    .rev()
                    .find(|c| c.kind == Kind::Loop)
                    .and_then(|c| c.cache.find(l));
                let x = match (x.loc, want) {
                    (Loc::Gpr(r), Some(Loc::Gpr(w))) if r != w && self.vs.claim(Loc::Gpr(w)) => {
                        self.asm.mov(Dst::Gpr(w), x.loc, x.slot, false);
                        self.vs.free(x.loc);
                        Entry {
                            loc: Loc::Gpr(w),
                            ..x
                        }
                    }
                    (Loc::Xmm(r), Some(Loc::Xmm(w)))
                        if r != w && !x.wide && self.vs.claim(Loc::Xmm(w)) =>
                    {
                        self.asm.mov(Dst::Xmm(w), x.loc, x.slot, false);
                        self.vs.free(x.loc);
                        Entry {
                            loc: Loc::Xmm(w),
                            ..x
                        }
                    }
                    _ => x,
                };
                let src = self.vs.src(x.loc);
                self.asm.mov(Dst::Local(l), src, x.slot, x.wide);
                let tee = matches!(i, LocalTee { .. });
                match x.loc {
                    Loc::Gpr(_) | Loc::Xmm(_) if !x.wide => {
                        self.vs.cache_local(l, x.loc);
                        if tee {
                            self.vs.push(Loc::Local(l), false);
                        }
                    }
                    _ => {
                        self.vs.uncache(l);
                        if tee {
                            self.vs.push(x.loc, x.wide);
                        } else {
                            self.vs.free(x.loc);
                        }
                    }
                }
            }
            GlobalGet { global } => self.global_get(*global)?,
            GlobalSet { global } => self.global_set(*global)?,
            I32Const { value } => self.vs.push(Loc::Const(*value as u32 as u64), false),
            I64Const { value } => self.vs.push(Loc::Const(*value as u64), false),
            F32Const { value } => self.vs.push(Loc::Const(value.0 as u64), false),
            F64Const { value } => self.vs.push(Loc::Const(value.0), false),
            RefNull { .. } => self.vs.push(Loc::Const(0), false),
            V128Const { value } => self.v128_const(value.0),
            RefFunc { func } => {
                self.vs.spill_regs(&mut self.asm);
                let f = *func;
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov esi, f as i32
                    ; mov rax, QWORD helpers::ref_func as *const () as i64
                    ; call rax
                );
                let r = self.vs.alloc_gpr(&mut self.asm);
                asm!(self.asm.a; mov Rq(r), rax);
                self.vs.push(Loc::Gpr(r), false);
            }
            RefIsNull => {
                let x = self.vs.pop();
                let r = self.vs.in_gpr(x, &mut self.asm);
                asm!(self.asm.a; test Rq(r), Rq(r); sete al; movzx Rd(r), al);
                self.vs.push(Loc::Gpr(r), false);
            }
            _ => {
                if !self.inline(i, fuse)? {
                    self.generic(i)?;
                }
            }
        }
        Some(())
    }

    fn push_ctl(&mut self, kind: Kind, label: DynamicLabel, params: Vec<bool>, results: Vec<bool>) {
        let base_len = self.vs.len() - params.len();
        let base_slot = self
            .vs
            .entries()
            .get(base_len)
            .map_or(self.vs.height(), |e| e.slot);
        self.ctls.push(Ctl {
            kind,
            label,
            base_len,
            base_slot,
            params,
            results,
            // Only an `if` (for `else`) and a legacy `try` (for its
            // clauses) start over from it.
            saved: if matches!(kind, Kind::If { .. } | Kind::Try { .. }) {
                self.vs.entries().to_vec()
            } else {
                Vec::new()
            },
            targeted: matches!(kind, Kind::If { .. }),
            cache: self.vs.cache(),
            back: label,
        });
    }

    fn end(&mut self) -> Option<()> {
        if self.handlers.last().is_some_and(|h| h.0 == self.ctls.len()) {
            self.handlers.pop();
        }
        let c = self.ctls.pop()?;
        let live = !self.dead;
        // A block no branch goes to is no merge: the cache stays as it is.
        let merge = c.targeted && !matches!(c.kind, Kind::Loop | Kind::Func);
        if live && c.kind != Kind::Loop {
            self.vs
                .copy_top_to(c.results.len(), c.base_slot, &mut self.asm);
            if merge {
                self.conform(c.cache);
            }
        }
        if let Kind::Try { next, .. } = c.kind {
            // No clause caught it: on to the enclosing handler (this
            // block's was popped above, or at its first clause).
            let outer = self.handler();
            if live {
                asm!(self.asm.a; jmp =>c.label);
            }
            asm!(self.asm.a
                ; =>next
                ; jmp =>outer
            );
        }
        if let Kind::If {
            else_label,
            has_else: false,
        } = c.kind
        {
            asm!(self.asm.a; =>else_label);
        }
        if c.kind != Kind::Loop {
            asm!(self.asm.a; =>c.label);
        }
        if c.kind == Kind::Loop && live {
            // Only the fall-through reaches a loop's end: its values stay
            // where they are.
            return Some(());
        }
        self.vs.truncate(c.base_len);
        self.vs.push_slots(c.results.iter().copied());
        if merge {
            self.vs.set_cache(c.cache);
        }
        self.dead = !(live || c.targeted);
        Some(())
    }

    /// Brings the cached locals' registers to `to` (see
    /// `ValueStack::conform`), on a path into a label.
    fn conform(&mut self, to: Cache) {
        let from = self.vs.cache();
        ValueStack::conform(&from, &to, &mut self.asm);
    }

    /// Whether a path to control `c`'s label must change registers.
    fn needs_conform(&self, c: usize) -> bool {
        let ctl = &self.ctls[c];
        ctl.kind != Kind::Func && !ValueStack::covers(&self.vs.cache(), &ctl.cache)
    }

    /// The locals the loop starting at the current instruction reads
    /// most, most first (with whether each belongs in an SSE register),
    /// counted over its body up to [`PRELOAD_SCAN`] instructions: those
    /// worth loading into registers before its head.
    fn loop_locals(&self) -> Vec<(u32, bool)> {
        use Instr::*;
        let mut counts: Vec<(u32, u32)> = Vec::new();
        let mut depth = 0u32;
        for i in self.body.iter().skip(self.pc + 1).take(PRELOAD_SCAN) {
            let id = match i {
                Block { .. } | Loop { .. } | If { .. } | TryTable { .. } | Try { .. } => {
                    depth += 1;
                    continue;
                }
                End | Delegate { .. } => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    continue;
                }
                LocalGet { local } => *local,
                GlobalGet { global } => GLOBAL | *global,
                _ if self.env.mem0_32 && i.memarg().is_some_and(|m| m.memory == 0) => MEM0_BASE,
                _ => continue,
            };
            match counts.iter_mut().find(|c| c.0 == id) {
                Some(c) => c.1 += 1,
                None => counts.push((id, 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        // Whether each is a v128 (never cached) and whether it is a float.
        let kind = |id: u32| -> (bool, bool) {
            if id == MEM0_BASE {
                return (false, false);
            }
            let (w, f) = if id >= GLOBAL {
                (&self.env.global_wide, &self.env.global_float)
            } else {
                (&self.local_wide, &self.local_float)
            };
            let k = (id & !GLOBAL) as usize;
            (
                w.get(k).copied().unwrap_or(true),
                f.get(k).copied().unwrap_or(false),
            )
        };
        counts
            .into_iter()
            .filter(|&(id, _)| !kind(id).0)
            .map(|(id, _)| (id, kind(id).1))
            .collect()
    }

    /// A conditional branch to `label` on `cond` (of the flags set last),
    /// carrying the label's values from the top of the stack; the stack is
    /// left as it was for the fall-through.
    fn br_on(&mut self, cond: Cond, label: u32) -> Option<()> {
        let c = self.ctls.len().checked_sub(label as usize + 1)?;
        let ctl = &mut self.ctls[c];
        ctl.targeted = true;
        let (n, base, target) = (ctl.arity().len(), ctl.base_slot, ctl.back);
        let cache = ctl.cache;
        let conform = self.needs_conform(c);
        if !conform && self.vs.top_in_place(n, base) {
            self.jcc(cond, target);
        } else {
            let skip = self.asm.a.new_dynamic_label();
            self.jcc(cond.not(), skip);
            self.vs.copy_top_to(n, base, &mut self.asm);
            if conform {
                self.conform(cache);
            }
            asm!(self.asm.a; jmp =>target; =>skip);
        }
        Some(())
    }

    fn br(&mut self, label: u32) -> Option<()> {
        let c = self.ctls.len().checked_sub(label as usize + 1)?;
        let ctl = &mut self.ctls[c];
        ctl.targeted = true;
        let (n, base, target) = (ctl.arity().len(), ctl.base_slot, ctl.back);
        let cache = ctl.cache;
        self.vs.copy_top_to(n, base, &mut self.asm);
        if self.needs_conform(c) {
            self.conform(cache);
        }
        asm!(self.asm.a; jmp =>target);
        Some(())
    }

    /// Charges one unit of fuel (at calls and loop back-edges, as the
    /// interpreter does): `out of fuel` when none is left.
    /// Unmetered, it is a test of the context's `metered` and a branch
    /// not taken; the charge itself is out of line (`fuel_stubs`).
    fn charge(&mut self) {
        let stub = self.asm.a.new_dynamic_label();
        let back = self.asm.a.new_dynamic_label();
        asm!(self.asm.a
            ; cmp BYTE [r15 + off::METERED], 0
            ; jne =>stub
            ; =>back
        );
        self.fuel_stubs.push((stub, back));
    }

    fn br_table(&mut self, targets: &[u32], default: u32) -> Option<()> {
        let x = self.vs.pop();
        let r = self.vs.in_gpr(x, &mut self.asm);
        self.vs.free(Loc::Gpr(r));
        // One stub per distinct target that needs values moved; the
        // others are jumped to directly.
        let mut stubs: BTreeMap<u32, (DynamicLabel, Option<Moves>)> = BTreeMap::new();
        for &t in targets.iter().chain([&default]) {
            if stubs.contains_key(&t) {
                continue;
            }
            let c = self.ctls.len().checked_sub(t as usize + 1)?;
            let ctl = &mut self.ctls[c];
            ctl.targeted = true;
            let (n, base, label) = (ctl.arity().len(), ctl.base_slot, ctl.back);
            let want = ctl.cache;
            let cache = self.needs_conform(c).then_some(want);
            if cache.is_none() && self.vs.top_in_place(n, base) {
                stubs.insert(t, (label, None));
            } else {
                let stub = self.asm.a.new_dynamic_label();
                stubs.insert(t, (stub, Some((label, n, base, cache))));
            }
        }
        let table = self.asm.a.new_dynamic_label();
        let len = targets.len() as u32;
        let a = &mut self.asm.a;
        asm!(a
            ; mov Rd(r), Rd(r)
            ; cmp Rq(r), DWORD len as i32
            ; jae =>stubs[&default].0
            ; lea rcx, [=>table]
            ; lea rax, [Rq(r) + Rq(r) * 4]
            ; add rcx, rax
            ; jmp rcx
            ; =>table
        );
        for t in targets {
            let before = a.offset().0;
            asm!(a; jmp =>stubs[t].0);
            debug_assert_eq!(a.offset().0 - before, 5);
        }
        for (stub, moves) in stubs.into_values() {
            if let Some((label, n, base, cache)) = moves {
                asm!(self.asm.a; =>stub);
                self.vs.copy_top_to(n, base, &mut self.asm);
                if let Some(cache) = cache {
                    self.conform(cache);
                }
                asm!(self.asm.a; jmp =>label);
            }
        }
        self.dead = true;
        Some(())
    }

    /// `return` (or the function's end reached): the results written from
    /// where they are (registers, constants, locals, slots) to the
    /// caller's slots, and the frame popped, here rather than through
    /// the epilogue (no store to the operand slots and load back, no
    /// jump). The stack loses the results.
    fn return_inline(&mut self) {
        // Each result's offset in the caller's slots.
        let mut offsets = Vec::with_capacity(self.ctls[0].results.len());
        let mut at = 0i32;
        for &w in &self.ctls[0].results {
            offsets.push(at);
            at += if w { 16 } else { 8 };
        }
        asm!(self.asm.a; mov rcx, [rbp - 8]);
        // Popped top first: no result already written stays on the stack
        // (where making room for the next could spill it).
        for &at in offsets.iter().rev() {
            let e = self.vs.pop();
            if e.wide {
                let (x, owns) = self.vs.read_xmm(e, &mut self.asm);
                asm!(self.asm.a; movdqu [rcx + at], Rx(x));
                if owns {
                    self.vs.free(Loc::Xmm(x));
                }
                continue;
            }
            match self.vs.src(e.loc) {
                Loc::Xmm(x) => asm!(self.asm.a; movq [rcx + at], Rx(x)),
                Loc::Const(c) if c as i64 == c as i64 as i32 as i64 => {
                    asm!(self.asm.a; mov QWORD [rcx + at], c as i64 as i32)
                }
                _ => {
                    let (r, owns) = self.vs.read_gpr(e, &mut self.asm);
                    asm!(self.asm.a; mov [rcx + at], Rq(r));
                    if owns {
                        self.vs.free(Loc::Gpr(r));
                    }
                }
            }
            self.vs.free(e.loc);
        }
        asm!(self.asm.a
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );
    }

    /// After a call: its `params` arguments leave the value stack and its
    /// results (wide or not) take their place, in their slots.
    fn call_results(&mut self, params: usize, results: Vec<bool>) {
        let len = self.vs.len();
        self.vs.truncate(len - params);
        self.vs.push_slots(results);
    }

    /// Spills registers and the top `n` entries: a call's arguments in
    /// their slots. Returns the first argument's slot.
    fn args_in_slots(&mut self, n: usize, results: &[bool]) -> u32 {
        self.args_in_slots_for(n, slot_count(results))
    }

    /// [`Self::args_in_slots`] for results of `rs` slots.
    fn args_in_slots_for(&mut self, n: usize, rs: u32) -> u32 {
        self.vs.spill_regs(&mut self.asm);
        let len = self.vs.len();
        let base = self
            .vs
            .entries()
            .get(len - n)
            .map_or(self.vs.height(), |e| e.slot);
        self.vs.copy_top_to(n, base, &mut self.asm);
        self.vs.max_slots = self.vs.max_slots.max(base + rs);
        base
    }

    fn call(&mut self, func: u32) -> Option<()> {
        // The signature read where it is (no vectors made for it: calls
        // are frequent).
        let env = self.env;
        let ty = env.ast.func_type(*env.func_types.get(func as usize)?)?;
        let params = ty.params.len();
        let rs = ty
            .results
            .iter()
            .map(|&t| if wide(t) { 2 } else { 1 })
            .sum();
        let base = self.args_in_slots_for(params, rs);
        self.charge();
        let d = slot_disp(base);
        let defined = func.checked_sub(self.env.imported);
        match defined {
            Some(i) if self.env.compiled[i as usize] => {
                asm!(self.asm.a; lea rax, [rsp + d]);
                self.asm.a.extend([0xe8u8, 0, 0, 0, 0]);
                self.calls.push((self.asm.a.offset().0, i, 0));
            }
            _ => {
                asm!(self.asm.a
                    ; mov rdi, r15
                    ; mov esi, func as i32
                    ; lea rdx, [rsp + d]
                    ; mov rax, QWORD helpers::call as *const () as i64
                    ; call rax
                    ; test eax, eax
                    ; jnz =>self.exit
                );
            }
        }
        self.check_exn();
        let len = self.vs.len();
        self.vs.truncate(len - params);
        self.vs.push_slots(ty.results.iter().map(|&t| wide(t)));
        Some(())
    }

    /// The handler an exception raised here goes to: the innermost
    /// `try_table`'s, or the function's unwinding to its caller (also for
    /// a tail call's callee, which the function's handlers do not cover).
    fn handler(&self) -> DynamicLabel {
        if self.tail {
            return self.unwind;
        }
        self.handlers.last().map_or(self.unwind, |h| h.1)
    }

    /// After a call: to the handler if the callee left an exception in
    /// flight.
    fn check_exn(&mut self) {
        let h = self.handler();
        asm!(self.asm.a
            ; cmp QWORD [r15 + off::EXN], 0
            ; jne =>h
        );
    }

    /// `try_table`: a block whose handler, emitted first and jumped over,
    /// asks `helpers::catch` which clause catches the exception in flight
    /// (the helper writes the clause's values at its label's height) and
    /// branches to that clause's label, or goes on to the enclosing
    /// handler. The block's entry flushes the stack below it to its slots,
    /// as at any block, so that every label's stack is in place wherever
    /// in the body the exception comes from.
    fn try_table(&mut self, table: &weft_ast::TryTable) -> Option<()> {
        let (p, r) = self.block_type(table.ty)?;
        self.vs.flush(p.len(), &mut self.asm);
        let mut dests = Vec::with_capacity(table.catches.len());
        let mut labels = Vec::with_capacity(table.catches.len());
        for c in &table.catches {
            let k = self.ctls.len().checked_sub(c.label() as usize + 1)?;
            let ctl = &mut self.ctls[k];
            ctl.targeted = true;
            let top = ctl.base_slot + slot_count(ctl.arity());
            dests.push(ctl.base_slot);
            // A handler comes from a call: the label's cached locals are
            // loaded from their slots.
            let cache = (ctl.kind != Kind::Func).then_some(ctl.cache);
            labels.push((ctl.label, cache));
            self.vs.max_slots = self.vs.max_slots.max(top);
        }
        let outer = self.handler();
        let dests: Box<[u32]> = dests.into();
        let dp = dests.as_ptr();
        self.data.push(dests);
        let dispatch = self.asm.a.new_dynamic_label();
        let over = self.asm.a.new_dynamic_label();
        asm!(self.asm.a
            ; jmp =>over
            ; =>dispatch
            ; mov rdi, r15
            ; mov rsi, QWORD table as *const weft_ast::TryTable as i64
            ; mov rdx, QWORD dp as i64
            ; mov rcx, rsp
            ; mov rax, QWORD helpers::catch as *const () as i64
            ; call rax
        );
        for (k, (l, cache)) in labels.into_iter().enumerate() {
            match cache {
                Some(c) if c != Cache::EMPTY => {
                    let next = self.asm.a.new_dynamic_label();
                    asm!(self.asm.a
                        ; cmp eax, k as i32
                        ; jne =>next
                    );
                    ValueStack::conform(&Cache::EMPTY, &c, &mut self.asm);
                    asm!(self.asm.a
                        ; jmp =>l
                        ; =>next
                    );
                }
                _ => asm!(self.asm.a
                    ; cmp eax, k as i32
                    ; je =>l
                ),
            }
        }
        asm!(self.asm.a
            ; jmp =>outer
            ; =>over
        );
        let label = self.asm.a.new_dynamic_label();
        self.push_ctl(Kind::Block, label, p, r);
        self.handlers.push((self.ctls.len(), dispatch, false));
        Some(())
    }

    /// A legacy `catch` (`tag`) or `catch_all` (`None`) clause: the end
    /// of the `try` body or of the previous clause (its results to the
    /// block's height, a jump to its end), then the clause's test, where
    /// the handler's previous test goes on when it does not match:
    /// `helpers::legacy_catch` writes the payload at the block's height
    /// and the reference in the block's hidden local when the clause
    /// catches, else the test goes on to the next one. The clause's body
    /// is not covered by the block's handler.
    fn legacy_catch(&mut self, tag: Option<u32>) -> Option<()> {
        let depth = self.ctls.len();
        if self.handlers.last().is_some_and(|h| h.0 == depth) {
            self.handlers.pop();
        }
        let c = self.ctls.last_mut()?;
        let Kind::Try { next, hidden, .. } = c.kind else {
            return None;
        };
        let (n, base, label, base_len) = (c.results.len(), c.base_slot, c.label, c.base_len);
        let cache = c.cache;
        if !self.dead {
            c.targeted = true;
            self.vs.copy_top_to(n, base, &mut self.asm);
            self.conform(cache);
            asm!(self.asm.a; jmp =>label);
        }
        let payload: Vec<bool> = match tag {
            Some(t) => {
                let ty = *self.env.tag_types.get(t as usize)?;
                self.block_type(BlockType::Func(ty))?.0
            }
            None => vec![],
        };
        let following = self.asm.a.new_dynamic_label();
        let c = self.ctls.last_mut()?;
        c.kind = Kind::Try {
            next: following,
            hidden,
            catching: true,
        };
        let saved: Vec<Entry> = c.saved.get(..base_len)?.to_vec();
        let o = *self.asm.local_off.get(hidden as usize)?;
        let d = slot_disp(base);
        asm!(self.asm.a
            ; =>next
            ; mov rdi, r15
            ; mov esi, tag.map_or(-1, |t| t as i32)
            ; lea rdx, [rsp + d]
            ; lea rcx, [rbp + o]
            ; mov rax, QWORD helpers::legacy_catch as *const () as i64
            ; call rax
            ; test eax, eax
            ; jz =>following
        );
        self.vs.reset(&saved);
        self.vs.max_slots = self.vs.max_slots.max(base + slot_count(&payload));
        self.vs.push_slots(payload);
        self.dead = false;
        Some(())
    }

    /// `delegate`: the `try` body's exceptions go to the handler of the
    /// innermost legacy `try` body at or around label `label` (counted
    /// from the block around the `try`), or out of the function, as the
    /// interpreter resolves it; then the block ends.
    fn delegate(&mut self, label: u32) -> Option<()> {
        let depth = self.ctls.len();
        if self.handlers.last().is_some_and(|h| h.0 == depth) {
            self.handlers.pop();
        }
        let c = self.ctls.last_mut()?;
        let Kind::Try {
            next,
            catching: false,
            ..
        } = c.kind
        else {
            return None;
        };
        c.kind = Kind::Block;
        let from = (depth - 1)
            .checked_sub(1 + label as usize)
            .map_or(0, |i| i + 1);
        let target = self
            .handlers
            .iter()
            .rev()
            .find(|h| h.2 && h.0 <= from)
            .map_or(self.unwind, |h| h.1);
        let skip = self.asm.a.new_dynamic_label();
        asm!(self.asm.a
            ; jmp =>skip
            ; =>next
            ; jmp =>target
            ; =>skip
        );
        self.end()
    }

    fn call_indirect(&mut self, ty: u32, table: u32) -> Option<()> {
        if table == 0 && self.env.table0_32 {
            return self.call_indirect_cached(ty);
        }
        let (p, r, base) = self.resolve_callee(ty, Some(table))?;
        self.call_resolved(slot_disp(base));
        self.check_exn();
        self.call_results(p.len(), r);
        Some(())
    }

    /// `call_indirect` through a 32-bit table 0: the element read inline
    /// and looked up in the instance's indirect-call cache (`ctx::ICell`),
    /// a hit called directly; unmetered only (the helper charges fuel).
    /// Anything else (out of bounds, a miss, fuel) resolves the callee
    /// through `helpers::tail_indirect`, which fills the cache, as
    /// [`Self::resolve_callee`] does.
    fn call_indirect_cached(&mut self, ty: u32) -> Option<()> {
        let (p, r) = self.block_type(BlockType::Func(ty))?;
        let x = self.vs.pop();
        let base = self.args_in_slots(p.len(), &r);
        self.asm.mov(Dst::Gpr(RCX), x.loc, x.slot, false);
        self.vs.free(x.loc);
        let d = slot_disp(base);
        let slow = self.asm.a.new_dynamic_label();
        let done = self.asm.a.new_dynamic_label();
        // (A cell is 32 bytes: the shift by 5.)
        let mask = (ICACHE - 1) as i32;
        asm!(self.asm.a
            ; mov ecx, ecx
            ; cmp BYTE [r15 + off::METERED], 0
            ; jne =>slow
            ; cmp rcx, [r15 + off::TABLE0_LEN]
            ; jae =>slow
            ; mov rax, [r15 + off::TABLE0_ELEMS]
            ; mov rax, [rax + rcx * 8]
            ; mov edx, eax
            ; and edx, mask
            ; shl edx, 5
            ; lea rdx, [r15 + rdx + off::ICACHE]
            ; cmp rax, [rdx]
            ; jne =>slow
            ; cmp QWORD [rdx + 8], ty as i32
            ; jne =>slow
            ; lea rax, [rsp + d]
            ; call QWORD [rdx + 16]
            ; jmp =>done
            ; =>slow
            // The element index still in rcx, the helper's fourth argument.
            ; mov rdi, r15
            ; mov esi, ty as i32
            ; xor edx, edx
            ; mov rax, QWORD helpers::tail_indirect as *const () as i64
            ; call rax
        );
        self.call_resolved(d);
        asm!(self.asm.a; =>done);
        self.check_exn();
        self.call_results(p.len(), r);
        Some(())
    }

    /// The common start of `call_indirect` (`table` given), `call_ref`
    /// and their tail forms: the callee's operand popped, the arguments
    /// in their slots, and `helpers::tail_indirect` or `helpers::tail_ref`
    /// called to resolve, check and charge the callee (its answer in rax).
    /// Returns the type's parameters and results and the arguments' base.
    fn resolve_callee(
        &mut self,
        ty: u32,
        table: Option<u32>,
    ) -> Option<(Vec<bool>, Vec<bool>, u32)> {
        let (p, r) = self.block_type(BlockType::Func(ty))?;
        let x = self.vs.pop();
        let base = self.args_in_slots(p.len(), &r);
        let reg = if table.is_some() { RCX } else { RSI };
        self.asm.mov(Dst::Gpr(reg), x.loc, x.slot, false);
        self.vs.free(x.loc);
        match table {
            Some(table) => asm!(self.asm.a
                ; mov rdi, r15
                ; mov esi, ty as i32
                ; mov edx, table as i32
                ; mov rax, QWORD helpers::tail_indirect as *const () as i64
                ; call rax
            ),
            None => asm!(self.asm.a
                ; mov rdi, r15
                ; mov rax, QWORD helpers::tail_ref as *const () as i64
                ; call rax
            ),
        }
        Some((p, r, base))
    }

    /// After `helpers::tail_indirect` or `helpers::tail_ref` resolved,
    /// checked and charged a callee (its result in rax), the call with
    /// the arguments at `[rsp + d]`: a compiled function of this instance
    /// directly (no re-entry through the trampoline), any other through
    /// `helpers::call_func`; out through the exit if a trap is pending.
    fn call_resolved(&mut self, d: i32) {
        let (pending, general) = self.branch_on_resolved();
        let done = self.asm.a.new_dynamic_label();
        asm!(self.asm.a
            ; mov r11, rax
            ; lea rax, [rsp + d]
            ; call r11
            ; jmp =>done
        );
        self.pending_or_general(pending, general, d);
        asm!(self.asm.a; =>done);
    }

    /// Branches on a resolving helper's result in rax: `TAIL_TRAP` (-1, a
    /// trap is pending) to the first label, `TAIL_CALL` with the callee's
    /// address in the low half (not compiled code of this instance) to the
    /// second; an entry address falls through. The labels are placed by [`FnCompiler::pending_or_general`].
    fn branch_on_resolved(&mut self) -> (DynamicLabel, DynamicLabel) {
        let pending = self.asm.a.new_dynamic_label();
        let general = self.asm.a.new_dynamic_label();
        asm!(self.asm.a
            ; cmp rax, -1
            ; je =>pending
            ; test rax, rax
            ; js =>general
        );
        (pending, general)
    }

    /// The two slow ends of a resolved call (see
    /// [`FnCompiler::call_resolved`]): at `pending`, out through the exit
    /// with the trap the helper left; at `general`, the callee (index in
    /// eax) called through `helpers::call_func` with the arguments at
    /// `[rsp + d]`, out through the exit if it trapped.
    fn pending_or_general(&mut self, pending: DynamicLabel, general: DynamicLabel, d: i32) {
        asm!(self.asm.a
            ; =>pending
            ; mov eax, PENDING as i32
            ; jmp =>self.exit
            ; =>general
            ; mov rdi, r15
            ; mov esi, eax
            ; lea rdx, [rsp + d]
            ; mov rax, QWORD helpers::call_func as *const () as i64
            ; call rax
            ; test eax, eax
            ; jnz =>self.exit
        );
    }

    /// `return_call`. To a compiled function of this module, a jump with
    /// this function's frame popped, so that the callee returns to this
    /// function's caller and the native stack stays constant (see
    /// [`FnCompiler::tail_jump`]). To any other function (an import, one
    /// left to the interpreter), a call, then a return.
    fn return_call(&mut self, func: u32) -> Option<()> {
        let (p, r) = self.func_sig(func)?;
        let compiled = func
            .checked_sub(self.env.imported)
            .filter(|&i| self.env.compiled.get(i as usize) == Some(&true));
        let Some(i) = compiled else {
            self.tail = true;
            let called = self.call(func);
            self.tail = false;
            called?;
            return self.br(self.ctls.len() as u32 - 1);
        };
        let base = self.args_in_slots(p.len(), &r);
        self.charge();
        let skip = self.tail_jump(&p, base, None);
        // `jmp rel32`, patched at layout as calls are.
        self.asm.a.extend([0xe9u8, 0, 0, 0, 0]);
        self.calls.push((self.asm.a.offset().0, i, skip));
        Some(())
    }

    /// The moves of a tail call whose arguments (`params`' widths) are in
    /// the slots from `base`, up to the jump: the arguments go to this
    /// function's own argument area when they fit its results' slots (see
    /// `room`) and the callee's entry takes them
    /// there; else to the context's tail buffer, and the callee's tail
    /// entry takes them from there and the results' slots (this
    /// function's) in rdx. Then the frame is popped. Returns the bytes past
    /// the callee's entry to jump to (0 or [`TAIL_ENTRY`]). `target`, a
    /// register holding the callee's entry, is moved to r11 first.
    fn tail_jump(&mut self, params: &[bool], base: u32, target: Option<Reg>) -> usize {
        let n = slot_count(params) as i32;
        let d = slot_disp(base);
        let fits = n as u32 <= self.room;
        let a = &mut self.asm.a;
        if let Some(t) = target {
            asm!(a; mov r11, Rq(t));
        }
        if fits {
            asm!(a; mov rcx, [rbp - 8]);
        } else {
            asm!(a; mov rcx, [r15 + off::TAIL_ARGS]);
        }
        for k in 0..n {
            asm!(a
                ; mov rax, [rsp + d + 8 * k]
                ; mov [rcx + 8 * k], rax
            );
        }
        asm!(a; mov rax, rcx);
        if !fits {
            asm!(a; mov rdx, [rbp - 8]);
        }
        asm!(a
            ; mov rsp, rbp
            ; pop rbp
        );
        if fits { 0 } else { TAIL_ENTRY }
    }

    /// After `helpers::tail_indirect` or `helpers::tail_ref` (its result
    /// in rax): out through the exit if a trap is pending; a jump to a
    /// compiled callee of this instance ([`FnCompiler::tail_jump`]); else
    /// a call through `helpers::call_func` and a return of its results.
    fn tail_dispatch(&mut self, p: Vec<bool>, r: Vec<bool>, base: u32) -> Option<()> {
        let (pending, general) = self.branch_on_resolved();
        let skip = self.tail_jump(&p, base, Some(RAX));
        if skip != 0 {
            asm!(self.asm.a; add r11, skip as i32);
        }
        let d = slot_disp(base);
        asm!(self.asm.a
            ; jmp r11
        );
        self.pending_or_general(pending, general, d);
        asm!(self.asm.a
            // The callee is not covered by this function's handlers.
            ; cmp QWORD [r15 + off::EXN], 0
            ; jne =>self.unwind
        );
        self.call_results(p.len(), r);
        self.br(self.ctls.len() as u32 - 1)
    }

    /// `return_call_indirect`: the callee resolved, checked and charged
    /// by `helpers::tail_indirect`, then [`FnCompiler::tail_dispatch`].
    fn return_call_indirect(&mut self, ty: u32, table: u32) -> Option<()> {
        let (p, r, base) = self.resolve_callee(ty, Some(table))?;
        self.tail_dispatch(p, r, base)
    }

    /// `return_call_ref`: the null check and fuel in `helpers::tail_ref`,
    /// then [`FnCompiler::tail_dispatch`].
    fn return_call_ref(&mut self, ty: u32) -> Option<()> {
        let (p, r, base) = self.resolve_callee(ty, None)?;
        self.tail_dispatch(p, r, base)
    }

    /// `call_ref`: the null check and fuel in `helpers::tail_ref`, then
    /// the call ([`FnCompiler::call_resolved`]).
    fn call_ref(&mut self, ty: u32) -> Option<()> {
        let (p, r, base) = self.resolve_callee(ty, None)?;
        self.call_resolved(slot_disp(base));
        self.check_exn();
        self.call_results(p.len(), r);
        Some(())
    }

    /// Any instruction `crate::ops` executes, as a call to
    /// `helpers::instr` on its operands' slots.
    fn generic(&mut self, i: &Instr) -> Option<()> {
        let (pops, pushes) = effect(self.env.ast, i)?;
        // The entries the instruction pops, by their slots.
        let mut n = 0;
        let mut taken = 0;
        while taken < pops {
            let e = self.vs.peek(n)?;
            taken += if e.wide { 2 } else { 1 };
            n += 1;
        }
        let outs: Vec<bool> = pushes.iter().map(|&w| w == 2).collect();
        let pushed: u64 = pushes.iter().map(|&w| w as u64).sum();
        let base = self.args_in_slots(n, &outs);
        let d = slot_disp(base);
        asm!(self.asm.a
            ; mov rdi, r15
            ; mov rsi, QWORD i as *const Instr as i64
            ; lea rdx, [rsp + d]
            ; mov rcx, QWORD (pops as u64 | pushed << 32) as i64
            ; mov rax, QWORD helpers::instr as *const () as i64
            ; call rax
            ; test eax, eax
            ; jnz =>self.exit
        );
        let len = self.vs.len();
        self.vs.truncate(len - n);
        self.vs.push_slots(outs);
        Some(())
    }

    /// The condition of a `br_if`/`if`: a fused comparison's, or the
    /// popped value's being non-zero.
    fn pop_cond(&mut self) -> Cond {
        if let Some(c) = self.cond.take() {
            return c;
        }
        let x = self.vs.pop();
        let (r, owned) = self.vs.read_gpr(x, &mut self.asm);
        asm!(self.asm.a; test Rd(r), Rd(r));
        if owned {
            self.vs.free(Loc::Gpr(r));
        }
        Cond::Ne
    }

    fn jcc(&mut self, c: Cond, l: DynamicLabel) {
        let a = &mut self.asm.a;
        match c {
            Cond::Eq => asm!(a; je =>l),
            Cond::Ne => asm!(a; jne =>l),
            Cond::LtS => asm!(a; jl =>l),
            Cond::LtU => asm!(a; jb =>l),
            Cond::GtS => asm!(a; jg =>l),
            Cond::GtU => asm!(a; ja =>l),
            Cond::LeS => asm!(a; jle =>l),
            Cond::LeU => asm!(a; jbe =>l),
            Cond::GeS => asm!(a; jge =>l),
            Cond::GeU => asm!(a; jae =>l),
        }
    }

    /// Sets `r` to the condition as 0 or 1.
    fn setcc(&mut self, c: Cond, r: Reg) {
        let a = &mut self.asm.a;
        match c {
            Cond::Eq => asm!(a; sete al),
            Cond::Ne => asm!(a; setne al),
            Cond::LtS => asm!(a; setl al),
            Cond::LtU => asm!(a; setb al),
            Cond::GtS => asm!(a; setg al),
            Cond::GtU => asm!(a; seta al),
            Cond::LeS => asm!(a; setle al),
            Cond::LeU => asm!(a; setbe al),
            Cond::GeS => asm!(a; setge al),
            Cond::GeU => asm!(a; setae al),
        }
        asm!(a; movzx Rd(r), al);
    }

    /// Pushes a comparison's result: kept in the flags for a following
    /// `br_if`/`if`, else as a value.
    fn push_cond(&mut self, c: Cond, fuse: bool) {
        if fuse {
            self.cond = Some(c);
        } else {
            let r = self.vs.alloc_gpr(&mut self.asm);
            self.setcc(c, r);
            self.vs.push(Loc::Gpr(r), false);
        }
    }

    fn select(&mut self) {
        let c = self.vs.pop();
        let b = self.vs.pop();
        let x = self.vs.pop();
        let rc = self.vs.in_gpr(c, &mut self.asm);
        if x.wide {
            let xb = self.vs.in_xmm(b, &mut self.asm);
            let xa = self.vs.in_xmm(x, &mut self.asm);
            asm!(self.asm.a
                ; test Rd(rc), Rd(rc)
                ; jnz >keep
                ; movaps Rx(xa), Rx(xb)
                ; keep:
            );
            self.vs.free(Loc::Xmm(xb));
            self.vs.free(Loc::Gpr(rc));
            self.vs.push(Loc::Xmm(xa), true);
        } else {
            let rb = self.vs.in_gpr(b, &mut self.asm);
            let ra = self.vs.in_gpr(x, &mut self.asm);
            asm!(self.asm.a
                ; test Rd(rc), Rd(rc)
                ; cmovz Rq(ra), Rq(rb)
            );
            self.vs.free(Loc::Gpr(rb));
            self.vs.free(Loc::Gpr(rc));
            self.vs.push(Loc::Gpr(ra), false);
        }
    }

    /// `global.get`: a `v128` is loaded; any other global is pushed as
    /// its value not yet read (`Loc::Local(GLOBAL | g)`), read from its
    /// cached register or through the context when needed (a call, which
    /// may change it, spills such entries first).
    fn global_get(&mut self, g: u32) -> Option<()> {
        let w = *self.env.global_wide.get(g as usize)?;
        let d = (g * 8) as i32;
        if w {
            let x = self.vs.alloc_xmm(&mut self.asm);
            asm!(self.asm.a
                ; mov rax, [r15 + off::GLOBALS]
                ; mov rax, [rax + d]
                ; movq Rx(x), [rax + off::GLOBAL_LO]
                ; movq xmm0, [rax + off::GLOBAL_HI]
                ; punpcklqdq Rx(x), xmm0
            );
            self.vs.push(Loc::Xmm(x), true);
        } else {
            self.vs.push(Loc::Local(GLOBAL | g), false);
        }
        Some(())
    }

    /// `global.set`: the global is written (the cache writes through) and
    /// a register holding the value becomes its cached copy.
    fn global_set(&mut self, g: u32) -> Option<()> {
        let w = *self.env.global_wide.get(g as usize)?;
        let d = (g * 8) as i32;
        let x = self.vs.pop();
        if w {
            let r = self.vs.in_xmm(x, &mut self.asm);
            asm!(self.asm.a
                ; mov rax, [r15 + off::GLOBALS]
                ; mov rax, [rax + d]
                ; movq [rax + off::GLOBAL_LO], Rx(r)
                ; movhlps xmm0, Rx(r)
                ; movq [rax + off::GLOBAL_HI], xmm0
            );
            self.vs.free(Loc::Xmm(r));
            return Some(());
        }
        let id = GLOBAL | g;
        if x.loc == Loc::Local(id) {
            return Some(());
        }
        self.vs.spill_locals(Some(id), &mut self.asm);
        let (r, owned) = match x.loc {
            Loc::Xmm(r) => (Loc::Xmm(r), true),
            _ => {
                let (r, owned) = self.vs.read_gpr(x, &mut self.asm);
                (Loc::Gpr(r), owned)
            }
        };
        asm!(self.asm.a
            ; mov rax, [r15 + off::GLOBALS]
            ; mov rax, [rax + d]
        );
        match r {
            Loc::Xmm(r) => asm!(self.asm.a; movq [rax + off::GLOBAL_LO], Rx(r)),
            Loc::Gpr(r) => asm!(self.asm.a; mov [rax + off::GLOBAL_LO], Rq(r)),
            _ => {}
        }
        if owned {
            self.vs.cache_local(id, r);
        } else {
            self.vs.uncache(id);
        }
        Some(())
    }

    /// Translates `i` inline if it is one of the instructions compiled so;
    /// `Some(false)` if not.
    fn inline(&mut self, i: &Instr, fuse: bool) -> Option<bool> {
        use Instr::*;
        match i {
            I32Add => self.alu(Alu::Add, false),
            I32Sub => self.alu(Alu::Sub, false),
            I32Mul => self.alu(Alu::Mul, false),
            I32And => self.alu(Alu::And, false),
            I32Or => self.alu(Alu::Or, false),
            I32Xor => self.alu(Alu::Xor, false),
            I32Shl => self.alu(Alu::Shl, false),
            I32ShrS => self.alu(Alu::Sar, false),
            I32ShrU => self.alu(Alu::Shr, false),
            I32Rotl => self.alu(Alu::Rol, false),
            I32Rotr => self.alu(Alu::Ror, false),
            I64Add => self.alu(Alu::Add, true),
            I64Sub => self.alu(Alu::Sub, true),
            I64Mul => self.alu(Alu::Mul, true),
            I64And => self.alu(Alu::And, true),
            I64Or => self.alu(Alu::Or, true),
            I64Xor => self.alu(Alu::Xor, true),
            I64Shl => self.alu(Alu::Shl, true),
            I64ShrS => self.alu(Alu::Sar, true),
            I64ShrU => self.alu(Alu::Shr, true),
            I64Rotl => self.alu(Alu::Rol, true),
            I64Rotr => self.alu(Alu::Ror, true),
            I32DivS => self.div(true, false, false),
            I32DivU => self.div(false, false, false),
            I32RemS => self.div(true, true, false),
            I32RemU => self.div(false, true, false),
            I64DivS => self.div(true, false, true),
            I64DivU => self.div(false, false, true),
            I64RemS => self.div(true, true, true),
            I64RemU => self.div(false, true, true),
            I32Eqz | I64Eqz => {
                let x = self.vs.pop();
                let r = self.vs.in_gpr(x, &mut self.asm);
                if matches!(i, I64Eqz) {
                    asm!(self.asm.a; test Rq(r), Rq(r));
                } else {
                    asm!(self.asm.a; test Rd(r), Rd(r));
                }
                self.vs.free(Loc::Gpr(r));
                self.push_cond(Cond::Eq, fuse);
            }
            I32Eq => self.cmp(Cond::Eq, false, fuse),
            I32Ne => self.cmp(Cond::Ne, false, fuse),
            I32LtS => self.cmp(Cond::LtS, false, fuse),
            I32LtU => self.cmp(Cond::LtU, false, fuse),
            I32GtS => self.cmp(Cond::GtS, false, fuse),
            I32GtU => self.cmp(Cond::GtU, false, fuse),
            I32LeS => self.cmp(Cond::LeS, false, fuse),
            I32LeU => self.cmp(Cond::LeU, false, fuse),
            I32GeS => self.cmp(Cond::GeS, false, fuse),
            I32GeU => self.cmp(Cond::GeU, false, fuse),
            I64Eq => self.cmp(Cond::Eq, true, fuse),
            I64Ne => self.cmp(Cond::Ne, true, fuse),
            I64LtS => self.cmp(Cond::LtS, true, fuse),
            I64LtU => self.cmp(Cond::LtU, true, fuse),
            I64GtS => self.cmp(Cond::GtS, true, fuse),
            I64GtU => self.cmp(Cond::GtU, true, fuse),
            I64LeS => self.cmp(Cond::LeS, true, fuse),
            I64LeU => self.cmp(Cond::LeU, true, fuse),
            I64GeS => self.cmp(Cond::GeS, true, fuse),
            I64GeU => self.cmp(Cond::GeU, true, fuse),
            I32Clz | I32Ctz | I32Popcnt | I64Clz | I64Ctz | I64Popcnt => {
                let ok = match i {
                    I32Clz | I64Clz => self.env.lzcnt,
                    I32Ctz | I64Ctz => self.env.bmi1,
                    _ => self.env.popcnt,
                };
                if !ok {
                    return Some(false);
                }
                let x = self.vs.pop();
                let r = self.vs.in_gpr(x, &mut self.asm);
                let a = &mut self.asm.a;
                match i {
                    I32Clz => asm!(a; lzcnt Rd(r), Rd(r)),
                    I64Clz => asm!(a; lzcnt Rq(r), Rq(r)),
                    I32Ctz => asm!(a; tzcnt Rd(r), Rd(r)),
                    I64Ctz => asm!(a; tzcnt Rq(r), Rq(r)),
                    I32Popcnt => asm!(a; popcnt Rd(r), Rd(r)),
                    _ => asm!(a; popcnt Rq(r), Rq(r)),
                }
                self.vs.push(Loc::Gpr(r), false);
            }
            I32WrapI64 | I64ExtendI32U => self.unary_gpr(|a, r| asm!(a; mov Rd(r), Rd(r))),
            I64ExtendI32S | I64Extend32S => self.unary_gpr(|a, r| asm!(a; movsxd Rq(r), Rd(r))),
            I32Extend8S => self.unary_gpr(|a, r| asm!(a; mov eax, Rd(r); movsx Rd(r), al)),
            I32Extend16S => self.unary_gpr(|a, r| asm!(a; mov eax, Rd(r); movsx Rd(r), ax)),
            I64Extend8S => self.unary_gpr(|a, r| asm!(a; mov eax, Rd(r); movsx Rq(r), al)),
            I64Extend16S => self.unary_gpr(|a, r| asm!(a; mov eax, Rd(r); movsx Rq(r), ax)),
            // Reinterpretations change no bits.
            I32ReinterpretF32 | I64ReinterpretF64 | F32ReinterpretI32 | F64ReinterpretI64 => {}
            F32Neg => self.unary_gpr(|a, r| asm!(a; btc Rd(r), 31)),
            F32Abs => self.unary_gpr(|a, r| asm!(a; btr Rd(r), 31)),
            F64Neg => self.unary_gpr(|a, r| asm!(a; btc Rq(r), 63)),
            F64Abs => self.unary_gpr(|a, r| asm!(a; btr Rq(r), 63)),
            F32Copysign | F64Copysign => {
                let b = self.vs.pop();
                let x = self.vs.pop();
                let rb = self.vs.in_gpr(b, &mut self.asm);
                let ra = self.vs.in_gpr(x, &mut self.asm);
                let a = &mut self.asm.a;
                if matches!(i, F32Copysign) {
                    asm!(a
                        ; and Rd(ra), 0x7fff_ffff
                        ; and Rd(rb), 0x8000_0000u32 as i32
                        ; or Rd(ra), Rd(rb)
                    );
                } else {
                    asm!(a
                        ; btr Rq(ra), 63
                        ; shr Rq(rb), 63
                        ; shl Rq(rb), 63
                        ; or Rq(ra), Rq(rb)
                    );
                }
                self.vs.free(Loc::Gpr(rb));
                self.vs.push(Loc::Gpr(ra), false);
            }
            F32Add => self.fbin(Fop::Add, false),
            F32Sub => self.fbin(Fop::Sub, false),
            F32Mul => self.fbin(Fop::Mul, false),
            F32Div => self.fbin(Fop::Div, false),
            F64Add => self.fbin(Fop::Add, true),
            F64Sub => self.fbin(Fop::Sub, true),
            F64Mul => self.fbin(Fop::Mul, true),
            F64Div => self.fbin(Fop::Div, true),
            F32Sqrt => self.unary_xmm(|a, x| asm!(a; sqrtss Rx(x), Rx(x))),
            F64Sqrt => self.unary_xmm(|a, x| asm!(a; sqrtsd Rx(x), Rx(x))),
            F32Ceil | F32Floor | F32Trunc | F32Nearest | F64Ceil | F64Floor | F64Trunc
            | F64Nearest => {
                if !self.env.sse41 {
                    return Some(false);
                }
                let mode: i8 = match i {
                    F32Nearest | F64Nearest => 8,
                    F32Floor | F64Floor => 9,
                    F32Ceil | F64Ceil => 10,
                    _ => 11,
                };
                if matches!(i, F32Ceil | F32Floor | F32Trunc | F32Nearest) {
                    self.unary_xmm(|a, x| asm!(a; roundss Rx(x), Rx(x), mode));
                } else {
                    self.unary_xmm(|a, x| asm!(a; roundsd Rx(x), Rx(x), mode));
                }
            }
            F64PromoteF32 => self.unary_xmm(|a, x| asm!(a; cvtss2sd Rx(x), Rx(x))),
            F32DemoteF64 => self.unary_xmm(|a, x| asm!(a; cvtsd2ss Rx(x), Rx(x))),
            F32ConvertI32S | F32ConvertI32U | F32ConvertI64S | F64ConvertI32S | F64ConvertI32U
            | F64ConvertI64S => {
                let v = self.vs.pop();
                let r = self.vs.in_gpr(v, &mut self.asm);
                let x = self.vs.alloc_xmm(&mut self.asm);
                let a = &mut self.asm.a;
                asm!(a; xorps Rx(x), Rx(x));
                match i {
                    F32ConvertI32S => asm!(a; cvtsi2ss Rx(x), Rd(r)),
                    F32ConvertI32U => asm!(a; mov Rd(r), Rd(r); cvtsi2ss Rx(x), Rq(r)),
                    F32ConvertI64S => asm!(a; cvtsi2ss Rx(x), Rq(r)),
                    F64ConvertI32S => asm!(a; cvtsi2sd Rx(x), Rd(r)),
                    F64ConvertI32U => asm!(a; mov Rd(r), Rd(r); cvtsi2sd Rx(x), Rq(r)),
                    _ => asm!(a; cvtsi2sd Rx(x), Rq(r)),
                }
                self.vs.free(Loc::Gpr(r));
                self.vs.push(Loc::Xmm(x), false);
            }
            F32ConvertI64U | F64ConvertI64U => {
                // Below 2^63 a signed conversion; above, half the value
                // (its low bit kept, so that it rounds as the whole)
                // converted and doubled.
                let v = self.vs.pop();
                let r = self.vs.in_gpr(v, &mut self.asm);
                let x = self.vs.alloc_xmm(&mut self.asm);
                let f64 = matches!(i, F64ConvertI64U);
                let a = &mut self.asm.a;
                asm!(a
                    ; xorps Rx(x), Rx(x)
                    ; test Rq(r), Rq(r)
                    ; js >big
                );
                if f64 {
                    asm!(a; cvtsi2sd Rx(x), Rq(r); jmp >done; big:);
                } else {
                    asm!(a; cvtsi2ss Rx(x), Rq(r); jmp >done; big:);
                }
                asm!(a
                    ; mov rax, Rq(r)
                    ; shr rax, 1
                    ; and Rd(r), 1
                    ; or rax, Rq(r)
                );
                if f64 {
                    asm!(a; cvtsi2sd Rx(x), rax; addsd Rx(x), Rx(x); done:);
                } else {
                    asm!(a; cvtsi2ss Rx(x), rax; addss Rx(x), Rx(x); done:);
                }
                self.vs.free(Loc::Gpr(r));
                self.vs.push(Loc::Xmm(x), false);
            }
            F32Gt | F32Ge | F32Lt | F32Le | F64Gt | F64Ge | F64Lt | F64Le => {
                let b = self.vs.pop();
                let x = self.vs.pop();
                let xb = self.vs.in_xmm(b, &mut self.asm);
                let xa = self.vs.in_xmm(x, &mut self.asm);
                let f64 = matches!(i, F64Gt | F64Ge | F64Lt | F64Le);
                // a > b is "above" after comparing a with b; a < b is b > a.
                let (l, r) = if matches!(i, F32Gt | F32Ge | F64Gt | F64Ge) {
                    (xa, xb)
                } else {
                    (xb, xa)
                };
                if f64 {
                    asm!(self.asm.a; ucomisd Rx(l), Rx(r));
                } else {
                    asm!(self.asm.a; ucomiss Rx(l), Rx(r));
                }
                self.vs.free(Loc::Xmm(xa));
                self.vs.free(Loc::Xmm(xb));
                let c = if matches!(i, F32Gt | F32Lt | F64Gt | F64Lt) {
                    Cond::GtU
                } else {
                    Cond::GeU
                };
                self.push_cond(c, fuse);
            }
            F32Eq | F32Ne | F64Eq | F64Ne => {
                let b = self.vs.pop();
                let x = self.vs.pop();
                let xb = self.vs.in_xmm(b, &mut self.asm);
                let xa = self.vs.in_xmm(x, &mut self.asm);
                self.vs.free(Loc::Xmm(xa));
                self.vs.free(Loc::Xmm(xb));
                let r = self.vs.alloc_gpr(&mut self.asm);
                let a = &mut self.asm.a;
                if matches!(i, F64Eq | F64Ne) {
                    asm!(a; ucomisd Rx(xa), Rx(xb));
                } else {
                    asm!(a; ucomiss Rx(xa), Rx(xb));
                }
                if matches!(i, F32Eq | F64Eq) {
                    asm!(a; sete al; setnp cl; and al, cl; movzx Rd(r), al);
                } else {
                    asm!(a; setne al; setp cl; or al, cl; movzx Rd(r), al);
                }
                self.vs.push(Loc::Gpr(r), false);
            }
            _ if self.simd(i, fuse)? => {}
            _ => return self.memory(i),
        }
        Some(true)
    }

    fn unary_gpr(&mut self, f: impl FnOnce(&mut VecAssembler<X64Relocation>, Reg)) {
        let x = self.vs.pop();
        let r = self.vs.in_gpr(x, &mut self.asm);
        f(&mut self.asm.a, r);
        self.vs.push(Loc::Gpr(r), false);
    }

    fn unary_xmm(&mut self, f: impl FnOnce(&mut VecAssembler<X64Relocation>, Reg)) {
        let x = self.vs.pop();
        let r = self.vs.in_xmm(x, &mut self.asm);
        f(&mut self.asm.a, r);
        self.vs.push(Loc::Xmm(r), false);
    }

    /// A binary integer operation: the left operand's register becomes
    /// the result; a constant right operand is an immediate.
    fn alu(&mut self, op: Alu, w: bool) {
        let b = self.vs.pop();
        let x = self.vs.pop();
        let ra = self.vs.in_gpr(x, &mut self.asm);
        let imm = match b.loc {
            Loc::Const(c) if !w || (c as i64) == (c as i64 as i32 as i64) => Some(c as i32),
            _ => None,
        };
        let a = &mut self.asm.a;
        if let Some(c) = imm {
            let sh = c as i8;
            match (op, w) {
                (Alu::Add, _) => enc::alu_imm(a, enc::Op1::Add, w, ra, c),
                (Alu::Sub, _) => enc::alu_imm(a, enc::Op1::Sub, w, ra, c),
                (Alu::Mul, false) => asm!(a; imul Rd(ra), Rd(ra), c),
                (Alu::Mul, true) => asm!(a; imul Rq(ra), Rq(ra), c),
                (Alu::And, _) => enc::alu_imm(a, enc::Op1::And, w, ra, c),
                (Alu::Or, _) => enc::alu_imm(a, enc::Op1::Or, w, ra, c),
                (Alu::Xor, _) => enc::alu_imm(a, enc::Op1::Xor, w, ra, c),
                (Alu::Shl, false) => asm!(a; shl Rd(ra), sh & 31),
                (Alu::Shl, true) => asm!(a; shl Rq(ra), sh & 63),
                (Alu::Sar, false) => asm!(a; sar Rd(ra), sh & 31),
                (Alu::Sar, true) => asm!(a; sar Rq(ra), sh & 63),
                (Alu::Shr, false) => asm!(a; shr Rd(ra), sh & 31),
                (Alu::Shr, true) => asm!(a; shr Rq(ra), sh & 63),
                (Alu::Rol, false) => asm!(a; rol Rd(ra), sh & 31),
                (Alu::Rol, true) => asm!(a; rol Rq(ra), sh & 63),
                (Alu::Ror, false) => asm!(a; ror Rd(ra), sh & 31),
                (Alu::Ror, true) => asm!(a; ror Rq(ra), sh & 63),
            }
        } else {
            let (rb, owns_b) = self.vs.read_gpr(b, &mut self.asm);
            let a = &mut self.asm.a;
            match (op, w) {
                (Alu::Add, false) => asm!(a; add Rd(ra), Rd(rb)),
                (Alu::Add, true) => asm!(a; add Rq(ra), Rq(rb)),
                (Alu::Sub, false) => asm!(a; sub Rd(ra), Rd(rb)),
                (Alu::Sub, true) => asm!(a; sub Rq(ra), Rq(rb)),
                (Alu::Mul, false) => asm!(a; imul Rd(ra), Rd(rb)),
                (Alu::Mul, true) => asm!(a; imul Rq(ra), Rq(rb)),
                (Alu::And, false) => asm!(a; and Rd(ra), Rd(rb)),
                (Alu::And, true) => asm!(a; and Rq(ra), Rq(rb)),
                (Alu::Or, false) => asm!(a; or Rd(ra), Rd(rb)),
                (Alu::Or, true) => asm!(a; or Rq(ra), Rq(rb)),
                (Alu::Xor, false) => asm!(a; xor Rd(ra), Rd(rb)),
                (Alu::Xor, true) => asm!(a; xor Rq(ra), Rq(rb)),
                (Alu::Shl, false) => asm!(a; mov ecx, Rd(rb); shl Rd(ra), cl),
                (Alu::Shl, true) => asm!(a; mov ecx, Rd(rb); shl Rq(ra), cl),
                (Alu::Sar, false) => asm!(a; mov ecx, Rd(rb); sar Rd(ra), cl),
                (Alu::Sar, true) => asm!(a; mov ecx, Rd(rb); sar Rq(ra), cl),
                (Alu::Shr, false) => asm!(a; mov ecx, Rd(rb); shr Rd(ra), cl),
                (Alu::Shr, true) => asm!(a; mov ecx, Rd(rb); shr Rq(ra), cl),
                (Alu::Rol, false) => asm!(a; mov ecx, Rd(rb); rol Rd(ra), cl),
                (Alu::Rol, true) => asm!(a; mov ecx, Rd(rb); rol Rq(ra), cl),
                (Alu::Ror, false) => asm!(a; mov ecx, Rd(rb); ror Rd(ra), cl),
                (Alu::Ror, true) => asm!(a; mov ecx, Rd(rb); ror Rq(ra), cl),
            }
            if owns_b {
                self.vs.free(Loc::Gpr(rb));
            }
        }
        self.vs.push(Loc::Gpr(ra), false);
    }

    /// Division and remainder, with the spec's traps.
    fn div(&mut self, signed: bool, rem: bool, w: bool) {
        let b = self.vs.pop();
        let x = self.vs.pop();
        let rb = self.vs.in_gpr(b, &mut self.asm);
        let ra = self.vs.in_gpr(x, &mut self.asm);
        let div0 = self.trap(TrapCode::DivideByZero);
        let ovf = self.trap(TrapCode::Overflow);
        let a = &mut self.asm.a;
        if w {
            asm!(a; test Rq(rb), Rq(rb); jz =>div0);
        } else {
            asm!(a; test Rd(rb), Rd(rb); jz =>div0);
        }
        match (signed, rem, w) {
            (false, _, false) => asm!(a; mov eax, Rd(ra); xor edx, edx; div Rd(rb)),
            (false, _, true) => asm!(a; mov rax, Rq(ra); xor edx, edx; div Rq(rb)),
            (true, false, false) => asm!(a
                ; cmp Rd(rb), -1
                ; jne >go
                ; cmp Rd(ra), 0x8000_0000u32 as i32
                ; je =>ovf
                ; go:
                ; mov eax, Rd(ra)
                ; cdq
                ; idiv Rd(rb)
            ),
            (true, false, true) => asm!(a
                ; cmp Rq(rb), -1
                ; jne >go
                ; mov rax, QWORD i64::MIN
                ; cmp Rq(ra), rax
                ; je =>ovf
                ; go:
                ; mov rax, Rq(ra)
                ; cqo
                ; idiv Rq(rb)
            ),
            // x rem -1 is 0 (and idiv would fault on MIN).
            (true, true, false) => asm!(a
                ; xor edx, edx
                ; cmp Rd(rb), -1
                ; je >done
                ; mov eax, Rd(ra)
                ; cdq
                ; idiv Rd(rb)
                ; done:
            ),
            (true, true, true) => asm!(a
                ; xor edx, edx
                ; cmp Rq(rb), -1
                ; je >done
                ; mov rax, Rq(ra)
                ; cqo
                ; idiv Rq(rb)
                ; done:
            ),
        }
        if rem {
            asm!(a; mov Rq(ra), rdx);
        } else {
            asm!(a; mov Rq(ra), rax);
        }
        if !w {
            asm!(a; mov Rd(ra), Rd(ra));
        }
        self.vs.free(Loc::Gpr(rb));
        self.vs.push(Loc::Gpr(ra), false);
    }

    fn cmp(&mut self, c: Cond, w: bool, fuse: bool) {
        let b = self.vs.pop();
        let x = self.vs.pop();
        let (ra, owns_a) = self.vs.read_gpr(x, &mut self.asm);
        let imm = match b.loc {
            Loc::Const(v) if !w || (v as i64) == (v as i64 as i32 as i64) => Some(v as i32),
            _ => None,
        };
        match imm {
            Some(v) => enc::alu_imm(&mut self.asm.a, enc::Op1::Cmp, w, ra, v),
            None => {
                let (rb, owns_b) = self.vs.read_gpr(b, &mut self.asm);
                if w {
                    asm!(self.asm.a; cmp Rq(ra), Rq(rb));
                } else {
                    asm!(self.asm.a; cmp Rd(ra), Rd(rb));
                }
                if owns_b {
                    self.vs.free(Loc::Gpr(rb));
                }
            }
        }
        if owns_a {
            self.vs.free(Loc::Gpr(ra));
        }
        self.push_cond(c, fuse);
    }

    fn fbin(&mut self, op: Fop, w: bool) {
        let b = self.vs.pop();
        let x = self.vs.pop();
        let (xb, owns_b) = self.vs.read_xmm(b, &mut self.asm);
        let xa = self.vs.in_xmm(x, &mut self.asm);
        let a = &mut self.asm.a;
        match (op, w) {
            (Fop::Add, false) => asm!(a; addss Rx(xa), Rx(xb)),
            (Fop::Add, true) => asm!(a; addsd Rx(xa), Rx(xb)),
            (Fop::Sub, false) => asm!(a; subss Rx(xa), Rx(xb)),
            (Fop::Sub, true) => asm!(a; subsd Rx(xa), Rx(xb)),
            (Fop::Mul, false) => asm!(a; mulss Rx(xa), Rx(xb)),
            (Fop::Mul, true) => asm!(a; mulsd Rx(xa), Rx(xb)),
            (Fop::Div, false) => asm!(a; divss Rx(xa), Rx(xb)),
            (Fop::Div, true) => asm!(a; divsd Rx(xa), Rx(xb)),
        }
        if owns_b {
            self.vs.free(Loc::Xmm(xb));
        }
        self.vs.push(Loc::Xmm(xa), false);
    }

    /// `memory.fill` or `memory.copy` of memory 0 (32-bit): a direct call
    /// of `helper` (`helpers::mem0_fill`/`mem0_copy`) with its three
    /// operands in registers, not the generic instruction path (whose
    /// dispatch costs as much as a short fill).
    fn bulk0(&mut self, helper: *const ()) -> bool {
        self.vs.spill_regs(&mut self.asm);
        // Spilled: each operand is a constant, a local or in its slot.
        for r in [RCX, RDX, RSI] {
            let x = self.vs.pop();
            self.asm.mov(Dst::Gpr(r), x.loc, x.slot, false);
        }
        asm!(self.asm.a
            ; mov rdi, r15
            ; mov rax, QWORD helper as i64
            ; call rax
            ; test eax, eax
            ; jnz =>self.exit
        );
        true
    }

    /// Loads and stores of a 32-bit memory 0, with an explicit bounds
    /// check, or none for a guarded memory 0 (each access a trap site);
    /// `Some(false)` for anything else.
    fn memory(&mut self, i: &Instr) -> Option<bool> {
        use Instr::*;
        match i {
            MemoryFill { mem: 0 } if self.env.mem0_32 => {
                return Some(self.bulk0(helpers::mem0_fill as *const ()));
            }
            MemoryCopy { dst: 0, src: 0 } if self.env.mem0_32 => {
                return Some(self.bulk0(helpers::mem0_copy as *const ()));
            }
            _ => {}
        }
        let Some(m) = i.memarg() else {
            return Some(false);
        };
        let (memory, offset) = (m.memory, m.offset);
        // (The offset with the access's size fits a displacement.)
        if memory != 0 || !self.env.mem0_32 || offset > i32::MAX as u64 - 8 {
            return Some(false);
        }
        let size: i32 = match i {
            I32Load8S { .. }
            | I32Load8U { .. }
            | I64Load8S { .. }
            | I64Load8U { .. }
            | I32Store8 { .. }
            | I64Store8 { .. } => 1,
            I32Load16S { .. }
            | I32Load16U { .. }
            | I64Load16S { .. }
            | I64Load16U { .. }
            | I32Store16 { .. }
            | I64Store16 { .. } => 2,
            I32Load { .. }
            | F32Load { .. }
            | I64Load32S { .. }
            | I64Load32U { .. }
            | I32Store { .. }
            | F32Store { .. }
            | I64Store32 { .. } => 4,
            I64Load { .. } | F64Load { .. } | I64Store { .. } | F64Store { .. } => 8,
            _ => return Some(false),
        };
        let store = matches!(
            i,
            I32Store { .. }
                | I64Store { .. }
                | F32Store { .. }
                | F64Store { .. }
                | I32Store8 { .. }
                | I32Store16 { .. }
                | I64Store8 { .. }
                | I64Store16 { .. }
                | I64Store32 { .. }
        );
        let float = matches!(
            i,
            F32Load { .. } | F64Load { .. } | F32Store { .. } | F64Store { .. }
        );
        let value = store.then(|| self.vs.pop());
        let addr = self.vs.pop();
        // Operands only read (a cached local's register serves as it is);
        // a float goes through an SSE register; an integer load's result
        // goes to the address's register if the instruction owns it, else
        // to a new one.
        let value = value.map(|v| {
            if float {
                let (r, owns) = self.vs.read_xmm(v, &mut self.asm);
                (Loc::Xmm(r), owns)
            } else {
                let (r, owns) = self.vs.read_gpr(v, &mut self.asm);
                (Loc::Gpr(r), owns)
            }
        });
        let (src, owns_addr) = self.vs.read_gpr(addr, &mut self.asm);
        // Memory 0's base, kept in a register as a cached pseudo-local
        // (reloaded from the context after calls and at merges that lost
        // it), pinned for this access.
        let base = self.vs.cached_gpr(MEM0_BASE, &mut self.asm);
        let dst = if store {
            Loc::Gpr(src)
        } else if float {
            if owns_addr {
                self.vs.free(Loc::Gpr(src));
            }
            Loc::Xmm(self.vs.alloc_xmm(&mut self.asm))
        } else if owns_addr {
            Loc::Gpr(src)
        } else {
            Loc::Gpr(self.vs.alloc_gpr(&mut self.asm))
        };
        let o = offset as i32;
        // rcx = the address, zero-extended; the access is at
        // [base + rcx + offset]: in a guarded memory, below 6 GiB, inside
        // the reservation (past the length it faults, `guard.rs`);
        // otherwise checked first, its end (at most 2^32 + 2^31 + 8)
        // against the length.
        asm!(self.asm.a; mov ecx, Rd(src));
        if !self.env.mem0_guarded {
            let oob = self.trap(TrapCode::OutOfBounds);
            let end = o + size;
            asm!(self.asm.a
                ; lea rax, [rcx + end]
                ; cmp rax, [r15 + off::MEM0_LEN]
                ; ja =>oob
            );
        }
        if let Some((v, owns_v)) = value {
            if let (1 | 2, Loc::Gpr(v)) = (size, v) {
                asm!(self.asm.a; mov eax, Rd(v));
            }
            // The access itself is the trap site (where it faults).
            if self.env.mem0_guarded {
                self.sites.push(self.asm.a.offset().0);
            }
            let a = &mut self.asm.a;
            match (size, v) {
                (1, _) => asm!(a; mov [Rq(base) + rcx + o], al),
                (2, _) => asm!(a; mov [Rq(base) + rcx + o], ax),
                (4, Loc::Xmm(x)) => asm!(a; movd [Rq(base) + rcx + o], Rx(x)),
                (_, Loc::Xmm(x)) => asm!(a; movq [Rq(base) + rcx + o], Rx(x)),
                (4, Loc::Gpr(v)) => asm!(a; mov [Rq(base) + rcx + o], Rd(v)),
                (_, Loc::Gpr(v)) => asm!(a; mov [Rq(base) + rcx + o], Rq(v)),
                _ => unreachable!("a stored value is in a register"),
            }
            if owns_v {
                self.vs.free(v);
            }
            if owns_addr {
                self.vs.free(Loc::Gpr(src));
            }
        } else {
            if self.env.mem0_guarded {
                self.sites.push(self.asm.a.offset().0);
            }
            let a = &mut self.asm.a;
            match (i, dst) {
                (F32Load { .. }, Loc::Xmm(x)) => asm!(a; movd Rx(x), [Rq(base) + rcx + o]),
                (_, Loc::Xmm(x)) => asm!(a; movq Rx(x), [Rq(base) + rcx + o]),
                (I32Load8S { .. }, Loc::Gpr(r)) => asm!(a; movsx Rd(r), BYTE [Rq(base) + rcx + o]),
                (I32Load8U { .. } | I64Load8U { .. }, Loc::Gpr(r)) => {
                    asm!(a; movzx Rd(r), BYTE [Rq(base) + rcx + o])
                }
                (I64Load8S { .. }, Loc::Gpr(r)) => asm!(a; movsx Rq(r), BYTE [Rq(base) + rcx + o]),
                (I32Load16S { .. }, Loc::Gpr(r)) => {
                    asm!(a; movsx Rd(r), WORD [Rq(base) + rcx + o])
                }
                (I32Load16U { .. } | I64Load16U { .. }, Loc::Gpr(r)) => {
                    asm!(a; movzx Rd(r), WORD [Rq(base) + rcx + o])
                }
                (I64Load16S { .. }, Loc::Gpr(r)) => {
                    asm!(a; movsx Rq(r), WORD [Rq(base) + rcx + o])
                }
                (I32Load { .. } | I64Load32U { .. }, Loc::Gpr(r)) => {
                    asm!(a; mov Rd(r), [Rq(base) + rcx + o])
                }
                (I64Load32S { .. }, Loc::Gpr(r)) => {
                    asm!(a; movsxd Rq(r), DWORD [Rq(base) + rcx + o])
                }
                (_, Loc::Gpr(r)) => asm!(a; mov Rq(r), [Rq(base) + rcx + o]),
                _ => unreachable!("a load's result goes to a register"),
            }
            self.vs.push(dst, false);
        }
        Some(true)
    }
}

/// A branch's moves out of line: where it goes (a loop's back-edge entry,
/// which charges fuel), values carried, their base, the cache its label
/// wants if the registers must change.
type Moves = (DynamicLabel, usize, u32, Option<Cache>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Alu {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    Sar,
    Shr,
    Rol,
    Ror,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fop {
    Add,
    Sub,
    Mul,
    Div,
}
