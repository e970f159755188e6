//! The interpreter: runs translated code on one value stack and one frame
//! stack, both on the heap. A WebAssembly call pushes a frame and continues
//! the same loop, so guest recursion never grows the host stack; only host
//! functions calling back into WebAssembly nest, and that nesting is bounded.
//!
//! `Machine::run` executes host calls, tail calls, throws and store-wide
//! ops; every other op, calls and returns between WebAssembly functions
//! included, runs in the handlers of `threaded`, which pass the stack
//! pointer, op pointer and frame on in registers. The only `unsafe` of the
//! crate is here:
//! unchecked op fetch and frame-slot access (bounds proved once per function
//! by the translator's `in_bounds`), a raw view of memory 0, and code held
//! by address across calls (kept alive as `Pins` explains).

use std::sync::Arc;

use weft_ast::{FuncType, ValType};

use crate::interpreter::ir::{CatchOp, Code, Op, Target};
use crate::runtime::store::{Caller, ExnInst, Func, FuncInst, Instance, Store, TypeId};
use crate::stack::Stack;
use crate::trap::{Error, Trap};
use crate::value::{Value, slots, slots_of};

mod calls;
mod exceptions;
mod run;
pub(crate) mod state;
mod threaded;

use state::{CodePtr, Frame, Pins, Stacks};
use threaded::Regs;
pub(crate) use threaded::handler_of;

/// How deeply host functions may re-enter WebAssembly: each level costs a
/// host stack frame of the interpreter loop.
const MAX_REENTRY: u32 = 100;

/// Calls `f` with `args` from the host.
pub(crate) fn invoke(store: &mut Store, f: Func, args: &[Value]) -> Result<Vec<Value>, Error> {
    // A lazy module's function is translated before it is entered.
    crate::runtime::instantiate::translate_on_call(store, f.0)?;
    let func = store
        .funcs
        .get(f.0 as usize)
        .ok_or(Error::BadHandle)?
        .clone();
    let mut ty = store.type_of(func.ty()).clone();
    for t in ty.params.iter_mut().chain(ty.results.iter_mut()) {
        *t = store.resolve(*t);
    }
    if args.len() != ty.params.len() || !args.iter().zip(&ty.params).all(|(a, t)| a.has_type(*t)) {
        return Err(Error::ArgumentMismatch);
    }
    if store.depth >= MAX_REENTRY {
        return Err(Trap::CallStackExhausted.into());
    }
    if store.depth == 0 {
        store.trap_frames.clear();
    }
    if let Some(fuel) = store.fuel.as_mut() {
        *fuel = fuel.checked_sub(1).ok_or(Trap::OutOfFuel)?;
    }
    let id = store.id;
    store.depth += 1;
    let result = match func {
        FuncInst::Host { f, .. } => {
            let mut results: Vec<Value> =
                ty.results.iter().map(|t| Value::default_for(*t)).collect();
            let r = f(
                &mut Caller {
                    store,
                    instance: None,
                },
                args,
                &mut results,
            );
            r.and_then(|()| kept(store, id)).map(|()| results)
        }
        FuncInst::Wasm { code, instance, .. } => run_wasm(store, code, instance, &ty, args),
    };
    // A store put in this one's place (the call trapped then) has its own
    // depth.
    if store.id == id {
        store.depth -= 1;
    }
    result.map_err(Error::Trap)
}

/// `Ok` if `store` is still the store `id` names, after a host function
/// had it; the trap that ends the call if the function put another store
/// in its place (the running code's instances and frames were this one's).
fn kept(store: &Store, id: crate::runtime::store::StoreId) -> Result<(), Trap> {
    if store.id == id {
        Ok(())
    } else {
        Err(Trap::Host("a host function replaced the store".into()))
    }
}

