//! WASI error numbers (`errno` of `wasi_snapshot_preview1`) and their
//! mapping from host errors.
//!
//! Every WASI function returns one of these as its `i32` result; the host's
//! `errno` values differ between Linux and macOS, so the mapping is a table
//! searched by value rather than a `match` on constants (two host names can
//! share a value on one system and not on the other).

use std::fmt;
use std::io;

/// A WASI error number. `Success` (0) is not an error; the others say why a
/// call failed, with the meanings of POSIX's `errno` names.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Errno {
    Success = 0,
    TooBig = 1,
    Acces = 2,
    AddrInUse = 3,
    AddrNotAvail = 4,
    AfNoSupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    BadMsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    ConnAborted = 13,
    ConnRefused = 14,
    ConnReset = 15,
    Deadlk = 16,
    DestAddrReq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    HostUnreach = 23,
    Idrm = 24,
    Ilseq = 25,
    InProgress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    IsConn = 30,
    IsDir = 31,
    Loop = 32,
    Mfile = 33,
    Mlink = 34,
    MsgSize = 35,
    Multihop = 36,
    NameTooLong = 37,
    NetDown = 38,
    NetReset = 39,
    NetUnreach = 40,
    Nfile = 41,
    NoBufs = 42,
    NoDev = 43,
    NoEnt = 44,
    NoExec = 45,
    NoLck = 46,
    NoLink = 47,
    NoMem = 48,
    NoMsg = 49,
    NoProtoOpt = 50,
    NoSpc = 51,
    NoSys = 52,
    NotConn = 53,
    NotDir = 54,
    NotEmpty = 55,
    NotRecoverable = 56,
    NotSock = 57,
    NotSup = 58,
    NoTty = 59,
    Nxio = 60,
    Overflow = 61,
    OwnerDead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    ProtoNoSupport = 66,
    ProtoType = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    TimedOut = 73,
    TxtBsy = 74,
    Xdev = 75,
    NotCapable = 76,
}

impl Errno {
    /// The number a WASI function returns for this error.
    pub fn raw(self) -> u16 {
        self as u16
    }

    /// The WASI error of a host `errno` value (`EIO` for one WASI has no
    /// name for).
    pub fn from_host(code: i32) -> Errno {
        HOST.iter()
            .find(|(h, _)| *h == code)
            .map_or(Errno::Io, |(_, e)| *e)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errno {} ({:?})", self.raw(), self)
    }
}

impl std::error::Error for Errno {}

impl From<io::Error> for Errno {
    /// The host's `errno` if the error carries one, else the closest WASI
    /// error for its kind.
    fn from(e: io::Error) -> Errno {
        if let Some(code) = e.raw_os_error() {
            return Errno::from_host(code);
        }
        match e.kind() {
            io::ErrorKind::NotFound => Errno::NoEnt,
            io::ErrorKind::PermissionDenied => Errno::Acces,
            io::ErrorKind::AlreadyExists => Errno::Exist,
            io::ErrorKind::InvalidInput => Errno::Inval,
            io::ErrorKind::Interrupted => Errno::Intr,
            io::ErrorKind::WouldBlock => Errno::Again,
            io::ErrorKind::Unsupported => Errno::NotSup,
            io::ErrorKind::OutOfMemory => Errno::NoMem,
            _ => Errno::Io,
        }
    }
}

