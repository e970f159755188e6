//! Sandboxed path resolution: a guest path, relative to a directory
//! descriptor, resolved component by component into a parent directory
//! descriptor and a final name, without ever leaving the directory the
//! resolution started from.
//!
//! Every directory on the way is opened relative to the one before it with
//! `O_NOFOLLOW`, so the host never resolves a symbolic link or a `..` on
//! the guest's behalf: a symbolic link is read (`readlinkat`) and its
//! target spliced into the remaining components here, and `..` pops the
//! stack of directories opened so far. What would leave the starting
//! directory — an absolute path, a `..` past it, an absolute link target —
//! is refused with `EPERM`, as the WASI testsuite expects. Because each
//! step holds a descriptor of the directory it resolves in, a concurrent
//! rename or a symbolic link swapped in between two steps cannot make the
//! resolution escape (unlike canonicalizing a host path and checking its
//! prefix, which races with such changes).

use std::ffi::CString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use crate::errno::Errno;
use crate::sys;

/// How many symbolic links one resolution may follow (`ELOOP` beyond).
const MAX_LINKS: u32 = 32;

/// A directory descriptor: the one resolution started from, or one it
/// opened on the way.
pub(crate) enum DirFd<'a> {
    Borrowed(BorrowedFd<'a>),
    Owned(OwnedFd),
}

impl AsFd for DirFd<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            DirFd::Borrowed(fd) => *fd,
            DirFd::Owned(fd) => fd.as_fd(),
        }
    }
}

/// A resolved path: the directory its last component is in and that
/// component's name (never containing `/`; `.` when the path named the
/// directory itself).
pub(crate) struct Resolved<'a> {
    pub dir: DirFd<'a>,
    pub name: CString,
    /// The path ended in `/` (or named a link whose target did): what it
    /// names must be a directory.
    pub must_be_dir: bool,
}

/// Resolves `path` under `base`. Intermediate symbolic links are always
/// followed (inside the sandbox); the last component only when `follow` is
/// set (lookups set it for a path ending in `/` too; operations on the
/// entry itself — unlink, rename, rmdir — never, and check
/// [`Resolved::must_be_dir`] instead).
pub(crate) fn resolve<'a>(
    base: BorrowedFd<'a>,
    path: &[u8],
    follow: bool,
) -> Result<Resolved<'a>, Errno> {
    if path.is_empty() {
        return Err(Errno::NoEnt);
    }
    if path[0] == b'/' {
        return Err(Errno::Perm);
    }
    let mut must_be_dir = path.ends_with(b"/");
    // Components still to resolve, the next one last.
    let mut pending: Vec<Vec<u8>> = components(path);
    // Directories opened below `base`, the current one last.
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut links = 0u32;
    let finish = |mut stack: Vec<OwnedFd>, name: &[u8], must_be_dir: bool| {
        let dir = match stack.pop() {
            Some(fd) => DirFd::Owned(fd),
            None => DirFd::Borrowed(base),
        };
        Ok(Resolved {
            dir,
            name: sys::cstr(name).map_err(|_| Errno::Inval)?,
            must_be_dir,
        })
    };
    while let Some(comp) = pending.pop() {
        let last = pending.is_empty();
        match comp.as_slice() {
            b"." => {
                if last {
                    return finish(stack, b".", must_be_dir);
                }
                continue;
            }
            b".." => {
                if stack.pop().is_none() {
                    return Err(Errno::Perm);
                }
                if last {
                    return finish(stack, b".", true);
                }
                continue;
            }
            _ => {}
        }
        let cur = stack.last().map_or(base, |fd| fd.as_fd());
        let name = sys::cstr(&comp).map_err(|_| Errno::Inval)?;
        if last {
            if follow && let Ok(target) = sys::readlinkat(cur, &name) {
                must_be_dir |= target.ends_with(b"/");
                splice(&mut pending, &target, &mut links)?;
                continue;
            }
            return finish(stack, &comp, must_be_dir);
        }
        match sys::openat(cur, &name, sys::O_SEARCH_DIR | libc::O_NOFOLLOW, 0) {
            Ok(fd) => stack.push(fd),
            Err(e) => {
                let code = e.raw_os_error();
                let maybe_link = [libc::ELOOP, libc::ENOTDIR, libc::EMLINK]
                    .iter()
                    .any(|c| Some(*c) == code);
                match sys::readlinkat(cur, &name) {
                    Ok(target) if maybe_link => splice(&mut pending, &target, &mut links)?,
                    _ => return Err(e.into()),
                }
            }
        }
    }
    // Only a path of separators alone gets here, and it was refused as
    // absolute; an empty component list cannot come from a non-empty path.
    Err(Errno::NoEnt)
}

