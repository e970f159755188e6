//! Rust functions compiled code calls: calls it does not make directly
//! (imports, interpreted functions, other instances, host functions,
//! the resolution of `call_indirect` and `call_ref`), `ref.func`, and instructions it compiles as a call to
//! the shared semantics of `crate::ops`.
//!
//! Each takes the caller's context and returns a status (`entry::OK`, or
//! `entry::PENDING` with the trap in the context), and refreshes the
//! context before returning, since the store may have changed. Values
//! pass in the caller's frame slots, which compiled code spilled first.
//! None holds a reference to the context across a call that may enter
//! compiled code (which uses the context too).

use weft_ast::{Instr, RefType};

use crate::jit::ctx::{ICell, VmCtx, refresh, sync_fuel};
use crate::jit::entry::{OK, PENDING};
use crate::runtime::store::{Caller, ExnInst, Func, FuncInst, Instance, Store};
use crate::trap::{Error, Trap};
use crate::value::{Value, slots, slots_of};

/// How deeply host functions may re-enter WebAssembly (the interpreter's
/// bound, `exec::MAX_REENTRY`).
const MAX_REENTRY: u32 = 100;

/// Leaves `trap` in the context for `entry::enter`.
///
/// # Safety
/// `ctx` is a live context no reference to which is held.
unsafe fn fail(ctx: *mut VmCtx, trap: Trap) -> u32 {
    // SAFETY: the caller's guarantee.
    unsafe { (*ctx).rest.pending = Some(trap) };
    PENDING
}

/// The store running the code, and the instance of `ctx`.
///
/// # Safety
/// `ctx` is a live context whose store pointer was set on entry (by
/// `entry::enter`, which holds `&mut Store` for the whole call).
unsafe fn store<'a>(ctx: *mut VmCtx) -> (&'a mut Store, u32) {
    // SAFETY: the caller's guarantee; compiled code does not touch the
    // store while a helper runs.
    unsafe {
        let store = &mut *(*ctx).store;
        sync_fuel(&*ctx, store);
        (store, (*ctx).rest.instance)
    }
}

/// After Rust code ran: a trap if a host function replaced the store,
/// else the context refreshed.
///
/// # Safety
/// As for [`store`].
unsafe fn back(ctx: *mut VmCtx, status: u32) -> u32 {
    // SAFETY: the caller's guarantee; no other reference to the context
    // is live now.
    unsafe {
        let c = &mut *ctx;
        let store = &mut *c.store;
        if store.id != c.rest.store_id {
            c.rest.pending = Some(Trap::Host("a host function replaced the store".into()));
            return PENDING;
        }
        refresh(c, store);
    }
    status
}

/// Executes `instr` through `crate::ops` on the slots at `base` (its
/// operands, overwritten by its results): `shape` is the slots it pops
/// (low 32 bits) and pushes (high 32 bits), which the compiler knew.
pub(crate) extern "sysv64" fn instr(
    ctx: *mut VmCtx,
    instr: *const Instr,
    base: *mut u64,
    shape: u64,
) -> u32 {
    // SAFETY: compiled code passes its context, a pointer to an
    // instruction of its module's AST (alive as long as the code), and the
    // address of its operands' slots in its frame, which has room for the
    // results (`compile` sized it so).
    unsafe {
        let i = &*instr;
        let (pops, pushed) = (shape as u32, (shape >> 32) as u32);
        let c = &mut *ctx;
        let store = &mut *c.store;
        sync_fuel(c, store);
        let s = &mut c.rest.scratch;
        let room = pops.max(pushed) as usize + 2;
        if s.slots.len() < room {
            s.slots.resize(room, 0);
        }
        std::ptr::copy_nonoverlapping(base, s.slots.as_mut_ptr(), pops as usize);
        s.sp = pops as usize;
        let inst = c.rest.instance;
        let r = match crate::ops::num::numeric(s, i) {
            Ok(false) => match crate::ops::simd::simd(s, i) {
                Ok(false) => match crate::ops::access::access(store, s, inst, i) {
                    Ok(false) => crate::ops::gc::gc(store, s, inst, i),
                    r => r,
                },
                r => r,
            },
            r => r,
        };
        match r {
            Ok(true) => {
                debug_assert_eq!(s.sp, pushed as usize);
                std::ptr::copy_nonoverlapping(s.slots.as_ptr(), base, s.sp);
                refresh(c, store);
                OK
            }
            Ok(false) => fail(ctx, unimplemented(i)),
            Err(t) => {
                refresh(c, store);
                fail(ctx, t)
            }
        }
    }
}

