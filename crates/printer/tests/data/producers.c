extern int ext_counter;
extern int host_log(int);
static int table[4] = {1, 2, 3, 4};
int add(int a, int b) { return a + b + table[a & 3]; }
int bump(void) { return host_log(ext_counter++); }
__attribute__((weak)) int maybe(void) { return 7; }
