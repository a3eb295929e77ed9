/* gimp-smp: statistics of dot patterns.  See smp-stats.h. */
#include "smp-stats.h"
#include "smp-buckets.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>

/* A uniform grid over the points' bounding box, for neighbour queries. */
typedef SmpBuckets Grid;

static void
grid_build (Grid           *g,
            const SmpPoint *p,
            size_t          n,
            double          cell)
{
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  size_t i;

  for (i = 0; i < n; i++)
    {
      x0 = fmin (x0, p[i].x); x1 = fmax (x1, p[i].x);
      y0 = fmin (y0, p[i].y); y1 = fmax (y1, p[i].y);
    }
  if (n == 0)
    x0 = y0 = x1 = y1 = 0.0;
  *g = (SmpBuckets) { .x0 = x0, .y0 = y0, .cell = cell,
                      .nx = (int64_t) ((x1 - x0) / cell) + 1, .ny = (int64_t) ((y1 - y0) / cell) + 1 };
  smp_buckets_build (g, p, sizeof (SmpPoint), n);
}

static int
inside (const SmpPoint *p, double x0, double y0, double x1, double y1)
{
  return p->x >= x0 && p->x < x1 && p->y >= y0 && p->y < y1;
}

double
smp_stats_clark_evans (const SmpPoint *p,
                       size_t          n,
                       double x0, double y0, double x1, double y1)
{
  double area = (x1 - x0) * (y1 - y0), sum = 0.0, cell;
  size_t i, counted = 0;
  Grid   g;

  for (i = 0; i < n; i++)
    counted += inside (&p[i], x0, y0, x1, y1);
  if (counted < 2)
    return 0.0;
  cell = sqrt (area / counted);
  grid_build (&g, p, n, cell);

  for (i = 0; i < n; i++)
    {
      double best = INFINITY;
      int    cx, cy, ring;

      if (! inside (&p[i], x0, y0, x1, y1))
        continue;
      cx = (int) ((p[i].x - g.x0) / cell);
      cy = (int) ((p[i].y - g.y0) / cell);
      /* widen the search ring until it cannot hold anything nearer */
      for (ring = 1; ; ring++)
        {
          int i2, j2;

          for (j2 = cy - ring; j2 <= cy + ring; j2++)
            for (i2 = cx - ring; i2 <= cx + ring; i2++)
              {
                size_t k;

                if (i2 < 0 || j2 < 0 || i2 >= g.nx || j2 >= g.ny)
                  continue;
                if (ring > 1 && abs (i2 - cx) < ring && abs (j2 - cy) < ring)
                  continue;
                for (k = g.start[j2 * g.nx + i2]; k < g.start[j2 * g.nx + i2 + 1]; k++)
                  {
                    size_t o = g.index[k];
                    double dx = p[o].x - p[i].x, dy = p[o].y - p[i].y, d2 = dx * dx + dy * dy;

                    if (o != i && d2 < best)
                      best = d2;
                  }
              }
          if (sqrt (best) <= ring * cell || ring > g.nx + g.ny)
            break;
        }
      sum += sqrt (best);
    }
  smp_buckets_free (&g);
  return (sum / counted) / (0.5 / sqrt (counted / area));
}

double
smp_stats_spectrum_peak (const SmpPoint *p,
                         size_t          n,
                         double x0, double y0, double size,
                         int             grid)
{
  int             h = grid / 2, side = 2 * h + 1, kx, ky, r;
  double complex *sum = calloc ((size_t) side * side, sizeof (double complex));
  double complex *ex = malloc (sizeof (double complex) * side);
  double complex *ey = malloc (sizeof (double complex) * side);
  double         *ring_sum = calloc ((size_t) 2 * h + 2, sizeof (double));
  int            *ring_n = calloc ((size_t) 2 * h + 2, sizeof (int));
  double          worst = 0.0;
  size_t          i;

  for (i = 0; i < n; i++)
    {
      double complex sx, sy;

      if (! inside (&p[i], x0, y0, x0 + size, y0 + size))
        continue;
      sx = cexp (-2.0 * M_PI * I * (p[i].x - x0) / size);
      sy = cexp (-2.0 * M_PI * I * (p[i].y - y0) / size);
      ex[h] = ey[h] = 1.0;
      for (kx = 1; kx <= h; kx++)
        {
          ex[h + kx] = ex[h + kx - 1] * sx;
          ex[h - kx] = conj (ex[h + kx]);
          ey[h + kx] = ey[h + kx - 1] * sy;
          ey[h - kx] = conj (ey[h + kx]);
        }
      for (ky = 0; ky < side; ky++)
        for (kx = 0; kx < side; kx++)
          sum[ky * side + kx] += ex[kx] * ey[ky];
    }

  /* rings of integer radius; the two lowest hold the window, not the
   * pattern, and are left out */
  for (ky = -h; ky <= h; ky++)
    for (kx = -h; kx <= h; kx++)
      {
        r = (int) lround (sqrt ((double) kx * kx + ky * ky));
        if (r < 2 || r > h)
          continue;
        ring_sum[r] += creal (sum[(ky + h) * side + kx + h] * conj (sum[(ky + h) * side + kx + h]));
        ring_n[r]++;
      }
  for (ky = -h; ky <= h; ky++)
    for (kx = -h; kx <= h; kx++)
      {
        double power;

        r = (int) lround (sqrt ((double) kx * kx + ky * ky));
        if (r < 2 || r > h || ring_sum[r] <= 0.0)
          continue;
        power = creal (sum[(ky + h) * side + kx + h] * conj (sum[(ky + h) * side + kx + h]));
        worst = fmax (worst, power / (ring_sum[r] / ring_n[r]));
      }
  free (sum); free (ex); free (ey); free (ring_sum); free (ring_n);
  return worst;
}

static size_t
find_root (size_t *parent, size_t i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

double
smp_stats_grouped_share (const SmpPoint *p,
                         size_t          n,
                         double          link,
                         double x0, double y0, double x1, double y1)
{
  size_t *parent = malloc (sizeof (size_t) * (n ? n : 1));
  size_t *size = calloc (n ? n : 1, sizeof (size_t));
  size_t  i, grouped = 0, counted = 0;
  Grid    g;

  for (i = 0; i < n; i++)
    parent[i] = i;
  grid_build (&g, p, n, link);
  for (i = 0; i < n; i++)
    {
      int cx = (int) ((p[i].x - g.x0) / link), cy = (int) ((p[i].y - g.y0) / link), i2, j2;

      for (j2 = cy - 1; j2 <= cy + 1; j2++)
        for (i2 = cx - 1; i2 <= cx + 1; i2++)
          {
            size_t k;

            if (i2 < 0 || j2 < 0 || i2 >= g.nx || j2 >= g.ny)
              continue;
            for (k = g.start[j2 * g.nx + i2]; k < g.start[j2 * g.nx + i2 + 1]; k++)
              {
                size_t o = g.index[k];
                double dx = p[o].x - p[i].x, dy = p[o].y - p[i].y;

                if (o > i && dx * dx + dy * dy < link * link)
                  parent[find_root (parent, o)] = find_root (parent, i);
              }
          }
    }
  for (i = 0; i < n; i++)
    size[find_root (parent, i)]++;
  for (i = 0; i < n; i++)
    {
      size_t s;

      if (! inside (&p[i], x0, y0, x1, y1))
        continue;
      counted++;
      s = size[find_root (parent, i)];
      grouped += s >= 2 && s <= 3;
    }
  smp_buckets_free (&g);
  free (parent);
  free (size);
  return counted ? (double) grouped / counted : 0.0;
}
