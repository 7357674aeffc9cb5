/* forktree -- a binary tree of processes, DEPTH levels below the root;
 * each names its place in the tree. */
#include <stdio.h>
#include <string.h>
#include <ulib.h>

#define DEPTH 4

static void forktree(const char *cur);

static void forkchild(const char *cur, char branch)
{
    char nxt[DEPTH + 1];
    if (strlen(cur) >= DEPTH) {
        return;
    }
    snprintf(nxt, DEPTH + 1, "%s%c", cur, branch);
    if (fork() == 0) {
        forktree(nxt);
        yield();
        exit(0);
    }
}

static void forktree(const char *cur)
{
    cprintf("%04x: I am '%s'\n", getpid(), cur);
    forkchild(cur, '0');
    forkchild(cur, '1');
}

int main(void)
{
    forktree("");
    return 0;
}