/// `memory.fill` of memory 0 (a 32-bit memory): `n` bytes at `d` set to
/// `val`, with the interpreter's checks and fuel (`ops::access`), called
/// directly with its operands rather than through [`instr`]'s dispatch.
pub(crate) extern "sysv64" fn mem0_fill(ctx: *mut VmCtx, d: u32, val: u32, n: u32) -> u32 {
    // SAFETY: compiled code passes its context; the instance has a memory
    // 0 (the code was compiled for a module with one).
    unsafe {
        let (store, _) = store(ctx);
        let Some(a) = (*ctx).rest.mem0 else {
            return fail(ctx, Trap::InvalidReference);
        };
        let r = crate::ops::access::memory_fill(store, a as usize, d.into(), val as u8, n.into());
        bulk_done(ctx, r)
    }
}

/// `memory.copy` within memory 0 (a 32-bit memory): `n` bytes from `s` to
/// `d`, as [`mem0_fill`] is made.
pub(crate) extern "sysv64" fn mem0_copy(ctx: *mut VmCtx, d: u32, s: u32, n: u32) -> u32 {
    // SAFETY: as for `mem0_fill`.
    unsafe {
        let (store, _) = store(ctx);
        let Some(a) = (*ctx).rest.mem0 else {
            return fail(ctx, Trap::InvalidReference);
        };
        let a = a as usize;
        let r = crate::ops::access::memory_copy(store, a, a, d.into(), s.into(), n.into());
        bulk_done(ctx, r)
    }
}

/// After a bulk memory operation: the fuel it charged back in the
/// context (nothing else it changes is in there), and its status.
///
/// # Safety
/// As for [`store`].
unsafe fn bulk_done(ctx: *mut VmCtx, r: Result<(), Trap>) -> u32 {
    // SAFETY: the caller's guarantee.
    unsafe {
        let c = &mut *ctx;
        c.fuel = (*c.store).fuel.unwrap_or(u64::MAX);
        match r {
            Ok(()) => OK,
            Err(t) => fail(ctx, t),
        }
    }
}

/// `ref.func`: function `index` of the instance as a reference slot.
pub(crate) extern "sysv64" fn ref_func(ctx: *mut VmCtx, index: u32) -> u64 {
    // SAFETY: compiled code passes its context.
    unsafe {
        let (store, inst) = store(ctx);
        store.instances[inst as usize]
            .funcs
            .get(index as usize)
            .map_or(0, |&a| a as u64 + 1)
    }
}

/// The test of `br_on_cast`/`br_on_cast_fail`: whether the reference
/// `slot` is of type `*rt`, as 1 or 0.
pub(crate) extern "sysv64" fn ref_test(ctx: *mut VmCtx, slot: u64, rt: *const RefType) -> u32 {
    // SAFETY: compiled code passes its context and a pointer into its
    // module's AST (alive as long as the code).
    unsafe {
        let (store, inst) = store(ctx);
        u32::from(crate::ops::gc::ref_test(store, inst, slot, *rt))
    }
}

/// The test of `br_on_cast_desc_eq`(`_fail`): whether the reference
/// `slot` has the descriptor `desc` (a null reference passes when
/// `nullable` is 1), as 1 or 0; `PENDING` when the descriptor is null.
pub(crate) extern "sysv64" fn desc_test(
    ctx: *mut VmCtx,
    slot: u64,
    desc: u64,
    nullable: u32,
) -> u32 {
    // SAFETY: compiled code passes its context.
    unsafe {
        let (store, _) = store(ctx);
        match crate::ops::gc::desc_test(store, slot, desc, nullable != 0) {
            Ok(hit) => u32::from(hit),
            Err(t) => fail(ctx, t),
        }
    }
}

/// `call` of function `index` of the instance, one compiled code does not
/// reach directly: arguments and results in the slots at `args`.
pub(crate) extern "sysv64" fn call(ctx: *mut VmCtx, index: u32, args: *mut u64) -> u32 {
    // SAFETY: compiled code passes its context and its arguments' slots,
    // with room for the results.
    unsafe {
        let (store, inst) = store(ctx);
        match store.instances[inst as usize].funcs.get(index as usize) {
            Some(&addr) => call_addr(ctx, addr, args),
            None => fail(ctx, Trap::InvalidReference),
        }
    }
}

