//! The WASI functions called one by one from WebAssembly, as a program
//! calls them: the sandbox (every way out refused), bad pointers, standard
//! streams, `poll_oneoff`, `fd_readdir` paging, clocks and randomness from
//! the context, exit codes, a caller without memory, and arbitrary
//! arguments to every function (never a panic, always an errno).

use std::path::Path;

use weft_interp::{Error, Instance, Linker, Memory, Module, Store, Trap, Value};
use weft_wasi::{Clock, Clocks, Errno, Input, Output, OutputPipe, RandomSource, WasiCtx};

/// Every function with its parameter types (`i` = i32, `l` = i64); all
/// return an `i32` errno except `proc_exit`. Instantiation checks these
/// against what the crate defines.
const SIGS: &[(&str, &str)] = &[
    ("args_get", "ii"),
    ("args_sizes_get", "ii"),
    ("environ_get", "ii"),
    ("environ_sizes_get", "ii"),
    ("clock_res_get", "ii"),
    ("clock_time_get", "ili"),
    ("fd_advise", "illi"),
    ("fd_allocate", "ill"),
    ("fd_close", "i"),
    ("fd_datasync", "i"),
    ("fd_fdstat_get", "ii"),
    ("fd_fdstat_set_flags", "ii"),
    ("fd_fdstat_set_rights", "ill"),
    ("fd_filestat_get", "ii"),
    ("fd_filestat_set_size", "il"),
    ("fd_filestat_set_times", "illi"),
    ("fd_pread", "iiili"),
    ("fd_prestat_get", "ii"),
    ("fd_prestat_dir_name", "iii"),
    ("fd_pwrite", "iiili"),
    ("fd_read", "iiii"),
    ("fd_readdir", "iiili"),
    ("fd_renumber", "ii"),
    ("fd_seek", "ilii"),
    ("fd_sync", "i"),
    ("fd_tell", "ii"),
    ("fd_write", "iiii"),
    ("path_create_directory", "iii"),
    ("path_filestat_get", "iiiii"),
    ("path_filestat_set_times", "iiiilli"),
    ("path_link", "iiiiiii"),
    ("path_open", "iiiiillii"),
    ("path_readlink", "iiiiii"),
    ("path_remove_directory", "iii"),
    ("path_rename", "iiiiii"),
    ("path_symlink", "iiiii"),
    ("path_unlink_file", "iii"),
    ("poll_oneoff", "iiii"),
    ("proc_raise", "i"),
    ("sched_yield", ""),
    ("random_get", "ii"),
    ("sock_accept", "iii"),
    ("sock_recv", "iiiiii"),
    ("sock_send", "iiiii"),
    ("sock_shutdown", "ii"),
];

fn ty(c: char) -> &'static str {
    if c == 'l' { "i64" } else { "i32" }
}

/// A module that imports every function and exports a wrapper of each
/// (so that calls come from WebAssembly, with its memory), plus `exit`.
fn wat(with_memory: bool) -> String {
    let mut s = String::from("(module\n");
    for (name, params) in SIGS {
        let ps: Vec<_> = params.chars().map(ty).collect();
        s += &format!(
            "(import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {}) (result i32)))\n",
            ps.join(" ")
        );
    }
    s += "(import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n";
    if with_memory {
        s += "(memory (export \"memory\") 1)\n";
    }
    for (name, params) in SIGS {
        let ps: Vec<_> = params.chars().map(ty).collect();
        let gets: Vec<_> = (0..ps.len()).map(|i| format!("(local.get {i})")).collect();
        s += &format!(
            "(func (export \"{name}\") (param {}) (result i32) (call ${name} {}))\n",
            ps.join(" "),
            gets.join(" ")
        );
    }
    s += "(func (export \"exit\") (param i32) (call $proc_exit (local.get 0)))\n)";
    s
}

struct Env {
    store: Store,
    inst: Instance,
    mem: Option<Memory>,
}

impl Env {
    fn new(ctx: WasiCtx) -> Env {
        Env::with(ctx, true)
    }

