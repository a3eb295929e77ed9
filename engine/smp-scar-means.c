/* gimp-smp: box means on each side of the scar's mask, quantiles and the
 * skin's noise, which the stages of smp-scar.c share.  See
 * smp-scar-stages.h. */
#include "smp-scar-stages.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

void
smp_scar_sided_mean (const float   *value,
                     int            stride,
                     const uint8_t *side,
                     const uint8_t *skip,
                     int            w,
                     int            h,
                     int            r,
                     int            from_side,
                     float          fallback,
                     float         *mean,
                     int            mean_stride)
{
  int64_t *col = calloc ((size_t) 4 * w, sizeof (int64_t));
  int      x, y, k;

  /* col[4x + 2s] = sum, col[4x + 2s + 1] = count over the rows in the window */
  for (y = -r; y < h; y++)
    {
      int add = y + r, sub = y - r - 1;

      if (add < h)
        for (x = 0; x < w; x++)
          {
            size_t i = (size_t) add * w + x;
            float  v = value[i * stride];

            if ((skip && skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * side[i]] += smp_scar_round (v * FIX);
            col[4 * x + 2 * side[i] + 1]++;
          }
      if (sub >= 0)
        for (x = 0; x < w; x++)
          {
            size_t i = (size_t) sub * w + x;
            float  v = value[i * stride];

            if ((skip && skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * side[i]] -= smp_scar_round (v * FIX);
            col[4 * x + 2 * side[i] + 1]--;
          }
      if (y < 0)
        continue;
      {
        int64_t run[4] = { 0, 0, 0, 0 };

        for (x = -r; x < w; x++)
          {
            int xa = x + r, xs = x - r - 1;

            if (xa < w)
              for (k = 0; k < 4; k++)
                run[k] += col[4 * xa + k];
            if (xs >= 0)
              for (k = 0; k < 4; k++)
                run[k] -= col[4 * xs + k];
            if (x >= 0)
              {
                size_t i = (size_t) y * w + x;
                int    s = from_side >= 0 ? from_side : side[i];

                mean[i * mean_stride] = run[2 * s + 1] > 0
                                        ? (float) (run[2 * s] / FIX / run[2 * s + 1])
                                        : isnan (fallback) ? value[i * stride] : fallback;
              }
          }
      }
    }
  free (col);
}

static void *
sided_mean_job (void *data)
{
  const SmpScarMeanJob *j = data;

  smp_scar_sided_mean (j->value, j->stride, j->side, j->skip, j->w, j->h, j->r,
                       j->from_side, j->fallback, j->mean, j->mean_stride);
  return NULL;
}

void
smp_scar_sided_means (const SmpScarMeanJob *a,
                      const SmpScarMeanJob *b)
{
  pthread_t other;
  int       started = pthread_create (&other, NULL, sided_mean_job, (void *) a) == 0;

  if (! started)
    sided_mean_job ((void *) a);
  sided_mean_job ((void *) b);
  if (started)
    pthread_join (other, NULL);
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
