//! The `fd_*` and `path_*` functions: descriptors, files and directories.
//!
//! Each checks its descriptor's rights, resolves paths through
//! [`crate::path::resolve`] (never by handing a guest path to the host),
//! then makes one `*at` call relative to the directory the resolution
//! ended in, with symbolic links never followed by the host.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::FileExt;

use crate::Args;
use crate::abi::{self, fdflags, filetype, fstflags, lookupflags, oflags, rights, whence};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::fd::{Entry, Kind, max_rights};
use crate::mem::{Mem, Res};
use crate::path::resolve;
use crate::stdio::write_out;
use crate::sys::{self, SetTime, Stat};

/// `Ok` if the base rights hold `needed`, else `EBADF`: what reading or
/// writing a descriptor without the right to is (as reading a file opened
/// write-only is in POSIX, and as wasmtime answers).
fn need_rw(base: u64, needed: u64) -> Result<(), Errno> {
    if base & needed == needed {
        Ok(())
    } else {
        Err(Errno::Badf)
    }
}

/// Reads into the I/O vectors at `iovs` with `read` (called once per
/// non-empty buffer, stopping at the first short read); the total.
fn scatter(
    mem: &mut Mem<'_>,
    iovs: u32,
    n: u32,
    mut read: impl FnMut(&mut [u8], u64) -> Result<usize, Errno>,
) -> Res<u32> {
    mem.check_iovecs(iovs, n)?;
    let mut total: u32 = 0;
    for i in 0..n {
        let (ptr, len) = mem.iovec(iovs, i)?;
        // The sum of the lengths is a `size`: stop where it would overflow.
        let len = len.min(u32::MAX - total);
        if len == 0 {
            continue;
        }
        let buf = mem.slice_mut(ptr, len)?;
        let got = match read(buf, u64::from(total)) {
            Ok(got) => got as u32,
            Err(e) if total == 0 => return Err(e.into()),
            Err(_) => break,
        };
        total += got;
        if got < len {
            break;
        }
    }
    Ok(total)
}

/// Writes the I/O vectors at `iovs` with `write`, like [`scatter`].
fn gather(
    mem: &mut Mem<'_>,
    iovs: u32,
    n: u32,
    mut write: impl FnMut(&[u8], u64) -> Result<usize, Errno>,
) -> Res<u32> {
    mem.check_iovecs(iovs, n)?;
    let mut total: u32 = 0;
    for i in 0..n {
        let (ptr, len) = mem.iovec(iovs, i)?;
        let len = len.min(u32::MAX - total);
        if len == 0 {
            continue;
        }
        let buf = mem.slice(ptr, len)?;
        let put = match write(buf, u64::from(total)) {
            Ok(put) => put as u32,
            Err(e) if total == 0 => return Err(e.into()),
            Err(_) => break,
        };
        total += put;
        if put < len {
            break;
        }
    }
    Ok(total)
}

fn write_filestat(mem: &mut Mem<'_>, ptr: u32, st: &Stat) -> Res {
    let mut b = [0u8; abi::FILESTAT_SIZE as usize];
    b[0..8].copy_from_slice(&st.dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.ino.to_le_bytes());
    b[16] = st.filetype;
    b[24..32].copy_from_slice(&st.nlink.to_le_bytes());
    b[32..40].copy_from_slice(&st.size.to_le_bytes());
    b[40..48].copy_from_slice(&st.atim.to_le_bytes());
    b[48..56].copy_from_slice(&st.mtim.to_le_bytes());
    b[56..64].copy_from_slice(&st.ctim.to_le_bytes());
    mem.write(ptr, &b)
}

/// The times to set from `fstflags` (`EINVAL` for unknown bits, or a time
/// both given and "now").
fn set_times(atim: u64, mtim: u64, flags: u32) -> Result<(SetTime, SetTime), Errno> {
    let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
    if flags & !fstflags::ALL != 0 {
        return Err(Errno::Inval);
    }
    let pick = |given: u16, now: u16, t: u64| match (flags & given != 0, flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(SetTime::At(t)),
        (false, true) => Ok(SetTime::Now),
        (false, false) => Ok(SetTime::Omit),
    };
    Ok((
        pick(fstflags::ATIM, fstflags::ATIM_NOW, atim)?,
        pick(fstflags::MTIM, fstflags::MTIM_NOW, mtim)?,
    ))
}