/// Host `errno` values and their WASI errors.
const HOST: &[(i32, Errno)] = &[
    (libc::E2BIG, Errno::TooBig),
    (libc::EACCES, Errno::Acces),
    (libc::EADDRINUSE, Errno::AddrInUse),
    (libc::EADDRNOTAVAIL, Errno::AddrNotAvail),
    (libc::EAFNOSUPPORT, Errno::AfNoSupport),
    (libc::EAGAIN, Errno::Again),
    (libc::EWOULDBLOCK, Errno::Again),
    (libc::EALREADY, Errno::Already),
    (libc::EBADF, Errno::Badf),
    (libc::EBADMSG, Errno::BadMsg),
    (libc::EBUSY, Errno::Busy),
    (libc::ECANCELED, Errno::Canceled),
    (libc::ECHILD, Errno::Child),
    (libc::ECONNABORTED, Errno::ConnAborted),
    (libc::ECONNREFUSED, Errno::ConnRefused),
    (libc::ECONNRESET, Errno::ConnReset),
    (libc::EDEADLK, Errno::Deadlk),
    (libc::EDESTADDRREQ, Errno::DestAddrReq),
    (libc::EDOM, Errno::Dom),
    (libc::EDQUOT, Errno::Dquot),
    (libc::EEXIST, Errno::Exist),
    (libc::EFAULT, Errno::Fault),
    (libc::EFBIG, Errno::Fbig),
    (libc::EHOSTUNREACH, Errno::HostUnreach),
    (libc::EIDRM, Errno::Idrm),
    (libc::EILSEQ, Errno::Ilseq),
    (libc::EINPROGRESS, Errno::InProgress),
    (libc::EINTR, Errno::Intr),
    (libc::EINVAL, Errno::Inval),
    (libc::EIO, Errno::Io),
    (libc::EISCONN, Errno::IsConn),
    (libc::EISDIR, Errno::IsDir),
    (libc::ELOOP, Errno::Loop),
    (libc::EMFILE, Errno::Mfile),
    (libc::EMLINK, Errno::Mlink),
    (libc::EMSGSIZE, Errno::MsgSize),
    (libc::EMULTIHOP, Errno::Multihop),
    (libc::ENAMETOOLONG, Errno::NameTooLong),
    (libc::ENETDOWN, Errno::NetDown),
    (libc::ENETRESET, Errno::NetReset),
    (libc::ENETUNREACH, Errno::NetUnreach),
    (libc::ENFILE, Errno::Nfile),
    (libc::ENOBUFS, Errno::NoBufs),
    (libc::ENODEV, Errno::NoDev),
    (libc::ENOENT, Errno::NoEnt),
    (libc::ENOEXEC, Errno::NoExec),
    (libc::ENOLCK, Errno::NoLck),
    (libc::ENOLINK, Errno::NoLink),
    (libc::ENOMEM, Errno::NoMem),
    (libc::ENOMSG, Errno::NoMsg),
    (libc::ENOPROTOOPT, Errno::NoProtoOpt),
    (libc::ENOSPC, Errno::NoSpc),
    (libc::ENOSYS, Errno::NoSys),
    (libc::ENOTCONN, Errno::NotConn),
    (libc::ENOTDIR, Errno::NotDir),
    (libc::ENOTEMPTY, Errno::NotEmpty),
    (libc::ENOTRECOVERABLE, Errno::NotRecoverable),
    (libc::ENOTSOCK, Errno::NotSock),
    (libc::ENOTSUP, Errno::NotSup),
    (libc::EOPNOTSUPP, Errno::NotSup),
    (libc::ENOTTY, Errno::NoTty),
    (libc::ENXIO, Errno::Nxio),
    (libc::EOVERFLOW, Errno::Overflow),
    (libc::EOWNERDEAD, Errno::OwnerDead),
    (libc::EPERM, Errno::Perm),
    (libc::EPIPE, Errno::Pipe),
    (libc::EPROTO, Errno::Proto),
    (libc::EPROTONOSUPPORT, Errno::ProtoNoSupport),
    (libc::EPROTOTYPE, Errno::ProtoType),
    (libc::ERANGE, Errno::Range),
    (libc::EROFS, Errno::Rofs),
    (libc::ESPIPE, Errno::Spipe),
    (libc::ESRCH, Errno::Srch),
    (libc::ESTALE, Errno::Stale),
    (libc::ETIMEDOUT, Errno::TimedOut),
    (libc::ETXTBSY, Errno::TxtBsy),
    (libc::EXDEV, Errno::Xdev),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_errors_map_by_value() {
        assert_eq!(Errno::from_host(libc::ENOENT), Errno::NoEnt);
        assert_eq!(Errno::from_host(libc::ELOOP), Errno::Loop);
        assert_eq!(Errno::from_host(libc::EOPNOTSUPP), Errno::NotSup);
        assert_eq!(Errno::from_host(-12345), Errno::Io);
        let e = io::Error::from_raw_os_error(libc::ENOTDIR);
        assert_eq!(Errno::from(e), Errno::NotDir);
        assert_eq!(Errno::NotCapable.raw(), 76);
        assert_eq!(Errno::Perm.raw(), 63);
    }
}
