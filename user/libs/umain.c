/* umain.c -- what initcode.S calls: main's result is the exit code. */
#include <ulib.h>

int main(int argc, char **argv);
void umain(int argc, char **argv);

void umain(int argc, char **argv) { exit(main(argc, argv)); }