pub(crate) fn fd_advise(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let f = ctx.fds.get(a.u32(0))?.file(rights::FD_ADVISE)?;
    let advice = a.u32(3);
    if advice > abi::ADVICE_MAX {
        return Err(Errno::Inval.into());
    }
    Ok(sys::advise(f.as_fd(), a.u64(1), a.u64(2), advice)?)
}

pub(crate) fn fd_allocate(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let f = ctx.fds.get(a.u32(0))?.file(rights::FD_ALLOCATE)?;
    Ok(sys::allocate(f.as_fd(), a.u64(1), a.u64(2))?)
}

pub(crate) fn fd_close(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    ctx.fds.remove(a.u32(0))?;
    Ok(())
}

fn host_file(e: &Entry) -> Result<&File, Errno> {
    match &e.kind {
        Kind::File(f) | Kind::Dir { file: f, .. } => Ok(f),
        _ => Err(Errno::Inval),
    }
}

pub(crate) fn fd_datasync(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    e.need(rights::FD_DATASYNC)?;
    Ok(host_file(e)?.sync_data()?)
}

pub(crate) fn fd_sync(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    e.need(rights::FD_SYNC)?;
    Ok(host_file(e)?.sync_all()?)
}

pub(crate) fn fd_fdstat_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    let mut b = [0u8; abi::FDSTAT_SIZE as usize];
    b[0] = e.filetype()?;
    b[2..4].copy_from_slice(&e.flags.to_le_bytes());
    b[8..16].copy_from_slice(&e.base.to_le_bytes());
    b[16..24].copy_from_slice(&e.inheriting.to_le_bytes());
    mem.write(a.u32(1), &b)
}

pub(crate) fn fd_fdstat_set_flags(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get_mut(a.u32(0))?;
    e.need(rights::FD_FDSTAT_SET_FLAGS)?;
    let flags = u16::try_from(a.u32(1)).map_err(|_| Errno::Inval)?;
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::Inval.into());
    }
    // The synchronized-I/O modes are chosen when a file is opened; the
    // host cannot change them on an open file.
    let sync = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
    if (flags ^ e.flags) & sync != 0 {
        return Err(Errno::NotSup.into());
    }
    match &e.kind {
        Kind::File(f) => sys::set_status_flags(
            f.as_fd(),
            flags & fdflags::APPEND != 0,
            flags & fdflags::NONBLOCK != 0,
        )?,
        Kind::Dir { .. } if flags & fdflags::APPEND != 0 => return Err(Errno::Inval.into()),
        // Directories and streams only record the flags: the host's own
        // standard streams are not switched to non-blocking under it.
        _ => {}
    }
    e.flags = flags;
    Ok(())
}

pub(crate) fn fd_fdstat_set_rights(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get_mut(a.u32(0))?;
    let (base, inheriting) = (a.u64(1), a.u64(2));
    if base & !e.base != 0 || inheriting & !e.inheriting != 0 {
        return Err(Errno::NotCapable.into());
    }
    e.base = base;
    e.inheriting = inheriting;
    Ok(())
}

pub(crate) fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    e.need(rights::FD_FILESTAT_GET)?;
    let st = match e.host_fd() {
        Some(fd) => {
            let mut st = sys::fstat(fd)?;
            // A stream reports the type its descriptor has.
            st.filetype = e.filetype()?;
            st
        }
        None => Stat {
            dev: 0,
            ino: 0,
            filetype: e.filetype()?,
            nlink: 0,
            size: 0,
            atim: 0,
            mtim: 0,
            ctim: 0,
        },
    };
    write_filestat(mem, a.u32(1), &st)
}

pub(crate) fn fd_filestat_set_size(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let f = ctx.fds.get(a.u32(0))?.file(rights::FD_FILESTAT_SET_SIZE)?;
    Ok(f.set_len(a.u64(1))?)
}

