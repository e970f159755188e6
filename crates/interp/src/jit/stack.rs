//! The compiler's abstract value stack and register allocator.
//!
//! While translating, the compiler does not emit a push or pop per
//! instruction: each operand stack entry says where its value is — a
//! constant, a local not yet read, a register, or its home slot in the
//! frame — and code is emitted only when an instruction needs the value in
//! a particular place ("lazy materialization"). Registers come from a free
//! set; when none is free, the entry deepest in the stack that holds one is
//! spilled to its slot.
//!
//! Every entry has a fixed home slot: its depth in 64-bit slots (a `v128`
//! takes two). At control-flow merges (block, loop and `if` entries,
//! branches, `end`) the stack is brought to a canonical state that every
//! path agrees on: entries below the block in their slots or constants,
//! carried values in their slots (`flush`, `spill_top`). Before a call,
//! registers are spilled (`spill_regs`), since callees clobber them.
//!
//! Locals live in their frame slots, but the stack also keeps a
//! write-through *cache* of them in registers (Liftoff's idea): a register
//! may hold a copy of a local's current value, so that reading the local
//! is a register move (or the register itself, for an operand that is only
//! read) rather than a load that waits on the store just before it. The
//! frame slot stays current (every `local.set` stores), so a cached copy is
//! dropped at no cost: when a register is needed and none is free, before
//! a call (which clobbers them all), at a merge whose paths disagree. A
//! block records the cache at its start ([`Cache`]); every path into its
//! label brings the registers to that state ([`ValueStack::conform`]:
//! moves between registers, or loads from the slots, which are current),
//! so that after the merge the block's starting cache holds again. A loop
//! may load the locals its body reads most before its head
//! ([`ValueStack::preload`]), so that its iterations find them there.
//!
//! The stack emits nothing itself: it asks an [`Emitter`] to move values
//! between places, so that its logic is tested without an assembler (see
//! the tests below).

/// A register number in x86-64's encoding (0 = rax / xmm0 ... 15).
pub(crate) type Reg = u8;

/// Where a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loc {
    /// A constant (a one-slot value's bits).
    Const(u64),
    /// The current value of a local, not yet read.
    Local(u32),
    /// A general-purpose register.
    Gpr(Reg),
    /// An SSE register.
    Xmm(Reg),
    /// The entry's home slot.
    Slot,
}

/// An operand stack entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where the value is.
    pub loc: Loc,
    /// Its home slot (the stack depth in slots below it).
    pub slot: u32,
    /// Whether it is a `v128` (two slots; always in an SSE register, its
    /// slot or a local).
    pub wide: bool,
}

/// A place a value can be moved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dst {
    /// A general-purpose register.
    Gpr(Reg),
    /// An SSE register.
    Xmm(Reg),
    /// A frame slot (by index).
    Slot(u32),
    /// A local.
    Local(u32),
}

/// What the stack asks of the code generator.
pub(crate) trait Emitter {
    /// Moves a value (of two slots if `wide`) from `src` (whose home slot,
    /// for `Loc::Slot`, is `slot`) to `dst`. Must not change the flags.
    fn mov(&mut self, dst: Dst, src: Loc, slot: u32, wide: bool);
}

/// The general-purpose registers values live in: every one but rax, rcx,
/// rdx and r11 (scratch registers of single instructions: division,
/// shifts, address computation), rsp, rbp and r15 (the VM context).
pub(crate) const GPRS: [Reg; 9] = [3, 6, 7, 8, 9, 10, 12, 13, 14];
/// The SSE registers values live in: xmm1 to xmm14 (xmm0 and xmm15 are
/// scratch).
pub(crate) const XMMS: [Reg; 14] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

/// No local (an uncached register).
const NONE: u32 = u32::MAX;

/// `Loc::Local(GLOBAL | g)` is global `g`'s current value, cached as
/// locals are; unlike a local's, a call may change it (before a call,
/// such entries are spilled).
pub(crate) const GLOBAL: u32 = 1 << 31;

/// `Loc::Local(MEM0_BASE)` is memory 0's base address (read from the
/// context, never written by compiled code), cached in a register as
/// locals are; a call (which may grow or move the memory) drops it with
/// every cached local, and merges conform to it as to any.
pub(crate) const MEM0_BASE: u32 = u32::MAX - 1;

/// Which local each register holds a copy of ([`NONE`]: none), by
/// register number: the write-through cache of locals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cache {
    gpr: [u32; 16],
    xmm: [u32; 16],
    /// The registers holding a local, by bit (general-purpose ones, then
    /// SSE ones from bit 16): lookups visit only those.
    held: u32,
}