/// The callee of `call_indirect`/`return_call_indirect` of type `ty`
/// through table `table` at element `elem`, checked as the interpreter
/// checks it, with the call's unit of fuel charged after the checks (as
/// the interpreter charges it).
///
/// # Safety
/// As for [`store`].
unsafe fn resolve_indirect(ctx: *mut VmCtx, ty: u32, table: u32, elem: u64) -> Result<u32, Trap> {
    // SAFETY: the caller's guarantee.
    let (store, inst) = unsafe { store(ctx) };
    let data = &store.instances[inst as usize];
    let (Some(&expected), Some(&t)) =
        (data.types.get(ty as usize), data.tables.get(table as usize))
    else {
        return Err(Trap::InvalidReference);
    };
    let tab = &store.tables[t as usize];
    let i = if tab.is64() { elem } else { elem as u32 as u64 };
    let Some(&r) = usize::try_from(i).ok().and_then(|i| tab.elems.get(i)) else {
        return Err(Trap::UndefinedElement);
    };
    let Some(addr) = crate::value::decode_ref(r) else {
        return Err(Trap::UninitializedElement(i));
    };
    let Some(f) = store.funcs.get(addr as usize) else {
        return Err(Trap::InvalidReference);
    };
    let actual = f.ty();
    if actual != expected && !store.registry.is_subtype(actual, expected) {
        return Err(Trap::IndirectCallTypeMismatch);
    }
    // SAFETY: the caller's guarantee.
    if !unsafe { charge_call(ctx) } {
        return Err(Trap::OutOfFuel);
    }
    Ok(addr)
}

/// What [`tail_indirect`] and [`tail_ref`] return when a trap is pending.
pub(crate) const TAIL_TRAP: u64 = u64::MAX;
/// The bit of their result that marks a callee compiled code cannot jump
/// to (its store address in the low 32 bits): it calls it through
/// [`call_func`], then returns.
pub(crate) const TAIL_CALL: u64 = 1 << 63;

/// Where a tail call to the function at store address `addr` goes: the
/// entry of a compiled function of the caller's own instance (compiled
/// code jumps to it, its frame popped, so the native stack stays
/// constant), or `TAIL_CALL | addr` for any other function (an import, a
/// host function, an interpreted one, another instance's, whose context
/// is not the caller's).
///
/// # Safety
/// As for [`store`].
unsafe fn tail_target(ctx: *mut VmCtx, addr: u32) -> u64 {
    // SAFETY: the caller's guarantee.
    let (store, inst) = unsafe { store(ctx) };
    if let Some(FuncInst::Wasm { instance, .. }) = store.funcs.get(addr as usize)
        && *instance == inst
        && let Some(entry) = store.instances[inst as usize]
            .jit
            .as_ref()
            .and_then(|j| j.entry_of(addr))
    {
        return entry as u64;
    }
    TAIL_CALL | addr as u64
}

/// `call_indirect` or `return_call_indirect` of type `ty` through table
/// `table` at element `elem`: the callee checked and its fuel charged
/// ([`resolve_indirect`]), then where the call goes (see [`tail_target`]), or
/// [`TAIL_TRAP`] with the trap in the context.
pub(crate) extern "sysv64" fn tail_indirect(
    ctx: *mut VmCtx,
    ty: u32,
    table: u32,
    elem: u64,
) -> u64 {
    // SAFETY: compiled code passes its context.
    unsafe {
        match resolve_indirect(ctx, ty, table, elem) {
            Ok(addr) => {
                let target = tail_target(ctx, addr);
                // A compiled function of this instance: cached, for
                // compiled code to call without this helper next time.
                if target & TAIL_CALL == 0 {
                    let r = u64::from(addr) + 1;
                    (*ctx).icache[ICell::index(r)] = ICell::new(r, ty, target);
                }
                target
            }
            Err(t) => {
                fail(ctx, t);
                TAIL_TRAP
            }
        }
    }
}

