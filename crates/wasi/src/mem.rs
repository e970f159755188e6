//! The calling instance's linear memory, as WASI functions read and write
//! it: little-endian integers, byte ranges and I/O vectors at guest
//! addresses, every access bounds-checked.
//!
//! An address or length beyond the memory is the guest's mistake, answered
//! with `EFAULT` (as wasmtime does), never a panic. The memory is looked up
//! only when a function first touches it, so that functions without pointer
//! arguments work for modules without a memory; touching a missing memory
//! ends the call with a trap, since no errno can be written without one.

use weft_interp::Trap;

use crate::errno::Errno;

/// Why a WASI function did not return normally.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Return this errno to the program.
    Errno(Errno),
    /// End the call with this trap (no memory, or `proc_exit`).
    Trap(Trap),
}

impl From<Errno> for Fail {
    fn from(e: Errno) -> Fail {
        Fail::Errno(e)
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Fail {
        Fail::Errno(e.into())
    }
}

/// What a WASI function returns inside the crate.
pub(crate) type Res<T = ()> = Result<T, Fail>;

/// The caller's memory, if it has one.
pub(crate) struct Mem<'a> {
    data: Option<&'a mut [u8]>,
}

impl<'a> Mem<'a> {
    /// A view of `data` (`None`: the caller exports no memory).
    pub fn new(data: Option<&'a mut [u8]>) -> Mem<'a> {
        Mem { data }
    }

    fn bytes(&self) -> Res<&[u8]> {
        match &self.data {
            Some(d) => Ok(d),
            None => Err(no_memory()),
        }
    }

    fn bytes_mut(&mut self) -> Res<&mut [u8]> {
        match &mut self.data {
            Some(d) => Ok(d),
            None => Err(no_memory()),
        }
    }

    /// The bytes `[ptr, ptr + len)`.
    pub fn slice(&self, ptr: u32, len: u32) -> Res<&[u8]> {
        let d = self.bytes()?;
        let r = range(d.len(), ptr, len)?;
        Ok(&d[r])
    }

    /// The bytes `[ptr, ptr + len)`, writable.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Res<&mut [u8]> {
        let d = self.bytes_mut()?;
        let r = range(d.len(), ptr, len)?;
        Ok(&mut d[r])
    }

    fn array<const N: usize>(&self, ptr: u32) -> Res<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(out)
    }

    /// The `u16` at `ptr`.
    pub fn u16(&self, ptr: u32) -> Res<u16> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    /// The `u32` at `ptr`.
    pub fn u32(&self, ptr: u32) -> Res<u32> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    /// The `u64` at `ptr`.
    pub fn u64(&self, ptr: u32) -> Res<u64> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    /// The byte at `ptr`.
    pub fn u8(&self, ptr: u32) -> Res<u8> {
        Ok(self.array::<1>(ptr)?[0])
    }

    /// Writes `bytes` at `ptr`.
    pub fn write(&mut self, ptr: u32, bytes: &[u8]) -> Res {
        let len = u32::try_from(bytes.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(bytes);
        Ok(())
    }

    /// Writes a `u8` at `ptr`.
    pub fn put_u8(&mut self, ptr: u32, v: u8) -> Res {
        self.write(ptr, &[v])
    }

    /// Writes a `u32` at `ptr`.
    pub fn put_u32(&mut self, ptr: u32, v: u32) -> Res {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Writes a `u64` at `ptr`.
    pub fn put_u64(&mut self, ptr: u32, v: u64) -> Res {
        self.write(ptr, &v.to_le_bytes())
    }

    /// The `i`th I/O vector (`buf`, `buf_len`) of the array at `iovs`,
    /// whose buffer is checked to lie in memory.
    pub fn iovec(&self, iovs: u32, i: u32) -> Res<(u32, u32)> {
        let at = i
            .checked_mul(crate::abi::IOVEC_SIZE)
            .and_then(|o| iovs.checked_add(o))
            .ok_or(Errno::Fault)?;
        let buf = self.u32(at)?;
        let len = self.u32(at + 4)?;
        range(self.bytes()?.len(), buf, len)?;
        Ok((buf, len))
    }

    /// Checks that an array of `n` I/O vectors at `iovs` lies in memory.
    pub fn check_iovecs(&self, iovs: u32, n: u32) -> Res {
        let size = n.checked_mul(crate::abi::IOVEC_SIZE).ok_or(Errno::Fault)?;
        self.slice(iovs, size).map(|_| ())
    }

    /// A path argument: its bytes, which must be UTF-8 (`EILSEQ`) without
    /// NUL (`EINVAL`), as WASI's `string` type requires.
    pub fn path(&self, ptr: u32, len: u32) -> Res<Vec<u8>> {
        let bytes = self.slice(ptr, len)?;
        if std::str::from_utf8(bytes).is_err() {
            return Err(Errno::Ilseq.into());
        }
        if bytes.contains(&0) {
            return Err(Errno::Inval.into());
        }
        Ok(bytes.to_vec())
    }
}

fn range(size: usize, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
    let start = ptr as usize;
    let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
    if end > size {
        return Err(Errno::Fault);
    }
    Ok(start..end)
}

fn no_memory() -> Fail {
    Fail::Trap(Trap::Host(
        "wasi: the calling instance exports no memory named \"memory\"".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errno(r: Res<impl std::fmt::Debug>) -> Errno {
        match r {
            Err(Fail::Errno(e)) => e,
            other => panic!("expected an errno, got {other:?}"),
        }
    }

    #[test]
    fn accesses_are_bounds_checked() {
        let mut bytes = vec![0u8; 16];
        let mut m = Mem::new(Some(&mut bytes));
        m.put_u32(12, 0xdead_beef).unwrap();
        assert_eq!(m.u32(12).unwrap(), 0xdead_beef);
        assert_eq!(errno(m.u32(13)), Errno::Fault);
        assert_eq!(errno(m.put_u64(u32::MAX, 1)), Errno::Fault);
        assert_eq!(errno(m.slice(16, 1)), Errno::Fault);
        assert!(m.slice(16, 0).is_ok());
        // An I/O vector whose buffer runs off the end.
        m.put_u32(0, 8).unwrap();
        m.put_u32(4, 9).unwrap();
        assert_eq!(errno(m.iovec(0, 0)), Errno::Fault);
        assert_eq!(errno(m.iovec(0, u32::MAX)), Errno::Fault);
        assert_eq!(errno(m.check_iovecs(0, u32::MAX)), Errno::Fault);
    }

    #[test]
    fn paths_must_be_utf8_without_nul() {
        let mut bytes = b"ab\0\xff".to_vec();
        let m = Mem::new(Some(&mut bytes));
        assert_eq!(m.path(0, 2).unwrap(), b"ab");
        assert_eq!(errno(m.path(0, 3)), Errno::Inval);
        assert_eq!(errno(m.path(0, 4)), Errno::Ilseq);
    }

    #[test]
    fn a_missing_memory_traps() {
        let m = Mem::new(None);
        assert!(matches!(m.u32(0), Err(Fail::Trap(_))));
    }
}
