//! The host calls std does not offer, as safe functions: the `*at` family
//! that path resolution is built on (each relative to a directory
//! descriptor, never to the process's working directory), `stat` records,
//! directory listing, timestamps, file status flags, `poll` and clocks.
//!
//! This is the crate's only `unsafe` code: each block is one libc call
//! whose pointer arguments are live, NUL-terminated or sized as the call
//! requires, and whose returned descriptor is taken into an `OwnedFd` at
//! once. Linux and macOS; where they differ (`O_PATH`, `posix_fallocate`,
//! `posix_fadvise`) the difference is in this file only.

use std::ffi::{CStr, CString};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};

use libc::c_int;

use crate::abi::filetype;

fn cvt(r: c_int) -> io::Result<c_int> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// A name for the `*at` calls (`EINVAL` for one with a NUL, which the
/// callers have already refused).
pub fn cstr(bytes: &[u8]) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// The flags that open a directory only to resolve names under it.
#[cfg(target_os = "linux")]
pub const O_SEARCH_DIR: c_int = libc::O_PATH | libc::O_DIRECTORY;
/// The flags that open a directory only to resolve names under it.
#[cfg(not(target_os = "linux"))]
pub const O_SEARCH_DIR: c_int = libc::O_RDONLY | libc::O_DIRECTORY;

