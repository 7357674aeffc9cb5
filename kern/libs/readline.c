/* readline.c -- read one edited line from the console. */
#include <stdio.h>

#define BUFSIZE 1024
static char buf[BUFSIZE];

/* readline - print @prompt (if not NULL), then echo and collect characters
 * until Enter; Backspace erases.  Returns a static buffer without the
 * newline, reused by the next call. */
char *readline(const char *prompt)
{
    if (prompt != NULL) {
        cprintf("%s", prompt);
    }
    int i = 0;
    for (;;) {
        int c = getchar();
        if (c >= ' ' && c < 127 && i < BUFSIZE - 1) {
            cputchar(c);
            buf[i++] = (char)c;
        } else if (c == '\b' && i > 0) {
            cputchar(c);
            i--;
        } else if (c == '\n' || c == '\r') {
            cputchar('\n');
            buf[i] = '\0';
            return buf;
        }
    }
}