/// `call_ref` or `return_call_ref` of the function reference `r`: `null function
/// reference` if it is null, else a unit of fuel and where the call goes
/// (see [`tail_target`]), or [`TAIL_TRAP`] with the trap in the context.
pub(crate) extern "sysv64" fn tail_ref(ctx: *mut VmCtx, r: u64) -> u64 {
    // SAFETY: compiled code passes its context.
    unsafe {
        let Some(addr) = crate::value::decode_ref(r) else {
            fail(ctx, Trap::NullFunctionReference);
            return TAIL_TRAP;
        };
        if !charge_call(ctx) {
            fail(ctx, Trap::OutOfFuel);
            return TAIL_TRAP;
        }
        tail_target(ctx, addr)
    }
}

/// Calls the function at store address `addr` (resolved, and its fuel
/// charged, by [`tail_indirect`] or [`tail_ref`]) with the slots at
/// `args`.
pub(crate) extern "sysv64" fn call_func(ctx: *mut VmCtx, addr: u32, args: *mut u64) -> u32 {
    // SAFETY: as for `call`.
    unsafe { call_addr(ctx, addr, args) }
}

/// `throw` of tag `tag` of the instance with its payload in the slots at
/// `args`: the exception is made as the interpreter makes it and put in
/// flight (`VmCtx::exn`); compiled code then goes to its handler. `OK`, or
/// `PENDING` for `too many exceptions`.
pub(crate) extern "sysv64" fn throw(ctx: *mut VmCtx, tag: u32, args: *const u64) -> u32 {
    // SAFETY: compiled code passes its context and its operand slots,
    // which hold the tag's parameters.
    unsafe {
        let (store, inst) = store(ctx);
        let Some(&addr) = store.instances[inst as usize].tags.get(tag as usize) else {
            return fail(ctx, Trap::InvalidReference);
        };
        let ty = store.tags[addr as usize];
        let n: usize = slots_of(&store.type_of(ty).params);
        if store.exns.len() >= store.limits.max_exceptions as usize {
            return fail(ctx, Trap::TooManyExceptions);
        }
        let payload = std::slice::from_raw_parts(args, n).into();
        store.exns.push(ExnInst { tag: addr, payload });
        (*ctx).exn = store.exns.len() as u64;
        OK
    }
}

/// `throw_ref` of the exception reference `r`: `null exception reference`
/// if it is null, else the exception put in flight again (`VmCtx::exn`).
pub(crate) extern "sysv64" fn throw_ref(ctx: *mut VmCtx, r: u64) -> u32 {
    // SAFETY: compiled code passes its context.
    unsafe {
        let (store, _) = store(ctx);
        let Some(exn) = crate::value::decode_ref(r) else {
            return fail(ctx, Trap::NullExceptionReference);
        };
        if exn as usize >= store.exns.len() {
            return fail(ctx, Trap::InvalidReference);
        }
        (*ctx).exn = exn as u64 + 1;
        OK
    }
}

/// One clause of a legacy `try`'s handler: whether the exception in flight
/// is of the instance's tag `tag` (any, for `catch_all`: `u32::MAX`), as
/// 1 or 0; when it is, its payload (for a tag's clause) written to the
/// slots at `dest`, its reference to `hidden` (the `try`'s hidden local,
/// for `rethrow`) and the exception no longer in flight.
pub(crate) extern "sysv64" fn legacy_catch(
    ctx: *mut VmCtx,
    tag: u32,
    dest: *mut u64,
    hidden: *mut u64,
) -> u32 {
    // SAFETY: compiled code passes its context, the slots at its `try`
    // block's height (sized for the clause's payload) and its hidden local.
    unsafe {
        let (store, inst) = store(ctx);
        let c = &mut *ctx;
        let Some(exn) = (c.exn as usize).checked_sub(1) else {
            return 0;
        };
        let Some(e) = store.exns.get(exn) else {
            return 0;
        };
        if tag != u32::MAX {
            let tags = &store.instances[inst as usize].tags;
            if tags.get(tag as usize) != Some(&e.tag) {
                return 0;
            }
            for (k, &v) in e.payload.iter().enumerate() {
                *dest.add(k) = v;
            }
        }
        *hidden = exn as u64 + 1;
        c.exn = 0;
        1
    }
}

