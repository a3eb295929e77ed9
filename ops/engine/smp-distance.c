/* gimp-smp: exact Euclidean distance transforms.  See smp-distance.h. */
#include "smp-distance.h"
#include "smp-parallel.h"

#include <math.h>
#include <stdlib.h>

/* Felzenszwalb & Huttenlocher's exact 1-D distance transform of sampled
 * function f (INFINITY = no sample), with the index of the minimiser. */
void
smp_distance_1d (const double *f,
                 int           n,
                 double       *d,
                 int          *arg,
                 int          *v,
                 double       *z)
{
  int k = -1, q;

  for (q = 0; q < n; q++)
    {
      double s;

      if (! isfinite (f[q]))
        continue;
      if (k < 0)
        {
          k = 0;
          v[0] = q;
          z[0] = -INFINITY;
          z[1] = INFINITY;
          continue;
        }
      for (;;)
        {
          s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
          if (s <= z[k] && k > 0)
            k--;
          else
            break;
        }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = INFINITY;
    }
  if (k < 0)
    {
      for (q = 0; q < n; q++)
        {
          d[q] = INFINITY;
          arg[q] = -1;
        }
      return;
    }
  for (q = 0, k = 0; q < n; q++)
    {
      while (z[k + 1] < q)
        k++;
      d[q] = (double) (q - v[k]) * (q - v[k]) + f[v[k]];
      arg[q] = v[k];
    }
}

/* One pass of the 2-D transform over a band of lines: the columns of
 * @set into grid, or the rows of grid into distance. */
typedef struct
{
  const uint8_t *set;
  int            w, h;
  double        *grid;
  float         *distance;
  int            rows;        /* 0: the column pass, 1: the row pass */
} DistancePass;

static void
distance_band (void *data,
               int   band,
               int   n_bands)
{
  const DistancePass *p = data;
  int     w = p->w, h = p->h, n = w > h ? w : h, x, y;
  long    first, end;
  double *f = malloc (sizeof (double) * n), *d = malloc (sizeof (double) * n);
  double *z = malloc (sizeof (double) * (n + 1));
  int    *arg = malloc (sizeof (int) * n), *v = malloc (sizeof (int) * n);

  smp_parallel_share (p->rows ? h : w, band, n_bands, &first, &end);
  if (! p->rows)
    for (x = (int) first; x < end; x++)
      {
        for (y = 0; y < h; y++)
          f[y] = p->set[(size_t) y * w + x] ? 0.0 : INFINITY;
        smp_distance_1d (f, h, d, arg, v, z);
        for (y = 0; y < h; y++)
          p->grid[(size_t) y * w + x] = d[y];
      }
  else
    for (y = (int) first; y < end; y++)
      {
        smp_distance_1d (p->grid + (size_t) y * w, w, d, arg, v, z);
        for (x = 0; x < w; x++)
          p->distance[(size_t) y * w + x] = (float) sqrt (d[x]);
      }
  free (f);
  free (d);
  free (z);
  free (arg);
  free (v);
}

void
smp_distance_2d (const uint8_t *set,
                 int            w,
                 int            h,
                 float         *distance)
{
  DistancePass pass = { set, w, h, malloc (sizeof (double) * (size_t) w * h), distance, 0 };

  /* columns first, then rows: the squared distance separates, and the
   * lines of each pass are independent */
  smp_parallel_run (distance_band, &pass, smp_parallel_bands (w, 64));
  pass.rows = 1;
  smp_parallel_run (distance_band, &pass, smp_parallel_bands (h, 64));
  free (pass.grid);
}