    fn with(ctx: WasiCtx, with_memory: bool) -> Env {
        let module = Module::new(weft_wat::parse_module(&wat(with_memory)).unwrap()).unwrap();
        let mut store = Store::new();
        let mut linker = Linker::new();
        weft_wasi::add_to_linker(&mut linker, &mut store, ctx);
        let inst = linker.instantiate(&mut store, &module).unwrap();
        let mem = match store.export(inst, "memory") {
            Some(weft_interp::Extern::Memory(m)) => Some(m),
            _ => None,
        };
        Env { store, inst, mem }
    }

    /// Calls `name` with arguments given as `u64`s (cast to each
    /// parameter's type); its result or the error.
    fn try_call(&mut self, name: &str, args: &[u64]) -> Result<i32, Error> {
        let params = SIGS.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(params.len(), args.len(), "{name}: argument count");
        let vals: Vec<Value> = params
            .chars()
            .zip(args)
            .map(|(c, a)| {
                if c == 'l' {
                    Value::I64(*a as i64)
                } else {
                    Value::I32(*a as u32 as i32)
                }
            })
            .collect();
        let f = self.store.export_func(self.inst, name).unwrap();
        match self.store.call(f, &vals)?.as_slice() {
            [Value::I32(e)] => Ok(*e),
            other => panic!("{name} returned {other:?}"),
        }
    }

    fn call(&mut self, name: &str, args: &[u64]) -> i32 {
        self.try_call(name, args).unwrap()
    }

    fn put(&mut self, addr: u32, bytes: &[u8]) {
        let m = self.mem.unwrap();
        self.store.memory_data_mut(m).unwrap()[addr as usize..][..bytes.len()]
            .copy_from_slice(bytes);
    }

    fn get(&self, addr: u32, len: usize) -> Vec<u8> {
        let m = self.mem.unwrap();
        self.store.memory_data(m).unwrap()[addr as usize..][..len].to_vec()
    }

    fn u32(&self, addr: u32) -> u32 {
        u32::from_le_bytes(self.get(addr, 4).try_into().unwrap())
    }

    fn u64(&self, addr: u32) -> u64 {
        u64::from_le_bytes(self.get(addr, 8).try_into().unwrap())
    }

    /// Puts `path` at 1024 and returns `(ptr, len)`.
    fn path(&mut self, path: &str) -> (u64, u64) {
        self.put(1024, path.as_bytes());
        (1024, path.len() as u64)
    }

    /// `path_open` under `dir` with the given lookup flags, oflags and
    /// rights; the errno, and the new descriptor on success.
    fn open(&mut self, dir: u32, follow: bool, path: &str, oflags: u64, rights: u64) -> (i32, u32) {
        let (p, n) = self.path(path);
        let e = self.call(
            "path_open",
            &[
                dir as u64,
                follow as u64,
                p,
                n,
                oflags,
                rights,
                rights,
                0,
                2048,
            ],
        );
        (e, if e == 0 { self.u32(2048) } else { u32::MAX })
    }
}

fn errno(e: Errno) -> i32 {
    i32::from(e.raw())
}

const OK: i32 = 0;
const RIGHTS_ALL: u64 = (1 << 30) - 1;
const FD_READ: u64 = 1 << 1;
const FD_WRITE: u64 = 1 << 6;
const O_CREAT: u64 = 1;
const O_DIRECTORY: u64 = 2;
/// Every right but those that write a file's contents (which a directory
/// refuses with `EISDIR`).
const DIR_ALL: u64 = RIGHTS_ALL & !(FD_WRITE | 1 << 8 | 1 << 22);

/// A scratch directory `root/` preopened as fd 3, next to a `secret` file
/// and a `outside/` directory that must stay unreachable.
fn sandbox() -> (tempfile::TempDir, Env) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir(tmp.path().join("outside")).unwrap();
    std::fs::write(tmp.path().join("secret"), b"secret").unwrap();
    std::fs::write(root.join("file"), b"0123456789").unwrap();
    let ctx = WasiCtx::builder()
        .preopened_dir(&root, "root")
        .build()
        .unwrap();
    (tmp, Env::new(ctx))
}

