int ext_counter;
int dep_value(void) { return ext_counter * 2; }
