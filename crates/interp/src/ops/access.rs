//! Memory and table instructions: loads, stores, bulk operations, and the
//! reference instructions that read tables.

use weft_ast::{Instr, MemArg};

use crate::ops::mem::{load_fn, store_fn};
use crate::ops::simd::{
    from_i16s, from_i32s, from_i64s, from_u8s, from_u16s, from_u32s, from_u64s,
};
use crate::runtime::memory::MemoryInst;
use crate::runtime::store::Store;
use crate::runtime::table::TableInst;
use crate::stack::Stack;
use crate::trap::Trap;

/// Pops an address or length of a memory or table with 64-bit (`wide`) or
/// 32-bit indices.
#[inline(always)]
fn pop_index(s: &mut Stack, wide: bool) -> u64 {
    let raw = s.pop();
    if wide { raw } else { raw as u32 as u64 }
}

/// Two distinct elements of a slice, both mutable.
fn pair_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    if a < b {
        let (l, r) = v.split_at_mut(b);
        (&mut l[a], &mut r[0])
    } else {
        let (l, r) = v.split_at_mut(a);
        (&mut r[0], &mut l[b])
    }
}

/// Checks that `[start, start + n)` lies within `len`.
#[inline]
fn in_bounds(start: u64, n: u64, len: usize) -> bool {
    start.checked_add(n).is_some_and(|end| end <= len as u64)
}

struct Access<'a> {
    store: &'a mut Store,
    s: &'a mut Stack,
    inst: usize,
}

impl Access<'_> {
    fn mem_addr(&self, idx: u32) -> usize {
        self.store.instances[self.inst].memories[idx as usize] as usize
    }

    fn table_addr(&self, idx: u32) -> usize {
        self.store.instances[self.inst].tables[idx as usize] as usize
    }

    /// Pops the dynamic address and returns the memory and the effective
    /// address (saturated on overflow, so that it fails the bounds check).
    #[inline(always)]
    fn ea(&mut self, m: MemArg) -> (&mut MemoryInst, u64) {
        let a = self.mem_addr(m.memory);
        let mem = &mut self.store.memories[a];
        let base = pop_index(self.s, mem.is64());
        (mem, base.saturating_add(m.offset))
    }

    fn load<const N: usize>(&mut self, m: MemArg) -> Result<[u8; N], Trap> {
        let (mem, ea) = self.ea(m);
        mem.load::<N>(ea)
    }

    fn store<const N: usize>(&mut self, m: MemArg, bytes: [u8; N]) -> Result<(), Trap> {
        let (mem, ea) = self.ea(m);
        mem.store::<N>(ea, bytes)
    }

    fn table(&mut self, idx: u32) -> &mut TableInst {
        let a = self.table_addr(idx);
        &mut self.store.tables[a]
    }
}

/// Splits `bytes` into `n` little-endian lanes of `sz` bytes, widening each
/// with the expression.
macro_rules! widen {
    ($b:expr, $sz:literal, $n:literal, |$x:ident| $e:expr) => {
        std::array::from_fn::<_, $n, _>(|i| {
            let mut $x = [0u8; $sz];
            $x.copy_from_slice(&$b[i * $sz..(i + 1) * $sz]);
            $e
        })
    };
}

/// Bytes of a bulk memory operation that one unit of fuel pays for.
pub(crate) const BYTES_PER_UNIT: u64 = 16;

/// `memory.fill` of memory `a` (a store address): `n` bytes from `d` set
/// to `val`, the range checked before fuel is charged. Shared with the
/// JIT's direct call for memory 0 (`jit::helpers::mem0_fill`).
pub(crate) fn memory_fill(
    store: &mut Store,
    a: usize,
    d: u64,
    val: u8,
    n: u64,
) -> Result<(), Trap> {
    let r = store.memories[a].range(d, n)?;
    store.charge_bulk(n, BYTES_PER_UNIT)?;
    store.memories[a].data[r].fill(val);
    Ok(())
}

/// `memory.copy` of `n` bytes from `sp` in memory `sa` to `dp` in memory
/// `da` (store addresses), fuel charged before the ranges are checked.
/// Shared with the JIT's direct call for memory 0
/// (`jit::helpers::mem0_copy`).
pub(crate) fn memory_copy(
    store: &mut Store,
    da: usize,
    sa: usize,
    dp: u64,
    sp: u64,
    n: u64,
) -> Result<(), Trap> {
    store.charge_bulk(n, BYTES_PER_UNIT)?;
    if da == sa {
        let m = &mut store.memories[da];
        let sr = m.range(sp, n)?;
        let dr = m.range(dp, n)?;
        m.data.copy_within(sr, dr.start);
    } else {
        let (dm, sm) = pair_mut(&mut store.memories, da, sa);
        let sr = sm.range(sp, n)?;
        let dr = dm.range(dp, n)?;
        dm.data[dr].copy_from_slice(&sm.data[sr]);
    }
    Ok(())
}