fn outside_untouched(tmp: &Path) {
    assert_eq!(std::fs::read(tmp.join("secret")).unwrap(), b"secret");
    let outside: Vec<_> = std::fs::read_dir(tmp.join("outside")).unwrap().collect();
    assert!(outside.is_empty(), "something was made outside the sandbox");
    let top: Vec<_> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(top.len(), 3, "{top:?}");
}

#[test]
fn nothing_outside_the_preopened_directory_is_reachable() {
    let (tmp, mut env) = sandbox();
    let perm = errno(Errno::Perm);
    for path in [
        "../secret",
        "/etc/passwd",
        "sub/../../secret",
        "sub/../sub/../../secret",
        "..",
        "/",
    ] {
        assert_eq!(env.open(3, true, path, 0, FD_READ).0, perm, "{path}");
        assert_eq!(
            env.open(3, false, path, O_CREAT, FD_WRITE).0,
            perm,
            "{path}"
        );
    }
    // Symbolic links leading out: made freely, refused when followed,
    // directly or as an intermediate component.
    let root = tmp.path().join("root");
    std::os::unix::fs::symlink("../secret", root.join("up")).unwrap();
    std::os::unix::fs::symlink("../outside", root.join("sub/out")).unwrap();
    std::os::unix::fs::symlink("../..", root.join("sub/top")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("abs")).unwrap();
    assert_eq!(env.open(3, true, "up", 0, FD_READ).0, perm);
    assert_eq!(env.open(3, true, "abs", 0, FD_READ).0, perm);
    assert_eq!(
        env.open(3, false, "sub/out/new", O_CREAT, FD_WRITE).0,
        errno(Errno::NoEnt)
    );
    assert_eq!(
        env.open(3, false, "sub/top/outside/new", O_CREAT, FD_WRITE)
            .0,
        perm
    );
    assert_eq!(env.open(3, true, "sub/top/secret", 0, FD_READ).0, perm);
    // Without following, the link itself is what is opened: refused as a
    // link (ELOOP), never its target.
    assert_eq!(env.open(3, false, "up", 0, FD_READ).0, errno(Errno::Loop));
    // A link is resolved from where it is: `sub/out` is `root/outside`,
    // which does not exist, not the `outside` next to `root`.
    let (p, n) = env.path("sub/out/");
    assert_eq!(
        env.call("path_filestat_get", &[3, 0, p, n, 4096]),
        errno(Errno::NoEnt)
    );
    // An escaping link is also refused when a lookup names it with `/`.
    let (p, n) = env.path("sub/top/");
    assert_eq!(env.call("path_filestat_get", &[3, 0, p, n, 4096]), perm);
    // Making things outside, by every path function.
    let (p, n) = env.path("../outside/d");
    assert_eq!(env.call("path_create_directory", &[3, p, n]), perm);
    let (p, n) = env.path("sub/top/outside/d");
    assert_eq!(env.call("path_create_directory", &[3, p, n]), perm);
    env.put(512, b"file");
    let (p, n) = env.path("../outside/moved");
    assert_eq!(env.call("path_rename", &[3, 512, 4, 3, p, n]), perm);
    assert_eq!(env.call("path_link", &[3, 0, 512, 4, 3, p, n]), perm);
    let (p, n) = env.path("../outside/link");
    assert_eq!(env.call("path_symlink", &[512, 4, 3, p, n]), perm);
    env.put(512, b"/etc/passwd");
    let (p, n) = env.path("abs2");
    assert_eq!(env.call("path_symlink", &[512, 11, 3, p, n]), perm);
    let (p, n) = env.path("../secret");
    assert_eq!(env.call("path_unlink_file", &[3, p, n]), perm);
    assert_eq!(env.call("path_filestat_get", &[3, 1, p, n, 4096]), perm);
    assert_eq!(
        env.call("path_filestat_set_times", &[3, 1, p, n, 0, 0, 2]),
        perm
    );
    let (p, n) = env.path("..");
    assert_eq!(env.call("path_remove_directory", &[3, p, n]), perm);
    assert_eq!(env.call("path_readlink", &[3, p, n, 0, 64, 2048]), perm);
    // Reading a link's text is allowed (it does not follow it).
    let (p, n) = env.path("up");
    assert_eq!(env.call("path_readlink", &[3, p, n, 0, 64, 2048]), OK);
    assert_eq!(env.get(0, env.u32(2048) as usize), b"../secret");
    outside_untouched(tmp.path());
}