/// The handler of a `try_table` (`table`, an instruction of the module's
/// AST) for the exception in flight: the index of the first clause that
/// catches it, its values (the payload for a tag's clause, then the
/// reference for a `_ref` one, as the interpreter pushes them) written to
/// the frame's slots from `dests[clause]` (the clause's label's height)
/// and the exception no longer in flight; `u32::MAX` if no clause catches
/// it.
pub(crate) extern "sysv64" fn catch(
    ctx: *mut VmCtx,
    table: *const weft_ast::TryTable,
    dests: *const u32,
    frame: *mut u64,
) -> u32 {
    use weft_ast::Catch;
    // SAFETY: compiled code passes its context, an instruction of its
    // module's AST (alive as long as the code), the clauses' label
    // heights (kept with the code, one per clause) and its frame's
    // operand slots, which it sized for every label's values.
    unsafe {
        let (store, inst) = store(ctx);
        let c = &mut *ctx;
        let Some(exn) = (c.exn as usize).checked_sub(1) else {
            return u32::MAX;
        };
        let Some(e) = store.exns.get(exn) else {
            return u32::MAX;
        };
        let tags = &store.instances[inst as usize].tags;
        for (k, clause) in (*table).catches.iter().enumerate() {
            let (tag, with_ref) = match *clause {
                Catch::One { tag, .. } => (Some(tag), false),
                Catch::OneRef { tag, .. } => (Some(tag), true),
                Catch::All { .. } => (None, false),
                Catch::AllRef { .. } => (None, true),
            };
            if tag.is_some_and(|t| tags.get(t as usize) != Some(&e.tag)) {
                continue;
            }
            let mut at = *dests.add(k) as usize;
            if tag.is_some() {
                for &v in e.payload.iter() {
                    *frame.add(at) = v;
                    at += 1;
                }
            }
            if with_ref {
                *frame.add(at) = exn as u64 + 1;
            }
            c.exn = 0;
            return k as u32;
        }
        u32::MAX
    }
}

/// Charges an indirect call's unit of fuel to the context (where compiled
/// code keeps it; `store` copies it to the store before Rust code reads
/// it); false, and the fuel left at 0, if none is left. Nothing when fuel
/// is off.
///
/// # Safety
/// As for [`store`].
unsafe fn charge_call(ctx: *mut VmCtx) -> bool {
    // SAFETY: the caller's guarantee.
    unsafe {
        let c = &mut *ctx;
        if (*c.store).fuel.is_none() {
            return true;
        }
        match c.fuel.checked_sub(1) {
            Some(f) => {
                c.fuel = f;
                true
            }
            None => false,
        }
    }
}

/// Calls the function at store address `addr` with the slots at `args`.
///
/// # Safety
/// `ctx` is the caller's live context, with no reference to it held;
/// `args` holds the callee's parameters' slots and room for its results.
unsafe fn call_addr(ctx: *mut VmCtx, addr: u32, args: *mut u64) -> u32 {
    // SAFETY: the caller's guarantee.
    let (store, inst) = unsafe { store(ctx) };
    let Some(func) = store.funcs.get(addr as usize).cloned() else {
        // SAFETY: the caller's guarantee.
        return unsafe { fail(ctx, Trap::InvalidReference) };
    };
    let ty = store.type_of(func.ty());
    let (p, r) = (slots_of(&ty.params), slots_of(&ty.results));
    // SAFETY: the caller's guarantee on `args`.
    let args = unsafe { std::slice::from_raw_parts_mut(args, p.max(r)) };
    store.thrown = None;
    let r = match &func {
        FuncInst::Wasm { instance, .. } => {
            let jit = store.instances[*instance as usize].jit.clone();
            match jit.as_ref().and_then(|j| j.entry_of(addr).map(|e| (j, e))) {
                Some((j, entry)) => crate::jit::entry::enter(store, j, entry, args),
                None => interpret(store, addr, args),
            }
        }
        FuncInst::Host { f, .. } => host(store, func.ty(), &**f, inst, args),
    };
    let status = match r {
        Ok(()) => OK,
        // An exception the callee left uncaught goes on in the caller (one
        // out of a host function is a trap, as in the interpreter).
        Err(Trap::UncaughtException)
            if matches!(func, FuncInst::Wasm { .. }) && store.thrown.is_some() =>
        {
            let exn = store.thrown.take().unwrap_or_default();
            // SAFETY: the caller's guarantee.
            unsafe { (*ctx).exn = exn as u64 + 1 };
            OK
        }
        // SAFETY: the caller's guarantee.
        Err(t) => unsafe { fail(ctx, t) },
    };
    // SAFETY: the caller's guarantee.
    unsafe { back(ctx, status) }
}