pub(crate) fn fd_filestat_set_times(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    let (atim, mtim) = set_times(a.u64(1), a.u64(2), a.u32(3))?;
    e.need(rights::FD_FILESTAT_SET_TIMES)?;
    let fd = e.host_fd().ok_or(Errno::NotSup)?;
    Ok(sys::futimens(fd, atim, mtim)?)
}

pub(crate) fn fd_pread(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    need_rw(e.base, rights::FD_READ)?;
    let f = e.file(rights::FD_SEEK)?;
    let offset = a.u64(3);
    if i64::try_from(offset).is_err() {
        return Err(Errno::Inval.into());
    }
    let n = scatter(mem, a.u32(1), a.u32(2), |buf, done| {
        let at = offset.checked_add(done).ok_or(Errno::Inval)?;
        Ok(f.read_at(buf, at)?)
    })?;
    mem.put_u32(a.u32(4), n)
}

pub(crate) fn fd_pwrite(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    need_rw(e.base, rights::FD_WRITE)?;
    let f = e.file(rights::FD_SEEK)?;
    let offset = a.u64(3);
    if i64::try_from(offset).is_err() {
        return Err(Errno::Inval.into());
    }
    let n = gather(mem, a.u32(1), a.u32(2), |buf, done| {
        let at = offset.checked_add(done).ok_or(Errno::Inval)?;
        Ok(f.write_at(buf, at)?)
    })?;
    mem.put_u32(a.u32(4), n)
}

pub(crate) fn fd_prestat_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    let name = e.preopen.as_ref().ok_or(Errno::Badf)?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::NameTooLong)?;
    let mut b = [0u8; 8];
    b[0] = abi::PREOPENTYPE_DIR;
    b[4..8].copy_from_slice(&len.to_le_bytes());
    mem.write(a.u32(1), &b)
}

pub(crate) fn fd_prestat_dir_name(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    let name = e.preopen.as_ref().ok_or(Errno::Badf)?;
    if (a.u32(2) as usize) < name.len() {
        return Err(Errno::NameTooLong.into());
    }
    mem.write(a.u32(1), name)
}

pub(crate) fn fd_read(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get_mut(a.u32(0))?;
    need_rw(e.base, rights::FD_READ)?;
    let n = match &mut e.kind {
        Kind::File(f) => scatter(mem, a.u32(1), a.u32(2), |buf, _| Ok((&*f).read(buf)?))?,
        Kind::Stdin(input) => scatter(mem, a.u32(1), a.u32(2), |buf, _| input.read(buf))?,
        Kind::Dir { .. } | Kind::Out { .. } => return Err(Errno::Badf.into()),
    };
    mem.put_u32(a.u32(3), n)
}

pub(crate) fn fd_write(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get_mut(a.u32(0))?;
    need_rw(e.base, rights::FD_WRITE)?;
    let n = match &e.kind {
        Kind::File(f) => gather(mem, a.u32(1), a.u32(2), |buf, _| Ok((&*f).write(buf)?))?,
        Kind::Out { out, stderr } => gather(mem, a.u32(1), a.u32(2), |buf, _| {
            write_out(out, *stderr, buf)
        })?,
        Kind::Dir { .. } | Kind::Stdin(_) => return Err(Errno::Badf.into()),
    };
    mem.put_u32(a.u32(3), n)
}

