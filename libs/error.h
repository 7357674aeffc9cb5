/* error.h -- kernel error codes; functions and system calls return their
 * negation.  The numbers are ucore's. */
#ifndef LIBS_ERROR_H
#define LIBS_ERROR_H

#define E_UNSPECIFIED  1  /* unspecified or unknown problem */
#define E_BAD_PROC     2  /* no such process, or not a child */
#define E_INVAL        3  /* invalid parameter */
#define E_NO_MEM       4  /* out of memory */
#define E_NO_FREE_PROC 5  /* the process table is full */
#define E_FAULT        6  /* memory fault */
#define E_SWAP_FAULT   7  /* swap disk read or write failed */
#define E_INVAL_ELF    8  /* not a program this kernel can load */
#define E_KILLED       9  /* the process was killed */
#define E_PANIC        10 /* a user program panicked */
#define E_NO_DEV       13 /* no such device */
#define E_IO           25 /* a disk command failed; not ucore's (last: 24) */

#endif /* !LIBS_ERROR_H */