#[test]
fn files_are_created_written_read_renamed_and_removed_inside() {
    let (tmp, mut env) = sandbox();
    let (e, fd) = env.open(
        3,
        false,
        "sub/new.txt",
        O_CREAT,
        FD_READ | FD_WRITE | RIGHTS_ALL,
    );
    assert_eq!(e, OK);
    env.put(0, b"hello");
    env.put(16, &[0, 0, 0, 0, 5, 0, 0, 0]); // iovec (0, 5)
    assert_eq!(env.call("fd_write", &[fd as u64, 16, 1, 2048]), OK);
    assert_eq!(env.u32(2048), 5);
    assert_eq!(env.call("fd_seek", &[fd as u64, 1, 0, 2048]), OK);
    assert_eq!(env.u64(2048), 1);
    env.put(16, &[100, 0, 0, 0, 10, 0, 0, 0]); // iovec (100, 10)
    assert_eq!(env.call("fd_read", &[fd as u64, 16, 1, 2048]), OK);
    assert_eq!(env.get(100, env.u32(2048) as usize), b"ello");
    assert_eq!(env.call("fd_filestat_get", &[fd as u64, 4096]), OK);
    assert_eq!(env.u64(4096 + 32), 5, "size");
    assert_eq!(env.get(4096 + 16, 1), [4], "regular file");
    assert_eq!(env.call("fd_close", &[fd as u64]), OK);
    assert_eq!(env.call("fd_close", &[fd as u64]), errno(Errno::Badf));
    assert_eq!(
        std::fs::read(tmp.path().join("root/sub/new.txt")).unwrap(),
        b"hello"
    );
    env.put(512, b"sub/new.txt");
    let (p, n) = env.path("renamed.txt");
    assert_eq!(env.call("path_rename", &[3, 512, 11, 3, p, n]), OK);
    assert_eq!(env.call("path_unlink_file", &[3, p, n]), OK);
    assert_eq!(
        env.call("path_unlink_file", &[3, p, n]),
        errno(Errno::NoEnt)
    );
    let (p, n) = env.path("sub/");
    assert_eq!(env.call("path_remove_directory", &[3, p, n]), OK);
    outside_untouched(tmp.path());
}

#[test]
fn rights_only_shrink_and_bound_what_is_opened() {
    let (_tmp, mut env) = sandbox();
    let (e, fd) = env.open(3, false, "file", 0, FD_READ);
    assert_eq!(e, OK);
    env.put(16, &[0, 0, 0, 0, 4, 0, 0, 0]);
    assert_eq!(
        env.call("fd_write", &[fd as u64, 16, 1, 2048]),
        errno(Errno::Badf)
    );
    assert_eq!(
        env.call("fd_fdstat_set_rights", &[fd as u64, FD_READ | FD_WRITE, 0]),
        errno(Errno::NotCapable)
    );
    assert_eq!(env.call("fd_fdstat_set_rights", &[fd as u64, 0, 0]), OK);
    assert_eq!(
        env.call("fd_read", &[fd as u64, 16, 1, 2048]),
        errno(Errno::Badf)
    );
    // A directory that may not open anything opens nothing.
    let (e, dir) = env.open(3, false, "sub", O_DIRECTORY, DIR_ALL);
    assert_eq!(e, OK);
    assert_eq!(env.call("fd_fdstat_get", &[dir as u64, 4096]), OK);
    assert_eq!(env.get(4096, 1), [3], "directory");
    let base = env.u64(4096 + 8);
    assert_eq!(base & (1 << 13), 1 << 13, "path_open right");
    assert_eq!(base & FD_READ, 0, "no fd_read on a directory");
    let path_open_right = 1u64 << 13;
    assert_eq!(
        env.call("fd_fdstat_set_rights", &[dir as u64, base, RIGHTS_ALL]),
        errno(Errno::NotCapable),
        "inheriting rights cannot grow either"
    );
    let inheriting = env.u64(4096 + 16);
    assert_eq!(
        env.call(
            "fd_fdstat_set_rights",
            &[dir as u64, base & !path_open_right, inheriting]
        ),
        OK
    );
    assert_eq!(env.open(dir, false, ".", 0, 0).0, errno(Errno::NotCapable));
}