impl Cache {
    /// No local cached.
    pub const EMPTY: Cache = Cache {
        gpr: [NONE; 16],
        xmm: [NONE; 16],
        held: 0,
    };

    /// Where local `l` is cached, if it is. (Asked for every operand that
    /// reads a local: only the registers holding one are looked at.)
    pub fn find(&self, l: u32) -> Option<Loc> {
        let mut m = self.held;
        while m != 0 {
            let i = m.trailing_zeros() as usize;
            if i < 16 {
                if self.gpr[i] == l {
                    return Some(Loc::Gpr(i as Reg));
                }
            } else if self.xmm[i - 16] == l {
                return Some(Loc::Xmm((i - 16) as Reg));
            }
            m &= m - 1;
        }
        None
    }

    /// Every (register, local) pair.
    fn pairs(&self) -> impl Iterator<Item = (Loc, u32)> + '_ {
        let g = Bits(self.mask(false)).map(|r| (Loc::Gpr(r), self.gpr[r as usize]));
        let x = Bits(self.mask(true)).map(|r| (Loc::Xmm(r), self.xmm[r as usize]));
        g.chain(x)
    }

    /// The local register `r` holds.
    fn at(&self, r: Loc) -> u32 {
        match r {
            Loc::Gpr(r) => self.gpr[r as usize],
            Loc::Xmm(r) => self.xmm[r as usize],
            _ => NONE,
        }
    }

    fn set(&mut self, r: Loc, l: u32) {
        let (lane, bit) = match r {
            Loc::Gpr(r) => (&mut self.gpr[r as usize], 1u32 << r),
            Loc::Xmm(r) => (&mut self.xmm[r as usize], 1u32 << (16 + r)),
            _ => return,
        };
        *lane = l;
        if l == NONE {
            self.held &= !bit;
        } else {
            self.held |= bit;
        }
    }

    /// The registers of one bank holding a local, by bit.
    fn mask(&self, xmm: bool) -> u16 {
        if xmm {
            (self.held >> 16) as u16
        } else {
            self.held as u16
        }
    }
}

/// The set bits of a register mask, lowest first, as register numbers.
struct Bits(u16);

impl Iterator for Bits {
    type Item = Reg;

    fn next(&mut self) -> Option<Reg> {
        if self.0 == 0 {
            return None;
        }
        let r = self.0.trailing_zeros() as Reg;
        self.0 &= self.0 - 1;
        Some(r)
    }
}

/// The abstract operand stack of the function being compiled.
#[derive(Debug)]
pub(crate) struct ValueStack {
    entries: Vec<Entry>,
    /// Free general-purpose registers, by bit (neither an entry's nor a
    /// cached local's).
    free_gpr: u16,
    /// Free SSE registers, by bit.
    free_xmm: u16,
    /// The locals cached in registers.
    cache: Cache,
    /// Cached registers [`ValueStack::read_gpr`]/[`ValueStack::read_xmm`]
    /// handed out for the instruction being translated: not dropped to
    /// make room until [`ValueStack::unpin`].
    pinned_gpr: u16,
    pinned_xmm: u16,
    /// The most slots the stack ever took.
    pub max_slots: u32,
}

impl Default for ValueStack {
    fn default() -> ValueStack {
        ValueStack::new()
    }
}

fn mask(regs: &[Reg]) -> u16 {
    regs.iter().fold(0, |m, r| m | 1 << r)
}

impl ValueStack {
    /// An empty stack with every register free.
    pub fn new() -> ValueStack {
        ValueStack {
            entries: Vec::new(),
            free_gpr: mask(&GPRS),
            free_xmm: mask(&XMMS),
            cache: Cache::EMPTY,
            pinned_gpr: 0,
            pinned_xmm: 0,
            max_slots: 0,
        }
    }

    /// Lets the cached registers read by the last instruction be dropped
    /// again.
    pub fn unpin(&mut self) {
        self.pinned_gpr = 0;
        self.pinned_xmm = 0;
    }

    /// Where a value at `loc` can be read: a cached local's register, else
    /// `loc` itself.
    pub fn src(&self, loc: Loc) -> Loc {
        match loc {
            Loc::Local(l) => self.cache.find(l).unwrap_or(loc),
            _ => loc,
        }
    }

    /// The cache as it is now (a block's starting state).
    pub fn cache(&self) -> Cache {
        self.cache
    }

    /// Forgets the cached copy of local `l`, if any (its register is
    /// free again).
    pub fn uncache(&mut self, l: u32) {
        if let Some(r) = self.cache.find(l) {
            self.cache.set(r, NONE);
            self.free(r);
        }
    }