/// `openat(dir, name, flags | O_CLOEXEC, mode)`.
pub fn openat(dir: BorrowedFd<'_>, name: &CStr, flags: c_int, mode: u32) -> io::Result<OwnedFd> {
    loop {
        // SAFETY: `name` is NUL-terminated and outlives the call; `dir` is
        // an open descriptor for the call's duration.
        let r = unsafe {
            libc::openat(
                dir.as_raw_fd(),
                name.as_ptr(),
                flags | libc::O_CLOEXEC,
                mode as libc::c_uint,
            )
        };
        match cvt(r) {
            // SAFETY: a non-negative result is a new descriptor that
            // nothing else owns.
            Ok(fd) => return Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// A file's status, in WASI's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

fn nanos(sec: i64, nsec: i64) -> u64 {
    let t = i128::from(sec) * 1_000_000_000 + i128::from(nsec);
    t.clamp(0, i128::from(u64::MAX)) as u64
}

/// The WASI file type of a `st_mode`.
pub fn filetype_of_mode(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => filetype::REGULAR_FILE,
        libc::S_IFDIR => filetype::DIRECTORY,
        libc::S_IFLNK => filetype::SYMBOLIC_LINK,
        libc::S_IFCHR => filetype::CHARACTER_DEVICE,
        libc::S_IFBLK => filetype::BLOCK_DEVICE,
        libc::S_IFSOCK => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

#[allow(clippy::unnecessary_cast)] // the field types differ between systems
fn convert(st: &libc::stat) -> Stat {
    Stat {
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
        filetype: filetype_of_mode(st.st_mode),
        nlink: st.st_nlink as u64,
        size: st.st_size as u64,
        atim: nanos(st.st_atime as i64, st.st_atime_nsec as i64),
        mtim: nanos(st.st_mtime as i64, st.st_mtime_nsec as i64),
        ctim: nanos(st.st_ctime as i64, st.st_ctime_nsec as i64),
    }
}

/// `fstat(fd)`.
pub fn fstat(fd: BorrowedFd<'_>) -> io::Result<Stat> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `st` has room for a `stat`, which the call fills on success.
    cvt(unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) })?;
    // SAFETY: the call succeeded, so `st` is initialized.
    Ok(convert(unsafe { st.assume_init_ref() }))
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`: the status of `name` itself,
/// a symbolic link not followed.
pub fn lstatat(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<Stat> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `name` is NUL-terminated; `st` has room for a `stat`.
    cvt(unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })?;
    // SAFETY: the call succeeded, so `st` is initialized.
    Ok(convert(unsafe { st.assume_init_ref() }))
}

/// `mkdirat(dir, name, 0777)`.
pub fn mkdirat(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<()> {
    // SAFETY: `name` is NUL-terminated.
    cvt(unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o777) }).map(drop)
}

/// `unlinkat(dir, name, AT_REMOVEDIR if dir_too)`.
pub fn unlinkat(dir: BorrowedFd<'_>, name: &CStr, remove_dir: bool) -> io::Result<()> {
    let flags = if remove_dir { libc::AT_REMOVEDIR } else { 0 };
    // SAFETY: `name` is NUL-terminated.
    cvt(unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), flags) }).map(drop)
}

/// `renameat(from_dir, from, to_dir, to)`.
pub fn renameat(
    from_dir: BorrowedFd<'_>,
    from: &CStr,
    to_dir: BorrowedFd<'_>,
    to: &CStr,
) -> io::Result<()> {
    // SAFETY: both names are NUL-terminated.
    cvt(unsafe {
        libc::renameat(
            from_dir.as_raw_fd(),
            from.as_ptr(),
            to_dir.as_raw_fd(),
            to.as_ptr(),
        )
    })
    .map(drop)
}

/// `linkat(from_dir, from, to_dir, to, 0)`: a hard link to `from` itself
/// (a symbolic link is not followed).
pub fn linkat(
    from_dir: BorrowedFd<'_>,
    from: &CStr,
    to_dir: BorrowedFd<'_>,
    to: &CStr,
) -> io::Result<()> {
    // SAFETY: both names are NUL-terminated.
    cvt(unsafe {
        libc::linkat(
            from_dir.as_raw_fd(),
            from.as_ptr(),
            to_dir.as_raw_fd(),
            to.as_ptr(),
            0,
        )
    })
    .map(drop)
}

/// `symlinkat(target, dir, name)`.
pub fn symlinkat(target: &CStr, dir: BorrowedFd<'_>, name: &CStr) -> io::Result<()> {
    // SAFETY: both strings are NUL-terminated.
    cvt(unsafe { libc::symlinkat(target.as_ptr(), dir.as_raw_fd(), name.as_ptr()) }).map(drop)
}

/// `readlinkat(dir, name)`: a symbolic link's target (`EINVAL` if `name`
/// is not one).
pub fn readlinkat(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `name` is NUL-terminated; `buf` has `buf.len()` writable
        // bytes.
        let n = unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                name.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let n = n as usize;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(buf);
        }
        // Possibly truncated: try a larger buffer, within reason.
        if buf.len() >= 1 << 16 {
            return Err(io::Error::from_raw_os_error(libc::ENAMETOOLONG));
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// A time to set: a value in nanoseconds, now, or unchanged.
#[derive(Clone, Copy, Debug)]
pub enum SetTime {
    At(u64),
    Now,
    Omit,
}

fn timespec(t: SetTime) -> libc::timespec {
    // SAFETY: `timespec` is plain data, for which all zero bytes are valid
    // (some targets give it private padding fields, so it cannot be
    // written as a literal).
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    match t {
        SetTime::At(ns) => {
            ts.tv_sec = (ns / 1_000_000_000) as libc::time_t;
            ts.tv_nsec = (ns % 1_000_000_000) as _;
        }
        SetTime::Now => ts.tv_nsec = libc::UTIME_NOW as _,
        SetTime::Omit => ts.tv_nsec = libc::UTIME_OMIT as _,
    }
    ts
}

/// `utimensat(dir, name, [atim, mtim], AT_SYMLINK_NOFOLLOW)`.
pub fn utimensat(dir: BorrowedFd<'_>, name: &CStr, atim: SetTime, mtim: SetTime) -> io::Result<()> {
    let times = [timespec(atim), timespec(mtim)];
    // SAFETY: `name` is NUL-terminated; `times` holds the two entries the
    // call reads.
    cvt(unsafe {
        libc::utimensat(
            dir.as_raw_fd(),
            name.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })
    .map(drop)
}

/// `futimens(fd, [atim, mtim])`.
pub fn futimens(fd: BorrowedFd<'_>, atim: SetTime, mtim: SetTime) -> io::Result<()> {
    let times = [timespec(atim), timespec(mtim)];
    // SAFETY: `times` holds the two entries the call reads.
    cvt(unsafe { libc::futimens(fd.as_raw_fd(), times.as_ptr()) }).map(drop)
}

/// Sets or clears `O_APPEND` and `O_NONBLOCK` on an open file.
pub fn set_status_flags(fd: BorrowedFd<'_>, append: bool, nonblock: bool) -> io::Result<()> {
    // SAFETY: `F_GETFL` takes no pointer.
    let mut fl = cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    fl &= !(libc::O_APPEND | libc::O_NONBLOCK);
    if append {
        fl |= libc::O_APPEND;
    }
    if nonblock {
        fl |= libc::O_NONBLOCK;
    }
    // SAFETY: `F_SETFL` takes an integer.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, fl) }).map(drop)
}

/// Makes sure the file has storage for `[offset, offset + len)`, growing
/// it if needed.
#[cfg(target_os = "linux")]
pub fn allocate(fd: BorrowedFd<'_>, offset: u64, len: u64) -> io::Result<()> {
    let (Ok(off), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return Err(io::Error::from_raw_os_error(libc::EFBIG));
    };
    // SAFETY: plain integers; the call returns an error number rather than
    // setting `errno`.
    match unsafe { libc::posix_fallocate(fd.as_raw_fd(), off, len) } {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

/// Makes sure the file has storage for `[offset, offset + len)`, growing
/// it if needed (macOS has no `posix_fallocate`: the size is extended).
#[cfg(not(target_os = "linux"))]
pub fn allocate(fd: BorrowedFd<'_>, offset: u64, len: u64) -> io::Result<()> {
    let end = offset
        .checked_add(len)
        .ok_or_else(|| io::Error::from_raw_os_error(libc::EFBIG))?;
    if end > fstat(fd)?.size {
        let end = i64::try_from(end).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
        // SAFETY: plain integers.
        cvt(unsafe { libc::ftruncate(fd.as_raw_fd(), end) })?;
    }
    Ok(())
}

/// Passes an access pattern hint on (a no-op where the host has no
/// `posix_fadvise`).
#[cfg(target_os = "linux")]
pub fn advise(fd: BorrowedFd<'_>, offset: u64, len: u64, advice: u32) -> io::Result<()> {
    let advice = match advice {
        0 => libc::POSIX_FADV_NORMAL,
        1 => libc::POSIX_FADV_SEQUENTIAL,
        2 => libc::POSIX_FADV_RANDOM,
        3 => libc::POSIX_FADV_WILLNEED,
        4 => libc::POSIX_FADV_DONTNEED,
        _ => libc::POSIX_FADV_NOREUSE,
    };
    let (Ok(off), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    };
    // SAFETY: plain integers; the call returns an error number.
    match unsafe { libc::posix_fadvise(fd.as_raw_fd(), off, len, advice) } {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

/// Passes an access pattern hint on (a no-op where the host has no
/// `posix_fadvise`).
#[cfg(not(target_os = "linux"))]
pub fn advise(_fd: BorrowedFd<'_>, _offset: u64, _len: u64, _advice: u32) -> io::Result<()> {
    Ok(())
}

/// One directory entry as the host lists it.
#[derive(Clone, Debug)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub ino: u64,
    pub filetype: u8,
}

/// Every entry of a directory (with `.` and `..`), in the host's order.
pub fn read_dir(dir: BorrowedFd<'_>) -> io::Result<Vec<RawEntry>> {
    // A descriptor of its own, so that listing never moves `dir`'s offset.
    let own = openat(dir, c".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let raw = own.into_raw_fd();
    // SAFETY: `raw` is an open directory descriptor that we own; on success
    // the stream owns it.
    let stream = unsafe { libc::fdopendir(raw) };
    if stream.is_null() {
        let e = io::Error::last_os_error();
        // SAFETY: the stream was not made, so we still own `raw`.
        drop(unsafe { OwnedFd::from_raw_fd(raw) });
        return Err(e);
    }
    let mut out = Vec::new();
    loop {
        // SAFETY: `stream` is a live directory stream used by this thread
        // only.
        let ent = unsafe { libc::readdir(stream) };
        if ent.is_null() {
            break;
        }
        // SAFETY: a non-null result points to an entry that stays valid
        // until the next call on `stream`; `d_name` is NUL-terminated.
        let (name, ino, dtype) = unsafe {
            let e = &*ent;
            (
                CStr::from_ptr(e.d_name.as_ptr()).to_bytes().to_vec(),
                e.d_ino as u64,
                e.d_type,
            )
        };
        let filetype = match dtype {
            libc::DT_REG => filetype::REGULAR_FILE,
            libc::DT_DIR => filetype::DIRECTORY,
            libc::DT_LNK => filetype::SYMBOLIC_LINK,
            libc::DT_CHR => filetype::CHARACTER_DEVICE,
            libc::DT_BLK => filetype::BLOCK_DEVICE,
            libc::DT_SOCK => filetype::SOCKET_STREAM,
            libc::DT_FIFO => filetype::UNKNOWN,
            _ => cstr(&name)
                .and_then(|c| lstatat(dir, &c))
                .map_or(filetype::UNKNOWN, |s| s.filetype),
        };
        out.push(RawEntry {
            name,
            ino,
            filetype,
        });
    }
    // SAFETY: `stream` is live and closed once; this closes `raw` too.
    unsafe { libc::closedir(stream) };
    Ok(out)
}

/// Whether a descriptor is a terminal.
pub fn isatty(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: plain integer argument.
    unsafe { libc::isatty(fd.as_raw_fd()) == 1 }
}

/// Waits up to `timeout_ms` (negative: forever) for `fd` to be readable;
/// whether it is.
pub fn poll_readable(fd: BorrowedFd<'_>, timeout_ms: i32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: `p` is one live `pollfd`.
        let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        match cvt(r) {
            Ok(n) => return Ok(n > 0),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `read(fd, buf)` without any buffering of the host's own.
pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` has `buf.len()` writable bytes.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

/// The host clock of a WASI clock id.
fn host_clock(id: u32) -> Option<libc::clockid_t> {
    Some(match id {
        crate::abi::clockid::REALTIME => libc::CLOCK_REALTIME,
        crate::abi::clockid::MONOTONIC => libc::CLOCK_MONOTONIC,
        crate::abi::clockid::PROCESS_CPUTIME_ID => libc::CLOCK_PROCESS_CPUTIME_ID,
        crate::abi::clockid::THREAD_CPUTIME_ID => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return None,
    })
}

/// A host clock's time, or its resolution, in nanoseconds.
pub fn clock(id: u32, resolution: bool) -> Option<u64> {
    let clock = host_clock(id)?;
    // SAFETY: `timespec` is plain data; all zero bytes are valid.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: `ts` is a live `timespec` the call fills.
    let r = unsafe {
        if resolution {
            libc::clock_getres(clock, &mut ts)
        } else {
            libc::clock_gettime(clock, &mut ts)
        }
    };
    #[allow(clippy::unnecessary_cast)]
    (r == 0).then(|| nanos(ts.tv_sec as i64, ts.tv_nsec as i64))
}

/// The host process's standard stream `n` (0, 1 or 2).
pub fn stdio(n: i32) -> BorrowedFd<'static> {
    debug_assert!((0..=2).contains(&n));
    // SAFETY: the Rust runtime makes sure descriptors 0, 1 and 2 are open
    // when a program starts (on /dev/null if they were closed), and std
    // never closes them, so they stay open for the life of the process.
    unsafe { BorrowedFd::borrow_raw(n.clamp(0, 2)) }
}
