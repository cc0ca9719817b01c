void counter_add(long *n);