/// Converts slots to the values of `types`.
fn values(store: &Store, types: &[weft_ast::ValType], slots_in: &[u64]) -> Vec<Value> {
    let mut at = 0;
    types
        .iter()
        .map(|t| {
            let t = store.resolve(*t);
            let hi = if slots(t) == 2 { slots_in[at + 1] } else { 0 };
            let v = Value::from_slots(t, slots_in[at], hi);
            at += slots(t) as usize;
            v
        })
        .collect()
}

/// Writes values as slots.
fn write(vals: &[Value], out: &mut [u64]) {
    let mut at = 0;
    for v in vals {
        let (lo, hi) = v.to_slots();
        out[at] = lo;
        if let Value::V128(_) = v {
            out[at + 1] = hi;
            at += 2;
        } else {
            at += 1;
        }
    }
}

/// Runs an interpreted function on the slots.
fn interpret(store: &mut Store, addr: u32, args: &mut [u64]) -> Result<(), Trap> {
    let ty = store.type_of(store.funcs[addr as usize].ty()).clone();
    let vals = values(store, &ty.params, args);
    // Compiled code charged the call's unit, which `invoke` charges again
    // for a call from the host.
    if let Some(f) = store.fuel.as_mut() {
        *f += 1;
    }
    match crate::interpreter::exec::invoke(store, Func(addr), &vals) {
        Ok(results) => {
            write(&results, args);
            Ok(())
        }
        Err(Error::Trap(t)) => Err(t),
        Err(e) => Err(Trap::Host(e.to_string().into())),
    }
}

/// Calls a host function on the slots, as the interpreter does: re-entry
/// bounded, the caller's instance given, results type-checked; a panic is
/// kept and resumed once compiled code has returned.
fn host(
    store: &mut Store,
    ty: crate::runtime::store::TypeId,
    f: &crate::runtime::store::HostFn,
    inst: u32,
    args: &mut [u64],
) -> Result<(), Trap> {
    let fty = store.type_of(ty).clone();
    let vals = values(store, &fty.params, args);
    let mut results: Vec<Value> = fty
        .results
        .iter()
        .map(|t| Value::default_for(store.resolve(*t)))
        .collect();
    if store.depth >= MAX_REENTRY {
        return Err(Trap::CallStackExhausted);
    }
    let id = store.id;
    store.depth += 1;
    let frames = store.trap_frames.len();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        f(
            &mut Caller {
                store,
                instance: Some(Instance(inst)),
            },
            &vals,
            &mut results,
        )
    }));
    let r = match r {
        Ok(r) => r,
        Err(payload) => {
            panic_later(store, inst, payload);
            return Err(Trap::Host("a host function panicked".into()));
        }
    };
    if store.id != id {
        return Err(Trap::Host("a host function replaced the store".into()));
    }
    store.depth -= 1;
    if r.is_ok() {
        store.trap_frames.truncate(frames);
    }
    r?;
    for (v, t) in results.iter().zip(&fty.results) {
        if !v.has_type(store.resolve(*t)) {
            return Err(Trap::Host(
                "host function returned a value of the wrong type".into(),
            ));
        }
    }
    write(&results, args);
    Ok(())
}

/// Keeps a host function's panic in the caller's context, to resume when
/// compiled code has returned.
fn panic_later(store: &mut Store, inst: u32, payload: Box<dyn std::any::Any + Send>) {
    if let Some(j) = store
        .instances
        .get(inst as usize)
        .and_then(|d| d.jit.as_ref())
    {
        // SAFETY: the context is alive (held by the store's instance), and
        // the helper that called here holds no reference to it.
        unsafe { (*j.ctx()).rest.panic = Some(payload) };
    }
}

/// The trap for an instruction that `compile` sent to `instr` but no part
/// of `crate::ops` executes (a mismatch between them, never a panic).
#[cold]
fn unimplemented(i: &Instr) -> Trap {
    Trap::Host(format!("unimplemented in compiled code: {}", i.name()).into())
}
