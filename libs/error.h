/* error.h -- kernel error codes; functions return their negation.  The
 * numbers are ucore's, so later labs can add the process codes (1, 2, 5). */
#ifndef LIBS_ERROR_H
#define LIBS_ERROR_H

#define E_INVAL  3 /* invalid parameter */
#define E_NO_MEM 4 /* out of memory */
#define E_FAULT  6 /* memory fault */

#endif /* !LIBS_ERROR_H */