fn run_wasm(
    store: &mut Store,
    code: Arc<Code>,
    instance: u32,
    ty: &FuncType,
    args: &[Value],
) -> Result<Vec<Value>, Trap> {
    let Stacks {
        mut stack,
        mut frames,
    } = store.spare.take().unwrap_or_default();
    frames.clear();
    stack.sp = 0;
    let need = code.max_height.max(code.result_slots) as usize;
    if stack.slots.len() < need {
        stack.slots.resize(need, 0);
    }
    for a in args {
        let (lo, hi) = a.to_slots();
        stack.push(lo);
        if slots(a.ty()) == 2 {
            stack.push(hi);
        }
    }
    let mut m = Machine {
        store,
        stack,
        frames,
        host_args: Vec::new(),
        host_results: Vec::new(),
        pins: Pins::default(),
    };
    let r = m.run(code, instance);
    let Machine {
        store,
        stack,
        frames,
        ..
    } = m;
    let results = r.map(|()| {
        let mut i = 0;
        ty.results
            .iter()
            .map(|t| {
                let lo = stack.slots[i];
                let hi = if slots(*t) == 2 {
                    stack.slots[i + 1]
                } else {
                    0
                };
                i += slots(*t) as usize;
                Value::from_slots(*t, lo, hi)
            })
            .collect()
    });
    store.spare = Some(Stacks { stack, frames });
    results
}

/// Memory 0 of the running instance, as a raw view taken after every op
/// that may move or resize it (calls, returns, throws, memory and GC
/// instructions), so that loads and stores skip the walk from the store
/// through the instance to the memory.
#[derive(Clone, Copy)]
struct Mem0 {
    ptr: *mut u8,
    len: usize,
}

impl Mem0 {
    /// The view of the instance's memory 0 (empty without one).
    fn of(store: &mut Store, inst: u32) -> Mem0 {
        let mem = store.instances[inst as usize].memories.first().copied();
        match mem.and_then(|m| store.memories.get_mut(m as usize)) {
            Some(m) => Mem0 {
                ptr: m.data.as_mut_ptr(),
                len: m.data.len(),
            },
            None => Mem0 {
                ptr: std::ptr::NonNull::dangling().as_ptr(),
                len: 0,
            },
        }
    }
}

struct Machine<'s> {
    store: &'s mut Store,
    stack: Stack,
    frames: Vec<Frame>,
    /// Buffers for host calls' arguments and results.
    host_args: Vec<Value>,
    host_results: Vec<Value>,
    /// What keeps the frames' code alive across host calls.
    pins: Pins,
}

impl Machine<'_> {
    /// Prepares the frame of `code` at `fp`, whose arguments are in place:
    /// sizes the stack for the frame's maximum height and zeroes the locals.
    #[inline]
    fn enter(&mut self, code: &Code, fp: usize) -> Result<(), Trap> {
        let need = fp + code.max_height as usize;
        if need > self.stack.slots.len() {
            let max = self.store.limits.max_stack_slots as usize;
            if need > max {
                return Err(Trap::CallStackExhausted);
            }
            let len = need.max(self.stack.slots.len() * 2).min(max);
            self.stack.slots.resize(len, 0);
        }
        let locals = fp + code.param_slots as usize..fp + code.local_slots as usize;
        // A loop rather than `fill`: most functions declare few locals, and
        // a call into `memset` costs more than the stores.
        for slot in &mut self.stack.slots[locals.clone()] {
            *slot = 0;
        }
        self.stack.sp = locals.end;
        Ok(())
    }

    /// Reads the slot at `at`: the frame pointer plus an offset that an op
    /// names.
    #[inline(always)]
    fn get(&self, at: usize) -> u64 {
        debug_assert!(at < self.stack.slots.len());
        // SAFETY: `at` is the current frame's pointer plus an offset that
        // the translator's `in_bounds` check placed below the frame's
        // `max_height`; `enter` made the slots at least `fp + max_height`
        // long for this frame, and they never shrink.
        unsafe { *self.stack.slots.get_unchecked(at) }
    }

    #[inline]
    fn fuel(&mut self) -> Result<(), Trap> {
        if let Some(f) = self.store.fuel.as_mut() {
            if *f == 0 {
                return Err(Trap::OutOfFuel);
            }
            *f -= 1;
        }
        Ok(())
    }

    /// Takes a branch target's values: moves its `n` slots from `src` to
    /// `dst` of the frame at `fp`.
    #[inline(always)]
    fn take(&mut self, fp: usize, t: &Target) {
        let (src, dst, n) = (fp + t.src as usize, fp + t.dst as usize, t.n as usize);
        self.stack.slots.copy_within(src..src + n, dst);
    }
}

/// The translator only classifies an instruction as executable when one of
/// `num`, `access` and `simd` executes it; this reports a mismatch between
/// them as a trap rather than a panic.
#[cold]
fn unimplemented(i: &weft_ast::Instr) -> Trap {
    Trap::Host(format!("unimplemented: {}", i.name()).into())
}
