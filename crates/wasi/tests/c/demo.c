/* A WASI command in C (wasi-libc) exercising what a typical program does:
 * standard output and error, arguments, the environment, a file written
 * and read back in a preopened directory, stat, a sorted directory listing,
 * two attempts to leave the sandbox, standard input, and an exit code.
 * Built into demo.wasm by crates/wasi/tests/c/build.sh; tests/c_program.rs
 * runs it and checks what it prints. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    const char *greeting = getenv("GREETING");
    printf("GREETING=%s\n", greeting ? greeting : "(unset)");
    printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");

    FILE *f = fopen("data/out.txt", "w");
    if (!f) {
        perror("fopen data/out.txt for writing");
        return 2;
    }
    fprintf(f, "%s, %s!\n", greeting ? greeting : "Hello", argc > 1 ? argv[1] : "world");
    fclose(f);
    f = fopen("data/out.txt", "r");
    if (!f) {
        perror("fopen data/out.txt for reading");
        return 3;
    }
    char buf[128];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("read back: %s", buf);

    struct stat st;
    if (stat("data/out.txt", &st) == 0)
        printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    DIR *d = opendir("data");
    char *names[64];
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && count < 64)
        names[count++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, count, sizeof names[0], by_name);
    printf("data:");
    for (int i = 0; i < count; i++)
        printf(" %s", names[i]);
    printf("\n");

    FILE *g = fopen("data/../secret.txt", "r");
    printf("data/../secret.txt: %s\n", g ? "opened" : strerror(errno));
    g = fopen("/etc/passwd", "r");
    printf("/etc/passwd: %s\n", g ? "opened" : strerror(errno));

    char line[64];
    if (fgets(line, sizeof line, stdin))
        printf("stdin: %s", line);
    else
        printf("stdin: end of file\n");

    fprintf(stderr, "goodbye from stderr\n");
    return argc > 2 ? atoi(argv[2]) : 0;
}
