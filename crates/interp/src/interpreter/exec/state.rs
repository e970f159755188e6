//! The interpreter's state between and during calls: the value and frame
//! stacks (kept by the store between calls, so that a call allocates
//! nothing once they have grown), the frames as plain data, and the pins
//! that keep suspended callers' code alive. It depends on nothing but the
//! internal form, so the store can hold it without depending on the
//! executor.

use std::sync::Arc;

use crate::interpreter::ir::Code;
use crate::stack::Stack;

/// Stacks kept by the store between calls.
#[derive(Debug, Default)]
pub(crate) struct Stacks {
    pub stack: Stack,
    pub frames: Vec<Frame>,
}

/// A suspended caller. Plain data (no reference count, no drop), so that
/// the inner loop can keep the frame stack's depth in a register and write
/// and read frames in place (see `threaded`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub code: CodePtr,
    pub pc: u32,
    pub fp: u32,
    pub inst: u32,
}

/// The code of a suspended caller, by address: a frame holds no reference
/// count, so calls and returns make no atomic updates. `Machine::run`
/// keeps each such code alive (see `Pins`) and is the only one to follow
/// these pointers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CodePtr(pub *const Code);

// SAFETY: a `CodePtr` is only dereferenced by the `Machine::run` that made
// it, on the thread running it; one left in the store's spare stacks after
// a run is never read again (`run` clears the frames first).
unsafe impl Send for CodePtr {}
// SAFETY: as for `Send`: a shared `CodePtr` is never dereferenced.
unsafe impl Sync for CodePtr {}

/// Reference counts that keep alive code which the store might stop
/// holding: a host function gets `&mut Store` and could replace the whole
/// store.
///
/// The frames' codes and then the running code form one stack, the
/// running code at index `frames.len()`. `pinned[i]` keeps the code at
/// index `i` alive, for every `i < pinned.len() <= frames.len() + 1`.
/// Before each host call, `Machine::run` extends the pins to the whole
/// stack. A call pins nothing (the running code keeps its index as it
/// becomes a frame); a return or an unwind, after which index
/// `frames.len()` is the running code, cuts the pins to `frames.len() + 1`;
/// a tail call, which replaces the running code, cuts them to
/// `frames.len()`. Every code not pinned was taken from an `Arc` the store
/// holds (a function's, or an instance's `calls` entry) since the last host
/// call, and the store only ever adds functions and instances, so it is
/// alive too.
#[derive(Default)]
pub(crate) struct Pins {
    pub pinned: Vec<Arc<Code>>,
}

impl Pins {
    /// A new count for the code at `p`.
    ///
    /// # Safety
    /// `p` must come from `Arc::as_ptr` of an `Arc<Code>` still alive.
    pub unsafe fn pin(p: *const Code) -> Arc<Code> {
        // SAFETY: the caller guarantees `p` is an `Arc`'s, with a live count
        // that this increment adds to and `from_raw` takes over.
        unsafe {
            Arc::increment_strong_count(p);
            Arc::from_raw(p)
        }
    }

    /// Drops the pins at index `len` and above.
    #[inline(always)]
    pub fn cut(&mut self, len: usize) {
        self.pinned.truncate(len);
    }

    /// Pins every code of `frames` and `running` not yet pinned.
    ///
    /// # Safety
    /// Every code of `frames` from index `pinned.len()` on, and `running`,
    /// must be alive (as the type's invariant says they are).
    pub unsafe fn pin_all(&mut self, frames: &[Frame], running: *const Code) {
        let unpinned = frames.iter().map(|f| f.code.0).chain([running]);
        for p in unpinned.skip(self.pinned.len()) {
            // SAFETY: the caller guarantees these codes are alive.
            self.pinned.push(unsafe { Pins::pin(p) });
        }
    }
}