pub(crate) fn fd_readdir(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get_mut(a.u32(0))?;
    let Kind::Dir { file, listing } = &mut e.kind else {
        return Err(Errno::Badf.into());
    };
    if e.base & rights::FD_READDIR == 0 {
        return Err(Errno::NotCapable.into());
    }
    let (buf, buf_len, cookie) = (a.u32(1), a.u32(2), a.u64(3));
    // Cookie 0 starts over, with the directory as it is now.
    if cookie == 0 || listing.is_none() {
        *listing = Some(sys::read_dir(file.as_fd())?);
    }
    let entries = listing.as_deref().unwrap_or_default();
    let out = mem.slice_mut(buf, buf_len)?;
    let mut used = 0usize;
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, ent) in entries.iter().enumerate().skip(start) {
        let mut head = [0u8; abi::DIRENT_SIZE as usize];
        head[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        head[8..16].copy_from_slice(&ent.ino.to_le_bytes());
        head[16..20].copy_from_slice(&(ent.name.len() as u32).to_le_bytes());
        head[20] = ent.filetype;
        // An entry that does not fit is cut off: the program sees a full
        // buffer and asks again from the last whole entry.
        for part in [&head[..], &ent.name[..]] {
            let n = part.len().min(out.len() - used);
            out[used..used + n].copy_from_slice(&part[..n]);
            used += n;
        }
        if used == out.len() {
            break;
        }
    }
    mem.put_u32(a.u32(4), used as u32)
}

pub(crate) fn fd_renumber(ctx: &mut WasiCtx, _mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    Ok(ctx.fds.renumber(a.u32(0), a.u32(1))?)
}

pub(crate) fn fd_seek(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let e = ctx.fds.get(a.u32(0))?;
    let (offset, how) = (a.u64(1) as i64, a.u32(2));
    // A seek that only reads the position needs only `fd_tell`.
    let needed = if offset == 0 && how == whence::CUR {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let f = e.file(needed)?;
    let pos = match how {
        whence::SET => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        whence::CUR => SeekFrom::Current(offset),
        whence::END => SeekFrom::End(offset),
        _ => return Err(Errno::Inval.into()),
    };
    let new = (&*f).seek(pos)?;
    mem.put_u64(a.u32(3), new)
}

pub(crate) fn fd_tell(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let f = ctx.fds.get(a.u32(0))?.file(rights::FD_TELL)?;
    let pos = (&*f).stream_position()?;
    mem.put_u64(a.u32(1), pos)
}

pub(crate) fn path_create_directory(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_CREATE_DIRECTORY)?;
    let path = mem.path(a.u32(1), a.u32(2))?;
    let r = resolve(dir, &path, false)?;
    Ok(sys::mkdirat(r.dir.as_fd(), &r.name)?)
}

/// Whether a lookup follows the last component: asked to, or the path
/// ends in `/` (which names what a link points to, as in POSIX).
fn follows(flags: u32, path: &[u8]) -> bool {
    flags & lookupflags::SYMLINK_FOLLOW != 0 || path.ends_with(b"/")
}

pub(crate) fn path_filestat_get(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_FILESTAT_GET)?;
    let path = mem.path(a.u32(2), a.u32(3))?;
    let r = resolve(dir, &path, follows(a.u32(1), &path))?;
    let st = sys::lstatat(r.dir.as_fd(), &r.name)?;
    if r.must_be_dir && st.filetype != filetype::DIRECTORY {
        return Err(Errno::NotDir.into());
    }
    write_filestat(mem, a.u32(4), &st)
}

pub(crate) fn path_filestat_set_times(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx
        .fds
        .get(a.u32(0))?
        .dir(rights::PATH_FILESTAT_SET_TIMES)?;
    let (atim, mtim) = set_times(a.u64(4), a.u64(5), a.u32(6))?;
    let path = mem.path(a.u32(2), a.u32(3))?;
    let r = resolve(dir, &path, follows(a.u32(1), &path))?;
    if r.must_be_dir && sys::lstatat(r.dir.as_fd(), &r.name)?.filetype != filetype::DIRECTORY {
        return Err(Errno::NotDir.into());
    }
    Ok(sys::utimensat(r.dir.as_fd(), &r.name, atim, mtim)?)
}

