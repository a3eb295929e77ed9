/* gimp-smp: the one bucket grid of the engine.
 *
 * Points filed by the square cell they fall in, for neighbour searches:
 * the layout's candidates, the pattern statistics' dots and the dots the
 * scar engine finds.  A point is any struct whose first two members are
 * its x and y as doubles.
 */
#ifndef SMP_BUCKETS_H
#define SMP_BUCKETS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef struct
{
  double    x0, y0, cell;  /* the corner of cell (0, 0), and a cell's side */
  int64_t   nx, ny;
  uint32_t *start;         /* nx*ny+1 offsets into index */
  uint32_t *index;         /* point numbers, cell by cell, in the points' order */
} SmpBuckets;

/* Files points 0 .. @n - 1 (@stride bytes apart) into the cells of @b's
 * grid, which the caller has set (x0, y0, cell, nx, ny); a point outside
 * them is left out. */
void smp_buckets_build (SmpBuckets *b,
                        const void *points,
                        size_t      stride,
                        size_t      n);
void smp_buckets_free  (SmpBuckets *b);

/* The column (or, given a y and y0, the row) of cell coordinate @v. */
static inline int64_t
smp_buckets_cell_of (double v,
                     double origin,
                     double cell)
{
  return (int64_t) floor ((v - origin) / cell);
}

#endif
