extern int ext_counter;
extern int dep_value(void);
extern int host_log(int) __attribute__((import_module("host"), import_name("log")));
__attribute__((weak)) extern int optional_hook(int);
static int table[4] = {1, 2, 3, 4};
int add(int a, int b) { return a + b + table[a & 3] + dep_value(); }
int bump(void) { return host_log(ext_counter++) + (optional_hook ? optional_hook(1) : 0); }
__attribute__((weak)) int maybe(void) { return 7; }
__attribute__((visibility("hidden"))) int hidden_helper(int x) { return x * 3; }
int use_hidden(int x) { return hidden_helper(x) + 1; }