pub(crate) fn path_link(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let old_dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_LINK_SOURCE)?;
    let new_dir = ctx.fds.get(a.u32(4))?.dir(rights::PATH_LINK_TARGET)?;
    let old = mem.path(a.u32(2), a.u32(3))?;
    let new = mem.path(a.u32(5), a.u32(6))?;
    let ro = resolve(old_dir, &old, a.u32(1) & lookupflags::SYMLINK_FOLLOW != 0)?;
    let rn = resolve(new_dir, &new, false)?;
    let st = sys::lstatat(ro.dir.as_fd(), &ro.name)?;
    if ro.must_be_dir && st.filetype != filetype::DIRECTORY {
        return Err(Errno::NotDir.into());
    }
    if rn.must_be_dir {
        // A link to a non-directory cannot be named as a directory.
        return Err(match sys::lstatat(rn.dir.as_fd(), &rn.name) {
            Ok(_) => Errno::Exist,
            Err(_) if st.filetype == filetype::DIRECTORY => Errno::Perm,
            Err(_) => Errno::NoEnt,
        }
        .into());
    }
    Ok(sys::linkat(
        ro.dir.as_fd(),
        &ro.name,
        rn.dir.as_fd(),
        &rn.name,
    )?)
}

pub(crate) fn path_open(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let entry = ctx.fds.get(a.u32(0))?;
    let dir = entry.dir(rights::PATH_OPEN)?;
    let dir_inheriting = entry.inheriting;
    let dirflags = a.u32(1);
    let path = mem.path(a.u32(2), a.u32(3))?;
    let of = u16::try_from(a.u32(4)).map_err(|_| Errno::Inval)?;
    let (want_base, want_inheriting) = (a.u64(5), a.u64(6));
    let ff = u16::try_from(a.u32(7)).map_err(|_| Errno::Inval)?;
    if of & !oflags::ALL != 0 || ff & !fdflags::ALL != 0 {
        return Err(Errno::Inval.into());
    }
    if of & oflags::CREAT != 0 {
        entry.need(rights::PATH_CREATE_FILE)?;
    }
    if of & oflags::TRUNC != 0 {
        // The testsuite (`truncation_rights`) expects `EPERM` here.
        entry
            .need(rights::PATH_FILESTAT_SET_SIZE)
            .map_err(|_| Errno::Perm)?;
    }
    let r = resolve(dir, &path, follows(dirflags, &path))?;

    let mut flags = libc::O_NOFOLLOW;
    if of & oflags::DIRECTORY != 0 || r.must_be_dir {
        flags |= libc::O_DIRECTORY;
    }
    if of & oflags::CREAT != 0 {
        flags |= libc::O_CREAT;
    }
    if of & oflags::EXCL != 0 {
        flags |= libc::O_EXCL;
    }
    if of & oflags::TRUNC != 0 {
        flags |= libc::O_TRUNC;
    }
    // Open for what the rights asked for need, as wasi-libc asks them (a
    // read-only open asks for no writing right); a directory asked to be
    // written is `EISDIR`, from the host.
    let read = want_base & (rights::FD_READ | rights::FD_READDIR) != 0;
    let write =
        want_base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE) != 0;
    flags |= match (read, write) {
        (_, false) => libc::O_RDONLY,
        (false, true) => libc::O_WRONLY,
        (true, true) => libc::O_RDWR,
    };
    if ff & fdflags::APPEND != 0 {
        flags |= libc::O_APPEND;
    }
    if ff & fdflags::NONBLOCK != 0 {
        flags |= libc::O_NONBLOCK;
    }
    if ff & fdflags::DSYNC != 0 {
        flags |= libc::O_DSYNC;
    }
    if ff & fdflags::SYNC != 0 {
        flags |= libc::O_SYNC;
    }
    if ff & fdflags::RSYNC != 0 {
        flags |= rsync()?;
    }
    if of & oflags::TRUNC != 0 && !write {
        // `O_TRUNC` needs a writable descriptor on some hosts; the right
        // to truncate was checked above.
        flags = (flags & !libc::O_ACCMODE) | if read { libc::O_RDWR } else { libc::O_WRONLY };
    }
    let fd = sys::openat(r.dir.as_fd(), &r.name, flags, 0o666)?;
    let ft = sys::fstat(fd.as_fd())?.filetype;
    let file = File::from(fd);
    let kind = if ft == filetype::DIRECTORY {
        Kind::Dir {
            file,
            listing: None,
        }
    } else {
        Kind::File(file)
    };
    let new = Entry {
        kind,
        base: want_base & dir_inheriting & max_rights(ft),
        inheriting: want_inheriting & dir_inheriting,
        flags: ff,
        preopen: None,
    };
    let fd = ctx.fds.insert(new)?;
    mem.put_u32(a.u32(8), fd)
}