/// The non-empty components of a path, last first.
fn components(path: &[u8]) -> Vec<Vec<u8>> {
    let mut comps: Vec<Vec<u8>> = path
        .split(|b| *b == b'/')
        .filter(|c| !c.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    comps.reverse();
    comps
}

/// Puts a symbolic link's target in front of the components still to
/// resolve.
fn splice(pending: &mut Vec<Vec<u8>>, target: &[u8], links: &mut u32) -> Result<(), Errno> {
    *links += 1;
    if *links > MAX_LINKS {
        return Err(Errno::Loop);
    }
    if target.is_empty() {
        return Err(Errno::NoEnt);
    }
    if target[0] == b'/' {
        return Err(Errno::Perm);
    }
    pending.extend(components(target));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn resolve_name(base: &std::fs::File, path: &str, follow: bool) -> Result<String, Errno> {
        let r = resolve(base.as_fd(), path.as_bytes(), follow)?;
        let st = sys::fstat(r.dir.as_fd()).unwrap();
        Ok(format!(
            "{}:{}",
            st.ino,
            String::from_utf8_lossy(r.name.as_bytes())
        ))
    }

    #[test]
    fn escapes_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(tmp.path().join("secret"), b"x").unwrap();
        symlink("../secret", root.join("up")).unwrap();
        symlink("/etc/passwd", root.join("abs")).unwrap();
        symlink("../../../secret", root.join("a/b/deep")).unwrap();
        symlink("../..", root.join("a/b/top")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        symlink("a", root.join("to_a")).unwrap();
        let base = std::fs::File::open(&root).unwrap();
        let ino = |p: &std::path::Path| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(p).unwrap().ino()
        };
        assert_eq!(resolve_name(&base, "/etc", false), Err(Errno::Perm));
        assert_eq!(resolve_name(&base, "..", false), Err(Errno::Perm));
        assert_eq!(resolve_name(&base, "a/../../x", false), Err(Errno::Perm));
        // A link that escapes is refused when followed, kept when not.
        assert_eq!(resolve_name(&base, "up", true), Err(Errno::Perm));
        assert_eq!(
            resolve_name(&base, "up", false),
            Ok(format!("{}:up", ino(&root)))
        );
        assert_eq!(resolve_name(&base, "abs", true), Err(Errno::Perm));
        assert_eq!(resolve_name(&base, "abs/x", false), Err(Errno::Perm));
        // Escaping through an intermediate component.
        assert_eq!(resolve_name(&base, "a/b/deep/x", false), Err(Errno::Perm));
        assert_eq!(resolve_name(&base, "up/x", false), Err(Errno::Perm));
        assert_eq!(resolve_name(&base, "a/b/top/../x", false), Err(Errno::Perm));
        assert_eq!(
            resolve_name(&base, "a/b/top/x", false),
            Ok(format!("{}:x", ino(&root)))
        );
        assert_eq!(resolve_name(&base, "loop1", true), Err(Errno::Loop));
        // What stays inside resolves.
        assert_eq!(
            resolve_name(&base, "a/b/../b/", false),
            Ok(format!("{}:b", ino(&root.join("a"))))
        );
        assert_eq!(
            resolve_name(&base, "a/./b/../b/.", false),
            Ok(format!("{}:.", ino(&root.join("a/b"))))
        );
        assert_eq!(
            resolve_name(&base, "to_a/b/x", false),
            Ok(format!("{}:x", ino(&root.join("a/b"))))
        );
        assert_eq!(
            resolve_name(&base, "a/..", false),
            Ok(format!("{}:.", ino(&root)))
        );
        assert_eq!(resolve_name(&base, "", false), Err(Errno::NoEnt));
        // A regular file in the middle.
        std::fs::write(root.join("f"), b"").unwrap();
        assert_eq!(resolve_name(&base, "f/x", false), Err(Errno::NotDir));
    }
}