#[test]
fn bad_pointers_are_efault_and_bad_descriptors_ebadf() {
    let ctx = WasiCtx::builder().arg("prog").build().unwrap();
    let mut env = Env::new(ctx);
    let fault = errno(Errno::Fault);
    let end = 65536u64;
    assert_eq!(env.call("args_sizes_get", &[end - 2, 0]), fault);
    assert_eq!(env.call("args_get", &[0, end - 2]), fault);
    assert_eq!(env.call("args_get", &[u32::MAX as u64, 0]), fault);
    assert_eq!(env.call("clock_time_get", &[0, 0, end - 4]), fault);
    assert_eq!(env.call("random_get", &[end - 8, 9]), fault);
    assert_eq!(env.call("random_get", &[end, 0]), OK);
    // An I/O vector array past the end, and a buffer past the end.
    assert_eq!(env.call("fd_write", &[1, end - 4, 1, 0]), fault);
    env.put(0, &[0xf0, 0xff, 0, 0, 0x20, 0, 0, 0]); // (65520, 32)
    assert_eq!(env.call("fd_write", &[1, 0, 1, 16]), fault);
    assert_eq!(env.call("fd_write", &[1, 0, u32::MAX as u64, 16]), fault);
    assert_eq!(env.call("poll_oneoff", &[end - 8, 0, 1, 0]), fault);
    assert_eq!(env.call("poll_oneoff", &[0, 0, u32::MAX as u64, 0]), fault);
    assert_eq!(env.call("fd_write", &[99, 0, 0, 16]), errno(Errno::Badf));
    assert_eq!(env.call("fd_close", &[u32::MAX as u64]), errno(Errno::Badf));
    assert_eq!(env.call("fd_prestat_get", &[0, 16]), errno(Errno::Badf));
    assert_eq!(env.call("fd_renumber", &[0, 7]), errno(Errno::Badf));
    assert_eq!(env.call("sock_shutdown", &[9, 0]), errno(Errno::Badf));
    assert_eq!(env.call("sock_shutdown", &[1, 0]), errno(Errno::NotSock));
    assert_eq!(env.call("clock_time_get", &[9, 0, 0]), errno(Errno::Inval));
    assert_eq!(env.call("poll_oneoff", &[0, 0, 0, 0]), errno(Errno::Inval));
}

#[test]
fn paths_must_be_utf8_without_nul() {
    let (_tmp, mut env) = sandbox();
    env.put(1024, b"fi\xffle");
    assert_eq!(
        env.call("path_open", &[3, 0, 1024, 5, 0, 0, 0, 0, 2048]),
        errno(Errno::Ilseq)
    );
    env.put(1024, b"file\0");
    assert_eq!(
        env.call("path_open", &[3, 0, 1024, 5, 0, 0, 0, 0, 2048]),
        errno(Errno::Inval)
    );
    assert_eq!(
        env.call("path_open", &[3, 0, 1024, 0, 0, 0, 0, 0, 2048]),
        errno(Errno::NoEnt)
    );
}

