/* gimp-smp: exact Euclidean distance transforms (Felzenszwalb &
 * Huttenlocher), shared by the fields that need a distance from an edge.
 * Plain C. */
#ifndef SMP_DISTANCE_H
#define SMP_DISTANCE_H

#include <stdint.h>

/* The lower envelope of the parabolas (q - i)² + f[i] at every q < n:
 * d[q] receives the squared distance, arg[q] the minimising i (-1 when
 * every f is INFINITY, i.e. no sample).  @v (n ints) and @z (n + 1
 * doubles) are scratch. */
void smp_distance_1d (const double *f,
                      int           n,
                      double       *d,
                      int          *arg,
                      int          *v,
                      double       *z);

/* Distance in pixels from every pixel centre of a w×h grid to the
 * nearest pixel centre where @set is non-zero (INFINITY if none). */
void smp_distance_2d (const uint8_t *set,
                      int            w,
                      int            h,
                      float         *distance);

#endif
