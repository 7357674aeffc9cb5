/* page-merge-seq -- merge.h's test, mode MERGE_SEQ. */
#include <merge.h>

int main(void) { return merge_test("page-merge-seq", MERGE_SEQ); }
