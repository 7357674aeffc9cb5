/* error.h -- kernel error codes; functions return their negation. */
#ifndef LIBS_ERROR_H
#define LIBS_ERROR_H

#define E_UNSPECIFIED  1 /* unspecified or unknown problem */
#define E_BAD_PROC     2 /* process doesn't exist */
#define E_INVAL        3 /* invalid parameter */
#define E_NO_MEM       4 /* out of memory */
#define E_NO_FREE_PROC 5
#define E_FAULT        6 /* memory fault */
#define MAXERROR       6

#endif /* !LIBS_ERROR_H */