#[test]
fn standard_streams_read_and_write_memory() {
    let out = OutputPipe::new();
    let err = OutputPipe::new();
    let ctx = WasiCtx::builder()
        .stdin(Input::Bytes(b"abcdef".to_vec()))
        .stdout(Output::Pipe(out.clone()))
        .stderr(Output::Pipe(err.clone()))
        .build()
        .unwrap();
    let mut env = Env::new(ctx);
    // Two I/O vectors: "to" and "stdout\n".
    env.put(100, b"tostdout\n");
    env.put(0, &[100, 0, 0, 0, 2, 0, 0, 0, 102, 0, 0, 0, 7, 0, 0, 0]);
    assert_eq!(env.call("fd_write", &[1, 0, 2, 16]), OK);
    assert_eq!(env.u32(16), 9);
    assert_eq!(env.call("fd_write", &[2, 0, 1, 16]), OK);
    assert_eq!(out.contents(), b"tostdout\n");
    assert_eq!(err.contents(), b"to");
    // Reads scatter over the vectors, then reach the end.
    env.put(0, &[0, 1, 0, 0, 4, 0, 0, 0, 16, 1, 0, 0, 4, 0, 0, 0]);
    assert_eq!(env.call("fd_read", &[0, 0, 2, 16]), OK);
    assert_eq!(env.u32(16), 6);
    assert_eq!(env.get(256, 4), b"abcd");
    assert_eq!(env.get(272, 2), b"ef");
    assert_eq!(env.call("fd_read", &[0, 0, 2, 16]), OK);
    assert_eq!(env.u32(16), 0);
    // Wrong directions, and seeking a stream.
    assert_eq!(env.call("fd_read", &[1, 0, 1, 16]), errno(Errno::Badf));
    assert_eq!(env.call("fd_write", &[0, 0, 1, 16]), errno(Errno::Badf));
    assert_eq!(env.call("fd_seek", &[1, 0, 0, 16]), errno(Errno::Spipe));
    // In-memory streams are not terminals.
    assert_eq!(env.call("fd_fdstat_get", &[1, 32]), OK);
    assert_eq!(env.get(32, 1), [0], "unknown file type");
}

/// Writes a subscription at `at`: a clock (`timeout` ns, relative) or an
/// fd read/write.
fn subscription(env: &mut Env, at: u32, userdata: u64, tag: u8, fd_or_clock: u32, timeout: u64) {
    let mut s = [0u8; 48];
    s[0..8].copy_from_slice(&userdata.to_le_bytes());
    s[8] = tag;
    s[16..20].copy_from_slice(&fd_or_clock.to_le_bytes());
    s[24..32].copy_from_slice(&timeout.to_le_bytes());
    env.put(at, &s);
}

#[test]
fn poll_oneoff_waits_for_clocks_and_sees_ready_descriptors() {
    let ctx = WasiCtx::builder()
        .stdin(Input::Bytes(b"x".to_vec()))
        .build()
        .unwrap();
    let mut env = Env::new(ctx);
    // One relative monotonic clock of 1 ms: one clock event.
    subscription(&mut env, 0, 7, 0, 1, 1_000_000);
    assert_eq!(env.call("poll_oneoff", &[0, 1024, 1, 2048]), OK);
    assert_eq!(env.u32(2048), 1);
    assert_eq!(env.u64(1024), 7);
    assert_eq!(env.get(1024 + 8, 3), [0, 0, 0], "no error, clock");
    // A long clock, a readable stdin and a writable stdout: the two
    // streams fire, stdin with its byte.
    subscription(&mut env, 0, 1, 0, 1, 60_000_000_000);
    subscription(&mut env, 48, 2, 1, 0, 0);
    subscription(&mut env, 96, 3, 2, 1, 0);
    assert_eq!(env.call("poll_oneoff", &[0, 1024, 3, 2048]), OK);
    assert_eq!(env.u32(2048), 2);
    assert_eq!(env.u64(1024), 2);
    assert_eq!(env.get(1024 + 8, 3), [0, 0, 1], "no error, fd_read");
    assert_eq!(env.u64(1024 + 16), 1, "one byte ready");
    assert_eq!(env.u64(1056), 3);
    assert_eq!(env.get(1056 + 8, 3), [0, 0, 2], "no error, fd_write");
    // A descriptor that is not open, a stream in the wrong direction, an
    // unknown clock or tag: the call fails (as in wasmtime).
    subscription(&mut env, 96, 3, 2, 42, 0);
    assert_eq!(
        env.call("poll_oneoff", &[0, 1024, 3, 2048]),
        errno(Errno::Badf)
    );
    subscription(&mut env, 96, 3, 1, 1, 0);
    assert_eq!(
        env.call("poll_oneoff", &[0, 1024, 3, 2048]),
        errno(Errno::Badf)
    );
    subscription(&mut env, 0, 5, 0, 99, 0);
    assert_eq!(
        env.call("poll_oneoff", &[0, 1024, 1, 2048]),
        errno(Errno::Inval)
    );
    subscription(&mut env, 0, 5, 9, 0, 0);
    assert_eq!(
        env.call("poll_oneoff", &[0, 1024, 1, 2048]),
        errno(Errno::Inval)
    );
}

