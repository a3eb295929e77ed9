/* gimp-smp: box means on each side of the scar's mask, quantiles and the
 * skin's noise, which the stages of smp-scar.c share.  See
 * smp-scar-stages.h. */
#include "smp-scar-stages.h"
#include "smp-parallel.h"

#include <math.h>
#include <stdlib.h>

/* The means of columns [xa, xb) of @j; the window's column sums are
 * kept for the columns it reaches, so bands of columns are independent
 * and the sums, in fixed point, exact in any split. */
static void
sided_mean_columns (const SmpScarMeanJob *j,
                    int                   xa,
                    int                   xb)
{
  int      w = j->w, h = j->h, r = j->r;
  int      c0 = MAX (xa - r, 0), c1 = MIN (xb + r, w), x, y, k;
  int64_t *base = calloc ((size_t) 4 * (c1 - c0), sizeof (int64_t)), *col = base - 4 * (size_t) c0;

  /* col[4x + 2s] = sum, col[4x + 2s + 1] = count over the rows in the window */
  for (y = -r; y < h; y++)
    {
      int add = y + r, sub = y - r - 1;

      if (add < h)
        for (x = c0; x < c1; x++)
          {
            size_t i = (size_t) add * w + x;
            float  v = j->value[i];

            if ((j->skip && j->skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * j->side[i]] += smp_scar_fix (v);
            col[4 * x + 2 * j->side[i] + 1]++;
          }
      if (sub >= 0)
        for (x = c0; x < c1; x++)
          {
            size_t i = (size_t) sub * w + x;
            float  v = j->value[i];

            if ((j->skip && j->skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * j->side[i]] -= smp_scar_fix (v);
            col[4 * x + 2 * j->side[i] + 1]--;
          }
      if (y < 0)
        continue;
      {
        int64_t run[4] = { 0, 0, 0, 0 };

        for (x = c0 - r; x < xb; x++)
          {
            int xin = x + r, xout = x - r - 1;

            if (xin >= c0 && xin < c1)
              for (k = 0; k < 4; k++)
                run[k] += col[4 * xin + k];
            if (xout >= c0 && xout < c1)
              for (k = 0; k < 4; k++)
                run[k] -= col[4 * xout + k];
            if (x >= xa)
              {
                size_t i = (size_t) y * w + x;
                int    s = j->from_side >= 0 ? j->from_side : j->side[i];

                j->mean[i] = run[2 * s + 1] > 0 ? (float) (run[2 * s] * (1.0 / FIX) / run[2 * s + 1])
                             : isnan (j->fallback) ? j->value[i] : j->fallback;
              }
          }
      }
    }
  free (base);
}

static void
sided_mean_band (void *data,
                 int   band,
                 int   n_bands)
{
  const SmpScarMeanJob *j = data;
  long                  xa, xb;

  smp_parallel_share (j->w, band, n_bands, &xa, &xb);
  if (xb > xa)
    sided_mean_columns (j, (int) xa, (int) xb);
}

/* The whole region is read once per band of columns; bands narrower
 * than a few windows would mostly read the windows' overlap. */
void
smp_scar_sided_mean (const SmpScarMeanJob *j)
{
  smp_parallel_run (sided_mean_band, (void *) j,
                    smp_parallel_bands (j->w, 8 * (long) j->r + 64));
}

void
smp_scar_sided_means (const SmpScarMeanJob *a,
                      const SmpScarMeanJob *b)
{
  smp_scar_sided_mean (a);
  smp_scar_sided_mean (b);
}

double
smp_scar_quantile (const float   *v,
                   const uint8_t *use,
                   size_t         n,
                   double         q,
                   double         top,
                   int            magnitude)
{
  enum { BINS = 5000 };
  size_t *hist = calloc (BINS + 1, sizeof (size_t)), i, seen = 0, total = 0;
  double  value = NAN;
  int     b;

  for (i = 0; i < n; i++)
    if ((! use || use[i]) && isfinite (v[i]))
      {
        double x = magnitude ? fabs (v[i]) : v[i];

        hist[MIN (MAX ((int) (x * (BINS / top)), 0), BINS)]++;
        total++;
      }
  for (b = 0; b <= BINS && total > 0; b++)
    {
      seen += hist[b];
      if (seen >= q * total)
        {
          value = (b + 0.5) * (top / BINS);
          break;
        }
    }
  free (hist);
  return value;
}

/* The skin's noise from pixel to pixel: the robust deviation of each
 * pixel's luminance relative to the mean of its eight neighbours (scaled
 * to one pixel's own deviation).  Structure as smooth as a halo barely
 * shows in it; the few dots do not move a median. */
double
smp_scar_fine_noise (const float *luma,
                     int          w,
                     int          h)
{
  float  *v = malloc (sizeof (float) * (size_t) w * h);
  double  noise;
  int     x, y, i, j;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        double m = 0.0;

        v[(size_t) y * w + x] = NAN;
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
          continue;
        for (j = -1; j <= 1; j++)
          for (i = -1; i <= 1; i++)
            if (i || j)
              m += luma[(size_t) (y + j) * w + x + i] / 8.0;
        if (m > 0.0 && isfinite (m) && isfinite (luma[(size_t) y * w + x]))
          v[(size_t) y * w + x] = (float) (1.0 - luma[(size_t) y * w + x] / m);
      }
  noise = 1.4826 * smp_scar_quantile (v, NULL, (size_t) w * h, 0.5, 0.5, 1) / sqrt (1.125);
  free (v);
  return isfinite (noise) ? noise : INFINITY;
}
