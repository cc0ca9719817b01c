unsigned long heavy(unsigned long n);
unsigned long light(unsigned long n);
char *copy_of(const char *s);