#[test]
fn fd_readdir_pages_with_cookies() {
    let (tmp, mut env) = sandbox();
    for i in 0..20 {
        std::fs::write(tmp.path().join(format!("root/sub/entry-{i:02}")), b"").unwrap();
    }
    assert_eq!(
        env.open(3, false, "sub", O_DIRECTORY, RIGHTS_ALL).0,
        errno(Errno::IsDir),
        "a directory opened for writing"
    );
    let (e, dir) = env.open(3, false, "sub", O_DIRECTORY, DIR_ALL);
    assert_eq!(e, OK);
    // Page through with a buffer that holds about two entries, restarting
    // at the cookie of the last whole entry, as wasi-libc does.
    let mut names = Vec::new();
    let mut cookie = 0u64;
    for _ in 0..100 {
        assert_eq!(
            env.call("fd_readdir", &[dir as u64, 0, 70, cookie, 2048]),
            OK
        );
        let used = env.u32(2048) as usize;
        let buf = env.get(0, used);
        let mut at = 0;
        while at + 24 <= buf.len() {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let len = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            if at + 24 + len > buf.len() {
                break;
            }
            names.push(String::from_utf8(buf[at + 24..at + 24 + len].to_vec()).unwrap());
            cookie = next;
            at += 24 + len;
        }
        if used < 70 {
            break;
        }
    }
    names.sort();
    let mut want: Vec<String> = (0..20).map(|i| format!("entry-{i:02}")).collect();
    want.push(".".into());
    want.push("..".into());
    want.sort();
    assert_eq!(names, want);
    // A file is not a directory to list.
    let (_, file) = env.open(3, false, "file", 0, RIGHTS_ALL);
    assert_eq!(
        env.call("fd_readdir", &[file as u64, 0, 70, 0, 2048]),
        errno(Errno::Badf)
    );
}

struct FixedClocks;

impl Clocks for FixedClocks {
    fn now(&self, clock: Clock) -> Option<u64> {
        (clock == Clock::Realtime).then_some(1_700_000_000_000_000_000)
    }
    fn resolution(&self, _: Clock) -> Option<u64> {
        Some(1000)
    }
}

struct Counting(u8);

impl RandomSource for Counting {
    fn fill(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        for b in buf {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(())
    }
}

#[test]
fn arguments_environment_clocks_and_randomness_come_from_the_context() {
    let ctx = WasiCtx::builder()
        .args(["prog", "a b"])
        .env("K", "v=1")
        .clocks(FixedClocks)
        .random(Counting(0))
        .build()
        .unwrap();
    let mut env = Env::new(ctx);
    assert_eq!(env.call("args_sizes_get", &[0, 4]), OK);
    assert_eq!((env.u32(0), env.u32(4)), (2, 9));
    assert_eq!(env.call("args_get", &[100, 200]), OK);
    assert_eq!((env.u32(100), env.u32(104)), (200, 205));
    assert_eq!(env.get(200, 9), b"prog\0a b\0");
    assert_eq!(env.call("environ_sizes_get", &[0, 4]), OK);
    assert_eq!((env.u32(0), env.u32(4)), (1, 6));
    assert_eq!(env.call("environ_get", &[100, 200]), OK);
    assert_eq!(env.get(200, 6), b"K=v=1\0");
    assert_eq!(env.call("clock_time_get", &[0, 0, 8]), OK);
    assert_eq!(env.u64(8), 1_700_000_000_000_000_000);
    assert_eq!(env.call("clock_time_get", &[1, 0, 8]), errno(Errno::NotSup));
    assert_eq!(env.call("clock_res_get", &[3, 8]), OK);
    assert_eq!(env.u64(8), 1000);
    assert_eq!(env.call("random_get", &[300, 4]), OK);
    assert_eq!(env.get(300, 4), [1, 2, 3, 4]);
    assert!(
        WasiCtx::builder().arg("a\0b").build().is_err(),
        "a NUL in an argument"
    );
    assert!(WasiCtx::builder().env("A=B", "c").build().is_err());
    let missing = WasiCtx::builder()
        .preopened_dir("/nonexistent/weft-wasi", "x")
        .build()
        .unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/weft-wasi"),
        "{missing}"
    );
}

