/* gimp-smp: the one bucket grid of the engine.  See smp-buckets.h. */
#include "smp-buckets.h"

#include <stdlib.h>

/* Point @i's cell, or -1 outside the grid. */
static int64_t
bucket_of (const SmpBuckets *b,
           const void       *points,
           size_t            stride,
           size_t            i)
{
  const double *xy = (const double *) ((const char *) points + i * stride);
  int64_t       cx = smp_buckets_cell_of (xy[0], b->x0, b->cell);
  int64_t       cy = smp_buckets_cell_of (xy[1], b->y0, b->cell);

  return cx >= 0 && cy >= 0 && cx < b->nx && cy < b->ny ? cy * b->nx + cx : -1;
}

void
smp_buckets_build (SmpBuckets *b,
                   const void *points,
                   size_t      stride,
                   size_t      n)
{
  size_t    cells = (size_t) (b->nx * b->ny), i;
  uint32_t *fill = calloc (cells ? cells : 1, sizeof (uint32_t));

  b->start = calloc (cells + 1, sizeof (uint32_t));
  b->index = malloc (sizeof (uint32_t) * (n + 1));
  /* a counting sort: each cell keeps its points in their own order */
  for (i = 0; i < n; i++)
    {
      int64_t c = bucket_of (b, points, stride, i);

      if (c >= 0)
        b->start[c + 1]++;
    }
  for (i = 1; i <= cells; i++)
    b->start[i] += b->start[i - 1];
  for (i = 0; i < n; i++)
    {
      int64_t c = bucket_of (b, points, stride, i);

      if (c >= 0)
        b->index[b->start[c] + fill[c]++] = (uint32_t) i;
    }
  free (fill);
}

void
smp_buckets_free (SmpBuckets *b)
{
  free (b->start);
  free (b->index);
  b->start = b->index = NULL;
}
