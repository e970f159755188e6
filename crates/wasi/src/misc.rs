//! The functions that touch no file: arguments, environment, clocks,
//! random bytes, process exit and signals, yielding, and sockets (of
//! which a preview1 program can hold none, as no preopened socket is
//! offered).

use weft_interp::Trap;

use crate::Args;
use crate::ctx::{Clock, WasiCtx};
use crate::errno::Errno;
use crate::mem::{Fail, Mem, Res};

/// Writes the count and total size (with a NUL each) of `list`.
fn sizes_get(list: &[Vec<u8>], mem: &mut Mem<'_>, count_ptr: u32, size_ptr: u32) -> Res {
    let count = u32::try_from(list.len()).map_err(|_| Errno::Overflow)?;
    let size: usize = list.iter().map(|s| s.len() + 1).sum();
    let size = u32::try_from(size).map_err(|_| Errno::Overflow)?;
    mem.put_u32(count_ptr, count)?;
    mem.put_u32(size_ptr, size)
}

/// Writes `list` as a pointer array at `ptrs` and NUL-terminated strings
/// from `buf`.
fn list_get(list: &[Vec<u8>], mem: &mut Mem<'_>, ptrs: u32, buf: u32) -> Res {
    let mut at = buf;
    for (i, s) in list.iter().enumerate() {
        let slot = u32::try_from(i)
            .ok()
            .and_then(|i| i.checked_mul(4))
            .and_then(|o| ptrs.checked_add(o))
            .ok_or(Errno::Fault)?;
        mem.put_u32(slot, at)?;
        mem.write(at, s)?;
        let len = u32::try_from(s.len()).map_err(|_| Errno::Fault)?;
        let nul = at.checked_add(len).ok_or(Errno::Fault)?;
        mem.put_u8(nul, 0)?;
        at = nul.checked_add(1).ok_or(Errno::Fault)?;
    }
    Ok(())
}

pub(crate) fn args_sizes_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    sizes_get(&ctx.args, mem, a.u32(0), a.u32(1))
}

pub(crate) fn args_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    list_get(&ctx.args, mem, a.u32(0), a.u32(1))
}

pub(crate) fn environ_sizes_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    sizes_get(&ctx.env, mem, a.u32(0), a.u32(1))
}

pub(crate) fn environ_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    list_get(&ctx.env, mem, a.u32(0), a.u32(1))
}

fn clock(id: u32) -> Result<Clock, Errno> {
    Clock::from_id(id).ok_or(Errno::Inval)
}

pub(crate) fn clock_res_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let c = clock(a.u32(0))?;
    let res = ctx.clocks.resolution(c).ok_or(Errno::NotSup)?;
    mem.put_u64(a.u32(1), res)
}

pub(crate) fn clock_time_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let c = clock(a.u32(0))?;
    // The precision (argument 1) is a hint; the clock's best is given.
    let now = ctx.clocks.now(c).ok_or(Errno::NotSup)?;
    mem.put_u64(a.u32(2), now)
}

pub(crate) fn random_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let buf = mem.slice_mut(a.u32(0), a.u32(1))?;
    ctx.random.fill(buf).map_err(|_| Errno::Io)?;
    Ok(())
}

/// `proc_exit`: ends the run with the code, as [`Trap::Exit`].
pub(crate) fn proc_exit(_ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    Err(Fail::Trap(Trap::Exit(a.u32(0) as i32)))
}

/// `proc_raise`: signals are not delivered to a WASI program's host
/// process (`ENOTSUP`, as wasmtime answers).
pub(crate) fn proc_raise(_ctx: &mut WasiCtx, _mem: &mut Mem<'_>, _a: &Args<'_>) -> Res {
    Err(Errno::NotSup.into())
}

pub(crate) fn sched_yield(_ctx: &mut WasiCtx, _mem: &mut Mem<'_>, _a: &Args<'_>) -> Res {
    std::thread::yield_now();
    Ok(())
}

/// Every `sock_*` function: `EBADF` for a closed descriptor, else
/// `ENOTSOCK` (no descriptor of this implementation is a socket).
pub(crate) fn sock(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    ctx.fds.get(a.u32(0))?;
    Err(Errno::NotSock.into())
}
