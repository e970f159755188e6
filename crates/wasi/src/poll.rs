//! `poll_oneoff`: waiting for clocks and descriptors.
//!
//! Files, directories, output streams and in-memory input are always
//! ready; only the host's own standard input can make a program wait on a
//! descriptor, and it is waited on with the host's `poll`. Clocks are
//! waited on in real time. The subscriptions are read from memory twice
//! (once to find what to wait for, once to write the events) rather than
//! copied, so that their number, which the program chooses, never sizes
//! an allocation.

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use crate::Args;
use crate::abi::{self, eventrwflags, eventtype, subclockflags};
use crate::ctx::{Clock, WasiCtx};
use crate::errno::Errno;
use crate::fd::Kind;
use crate::mem::{Mem, Res};
use crate::stdio::InStream;
use crate::sys;

/// What a subscription is waiting for, and whether it has happened. A
/// subscription that cannot be waited on (a closed descriptor, a stream in
/// the wrong direction, an unknown clock) fails the whole call with its
/// errno, as wasmtime does.
enum State {
    /// Happened (an fd event carries the bytes available, if known, and
    /// whether the stream is at its end).
    Ready { nbytes: u64, hangup: bool },
    /// A clock not yet reached: this much longer.
    Waiting(Duration),
    /// The host's standard input, not known to be readable.
    Stdin,
}

const READY: State = State::Ready {
    nbytes: 0,
    hangup: false,
};

/// The state of the subscription at `ptr`, `start` being when the call
/// began (relative timeouts count from it). `stdin_ready` says whether the
/// host's standard input was found readable.
fn state(ctx: &WasiCtx, mem: &Mem<'_>, ptr: u32, start: Instant, stdin_ready: bool) -> Res<State> {
    let tag = mem.u8(ptr + 8)?;
    match tag {
        eventtype::CLOCK => {
            let id = mem.u32(ptr + 16)?;
            let timeout = mem.u64(ptr + 24)?;
            let flags = mem.u16(ptr + 40)?;
            let clock = Clock::from_id(id).ok_or(Errno::Inval)?;
            let left = if flags & subclockflags::ABSTIME != 0 {
                let now = ctx.clocks.now(clock).ok_or(Errno::NotSup)?;
                Duration::from_nanos(timeout.saturating_sub(now))
            } else {
                Duration::from_nanos(timeout).saturating_sub(start.elapsed())
            };
            Ok(if left.is_zero() {
                READY
            } else {
                State::Waiting(left)
            })
        }
        eventtype::FD_READ | eventtype::FD_WRITE => {
            let e = ctx.fds.get(mem.u32(ptr + 16)?)?;
            let read = tag == eventtype::FD_READ;
            Ok(match &e.kind {
                Kind::Out { .. } if read => return Err(Errno::Badf.into()),
                Kind::Stdin(_) if !read => return Err(Errno::Badf.into()),
                Kind::Stdin(InStream::Inherit) if !stdin_ready => State::Stdin,
                Kind::Stdin(input) => State::Ready {
                    nbytes: input.available().unwrap_or(0),
                    hangup: matches!(input, InStream::Null),
                },
                Kind::File(f) if read => {
                    let size = sys::fstat(f.as_fd()).map_or(0, |s| s.size);
                    let pos = std::io::Seek::stream_position(&mut &*f).unwrap_or(size);
                    State::Ready {
                        nbytes: size.saturating_sub(pos),
                        hangup: false,
                    }
                }
                Kind::Out { .. } | Kind::File(_) | Kind::Dir { .. } => READY,
            })
        }
        _ => Err(Errno::Inval.into()),
    }
}

pub(crate) fn poll_oneoff(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let (subs, events, n, ret) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    if n == 0 {
        return Err(Errno::Inval.into());
    }
    let sub_bytes = n.checked_mul(abi::SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?;
    let event_bytes = n.checked_mul(abi::EVENT_SIZE).ok_or(Errno::Fault)?;
    mem.slice(subs, sub_bytes)?;
    mem.slice(events, event_bytes)?;
    let start = Instant::now();
    let mut stdin_ready = false;
    loop {
        // What is ready now, and how long to wait otherwise.
        let mut any_ready = false;
        let mut wait: Option<Duration> = None;
        let mut on_stdin = false;
        for i in 0..n {
            match state(
                ctx,
                mem,
                subs + i * abi::SUBSCRIPTION_SIZE,
                start,
                stdin_ready,
            )? {
                State::Ready { .. } => any_ready = true,
                State::Waiting(d) => wait = Some(wait.map_or(d, |w| w.min(d))),
                State::Stdin => on_stdin = true,
            }
        }
        if !any_ready {
            if on_stdin {
                let ms = wait.map_or(-1, |d| {
                    i32::try_from(d.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX)
                });
                stdin_ready = sys::poll_readable(sys::stdio(0), ms)?;
            } else if let Some(d) = wait {
                std::thread::sleep(d);
            }
        }
        // Write an event for every subscription that is ready now.
        let mut count = 0u32;
        for i in 0..n {
            let sub = subs + i * abi::SUBSCRIPTION_SIZE;
            let st = state(ctx, mem, sub, start, stdin_ready)?;
            let State::Ready { nbytes, hangup } = st else {
                continue;
            };
            let tag = mem.u8(sub + 8)?;
            let mut ev = [0u8; abi::EVENT_SIZE as usize];
            ev[0..8].copy_from_slice(&mem.u64(sub)?.to_le_bytes());
            ev[10] = tag;
            if tag != eventtype::CLOCK {
                ev[16..24].copy_from_slice(&nbytes.to_le_bytes());
                let flags = if hangup { eventrwflags::HANGUP } else { 0 };
                ev[24..26].copy_from_slice(&flags.to_le_bytes());
            }
            mem.write(events + count * abi::EVENT_SIZE, &ev)?;
            count += 1;
        }
        if count > 0 {
            return mem.put_u32(ret, count);
        }
    }
}
