//! The interpreter's outer loop: `Machine::run` hands ops to the threaded
//! handlers and executes what they leave (host calls, tail calls, throws,
//! store-wide ops, `Op::Num`/`Access`/`Simd` kept as the AST's
//! instructions); a trap leaves the loop with the frames it passed through
//! (`record_trap`).

use super::*;

impl Machine<'_> {
    pub(super) fn run(&mut self, entry: Arc<Code>, mut inst: u32) -> Result<(), Trap> {
        // A host function may put another store in this one's place: the
        // frames are then no longer this store's to describe.
        let id = self.store.id;
        let mut fp = 0usize;
        let mut pc = 0usize;
        let mut code: &Code = &entry;
        self.pins = Pins {
            pinned: vec![entry.clone()],
        };
        // The code at a pointer taken from a live `Arc<Code>`, for as long
        // as `run` needs it.
        macro_rules! deref {
            ($p:expr) => {{
                let p: *const Code = $p;
                // SAFETY: `p` came from `Arc::as_ptr` of the store's `Arc`
                // or of a pin, and `Pins` keeps every code a frame or the
                // running function names alive (see there).
                unsafe { &*p }
            }};
        }
        let trap: Trap = 'run: {
            // `?` and `return Err` of the body: the trap leaves the block, and
            // the backtrace is taken where it happened.
            macro_rules! t {
                ($e:expr) => {
                    match $e {
                        Ok(v) => v,
                        Err(e) => break 'run e,
                    }
                };
            }
            t!(self.enter(code, fp));
            // Whether fuel is on and the call depth limit, read again after
            // each host call (the only code that can change them meanwhile).
            let mut metered = self.store.fuel.is_some();
            let mut max_depth = self.store.limits.max_call_depth as usize;
            // The running instance's memory 0, re-taken by `sync!` whenever the
            // instance or the memory may have changed.
            let mut mem = Mem0::of(self.store, inst);
            macro_rules! sync {
                () => {{
                    mem = Mem0::of(self.store, inst);
                }};
            }
            // Returns from the current frame: moves the results at `$base`
            // down to the frame pointer and resumes the caller, or stops at
            // the entry frame.
            macro_rules! ret {
                ($base:expr) => {{
                    let n = code.result_slots as usize;
                    let from = fp + $base as usize;
                    self.stack.slots.copy_within(from..from + n, fp);
                    self.stack.sp = fp + n;
                    match self.frames.pop() {
                        None => return Ok(()),
                        Some(f) => {
                            code = deref!(f.code.0);
                            self.pins.cut(self.frames.len() + 1);
                            pc = f.pc as usize;
                            fp = f.fp as usize;
                            inst = f.inst;
                            sync!();
                        }
                    }
                }};
            }
            // Calls the function at store address `$addr` with its
            // arguments at frame slot `$base`, as a tail call or not.
            macro_rules! call {
                ($addr:expr, $base:expr, $tail:expr) => {{
                    if metered {
                        t!(self.fuel());
                    }
                    // A lazy module's function is translated before it is
                    // entered (the handlers leave its calls here).
                    t!(crate::runtime::instantiate::translate_on_call(
                        self.store, $addr
                    ));
                    let callee = t!(self
                        .store
                        .funcs
                        .get($addr as usize)
                        .ok_or(Trap::InvalidReference));
                    let base = fp + $base as usize;
                    match callee {
                        FuncInst::Wasm {
                            code: callee,
                            instance: ci,
                            ..
                        } => {
                            let ci = *ci;
                            let callee = deref!(Arc::as_ptr(callee));
                            if $tail {
                                let n = callee.param_slots as usize;
                                self.stack.slots.copy_within(base..base + n, fp);
                                t!(self.enter(callee, fp));
                                self.pins.cut(self.frames.len());
                            } else {
                                if self.frames.len() >= max_depth {
                                    break 'run Trap::CallStackExhausted;
                                }
                                t!(self.enter(callee, base));
                                self.frames.push(Frame {
                                    code: CodePtr(code),
                                    pc: pc as u32,
                                    fp: fp as u32,
                                    inst,
                                });
                                fp = base;
                            }
                            code = callee;
                            pc = 0;
                            inst = ci;
                            sync!();
                        }
                        FuncInst::Host { ty, f } => {
                            let (ty, f) = (*ty, f.clone());
                            // The arguments on top of the stack, as the host
                            // call takes them; the results come back at `base`.
                            let n: usize = slots_of(&self.store.type_of(ty).params);
                            self.stack.sp = base + n;
                            // SAFETY: the frames' and the running code are alive
                            // (see `Pins`).
                            unsafe { self.pins.pin_all(&self.frames, code) };
                            t!(self.call_host(ty, &*f, inst));
                            metered = self.store.fuel.is_some();
                            max_depth = self.store.limits.max_call_depth as usize;
                            if $tail {
                                ret!($base);
                            } else {
                                mem = Mem0::of(self.store, inst);
                            }
                        }
                    }
                }};
            }
            // Takes branch target `$t` (moving its values), charging fuel
            // for a backward one.
            macro_rules! take {
                ($t:expr) => {{
                    let t: Target = $t;
                    if (t.to as usize) < pc {
                        t!(self.fuel());
                    }
                    self.take(fp, &t);
                    pc = t.to as usize;
                }};
            }
            // Unwinds to the innermost handler that catches exception `$exn`,
            // popping frames, or returns it to the host uncaught.
            macro_rules! throw {
                ($exn:expr) => {{
                    let exn = $exn as usize;
                    loop {
                        if let Some((height, c)) = self.find_catch(code, pc - 1, exn, inst) {
                            self.stack.sp = fp + height as usize;
                            if c.legacy {
                                self.stack.push(exn as u64 + 1);
                            }
                            if c.tag.is_some() {
                                for v in self.store.exns[exn].payload.iter() {
                                    self.stack.push(*v);
                                }
                            }
                            if c.with_ref && !c.legacy {
                                self.stack.push(exn as u64 + 1);
                            }
                            self.take(fp, &c.target);
                            pc = c.target.to as usize;
                            sync!();
                            break;
                        }
                        match self.frames.pop() {
                            None => {
                                self.store.thrown = Some(exn as u32);
                                break 'run Trap::UncaughtException;
                            }
                            Some(f) => {
                                code = deref!(f.code.0);
                                self.pins.cut(self.frames.len() + 1);
                                pc = f.pc as usize;
                                fp = f.fp as usize;
                                inst = f.inst;
                            }
                        }
                    }
                }};
            }
            loop {
                let mut regs = Regs {
                    code,
                    pc,
                    fp,
                    inst,
                    mem,
                };
                let stopped = self.threaded(&mut regs);
                code = deref!(regs.code);
                (pc, fp, inst, mem) = (regs.pc, regs.fp, regs.inst, regs.mem);
                if let Err(trap) = stopped {
                    // `regs` is at the op that trapped; `pc` is one past it
                    // everywhere else.
                    pc += 1;
                    break 'run trap;
                }
                let ops = code.ops.as_ptr();
                debug_assert!(pc < code.ops.len());
                // SAFETY: `ops` points at the running code's ops (taken just
                // above; `Pins` keeps that code alive), and `pc` names one of
                // them: it starts
                // at 0, and the translator's `in_bounds` check guarantees that
                // every branch target is below the length and that the last op
                // is `Return`, so stepping past an op that falls through stays
                // in range; saved and restored `pc`s follow a call op, which is
                // never last.
                let op = unsafe { &(*ops.add(pc)).op };
                pc += 1;
                match op {
                    Op::Unreachable => break 'run Trap::Unreachable,
                    // The handlers leave a return here when it goes back to
                    // the host; they have not moved the results.
                    Op::Return { base } => ret!(*base),
                    Op::Call { func, base } | Op::ReturnCall { func, base } => {
                        let addr = self.store.instances[inst as usize].funcs[*func as usize];
                        call!(addr, *base, matches!(op, Op::ReturnCall { .. }));
                    }
                    Op::CallIndirect {
                        ty,
                        base,
                        index,
                        table,
                    }
                    | Op::ReturnCallIndirect {
                        ty,
                        base,
                        index,
                        table,
                    } => {
                        let i = self.get(fp + *index as usize);
                        let addr = t!(self.indirect(inst, *ty, *table as u32, i));
                        call!(addr, *base, matches!(op, Op::ReturnCallIndirect { .. }));
                    }
                    Op::CallRef { base, r } | Op::ReturnCallRef { base, r } => {
                        let r = self.get(fp + *r as usize);
                        let addr =
                            t!(crate::value::decode_ref(r).ok_or(Trap::NullFunctionReference));
                        call!(addr, *base, matches!(op, Op::ReturnCallRef { .. }));
                    }
                    Op::BrOnNull { r, target } => {
                        if self.get(fp + *r as usize) == 0 {
                            take!(code.targets[*target as usize]);
                        }
                    }
                    Op::BrOnNonNull { r, target } => {
                        if self.get(fp + *r as usize) != 0 {
                            take!(code.targets[*target as usize]);
                        }
                    }
                    Op::Throw { tag, base } => {
                        let n: usize = {
                            let addr = self.store.instances[inst as usize].tags[*tag as usize];
                            let ty = self.store.tags[addr as usize];
                            slots_of(&self.store.type_of(ty).params)
                        };
                        self.stack.sp = fp + *base as usize + n;
                        let exn = t!(self.new_exception(inst, *tag));
                        throw!(exn);
                    }
                    // `rethrow` reads the exception its `catch` kept.
                    Op::Rethrow { off: r } | Op::ThrowRef { r } => {
                        let r = self.get(fp + *r as usize);
                        let exn =
                            t!(crate::value::decode_ref(r).ok_or(Trap::NullExceptionReference));
                        if exn as usize >= self.store.exns.len() {
                            break 'run Trap::InvalidReference;
                        }
                        throw!(exn);
                    }
                    Op::BrOnCast {
                        r,
                        target,
                        cast,
                        fail,
                    } => {
                        let rt = code.casts[*cast as usize];
                        let v = self.get(fp + *r as usize);
                        if crate::ops::gc::ref_test(self.store, inst, v, rt) != *fail {
                            take!(code.targets[*target as usize]);
                        }
                    }
                    Op::BrOnCastDesc {
                        r,
                        target,
                        cast,
                        fail,
                    } => {
                        let nullable = code.casts[*cast as usize].nullable;
                        let v = self.get(fp + *r as usize);
                        let desc = self.get(fp + *r as usize + 1);
                        let hit = t!(crate::ops::gc::desc_test(self.store, v, desc, nullable));
                        if hit != *fail {
                            take!(code.targets[*target as usize]);
                        }
                    }
                    Op::Gc { instr, top } => {
                        self.stack.sp = fp + *top as usize;
                        if !t!(crate::ops::gc::gc(self.store, &mut self.stack, inst, instr)) {
                            break 'run unimplemented(instr);
                        }
                        mem = Mem0::of(self.store, inst);
                    }
                    Op::Access { instr, top } => {
                        self.stack.sp = fp + *top as usize;
                        if !t!(crate::ops::access::access(
                            self.store,
                            &mut self.stack,
                            inst,
                            instr
                        )) {
                            break 'run unimplemented(instr);
                        }
                        mem = Mem0::of(self.store, inst);
                    }
                    // Every other op runs in the handlers, which execute it
                    // rather than leave it here (`threaded::left_to_run`):
                    // go back to them.
                    _ => {
                        debug_assert!(!threaded::left_to_run(op), "{op:?}");
                        pc -= 1;
                    }
                }
            }
        };
        if self.store.id == id {
            self.record_trap(code, pc, inst);
        }
        Err(trap)
    }

    /// Adds the frames a trap passed through to the store's backtrace:
    /// the running function at the op before `pc` in `code`, then every
    /// suspended caller at its call.
    #[cold]
    pub(super) fn record_trap(&mut self, code: &Code, pc: usize, inst: u32) {
        let here = (code as *const Code, pc, inst);
        let callers = self
            .frames
            .iter()
            .rev()
            .map(|f| (f.code.0, f.pc as usize, f.inst));
        for (code, pc, inst) in std::iter::once(here).chain(callers) {
            // SAFETY: `code` is the running code or a suspended caller's,
            // which `Pins` and the store's modules keep alive while `run`
            // runs (see `deref!` there).
            let code = unsafe { &*code };
            let op = pc.saturating_sub(1);
            let instr = code.instrs.get(op).copied().unwrap_or(0);
            let frame = self.store.trap_frame(inst, code.func, instr);
            self.store.trap_frames.push(frame);
        }
    }
}