    /// Makes register `r`, which the caller owns and which holds local
    /// `l`'s current value, its cached copy.
    pub fn cache_local(&mut self, l: u32, r: Loc) {
        self.uncache(l);
        self.cache.set(r, l);
    }

    /// Takes register `r` for the caller if no entry holds it: a free
    /// register, or a cached copy (dropped; its slot is current). Whether
    /// it could.
    pub fn claim(&mut self, r: Loc) -> bool {
        let l = self.cache.at(r);
        if l != NONE {
            self.uncache(l);
        }
        match r {
            Loc::Gpr(x) if self.free_gpr & (1 << x) != 0 => self.free_gpr &= !(1 << x),
            Loc::Xmm(x) if self.free_xmm & (1 << x) != 0 => self.free_xmm &= !(1 << x),
            _ => return false,
        }
        true
    }

    /// Forgets every cached local (their registers are clobbered, or a
    /// merge does not keep them).
    pub fn clear_cache(&mut self) {
        self.cache = Cache::EMPTY;
        self.recompute_free();
    }

    /// Takes `c` as the cache (after [`ValueStack::conform`] brought the
    /// registers to it, or at a label every path into which did). The
    /// registers of `c` must not be held by entries.
    pub fn set_cache(&mut self, c: Cache) {
        self.cache = c;
        self.recompute_free();
    }

    fn recompute_free(&mut self) {
        let (mut g, mut x) = (mask(&GPRS), mask(&XMMS));
        for e in &self.entries {
            match e.loc {
                Loc::Gpr(r) => g &= !(1 << r),
                Loc::Xmm(r) => x &= !(1 << r),
                _ => {}
            }
        }
        self.free_gpr = g & !self.cache.mask(false);
        self.free_xmm = x & !self.cache.mask(true);
    }

    /// Moves values into registers so that the cache `to` holds, from the
    /// cache `from` (the registers as they are): each register of `to`
    /// takes its local from the register of `from` that has it, or from
    /// its slot. A parallel move: a register is written only once no move
    /// still reads it; in a cycle, the moves reading a register written
    /// first load from the slot instead (which is current). Only `to`'s registers are written.
    pub fn conform(from: &Cache, to: &Cache, e: &mut impl Emitter) {
        if from == to {
            return;
        }
        // At most one move per register: an array, not a heap allocation
        // (this runs at every branch and block end), each move as its
        // destination's register number (SSE ones from 16), its source's
        // (`SLOT`: its local's slot) and the local, with how many moves
        // read each register (a move is ready when none reads its
        // destination).
        const SLOT: u8 = u8::MAX;
        let key = |l: Loc| match l {
            Loc::Gpr(r) => r,
            Loc::Xmm(r) => 16 + r,
            _ => SLOT,
        };
        let mut buf = [(0u8, 0u8, 0u32); 32];
        let mut reads = [0u8; 32];
        let mut n = 0;
        for (r, l) in to.pairs() {
            if from.at(r) != l {
                let src = from.find(l).map_or(SLOT, key);
                if src != SLOT {
                    reads[src as usize] += 1;
                }
                buf[n] = (key(r), src, l);
                n += 1;
            }
        }
        while n > 0 {
            let ready = buf[..n].iter().position(|p| reads[p.0 as usize] == 0);
            // In a cycle, any move goes first: those reading the register
            // it writes read their locals' slots instead. (Removed as
            // `Vec::swap_remove` does: the last takes its place.)
            let i = ready.unwrap_or(0);
            let (d, s, l) = buf[i];
            if s != SLOT {
                reads[s as usize] -= 1;
            }
            n -= 1;
            buf[i] = buf[n];
            for p in &mut buf[..n] {
                if p.1 == d {
                    p.1 = SLOT;
                }
            }
            reads[d as usize] = 0;
            let (dst, s) = (
                if d < 16 {
                    Dst::Gpr(d)
                } else {
                    Dst::Xmm(d - 16)
                },
                match s {
                    SLOT => Loc::Local(l),
                    s if s < 16 => Loc::Gpr(s),
                    s => Loc::Xmm(s - 16),
                },
            );
            e.mov(dst, s, 0, false);
        }
    }

    /// Whether the registers as cache `from` has them already hold
    /// everything cache `to` wants (no move is needed to go from one to
    /// the other).
    pub fn covers(from: &Cache, to: &Cache) -> bool {
        to.pairs().all(|(r, l)| from.at(r) == l)
    }

