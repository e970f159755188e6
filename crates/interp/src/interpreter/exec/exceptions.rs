//! Exceptions at run time: a thrown exception is stored (bounded by the
//! store's limit) and the innermost handler range covering the throwing op
//! whose clause matches catches it (`find_catch`); `run`'s `throw!`
//! unwinds frames until one does.

use super::*;

impl Machine<'_> {
    /// Creates an exception of the instance's tag `tag` with the payload
    /// on top of the stack; its index.
    pub(super) fn new_exception(&mut self, inst: u32, tag: u32) -> Result<u32, Trap> {
        let addr = self.store.instances[inst as usize].tags[tag as usize];
        let ty = self.store.tags[addr as usize];
        let n: usize = slots_of(&self.store.type_of(ty).params);
        if self.store.exns.len() >= self.store.limits.max_exceptions as usize {
            return Err(Trap::TooManyExceptions);
        }
        let sp = self.stack.sp;
        let payload = self.stack.slots[sp - n..sp].into();
        self.stack.sp -= n;
        self.store.exns.push(ExnInst { tag: addr, payload });
        Ok(self.store.exns.len() as u32 - 1)
    }

    /// The innermost catch clause of `code` that covers op `at` and catches
    /// exception `exn`, with its handler's stack height.
    pub(super) fn find_catch(
        &self,
        code: &Code,
        at: usize,
        exn: usize,
        inst: u32,
    ) -> Option<(u32, CatchOp)> {
        let tag = self.store.exns[exn].tag;
        let tags = &self.store.instances[inst as usize].tags;
        let mut i = code.handlers.len();
        while i > 0 {
            i -= 1;
            let h = &code.handlers[i];
            if !(h.start as usize..h.end as usize).contains(&at) {
                continue;
            }
            if let Some(t) = h.delegate {
                // Continue the search at the delegated-to handler, or leave
                // the frame.
                if t == u32::MAX || t as usize >= i {
                    return None;
                }
                i = t as usize + 1;
                continue;
            }
            let found = h
                .catches
                .iter()
                .find(|c| c.tag.is_none_or(|t| tags[t as usize] == tag));
            if let Some(c) = found {
                return Some((h.height, *c));
            }
        }
        None
    }
}
