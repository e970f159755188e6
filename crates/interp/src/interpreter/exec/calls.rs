//! Calls the handlers leave to the loop: host functions (arguments and
//! results between slots and values, re-entry bounded, pins around the
//! call since the host may replace the store) and `call_indirect`'s checks.

use super::*;

impl Machine<'_> {
    /// The store address of the function a `call_indirect` reaches at
    /// index `raw` (a slot of the table's address type).
    pub(super) fn indirect(
        &mut self,
        inst: u32,
        ty: u32,
        table: u32,
        raw: u64,
    ) -> Result<u32, Trap> {
        let data = &self.store.instances[inst as usize];
        let expected = data.types[ty as usize];
        let tab = &self.store.tables[data.tables[table as usize] as usize];
        let i = if tab.is64() { raw } else { raw as u32 as u64 };
        let r = usize::try_from(i)
            .ok()
            .and_then(|i| tab.elems.get(i))
            .ok_or(Trap::UndefinedElement)?;
        let addr = crate::value::decode_ref(*r).ok_or(Trap::UninitializedElement(i))?;
        let actual = self
            .store
            .funcs
            .get(addr as usize)
            .ok_or(Trap::InvalidReference)?
            .ty();
        if actual != expected && !self.store.registry.is_subtype(actual, expected) {
            return Err(Trap::IndirectCallTypeMismatch);
        }
        Ok(addr)
    }

    /// Calls a host function with the arguments on top of the stack. The
    /// argument and result vectors are the machine's, reused from call to
    /// call.
    pub(super) fn call_host(
        &mut self,
        ty: TypeId,
        f: &crate::runtime::store::HostFn,
        inst: u32,
    ) -> Result<(), Trap> {
        let mut args = std::mem::take(&mut self.host_args);
        let mut results = std::mem::take(&mut self.host_results);
        args.clear();
        results.clear();
        let fty = self.store.type_of(ty);
        let n: usize = slots_of(&fty.params);
        let mut at = self.stack.sp - n;
        for t in &fty.params {
            let t = self.store.resolve(*t);
            let lo = self.stack.slots[at];
            let hi = if slots(t) == 2 {
                self.stack.slots[at + 1]
            } else {
                0
            };
            at += slots(t) as usize;
            args.push(Value::from_slots(t, lo, hi));
        }
        results.extend(
            fty.results
                .iter()
                .map(|t| Value::default_for(self.store.resolve(*t))),
        );
        self.stack.sp -= n;
        if self.store.depth >= MAX_REENTRY {
            return Err(Trap::CallStackExhausted);
        }
        let id = self.store.id;
        self.store.depth += 1;
        let frames = self.store.trap_frames.len();
        let r = f(
            &mut Caller {
                store: self.store,
                instance: Some(Instance(inst)),
            },
            &args,
            &mut results,
        );
        kept(self.store, id)?;
        self.store.depth -= 1;
        if r.is_ok() {
            // A trap the host function caught is not this call's.
            self.store.trap_frames.truncate(frames);
        }
        r?;
        let need = self.stack.sp + results.len() * 2;
        if need > self.stack.slots.len() {
            self.stack.slots.resize(need, 0);
        }
        let fty = self.store.type_of(ty);
        for (v, t) in results.iter().zip(&fty.results) {
            let t = self.store.resolve(*t);
            if !v.has_type(t) {
                return Err(Trap::Host(
                    "host function returned a value of the wrong type".into(),
                ));
            }
            let (lo, hi) = v.to_slots();
            self.stack.push(lo);
            if t == ValType::V128 {
                self.stack.push(hi);
            }
        }
        self.host_args = args;
        self.host_results = results;
        Ok(())
    }
}