    /// Loads locals `want` (each with whether it goes to an SSE register)
    /// into free registers and caches them, those not cached yet, as long
    /// as `keep_gpr`/`keep_xmm` registers stay free.
    pub fn preload(
        &mut self,
        want: &[(u32, bool)],
        keep_gpr: u32,
        keep_xmm: u32,
        e: &mut impl Emitter,
    ) {
        for &(l, xmm) in want {
            if self.cache.find(l).is_some() {
                continue;
            }
            let r = if xmm {
                if self.free_xmm.count_ones() <= keep_xmm {
                    continue;
                }
                let r = self.free_xmm.trailing_zeros() as Reg;
                self.free_xmm &= !(1 << r);
                e.mov(Dst::Xmm(r), Loc::Local(l), 0, false);
                Loc::Xmm(r)
            } else {
                if self.free_gpr.count_ones() <= keep_gpr {
                    continue;
                }
                let r = self.free_gpr.trailing_zeros() as Reg;
                self.free_gpr &= !(1 << r);
                e.mov(Dst::Gpr(r), Loc::Local(l), 0, false);
                Loc::Gpr(r)
            };
            self.cache.set(r, l);
        }
    }

    /// The height in slots.
    pub fn height(&self) -> u32 {
        self.entries
            .last()
            .map_or(0, |e| e.slot + if e.wide { 2 } else { 1 })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries, bottom first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry `k` from the top (0 is the top).
    pub fn peek(&self, k: usize) -> Option<&Entry> {
        self.entries
            .len()
            .checked_sub(k + 1)
            .map(|i| &self.entries[i])
    }

    /// Pushes a value at `loc` (a register it now owns).
    pub fn push(&mut self, loc: Loc, wide: bool) {
        let slot = self.height();
        self.entries.push(Entry { loc, slot, wide });
        self.max_slots = self.max_slots.max(self.height());
    }

    /// Pops the top entry; a register it held stays taken until
    /// [`ValueStack::free`].
    pub fn pop(&mut self) -> Entry {
        self.entries
            .pop()
            .expect("validated code never pops an empty stack")
    }

    /// Returns a register to the free set (other locations are ignored).
    pub fn free(&mut self, loc: Loc) {
        match loc {
            Loc::Gpr(r) => self.free_gpr |= 1 << r,
            Loc::Xmm(r) => self.free_xmm |= 1 << r,
            _ => {}
        }
    }

    /// A free general-purpose register, spilling the deepest entry in one
    /// if none is free. The caller owns it (push it or free it).
    pub fn alloc_gpr(&mut self, e: &mut impl Emitter) -> Reg {
        if self.free_gpr == 0 {
            let m = self.cache.mask(false) & !self.pinned_gpr;
            if m != 0 {
                // A cached copy goes first: dropping it costs nothing.
                let r = m.trailing_zeros() as Reg;
                self.cache.set(Loc::Gpr(r), NONE);
                return r;
            }
            let i = self
                .entries
                .iter()
                .position(|x| matches!(x.loc, Loc::Gpr(_)))
                .expect("nine registers are held by stack entries");
            self.spill_entry(i, e);
        }
        let r = self.free_gpr.trailing_zeros() as Reg;
        self.free_gpr &= !(1 << r);
        r
    }

    /// A free SSE register, spilling as [`ValueStack::alloc_gpr`] does.
    pub fn alloc_xmm(&mut self, e: &mut impl Emitter) -> Reg {
        if self.free_xmm == 0 {
            let m = self.cache.mask(true) & !self.pinned_xmm;
            if m != 0 {
                let r = m.trailing_zeros() as Reg;
                self.cache.set(Loc::Xmm(r), NONE);
                return r;
            }
            let i = self
                .entries
                .iter()
                .position(|x| matches!(x.loc, Loc::Xmm(_)))
                .expect("fourteen registers are held by stack entries");
            self.spill_entry(i, e);
        }
        let r = self.free_xmm.trailing_zeros() as Reg;
        self.free_xmm &= !(1 << r);
        r
    }

    /// Moves entry `i` to its home slot (if it is not there or a constant
    /// kept as such).
    fn spill_entry(&mut self, i: usize, e: &mut impl Emitter) {
        let x = self.entries[i];
        if x.loc != Loc::Slot {
            e.mov(Dst::Slot(x.slot), self.src(x.loc), x.slot, x.wide);
            self.free(x.loc);
            self.entries[i].loc = Loc::Slot;
        }
    }

    /// Puts a popped entry's value in a general-purpose register the
    /// caller then owns.
    pub fn in_gpr(&mut self, x: Entry, e: &mut impl Emitter) -> Reg {
        if let Loc::Gpr(r) = x.loc {
            return r;
        }
        let src = self.src(x.loc);
        let r = self.alloc_gpr(e);
        if src != Loc::Gpr(r) {
            e.mov(Dst::Gpr(r), src, x.slot, x.wide);
        }
        self.free(x.loc);
        r
    }

    /// Puts a popped entry's value in a general-purpose register to be
    /// read only: a cached local's own register, else as
    /// [`ValueStack::in_gpr`]. Returns it and whether the caller owns it
    /// (and must free it); a cached register stays pinned (no allocation
    /// takes it) until [`ValueStack::unpin`].
    pub fn read_gpr(&mut self, x: Entry, e: &mut impl Emitter) -> (Reg, bool) {
        match self.src(x.loc) {
            Loc::Gpr(r) if x.loc != Loc::Gpr(r) => {
                self.pinned_gpr |= 1 << r;
                (r, false)
            }
            _ => (self.in_gpr(x, e), true),
        }
    }

    /// [`ValueStack::read_gpr`] for an SSE register.
    pub fn read_xmm(&mut self, x: Entry, e: &mut impl Emitter) -> (Reg, bool) {
        match self.src(x.loc) {
            Loc::Xmm(r) if x.loc != Loc::Xmm(r) => {
                self.pinned_xmm |= 1 << r;
                (r, false)
            }
            _ => (self.in_xmm(x, e), true),
        }
    }

    /// A register holding local `l`'s current value (typically a
    /// pseudo-local such as [`MEM0_BASE`]) to be read only: its cached
    /// copy, else loaded and cached now; pinned until
    /// [`ValueStack::unpin`].
    pub fn cached_gpr(&mut self, l: u32, e: &mut impl Emitter) -> Reg {
        if let Some(Loc::Gpr(r)) = self.cache.find(l) {
            self.pinned_gpr |= 1 << r;
            return r;
        }
        self.uncache(l);
        let r = self.alloc_gpr(e);
        e.mov(Dst::Gpr(r), Loc::Local(l), 0, false);
        self.cache.set(Loc::Gpr(r), l);
        self.pinned_gpr |= 1 << r;
        r
    }

    /// Puts a popped entry's value in an SSE register the caller then owns.
    pub fn in_xmm(&mut self, x: Entry, e: &mut impl Emitter) -> Reg {
        if let Loc::Xmm(r) = x.loc {
            return r;
        }
        let src = self.src(x.loc);
        let r = self.alloc_xmm(e);
        if src != Loc::Xmm(r) {
            e.mov(Dst::Xmm(r), src, x.slot, x.wide);
        }
        self.free(x.loc);
        r
    }

    /// Spills every entry held in a register or reading a global and
    /// forgets the cached locals (before a call, which clobbers every
    /// register and may change globals).
    pub fn spill_regs(&mut self, e: &mut impl Emitter) {
        for i in 0..self.entries.len() {
            let l = self.entries[i].loc;
            if matches!(l, Loc::Gpr(_) | Loc::Xmm(_)) || matches!(l, Loc::Local(g) if g >= GLOBAL) {
                self.spill_entry(i, e);
            }
        }
        // No entry holds a register now: every one is free (what
        // `clear_cache` would find, without a second pass over the stack).
        self.cache = Cache::EMPTY;
        self.free_gpr = mask(&GPRS);
        self.free_xmm = mask(&XMMS);
    }

    /// Moves every entry whose value is a local's to its slot, or only
    /// those of local `only` (before that local is written).
    pub fn spill_locals(&mut self, only: Option<u32>, e: &mut impl Emitter) {
        for i in 0..self.entries.len() {
            if let Loc::Local(l) = self.entries[i].loc
                && only.is_none_or(|o| o == l)
            {
                self.spill_entry(i, e);
            }
        }
    }

    /// The canonical state of a merge: every entry in its slot except
    /// constants below the top `keep_top` entries, which stay constants
    /// (no path can change them).
    pub fn flush(&mut self, keep_top: usize, e: &mut impl Emitter) {
        let n = self.entries.len();
        for i in 0..n {
            let x = self.entries[i];
            let carried = i + keep_top >= n;
            if x.loc != Loc::Slot && (carried || !matches!(x.loc, Loc::Const(_))) {
                self.spill_entry(i, e);
            }
        }
    }

    /// Moves the top `n` entries' values to the slots from `base` on, as a
    /// branch to a label of height `base` carrying `n` values needs; the
    /// stack itself is left as it was (the branch may not be taken).
    /// Returns whether anything moved.
    pub fn copy_top_to(&mut self, n: usize, base: u32, e: &mut impl Emitter) -> bool {
        let len = self.entries.len();
        let mut at = base;
        let mut moved = false;
        // Bottom-up: each destination is at or below its source's slot and
        // above every destination already written, so no value is
        // overwritten before it is read.
        for x in &self.entries[len - n..] {
            if !(x.loc == Loc::Slot && x.slot == at) {
                e.mov(Dst::Slot(at), self.src(x.loc), x.slot, x.wide);
                moved = true;
            }
            at += if x.wide { 2 } else { 1 };
        }
        self.max_slots = self.max_slots.max(at);
        moved
    }

    /// Whether the top `n` entries are already where a branch to a label
    /// of height `base` wants them.
    pub fn top_in_place(&self, n: usize, base: u32) -> bool {
        let len = self.entries.len();
        let mut at = base;
        self.entries[len - n..].iter().all(|x| {
            let ok = x.loc == Loc::Slot && x.slot == at;
            at += if x.wide { 2 } else { 1 };
            ok
        })
    }

    /// Cuts the stack to `len` entries, freeing their registers.
    pub fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            let x = self.pop();
            self.free(x.loc);
        }
    }

    /// Replaces the stack by `saved` (a state recorded at a merge point,
    /// whose entries hold no registers), freeing every register; the
    /// cache is empty (see [`ValueStack::set_cache`]).
    pub fn reset(&mut self, saved: &[Entry]) {
        self.cache = Cache::EMPTY;
        self.truncate(0);
        debug_assert!(
            saved
                .iter()
                .all(|x| !matches!(x.loc, Loc::Gpr(_) | Loc::Xmm(_)))
        );
        self.entries.extend_from_slice(saved);
        self.recompute_free();
    }

    /// Pushes `widths.len()` values in their slots (a label's values after
    /// a merge, or a call's results).
    pub fn push_slots(&mut self, wide: impl IntoIterator<Item = bool>) {
        for w in wide {
            self.push(Loc::Slot, w);
        }
    }

    /// Whether every register is free (no entry holds one, no local is
    /// cached).
    #[cfg(test)]
    fn all_free(&self) -> bool {
        self.free_gpr == mask(&GPRS) && self.free_xmm == mask(&XMMS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the moves asked for.
    #[derive(Default)]
    struct Rec(Vec<(Dst, Loc, u32)>);

    impl Emitter for Rec {
        fn mov(&mut self, dst: Dst, src: Loc, slot: u32, _wide: bool) {
            self.0.push((dst, src, slot));
        }
    }

    #[test]
    fn slots_follow_widths() {
        let mut s = ValueStack::new();
        s.push(Loc::Const(1), false);
        s.push(Loc::Slot, true);
        s.push(Loc::Const(2), false);
        let slots: Vec<u32> = s.entries().iter().map(|e| e.slot).collect();
        assert_eq!(slots, [0, 1, 3]);
        assert_eq!(s.height(), 4);
        assert_eq!(s.max_slots, 4);
    }

    #[test]
    fn allocation_spills_the_deepest_register_when_none_is_free() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        let mut regs = Vec::new();
        for _ in 0..GPRS.len() {
            let r = s.alloc_gpr(&mut e);
            s.push(Loc::Gpr(r), false);
            regs.push(r);
        }
        assert!(e.0.is_empty(), "nine registers without a spill");
        let mut distinct = regs.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), GPRS.len());
        // The tenth spills entry 0 (the deepest) and reuses its register.
        let r = s.alloc_gpr(&mut e);
        assert_eq!(e.0, vec![(Dst::Slot(0), Loc::Gpr(regs[0]), 0)]);
        assert_eq!(r, regs[0]);
        assert_eq!(s.entries()[0].loc, Loc::Slot);
        s.push(Loc::Gpr(r), false);
        // The next spills entry 1, not the spilled entry 0.
        let r2 = s.alloc_gpr(&mut e);
        assert_eq!(e.0[1], (Dst::Slot(1), Loc::Gpr(regs[1]), 1));
        assert_eq!(r2, regs[1]);
        s.free(Loc::Gpr(r2));
        s.truncate(0);
        assert!(s.all_free());
    }

    #[test]
    fn a_cached_pseudo_local_is_loaded_once_kept_pinned_and_dropped_by_a_call() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        let r = s.cached_gpr(MEM0_BASE, &mut e);
        assert_eq!(e.0, vec![(Dst::Gpr(r), Loc::Local(MEM0_BASE), 0)]);
        // Read again: the same register, no second load.
        s.unpin();
        assert_eq!(s.cached_gpr(MEM0_BASE, &mut e), r);
        assert_eq!(e.0.len(), 1);
        // Pinned, it survives every other register being taken: the
        // allocations past the free ones spill entries instead.
        for _ in 0..GPRS.len() {
            let x = s.alloc_gpr(&mut e);
            assert_ne!(x, r, "the pinned base is not handed out");
            s.push(Loc::Gpr(x), false);
        }
        assert_eq!(s.cache().find(MEM0_BASE), Some(Loc::Gpr(r)));
        // A merge that wants it where it is needs no move; one whose
        // registers lost it reloads it from the context.
        let want = s.cache();
        assert!(ValueStack::covers(&s.cache(), &want));
        let mut m = Rec::default();
        ValueStack::conform(&Cache::EMPTY, &want, &mut m);
        assert_eq!(m.0, vec![(Dst::Gpr(r), Loc::Local(MEM0_BASE), 0)]);
        // A call forgets it with the locals.
        s.spill_regs(&mut e);
        assert_eq!(s.cache().find(MEM0_BASE), None);
        s.unpin();
        s.truncate(0);
        assert!(s.all_free());
    }

    #[test]
    fn materializing_frees_the_source_register() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        let x = s.alloc_xmm(&mut e);
        s.push(Loc::Xmm(x), false);
        let top = s.pop();
        let r = s.in_gpr(top, &mut e);
        assert_eq!(e.0, vec![(Dst::Gpr(r), Loc::Xmm(x), 0)]);
        s.free(Loc::Gpr(r));
        assert!(s.all_free());
    }

    #[test]
    fn flush_keeps_constants_below_the_carried_values() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        s.push(Loc::Const(7), false); // below: stays a constant
        s.push(Loc::Local(0), false); // below: a local may change, spilled
        let r = s.alloc_gpr(&mut e);
        s.push(Loc::Gpr(r), false); // below: spilled
        s.push(Loc::Const(9), false); // carried: spilled
        s.flush(1, &mut e);
        assert_eq!(
            e.0,
            vec![
                (Dst::Slot(1), Loc::Local(0), 1),
                (Dst::Slot(2), Loc::Gpr(r), 2),
                (Dst::Slot(3), Loc::Const(9), 3),
            ]
        );
        let locs: Vec<Loc> = s.entries().iter().map(|e| e.loc).collect();
        assert_eq!(locs, [Loc::Const(7), Loc::Slot, Loc::Slot, Loc::Slot]);
        assert!(s.all_free());
    }

    #[test]
    fn branch_copies_move_values_down_bottom_up() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        // A label at height 1 carrying two values, from height 5.
        s.push(Loc::Slot, false); // 0: below the label
        s.push(Loc::Slot, false); // 1: discarded by the branch
        s.push(Loc::Slot, false); // 2: discarded
        s.push(Loc::Slot, false); // 3: carried, to slot 1
        let r = s.alloc_gpr(&mut e);
        s.push(Loc::Gpr(r), false); // 4: carried, to slot 2
        assert!(!s.top_in_place(2, 1));
        assert!(s.copy_top_to(2, 1, &mut e));
        assert_eq!(
            e.0,
            vec![(Dst::Slot(1), Loc::Slot, 3), (Dst::Slot(2), Loc::Gpr(r), 4)]
        );
        // The stack is unchanged (the branch may fall through).
        assert_eq!(s.len(), 5);
        assert_eq!(s.peek(0).map(|e| e.loc), Some(Loc::Gpr(r)));
        // Values already in place move nowhere.
        let mut e = Rec::default();
        s.truncate(2);
        assert!(s.top_in_place(1, 1));
        assert!(!s.copy_top_to(1, 1, &mut e));
        assert!(e.0.is_empty());
    }

    #[test]
    fn wide_values_move_as_one() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        s.push(Loc::Slot, false);
        let x = s.alloc_xmm(&mut e);
        s.push(Loc::Xmm(x), true);
        s.copy_top_to(1, 0, &mut e);
        assert_eq!(e.0, vec![(Dst::Slot(0), Loc::Xmm(x), 1)]);
        assert_eq!(s.max_slots, 3);
    }

    #[test]
    fn spill_locals_only_touches_the_local_written() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        s.push(Loc::Local(0), false);
        s.push(Loc::Local(1), false);
        s.push(Loc::Local(0), false);
        s.spill_locals(Some(0), &mut e);
        assert_eq!(
            e.0,
            vec![
                (Dst::Slot(0), Loc::Local(0), 0),
                (Dst::Slot(2), Loc::Local(0), 2)
            ]
        );
        assert_eq!(s.entries()[1].loc, Loc::Local(1));
    }

    #[test]
    fn a_cached_local_is_read_from_its_register() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        // local.get 3; i32.const 1; i32.add; local.set 3: the sum's
        // register becomes local 3's copy.
        let r = s.in_gpr(
            Entry {
                loc: Loc::Local(3),
                slot: 0,
                wide: false,
            },
            &mut e,
        );
        s.cache_local(3, Loc::Gpr(r));
        assert_eq!(s.src(Loc::Local(3)), Loc::Gpr(r));
        assert_eq!(s.src(Loc::Local(4)), Loc::Local(4));
        // A read-only use takes the register itself, not owned.
        s.push(Loc::Local(3), false);
        let x = s.pop();
        assert_eq!(s.read_gpr(x, &mut e), (r, false));
        // An owned use copies it into another register.
        s.push(Loc::Local(3), false);
        let x = s.pop();
        let r2 = s.in_gpr(x, &mut e);
        assert_ne!(r2, r);
        assert_eq!(e.0.last(), Some(&(Dst::Gpr(r2), Loc::Gpr(r), 0)));
        // Spilling a local's entry stores from the register.
        s.push(Loc::Local(3), false);
        s.flush(0, &mut e);
        assert_eq!(e.0.last(), Some(&(Dst::Slot(0), Loc::Gpr(r), 0)));
        s.truncate(0);
        s.free(Loc::Gpr(r2));
        // A call forgets the cache: every register is free again.
        s.spill_regs(&mut e);
        assert_eq!(s.src(Loc::Local(3)), Loc::Local(3));
        assert!(s.all_free());
    }

    #[test]
    fn a_cached_register_is_taken_before_anything_spills() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        s.preload(&[(0, false), (1, false)], 0, 0, &mut e);
        assert_eq!(e.0.len(), 2, "two loads");
        let c0 = match s.src(Loc::Local(0)) {
            Loc::Gpr(r) => r,
            l => panic!("local 0 not cached: {l:?}"),
        };
        // Seven free registers, then the cached ones, then spills.
        for _ in 0..GPRS.len() - 2 {
            let r = s.alloc_gpr(&mut e);
            s.push(Loc::Gpr(r), false);
        }
        let before = e.0.len();
        let r = s.alloc_gpr(&mut e);
        assert_eq!(e.0.len(), before, "no spill for a cached register");
        assert_eq!(r, c0);
        assert_eq!(s.src(Loc::Local(0)), Loc::Local(0));
        s.push(Loc::Gpr(r), false);
        s.alloc_gpr(&mut e);
        let r = s.alloc_gpr(&mut e);
        assert_eq!(e.0.len(), before + 1, "then the deepest entry spills");
        assert_eq!(e.0.last().map(|m| m.0), Some(Dst::Slot(0)));
        s.free(Loc::Gpr(r));
    }

    #[test]
    fn conform_moves_registers_in_parallel_and_breaks_cycles() {
        let mut from = Cache::EMPTY;
        let mut to = Cache::EMPTY;
        // from: rbx = local 0, rsi = local 1, rdi = local 2.
        from.set(Loc::Gpr(3), 0);
        from.set(Loc::Gpr(6), 1);
        from.set(Loc::Gpr(7), 2);
        // to: rbx = local 1, rsi = local 0 (a swap), r8 = local 2,
        // r9 = local 5 (not cached: from its slot), xmm1 = local 2.
        to.set(Loc::Gpr(3), 1);
        to.set(Loc::Gpr(6), 0);
        to.set(Loc::Gpr(8), 2);
        to.set(Loc::Gpr(9), 5);
        to.set(Loc::Xmm(1), 2);
        assert!(!ValueStack::covers(&from, &to));
        assert!(ValueStack::covers(&to, &to));
        let mut e = Rec::default();
        ValueStack::conform(&from, &to, &mut e);
        // Simulate: each register's local after the moves.
        let mut regs = from;
        for &(d, src, _) in &e.0 {
            let v = match src {
                Loc::Local(l) => l,
                r => regs.at(r),
            };
            let d = match d {
                Dst::Gpr(r) => Loc::Gpr(r),
                Dst::Xmm(r) => Loc::Xmm(r),
                _ => panic!("conform writes registers only"),
            };
            regs.set(d, v);
        }
        for (r, l) in to.pairs() {
            assert_eq!(regs.at(r), l, "{r:?}");
        }
        // The swap costs one load from a slot, the uncached local another.
        let loads = e.0.iter().filter(|m| matches!(m.1, Loc::Local(_))).count();
        assert_eq!(loads, 2);
        assert_eq!(e.0.len(), 5);
    }

    #[test]
    fn reset_restores_a_merge_state() {
        let mut s = ValueStack::new();
        let mut e = Rec::default();
        s.push(Loc::Const(1), false);
        s.push(Loc::Slot, false);
        let saved = s.entries().to_vec();
        let r = s.alloc_gpr(&mut e);
        s.push(Loc::Gpr(r), false);
        s.reset(&saved);
        assert_eq!(s.entries(), &saved[..]);
        assert!(s.all_free());
    }
}