#[test]
fn proc_exit_ends_the_run_with_its_code() {
    let mut env = Env::new(WasiCtx::builder().build().unwrap());
    let f = env.store.export_func(env.inst, "exit").unwrap();
    assert_eq!(
        env.store.call(f, &[Value::I32(-3)]),
        Err(Error::Trap(Trap::Exit(-3)))
    );
    // The store is still usable.
    assert_eq!(env.call("sched_yield", &[]), OK);

    let command = |body: &str| {
        Module::new(
            weft_wat::parse_module(&format!(
                r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                     (memory (export "memory") 1) {body})"#
            ))
            .unwrap(),
        )
        .unwrap()
    };
    let run = |m: &Module| {
        let mut store = Store::new();
        let mut linker = Linker::new();
        weft_wasi::add_to_linker(&mut linker, &mut store, WasiCtx::builder().build().unwrap());
        weft_wasi::run_command(&mut store, &linker, m)
    };
    assert_eq!(
        run(&command(
            r#"(func (export "_start") (call $exit (i32.const 17)))"#
        ))
        .unwrap(),
        17
    );
    assert_eq!(run(&command(r#"(func (export "_start"))"#)).unwrap(), 0);
    assert_eq!(
        run(&command(
            r#"(func $s (call $exit (i32.const 5))) (start $s)"#
        ))
        .unwrap(),
        5
    );
    assert!(matches!(
        run(&command(r#"(func (export "main"))"#)),
        Err(weft_wasi::RunError::NoStart)
    ));
    assert!(matches!(
        run(&command(r#"(func (export "_start") unreachable)"#)),
        Err(weft_wasi::RunError::Trap(Error::Trap(Trap::Unreachable)))
    ));
}

#[test]
fn a_caller_without_memory_traps_only_when_memory_is_needed() {
    let mut env = Env::with(WasiCtx::builder().build().unwrap(), false);
    assert_eq!(env.call("sched_yield", &[]), OK);
    assert_eq!(env.call("fd_close", &[1]), OK);
    let err = env.try_call("fd_fdstat_get", &[0, 0]).unwrap_err();
    assert!(err.to_string().contains("memory"), "{err}");
}

/// A small deterministic generator for the arbitrary-argument test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Mostly small values and values near the memory's end, sometimes
    /// anything.
    fn arg(&mut self) -> u64 {
        match self.next() % 6 {
            0 => self.next() % 8,
            1 => self.next() % 4096,
            2 => 65536 - self.next() % 64,
            3 => u64::MAX - self.next() % 4,
            4 => self.next() % 70000,
            _ => self.next(),
        }
    }
}

#[test]
fn arbitrary_arguments_never_panic() {
    let (tmp, mut env) = sandbox();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..3000 {
        // `poll_oneoff` would sleep for whatever timeouts memory holds;
        // it is covered above.
        let candidates: Vec<_> = SIGS.iter().filter(|(n, _)| *n != "poll_oneoff").collect();
        let (name, params) = candidates[rng.next() as usize % candidates.len()];
        let mut args: Vec<u64> = params.chars().map(|_| rng.arg()).collect();
        if !args.is_empty() && rng.next().is_multiple_of(2) {
            args[0] = rng.next() % 6; // a descriptor that is likely open
        }
        if *name == "fd_allocate" {
            // Real disk space: keep it small.
            args[2] %= 1 << 16;
        }
        if round % 50 == 0 {
            // Sometimes give path functions a real name to work on.
            env.put(1024, b"sub/x");
        }
        let e = env.try_call(name, &args).unwrap_or_else(|err| {
            panic!("{name}{args:?} trapped: {err}");
        });
        assert!((0..=76).contains(&e), "{name}{args:?} returned {e}");
    }
    outside_untouched(tmp.path());
}
