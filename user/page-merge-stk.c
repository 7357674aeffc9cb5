/* page-merge-stk -- merge.h's test, mode MERGE_STK. */
#include <merge.h>

int main(void) { return merge_test("page-merge-stk", MERGE_STK); }
