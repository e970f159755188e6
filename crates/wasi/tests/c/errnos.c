/* Calls WASI functions directly (wasi/api.h) in the corner cases where an
 * implementation must pick an errno, and prints one line per case: what it
 * returned and, where it matters, what it wrote. Run with an empty
 * directory preopened as "data" (descriptor 3) and empty stdin. Built into
 * errnos.wasm by build.sh; tests/c_program.rs compares its output with
 * wasmtime's. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define DIR 3
#define R_ALL ((__wasi_rights_t)0x1fffffff)
#define R_READ (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
                __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR)

/* Not in every wasi-libc's header (removed from later WASI versions). */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

static void show(const char *what, __wasi_errno_t e) { printf("%-32s %d\n", what, e); }

static __wasi_fd_t open_at(const char *path, __wasi_lookupflags_t look, __wasi_oflags_t of,
                           __wasi_rights_t rights, __wasi_errno_t *e) {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    *e = __wasi_path_open(DIR, look, path, of, rights, rights, 0, &fd);
    return fd;
}

int main(void) {
    __wasi_errno_t e;
    __wasi_size_t n;
    __wasi_fd_t fd;

    /* Set up: data/file (10 bytes), data/dir/inner, links. */
    fd = open_at("file", 0, __WASI_OFLAGS_CREAT, R_ALL & ~__WASI_RIGHTS_FD_READDIR, &e);
    show("create file", e);
    __wasi_ciovec_t cv = {(const uint8_t *)"0123456789", 10};
    show("write file", __wasi_fd_write(fd, &cv, 1, &n));
    printf("  wrote %u\n", (unsigned)n);
    show("close file", __wasi_fd_close(fd));
    show("close file again", __wasi_fd_close(fd));
    show("mkdir dir", __wasi_path_create_directory(DIR, "dir"));
    show("mkdir dir again", __wasi_path_create_directory(DIR, "dir"));
    show("mkdir dir/inner", __wasi_path_create_directory(DIR, "dir/inner"));
    show("symlink up -> ../secret", __wasi_path_symlink("../secret", DIR, "up"));
    show("symlink link -> file", __wasi_path_symlink("file", DIR, "link"));
    show("symlink abs -> /etc", __wasi_path_symlink("/etc", DIR, "abs"));
    show("symlink on existing", __wasi_path_symlink("x", DIR, "file"));

    /* Escapes. */
    open_at("../secret", 0, 0, R_READ, &e);
    show("open ../secret", e);
    open_at("/etc/passwd", 0, 0, R_READ, &e);
    show("open /etc/passwd", e);
    open_at("dir/../../secret", 0, 0, R_READ, &e);
    show("open dir/../../secret", e);
    open_at("up", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_READ, &e);
    show("open up (follow)", e);
    open_at("up", 0, 0, R_READ, &e);
    show("open up (nofollow)", e);
    open_at("up/x", 0, 0, R_READ, &e);
    show("open up/x", e);
    show("mkdir ../x", __wasi_path_create_directory(DIR, "../x"));
    show("unlink ../secret", __wasi_path_unlink_file(DIR, "../secret"));

    /* Lookups. */
    open_at("missing", 0, 0, R_READ, &e);
    show("open missing", e);
    open_at("file", 0, __WASI_OFLAGS_DIRECTORY, R_READ, &e);
    show("open file as directory", e);
    open_at("file/", 0, 0, R_READ, &e);
    show("open file/", e);
    open_at("file", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R_READ, &e);
    show("create existing exclusively", e);
    open_at("dir", 0, 0, R_ALL, &e);
    show("open dir for writing", e);
    open_at("link", 0, 0, R_READ, &e);
    show("open link (nofollow)", e);
    fd = open_at("link", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_READ, &e);
    show("open link (follow)", e);
    __wasi_filestat_t st;
    show("filestat link (nofollow)", __wasi_path_filestat_get(DIR, 0, "link", &st));
    printf("  filetype %d size %llu\n", st.filetype, (unsigned long long)st.size);
    show("filestat link (follow)",
         __wasi_path_filestat_get(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &st));
    printf("  filetype %d size %llu\n", st.filetype, (unsigned long long)st.size);
    show("filestat file/", __wasi_path_filestat_get(DIR, 0, "file/", &st));
    show("filestat dir/", __wasi_path_filestat_get(DIR, 0, "dir/", &st));

    /* Descriptors. */
    uint8_t buf[64];
    __wasi_iovec_t iv = {buf, 4};
    show("read file", __wasi_fd_read(fd, &iv, 1, &n));
    printf("  read %u: %.4s\n", (unsigned)n, buf);
    __wasi_filesize_t pos;
    show("seek end-2", __wasi_fd_seek(fd, -2, __WASI_WHENCE_END, &pos));
    printf("  at %llu\n", (unsigned long long)pos);
    show("seek before start", __wasi_fd_seek(fd, -20, __WASI_WHENCE_END, &pos));
    show("tell", __wasi_fd_tell(fd, &pos));
    printf("  at %llu\n", (unsigned long long)pos);
    show("pread at 8", __wasi_fd_pread(fd, &iv, 1, 8, &n));
    printf("  read %u\n", (unsigned)n);
    show("write read-only file", __wasi_fd_write(fd, &cv, 1, &n));
    show("readdir on file", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n));
    show("filestat times both", __wasi_fd_filestat_set_times(fd, 1, 1,
         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    show("renumber to closed", __wasi_fd_renumber(fd, 77));
    show("close", __wasi_fd_close(fd));

    __wasi_fd_t d = open_at("dir", 0, __WASI_OFLAGS_DIRECTORY, R_READ, &e);
    show("open dir", e);
    show("read dir", __wasi_fd_read(d, &iv, 1, &n));
    show("seek dir", __wasi_fd_seek(d, 0, __WASI_WHENCE_SET, &pos));
    show("tell dir", __wasi_fd_tell(d, &pos));
    show("pread dir", __wasi_fd_pread(d, &iv, 1, 0, &n));
    show("allocate dir", __wasi_fd_allocate(d, 0, 1));
    show("set size dir", __wasi_fd_filestat_set_size(d, 0));
    show("close dir", __wasi_fd_close(d));

    /* Removal. */
    show("unlink dir", __wasi_path_unlink_file(DIR, "dir"));
    show("unlink file/", __wasi_path_unlink_file(DIR, "file/"));
    show("rmdir file", __wasi_path_remove_directory(DIR, "file"));
    show("rmdir non-empty dir", __wasi_path_remove_directory(DIR, "dir"));
    show("rmdir missing", __wasi_path_remove_directory(DIR, "missing"));
    show("rename file -> dir", __wasi_path_rename(DIR, "file", DIR, "dir"));
    show("rename dir -> file", __wasi_path_rename(DIR, "dir", DIR, "file"));
    show("rename file/ -> f2", __wasi_path_rename(DIR, "file/", DIR, "f2"));
    show("link file -> link", __wasi_path_link(DIR, 0, "file", DIR, "link"));
    show("link dir -> d2", __wasi_path_link(DIR, 0, "dir", DIR, "d2"));
    show("readlink file", __wasi_path_readlink(DIR, "file", buf, sizeof buf, &n));
    show("readlink up, 4 bytes", __wasi_path_readlink(DIR, "up", buf, 4, &n));
    printf("  got %u: %.*s\n", (unsigned)n, (int)n, buf);

    /* Streams, preopens, the rest. */
    __wasi_fdstat_t fs;
    show("fdstat stdin", __wasi_fd_fdstat_get(0, &fs));
    show("read stdout", __wasi_fd_read(1, &iv, 1, &n));
    show("write stdin", __wasi_fd_write(0, &cv, 1, &n));
    show("seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos));
    show("read stdin", __wasi_fd_read(0, &iv, 1, &n));
    printf("  read %u\n", (unsigned)n);
    __wasi_prestat_t ps;
    show("prestat 3", __wasi_fd_prestat_get(3, &ps));
    printf("  tag %d len %u\n", ps.tag, (unsigned)ps.u.dir.pr_name_len);
    show("prestat 0", __wasi_fd_prestat_get(0, &ps));
    show("prestat 4", __wasi_fd_prestat_get(4, &ps));
    show("prestat_dir_name short", __wasi_fd_prestat_dir_name(3, buf, 2));
    __wasi_timestamp_t t;
    show("clock_res monotonic", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &t));
    __wasi_event_t ev;
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    show("poll none", __wasi_poll_oneoff(&sub, &ev, 0, &n));
    sub.userdata = 7;
    sub.u.tag = __WASI_EVENTTYPE_FD_READ;
    sub.u.u.fd_read.file_descriptor = 99;
    show("poll closed fd", __wasi_poll_oneoff(&sub, &ev, 1, &n));
    printf("  %u events, userdata %llu error %d type %d\n", (unsigned)n, (unsigned long long)ev.userdata,
           ev.error, ev.type);
    show("proc_raise", raw_proc_raise(15));
    show("sched_yield", __wasi_sched_yield());
    show("sock_shutdown stdout", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
    show("sock_shutdown closed", __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
    __wasi_fd_t s;
    show("sock_accept dir", __wasi_sock_accept(3, 0, &s));
    show("random_get 0", __wasi_random_get(buf, 0));
    return 0;
}