#[cfg(target_os = "linux")]
fn rsync() -> Result<libc::c_int, Errno> {
    Ok(libc::O_RSYNC)
}

#[cfg(not(target_os = "linux"))]
fn rsync() -> Result<libc::c_int, Errno> {
    Err(Errno::NotSup)
}

pub(crate) fn path_readlink(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_READLINK)?;
    let path = mem.path(a.u32(1), a.u32(2))?;
    let r = resolve(dir, &path, false)?;
    let target = sys::readlinkat(r.dir.as_fd(), &r.name)?;
    // A target longer than the buffer is cut to it, as `readlink` does.
    let n = target.len().min(a.u32(4) as usize);
    mem.write(a.u32(3), &target[..n])?;
    mem.put_u32(a.u32(5), n as u32)
}

pub(crate) fn path_remove_directory(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_REMOVE_DIRECTORY)?;
    let path = mem.path(a.u32(1), a.u32(2))?;
    let r = resolve(dir, &path, false)?;
    Ok(sys::unlinkat(r.dir.as_fd(), &r.name, true)?)
}

pub(crate) fn path_rename(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let old_dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_RENAME_SOURCE)?;
    let new_dir = ctx.fds.get(a.u32(3))?.dir(rights::PATH_RENAME_TARGET)?;
    let old = mem.path(a.u32(1), a.u32(2))?;
    let new = mem.path(a.u32(4), a.u32(5))?;
    let ro = resolve(old_dir, &old, false)?;
    let rn = resolve(new_dir, &new, false)?;
    if ro.must_be_dir || rn.must_be_dir {
        // A trailing slash on either side: only a directory may move.
        if sys::lstatat(ro.dir.as_fd(), &ro.name)?.filetype != filetype::DIRECTORY {
            return Err(Errno::NotDir.into());
        }
    }
    Ok(sys::renameat(
        ro.dir.as_fd(),
        &ro.name,
        rn.dir.as_fd(),
        &rn.name,
    )?)
}

pub(crate) fn path_symlink(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let target = mem.path(a.u32(0), a.u32(1))?;
    let dir = ctx.fds.get(a.u32(2))?.dir(rights::PATH_SYMLINK)?;
    if target.starts_with(b"/") {
        // It could never be followed inside the sandbox (and wasmtime
        // refuses it too).
        return Err(Errno::Perm.into());
    }
    let path = mem.path(a.u32(3), a.u32(4))?;
    let r = resolve(dir, &path, false)?;
    if r.must_be_dir {
        // `link/` names a directory, which a new link is not.
        return Err(match sys::lstatat(r.dir.as_fd(), &r.name) {
            Ok(_) => Errno::Exist,
            Err(_) => Errno::NoEnt,
        }
        .into());
    }
    let target = sys::cstr(&target)?;
    Ok(sys::symlinkat(&target, r.dir.as_fd(), &r.name)?)
}

pub(crate) fn path_unlink_file(ctx: &mut WasiCtx, mem: &mut Mem<'_>, a: &Args<'_>) -> Res {
    let dir = ctx.fds.get(a.u32(0))?.dir(rights::PATH_UNLINK_FILE)?;
    let path = mem.path(a.u32(1), a.u32(2))?;
    let r = resolve(dir, &path, false)?;
    let is_dir = || sys::lstatat(r.dir.as_fd(), &r.name).map(|s| s.filetype == filetype::DIRECTORY);
    if r.must_be_dir {
        return Err(if is_dir()? {
            Errno::IsDir
        } else {
            Errno::NotDir
        }
        .into());
    }
    match sys::unlinkat(r.dir.as_fd(), &r.name, false) {
        // macOS says `EPERM` for a directory, Linux `EISDIR`.
        Err(e) if e.raw_os_error() == Some(libc::EPERM) && is_dir().unwrap_or(false) => {
            Err(Errno::IsDir.into())
        }
        r => Ok(r?),
    }
}
