/* page-merge-par -- merge.h's test, mode MERGE_PAR. */
#include <merge.h>

int main(void) { return merge_test("page-merge-par", MERGE_PAR); }