/// Executes a memory or table instruction; `Ok(false)` if `i` is not one.
pub(crate) fn access(store: &mut Store, s: &mut Stack, inst: u32, i: &Instr) -> Result<bool, Trap> {
    use Instr::*;
    let mut c = Access {
        store,
        s,
        inst: inst as usize,
    };
    match i {
        _ if load_fn(i).is_some() => {
            let (f, m) = (load_fn(i).expect("checked"), i.memarg().expect("a load"));
            let (mem, ea) = c.ea(m);
            let v = f.call(&mem.data, ea).ok_or(Trap::OutOfBoundsMemoryAccess)?;
            c.s.push(v)
        }
        _ if store_fn(i).is_some() => {
            let (f, m) = (store_fn(i).expect("checked"), i.memarg().expect("a store"));
            let v = c.s.pop();
            let (mem, ea) = c.ea(m);
            if !f.call(&mut mem.data, ea, v) {
                return Err(Trap::OutOfBoundsMemoryAccess);
            }
        }
        MemorySize { mem } => {
            let a = c.mem_addr(*mem);
            let pages = c.store.memories[a].pages();
            c.s.push_u64(pages)
        }
        MemoryGrow { mem } => {
            let a = c.mem_addr(*mem);
            let wide = c.store.memories[a].is64();
            let delta = pop_index(c.s, wide);
            let r = match c.store.grow_memory(a, delta) {
                Some(old) => old,
                None if wide => u64::MAX,
                None => u32::MAX as u64,
            };
            c.s.push_u64(r)
        }
        MemoryFill { mem } => {
            let a = c.mem_addr(*mem);
            let wide = c.store.memories[a].is64();
            let n = pop_index(c.s, wide);
            let val = c.s.pop() as u8;
            let d = pop_index(c.s, wide);
            memory_fill(c.store, a, d, val, n)?;
        }
        MemoryCopy { dst, src } => {
            let (da, sa) = (c.mem_addr(*dst), c.mem_addr(*src));
            let (d64, s64) = (c.store.memories[da].is64(), c.store.memories[sa].is64());
            let n = pop_index(c.s, d64 && s64);
            let sp = pop_index(c.s, s64);
            let dp = pop_index(c.s, d64);
            memory_copy(c.store, da, sa, dp, sp, n)?;
        }
        MemoryInit { data, mem } => {
            let a = c.mem_addr(*mem);
            let n = c.s.pop_u32() as u64;
            let sp = c.s.pop_u32() as u64;
            let dp = pop_index(c.s, c.store.memories[a].is64());
            c.store.charge_bulk(n, BYTES_PER_UNIT)?;
            let bytes = c.store.instances[c.inst].data_bytes(*data);
            if !in_bounds(sp, n, bytes.len()) {
                return Err(Trap::OutOfBoundsMemoryAccess);
            }
            let src = &bytes[sp as usize..(sp + n) as usize];
            let m = &mut c.store.memories[a];
            let r = m.range(dp, n)?;
            m.data[r].copy_from_slice(src);
        }
        DataDrop { data } => c.store.instances[c.inst].dropped[*data as usize] = true,
        TableGet { table } => {
            let t = c.table(*table);
            let wide = t.is64();
            let i = pop_index(c.s, wide);
            let t = c.table(*table);
            let v = usize::try_from(i)
                .ok()
                .and_then(|i| t.elems.get(i))
                .copied()
                .ok_or(Trap::OutOfBoundsTableAccess)?;
            c.s.push(v)
        }
        TableSet { table } => {
            let v = c.s.pop();
            let wide = c.table(*table).is64();
            let i = pop_index(c.s, wide);
            let t = c.table(*table);
            let slot = usize::try_from(i)
                .ok()
                .and_then(|i| t.elems.get_mut(i))
                .ok_or(Trap::OutOfBoundsTableAccess)?;
            *slot = v;
        }
        TableSize { table } => {
            let n = c.table(*table).elems.len() as u64;
            c.s.push_u64(n)
        }
        TableGrow { table } => {
            let wide = c.table(*table).is64();
            let n = pop_index(c.s, wide);
            let init = c.s.pop();
            let addr = c.table_addr(*table);
            c.store.charge_bulk(n, 1)?;
            let r = match c.store.grow_table(addr, n, init) {
                Some(old) => old,
                None if wide => u64::MAX,
                None => u32::MAX as u64,
            };
            c.s.push_u64(r)
        }
        TableFill { table } => {
            let wide = c.table(*table).is64();
            let n = pop_index(c.s, wide);
            let v = c.s.pop();
            let d = pop_index(c.s, wide);
            c.store.charge_bulk(n, 1)?;
            let t = c.table(*table);
            if !in_bounds(d, n, t.elems.len()) {
                return Err(Trap::OutOfBoundsTableAccess);
            }
            t.elems[d as usize..(d + n) as usize].fill(v);
        }
        TableCopy { dst, src } => {
            let (da, sa) = (c.table_addr(*dst), c.table_addr(*src));
            let (d64, s64) = (c.store.tables[da].is64(), c.store.tables[sa].is64());
            let n = pop_index(c.s, d64 && s64);
            let sp = pop_index(c.s, s64);
            let dp = pop_index(c.s, d64);
            c.store.charge_bulk(n, 1)?;
            let ok = in_bounds(sp, n, c.store.tables[sa].elems.len())
                && in_bounds(dp, n, c.store.tables[da].elems.len());
            if !ok {
                return Err(Trap::OutOfBoundsTableAccess);
            }
            let (sp, dp, n) = (sp as usize, dp as usize, n as usize);
            if da == sa {
                c.store.tables[da].elems.copy_within(sp..sp + n, dp);
            } else {
                let (dt, st) = pair_mut(&mut c.store.tables, da, sa);
                dt.elems[dp..dp + n].copy_from_slice(&st.elems[sp..sp + n]);
            }
        }
        TableInit { elem, table } => {
            let ta = c.table_addr(*table);
            let n = c.s.pop_u32() as u64;
            let sp = c.s.pop_u32() as u64;
            let dp = pop_index(c.s, c.store.tables[ta].is64());
            c.store.charge_bulk(n, 1)?;
            let seg = &c.store.instances[c.inst].elems[*elem as usize];
            let t = &mut c.store.tables[ta];
            if !in_bounds(sp, n, seg.len()) || !in_bounds(dp, n, t.elems.len()) {
                return Err(Trap::OutOfBoundsTableAccess);
            }
            let (sp, dp, n) = (sp as usize, dp as usize, n as usize);
            t.elems[dp..dp + n].copy_from_slice(&seg[sp..sp + n]);
        }
        ElemDrop { elem } => c.store.instances[c.inst].elems[*elem as usize] = Box::new([]),
        RefIsNull => {
            let v = c.s.pop();
            c.s.push_bool(v == 0)
        }
        RefAsNonNull => {
            if *c.s.top() == 0 {
                return Err(Trap::NullReference);
            }
        }
        RefEq => {
            let b = c.s.pop();
            let a = c.s.pop();
            c.s.push_bool(a == b)
        }
        V128Load { memarg } => load_v128::<16>(&mut c, *memarg, u128::from_le_bytes)?,
        V128Load8x8S { memarg } => {
            load_v128::<8>(&mut c, *memarg, |b| from_i16s(b.map(|x| x as i8 as i16)))?
        }
        V128Load8x8U { memarg } => {
            load_v128::<8>(&mut c, *memarg, |b| from_u16s(b.map(|x| x as u16)))?
        }
        V128Load16x4S { memarg } => load_v128::<8>(&mut c, *memarg, |b| {
            from_i32s(widen!(b, 2, 4, |x| i16::from_le_bytes(x) as i32))
        })?,
        V128Load16x4U { memarg } => load_v128::<8>(&mut c, *memarg, |b| {
            from_u32s(widen!(b, 2, 4, |x| u16::from_le_bytes(x) as u32))
        })?,
        V128Load32x2S { memarg } => load_v128::<8>(&mut c, *memarg, |b| {
            from_i64s(widen!(b, 4, 2, |x| i32::from_le_bytes(x) as i64))
        })?,
        V128Load32x2U { memarg } => load_v128::<8>(&mut c, *memarg, |b| {
            from_u64s(widen!(b, 4, 2, |x| u32::from_le_bytes(x) as u64))
        })?,
        V128Load8Splat { memarg } => load_v128::<1>(&mut c, *memarg, |b| from_u8s([b[0]; 16]))?,
        V128Load16Splat { memarg } => {
            load_v128::<2>(&mut c, *memarg, |b| from_u16s([u16::from_le_bytes(b); 8]))?
        }
        V128Load32Splat { memarg } => {
            load_v128::<4>(&mut c, *memarg, |b| from_u32s([u32::from_le_bytes(b); 4]))?
        }
        V128Load64Splat { memarg } => {
            load_v128::<8>(&mut c, *memarg, |b| from_u64s([u64::from_le_bytes(b); 2]))?
        }
        V128Load32Zero { memarg } => {
            load_v128::<4>(&mut c, *memarg, |b| u32::from_le_bytes(b) as u128)?
        }
        V128Load64Zero { memarg } => {
            load_v128::<8>(&mut c, *memarg, |b| u64::from_le_bytes(b) as u128)?
        }
        V128Store { memarg } => {
            let v = c.s.pop_v128();
            c.store(*memarg, v.to_le_bytes())?
        }
        V128Load8Lane { memarg, lane } => load_lane::<1>(&mut c, *memarg, *lane)?,
        V128Load16Lane { memarg, lane } => load_lane::<2>(&mut c, *memarg, *lane)?,
        V128Load32Lane { memarg, lane } => load_lane::<4>(&mut c, *memarg, *lane)?,
        V128Load64Lane { memarg, lane } => load_lane::<8>(&mut c, *memarg, *lane)?,
        V128Store8Lane { memarg, lane } => store_lane::<1>(&mut c, *memarg, *lane)?,
        V128Store16Lane { memarg, lane } => store_lane::<2>(&mut c, *memarg, *lane)?,
        V128Store32Lane { memarg, lane } => store_lane::<4>(&mut c, *memarg, *lane)?,
        V128Store64Lane { memarg, lane } => store_lane::<8>(&mut c, *memarg, *lane)?,
        AtomicFence { .. } => {}
        _ if i.feature() == weft_ast::Features::THREADS => atomic(&mut c, i)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Threads' instructions on a store with a single thread: every access is
/// trivially atomic; `wait` can only time out and `notify` wakes nobody.
fn atomic(c: &mut Access<'_>, i: &Instr) -> Result<(), Trap> {
    use Instr::*;
    let m = i.memarg().ok_or(Trap::UnalignedAtomic)?;
    let size = 1u64 << i.natural_align().unwrap_or(0);
    let mask = if size == 8 {
        u64::MAX
    } else {
        (1u64 << (size * 8)) - 1
    };
    type Rmw = fn(u64, u64) -> u64;
    let rmw: Option<Rmw> = match i {
        I32AtomicRmwAdd { .. }
        | I64AtomicRmwAdd { .. }
        | I32AtomicRmw8AddU { .. }
        | I32AtomicRmw16AddU { .. }
        | I64AtomicRmw8AddU { .. }
        | I64AtomicRmw16AddU { .. }
        | I64AtomicRmw32AddU { .. } => Some(|a, b| a.wrapping_add(b)),
        I32AtomicRmwSub { .. }
        | I64AtomicRmwSub { .. }
        | I32AtomicRmw8SubU { .. }
        | I32AtomicRmw16SubU { .. }
        | I64AtomicRmw8SubU { .. }
        | I64AtomicRmw16SubU { .. }
        | I64AtomicRmw32SubU { .. } => Some(|a, b| a.wrapping_sub(b)),
        I32AtomicRmwAnd { .. }
        | I64AtomicRmwAnd { .. }
        | I32AtomicRmw8AndU { .. }
        | I32AtomicRmw16AndU { .. }
        | I64AtomicRmw8AndU { .. }
        | I64AtomicRmw16AndU { .. }
        | I64AtomicRmw32AndU { .. } => Some(|a, b| a & b),
        I32AtomicRmwOr { .. }
        | I64AtomicRmwOr { .. }
        | I32AtomicRmw8OrU { .. }
        | I32AtomicRmw16OrU { .. }
        | I64AtomicRmw8OrU { .. }
        | I64AtomicRmw16OrU { .. }
        | I64AtomicRmw32OrU { .. } => Some(|a, b| a | b),
        I32AtomicRmwXor { .. }
        | I64AtomicRmwXor { .. }
        | I32AtomicRmw8XorU { .. }
        | I32AtomicRmw16XorU { .. }
        | I64AtomicRmw8XorU { .. }
        | I64AtomicRmw16XorU { .. }
        | I64AtomicRmw32XorU { .. } => Some(|a, b| a ^ b),
        I32AtomicRmwXchg { .. }
        | I64AtomicRmwXchg { .. }
        | I32AtomicRmw8XchgU { .. }
        | I32AtomicRmw16XchgU { .. }
        | I64AtomicRmw8XchgU { .. }
        | I64AtomicRmw16XchgU { .. }
        | I64AtomicRmw32XchgU { .. } => Some(|_, b| b),
        _ => None,
    };
    // Operands above the address, in push order.
    let operands = match i {
        I32AtomicLoad { .. }
        | I64AtomicLoad { .. }
        | I32AtomicLoad8U { .. }
        | I32AtomicLoad16U { .. }
        | I64AtomicLoad8U { .. }
        | I64AtomicLoad16U { .. }
        | I64AtomicLoad32U { .. } => [0; 2],
        MemoryAtomicWait32 { .. }
        | MemoryAtomicWait64 { .. }
        | I32AtomicRmwCmpxchg { .. }
        | I64AtomicRmwCmpxchg { .. }
        | I32AtomicRmw8CmpxchgU { .. }
        | I32AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw8CmpxchgU { .. }
        | I64AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw32CmpxchgU { .. } => {
            let b = c.s.pop();
            let a = c.s.pop();
            [a, b]
        }
        _ => [c.s.pop(), 0],
    };
    let (mem, ea) = c.ea(m);
    if ea % size != 0 {
        return Err(Trap::UnalignedAtomic);
    }
    let r = mem.range(ea, size)?;
    let read = |d: &[u8]| d.iter().rev().fold(0u64, |v, b| v << 8 | *b as u64);
    let old = read(&mem.data[r.clone()]);
    let write = |d: &mut [u8], v: u64| {
        for (k, b) in d.iter_mut().enumerate() {
            *b = (v >> (8 * k)) as u8;
        }
    };
    let result = match i {
        MemoryAtomicNotify { .. } => Some(0),
        MemoryAtomicWait32 { .. } | MemoryAtomicWait64 { .. } => {
            if !mem.ty.shared {
                return Err(Trap::ExpectedSharedMemory);
            }
            let [expected, timeout] = operands;
            if old != expected & mask {
                Some(1)
            } else if (timeout as i64) < 0 {
                return Err(Trap::Deadlock);
            } else {
                Some(2)
            }
        }
        _ if rmw.is_some() => {
            let f = rmw.expect("checked");
            write(&mut mem.data[r], f(old, operands[0]) & mask);
            Some(old)
        }
        I32AtomicRmwCmpxchg { .. }
        | I64AtomicRmwCmpxchg { .. }
        | I32AtomicRmw8CmpxchgU { .. }
        | I32AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw8CmpxchgU { .. }
        | I64AtomicRmw16CmpxchgU { .. }
        | I64AtomicRmw32CmpxchgU { .. } => {
            let [expected, replacement] = operands;
            if old == expected & mask {
                write(&mut mem.data[r], replacement & mask);
            }
            Some(old)
        }
        I32AtomicLoad { .. }
        | I64AtomicLoad { .. }
        | I32AtomicLoad8U { .. }
        | I32AtomicLoad16U { .. }
        | I64AtomicLoad8U { .. }
        | I64AtomicLoad16U { .. }
        | I64AtomicLoad32U { .. } => Some(old),
        _ => {
            // A store.
            write(&mut mem.data[r], operands[0]);
            None
        }
    };
    if let Some(v) = result {
        c.s.push(v);
    }
    Ok(())
}

/// `v128.loadN_lane`: replaces lane `lane` (of `N`-byte lanes) from memory.
fn load_lane<const N: usize>(c: &mut Access<'_>, m: MemArg, lane: u8) -> Result<(), Trap> {
    let mut v = c.s.pop_v128().to_le_bytes();
    let b = c.load::<N>(m)?;
    let at = (lane as usize % (16 / N)) * N;
    v[at..at + N].copy_from_slice(&b);
    c.s.push_v128(u128::from_le_bytes(v));
    Ok(())
}

/// A `v128.load` form: `N` bytes read, made a vector by `make`.
fn load_v128<const N: usize>(
    c: &mut Access<'_>,
    m: MemArg,
    make: impl FnOnce([u8; N]) -> u128,
) -> Result<(), Trap> {
    let b = c.load::<N>(m)?;
    c.s.push_v128(make(b));
    Ok(())
}

/// `v128.storeN_lane`: writes lane `lane` (of `N`-byte lanes) to memory.
fn store_lane<const N: usize>(c: &mut Access<'_>, m: MemArg, lane: u8) -> Result<(), Trap> {
    let v = c.s.pop_v128().to_le_bytes();
    let at = (lane as usize % (16 / N)) * N;
    let mut b = [0u8; N];
    b.copy_from_slice(&v[at..at + N]);
    c.store(m, b)
}
