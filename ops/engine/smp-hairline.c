/* gimp-smp: the density field of an SMP hairline.  See smp-hairline.h. */
#include "smp-hairline.h"
#include "smp-blur.h"
#include "smp-random.h"
#include "smp-distance.h"

#include <math.h>
#include <stdlib.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* The field is built on a grid of nodes keyed on absolute mm, whatever
 * the pixel scale or preview level: 0.25 mm resolves a transition of 1 mm
 * and is far below what an eye sees of a hairline's course. */
#define NODE_MM      0.25
/* How far ahead of the mask's edge strays may lie, beyond the largest
 * wander of the line. */
#define STRAY_MARGIN_MM 3.0
#define STREAM_WANDER 7

void
smp_hairline_style (SmpHairlineStyle   style,
                    SmpHairlineParams *p)
{
  /* transition, edge density, irregularity and its scale (mm), strays */
  static const SmpHairlineParams preset[] =
    {
      /* feathered: the most requested, and the most natural */
      [SMP_HAIRLINE_SOFT] = { 8.0, 0.35, 3.0, 12.0, 0.03, 0 },
      /* a ragged front with more single impressions ahead of it */
      [SMP_HAIRLINE_BROKEN] = { 6.0, 0.25, 4.5, 7.0, 0.08, 0 },
      /* a crisp "line-up" edge, still not ruler-straight */
      [SMP_HAIRLINE_DEFINED] = { 1.5, 0.85, 0.8, 25.0, 0.0, 0 },
    };
  uint32_t seed = p->seed;

  if ((unsigned) style >= SMP_HAIRLINE_CUSTOM)
    return;
  *p = preset[style];
  p->seed = seed;
}

/* How much the mask is smoothed before its edge is found (mm): enough to
 * turn a jagged freehand selection or a pixel staircase into a smooth
 * curve, far less than the irregularity the line is given on purpose. */
static double
smoothing_mm (double px_per_mm)
{
  return fmax (0.8, 2.0 / px_per_mm);
}

/* Beyond this distance from the mask's edge the field is 0 or 1. */
static double
cap_mm (const SmpHairlineParams *p)
{
  return fmax (p->transition_mm + p->irregularity_mm,
               p->irregularity_mm + STRAY_MARGIN_MM) + NODE_MM;
}

double
smp_hairline_reach_mm (const SmpHairlineParams *p,
                       double                   px_per_mm)
{
  return cap_mm (p) + 3.0 * smoothing_mm (px_per_mm) + 2.0 * NODE_MM + 2.0 / px_per_mm;
}

static double
fade (double t)
{
  return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

/* Gradient (Perlin) noise, about -0.7..0.7: unlike value noise it has no
 * power at the lowest frequencies, so the wander has a typical length and
 * no long drift that would dominate its spectrum. */
static double
gradient_noise (uint32_t seed,
                uint32_t octave,
                double   x,
                double   y)
{
  double  fx = floor (x), fy = floor (y), rx = x - fx, ry = y - fy;
  double  u = fade (rx), v = fade (ry), c[4];
  int64_t ix = (int64_t) fx, iy = (int64_t) fy;
  int     k;

  for (k = 0; k < 4; k++)
    {
      double a = 6.283185307179586
                 * smp_uniform (smp_key (seed, STREAM_WANDER + 16 * octave,
                                         ix + (k & 1), iy + (k >> 1), 0), 0);

      c[k] = cos (a) * (rx - (k & 1)) + sin (a) * (ry - (k >> 1));
    }
  return (1 - v) * ((1 - u) * c[0] + u * c[1]) + v * ((1 - u) * c[2] + u * c[3]);
}

double
smp_hairline_wander (const SmpHairlineParams *p,
                     double                   x_mm,
                     double                   y_mm)
{
  double s = fmax (p->irregularity_scale_mm, 0.1);
  double raw = 0.55 * gradient_noise (p->seed, 0, x_mm / s, y_mm / s)
               + 0.3 * gradient_noise (p->seed, 1, 2.37 * x_mm / s + 17.3, 2.37 * y_mm / s - 5.1)
               + 0.15 * gradient_noise (p->seed, 2, 0.43 * x_mm / s - 3.7, 0.43 * y_mm / s + 8.9);

  /* a soft limit keeps the wander within the irregularity (never more)
   * while most of the line uses a good part of it; octaves at irrational
   * ratios spread its energy and leave no lattice period */
  return 0.95 * tanh (3.2 * raw);
}

static float
sample_mask (const float *mask,
             int          mw,
             int          mh,
             double       x,
             double       y)
{
  int    x0, y0, x1, y1;
  double fx, fy;

  x = fmin (fmax (x, 0.0), mw - 1.0);
  y = fmin (fmax (y, 0.0), mh - 1.0);
  x0 = (int) x;
  y0 = (int) y;
  x1 = x0 + 1 < mw ? x0 + 1 : x0;
  y1 = y0 + 1 < mh ? y0 + 1 : y0;
  fx = x - x0;
  fy = y - y0;
  return (float) ((1 - fy) * ((1 - fx) * mask[(size_t) y0 * mw + x0] + fx * mask[(size_t) y0 * mw + x1])
                  + fy * ((1 - fx) * mask[(size_t) y1 * mw + x0] + fx * mask[(size_t) y1 * mw + x1]));
}

/* A grid of nodes at (i0 + i, j0 + j) × h mm, with scratch for the
 * distance transforms. */
typedef struct
{
  int64_t i0, j0;
  int     nx, ny;
  double  h;
  double *f, *foot_x, *foot_y, *rows;
  int    *nearest_x, *arg, *v;
  double *line, *line_d, *z;
} Grid;

/* The nodes on the contour of @value at @level (a neighbour lies on the
 * other side): the foot of the contour near each, in g->foot_x/y, and its
 * squared distance in nodes in g->f (INFINITY elsewhere). */
static void
contour_feet (Grid         *g,
              const double *value,
              double        level)
{
  const double h = g->h;
  const int    nx = g->nx, ny = g->ny;
  int          i, j;

  for (j = 0; j < ny; j++)
    for (i = 0; i < nx; i++)
      {
        size_t c = (size_t) j * nx + i;
        int    in = value[c] >= level, edge = 0;

        g->f[c] = INFINITY;
        if (i > 0) edge |= (value[c - 1] >= level) != in;
        if (i + 1 < nx) edge |= (value[c + 1] >= level) != in;
        if (j > 0) edge |= (value[c - nx] >= level) != in;
        if (j + 1 < ny) edge |= (value[c + nx] >= level) != in;
        if (edge)
          {
            double gx = (value[c + (i + 1 < nx)] - value[c - (i > 0)]) / (((i + 1 < nx) + (i > 0)) * h);
            double gy = (value[c + (j + 1 < ny) * nx] - value[c - (j > 0) * nx]) / (((j + 1 < ny) + (j > 0)) * h);
            double g2 = gx * gx + gy * gy;
            double step = g2 > 0 ? (value[c] - level) / g2 : 0.0;
            double dx = fmin (fmax (step * gx, -h), h), dy = fmin (fmax (step * gy, -h), h);

            /* the foot of the contour, kept within the node's own cell */
            g->foot_x[c] = (g->i0 + i) * h - dx;
            g->foot_y[c] = (g->j0 + j) * h - dy;
            g->f[c] = (dx * dx + dy * dy) / (h * h);
          }
      }
}

/* Signed distance (mm, positive where @value >= @level, capped at @cap)
 * from every node to the @level contour of @value.  Nodes next to the
 * contour find the point of it they face, one step along the local
 * gradient; an exact distance transform of those points says which is
 * nearest, and the true distance to the nearest point among that one's
 * neighbours is taken, so nothing of the node grid shows as a staircase.
 * If @wander is given, each node also gets the wander (mm) of its nearest
 * contour point. */
static void
contour_distance (Grid                    *g,
                  const double            *value,
                  double                   level,
                  double                   cap,
                  const SmpHairlineParams *p,
                  double                  *distance,
                  double                  *wander)
{
  const double h = g->h;
  const int    nx = g->nx, ny = g->ny;
  int          i, j;

  contour_feet (g, value, level);
  /* which contour node is nearest: rows, then columns */
  for (j = 0; j < ny; j++)
    {
      smp_distance_1d (g->f + (size_t) j * nx, nx, g->line_d, g->arg, g->v, g->z);
      for (i = 0; i < nx; i++)
        {
          g->rows[(size_t) j * nx + i] = g->line_d[i];
          g->nearest_x[(size_t) j * nx + i] = g->arg[i];
        }
    }
  for (i = 0; i < nx; i++)
    {
      for (j = 0; j < ny; j++)
        g->line[j] = g->rows[(size_t) j * nx + i];
      smp_distance_1d (g->line, ny, g->line_d, g->arg, g->v, g->z);
      for (j = 0; j < ny; j++)
        {
          size_t c = (size_t) j * nx + i;
          int    qy = g->arg[j], qx = qy >= 0 ? g->nearest_x[(size_t) qy * nx + i] : -1;
          double px = (g->i0 + i) * h, py = (g->j0 + j) * h, best = INFINITY, o = 0.0;
          int    a, b;

          if (qx >= 0 && sqrt (g->line_d[j]) * h < cap + 2 * h)
            for (b = MAX (qy - 2, 0); b <= MIN (qy + 2, ny - 1); b++)
              for (a = MAX (qx - 2, 0); a <= MIN (qx + 2, nx - 1); a++)
                {
                  size_t q = (size_t) b * nx + a;
                  double dd;

                  if (! isfinite (g->f[q]))
                    continue;
                  dd = hypot (px - g->foot_x[q], py - g->foot_y[q]);
                  if (dd < best)
                    {
                      best = dd;
                      o = wander ? p->irregularity_mm
                                   * smp_hairline_wander (p, g->foot_x[q], g->foot_y[q]) : 0.0;
                    }
                }
          best = fmin (best, cap);
          distance[c] = value[c] >= level ? best : -best;
          if (wander)
            wander[c] = o;
        }
    }
}

/* The grid's buffers for nx × ny nodes. */
static void
grid_alloc (Grid *g)
{
  size_t nn = (size_t) g->nx * g->ny;
  int    n = g->nx > g->ny ? g->nx : g->ny;

  g->f = malloc (sizeof (double) * nn);
  g->foot_x = malloc (sizeof (double) * nn);
  g->foot_y = malloc (sizeof (double) * nn);
  g->rows = malloc (sizeof (double) * nn);
  g->nearest_x = malloc (sizeof (int) * nn);
  g->line = malloc (sizeof (double) * n);
  g->line_d = malloc (sizeof (double) * n);
  g->z = malloc (sizeof (double) * (n + 1));
  g->arg = malloc (sizeof (int) * n);
  g->v = malloc (sizeof (int) * n);
}

static void
grid_free (Grid *g)
{
  free (g->f); free (g->foot_x); free (g->foot_y); free (g->rows); free (g->nearest_x);
  free (g->line); free (g->line_d); free (g->z); free (g->arg); free (g->v);
}

/* The density at @dl mm behind the drawn line (negative: ahead of it),
 * @d mm from the mask's edge. */
static double
profile (const SmpHairlineParams *p,
         double                   d,
         double                   dl)
{
  if (dl >= 0)
    {
      double t = p->transition_mm > 0 ? dl / p->transition_mm : 1.0;

      return t >= 1.0 ? 1.0 : p->edge_density + (1.0 - p->edge_density) * t * t * (3.0 - 2.0 * t);
    }
  if (d >= -(p->irregularity_mm + STRAY_MARGIN_MM))
    return p->strays;
  return 0.0;
}

void
smp_hairline_density (const SmpHairlineParams *p,
                      double                   s,
                      const float             *mask,
                      const SmpRect           *mask_area,
                      const SmpRect           *target,
                      float                   *density,
                      float                   *signed_mm)
{
  int     mx = mask_area->x, my = mask_area->y, mw = mask_area->w, mh = mask_area->h;
  int     tx = target->x, ty = target->y, tw = target->w, th = target->h;
  const double h = NODE_MM, cap = cap_mm (p);
  double  reach = smp_hairline_reach_mm (p, s);
  Grid    g;
  int     i, j;
  size_t  nn, c;
  double *v, *edge_d, *line_d, *shifted, *wander;

  g.h = h;
  g.i0 = (int64_t) floor ((tx / s - reach) / h);
  g.j0 = (int64_t) floor ((ty / s - reach) / h);
  g.nx = (int) ((int64_t) ceil (((tx + tw) / s + reach) / h) - g.i0) + 1;
  g.ny = (int) ((int64_t) ceil (((ty + th) / s + reach) / h) - g.j0) + 1;
  nn = (size_t) g.nx * g.ny;
  grid_alloc (&g);
  v = malloc (sizeof (double) * nn);
  edge_d = malloc (sizeof (double) * nn);
  line_d = malloc (sizeof (double) * nn);
  shifted = malloc (sizeof (double) * nn);
  wander = malloc (sizeof (double) * nn);

  /* 1. the mask on the node grid, smoothed */
  for (j = 0; j < g.ny; j++)
    for (i = 0; i < g.nx; i++)
      v[(size_t) j * g.nx + i] = sample_mask (mask, mw, mh, (g.i0 + i) * h * s - 0.5 - mx,
                                              (g.j0 + j) * h * s - 0.5 - my);
  smp_blur_gaussian_d (v, g.nx, g.ny, smoothing_mm (s) / h);

  /* 2. distance from the mask's edge, and the wander of the line drawn
   *    along it */
  contour_distance (&g, v, 0.5, cap, p, edge_d, wander);

  /* 3. distance from the drawn line itself, so the ramp behind it keeps
   *    the same depth everywhere, however the line wanders */
  for (c = 0; c < nn; c++)
    shifted[c] = edge_d[c] - wander[c];
  contour_distance (&g, shifted, 0.0, cap, p, line_d, NULL);

  /* 4. the profile at each target pixel, from the nodes around it */
  for (j = 0; j < th; j++)
    for (i = 0; i < tw; i++)
      {
        double gx = ((tx + i + 0.5) / s) / h - g.i0, gy = ((ty + j + 0.5) / s) / h - g.j0;
        int    ax = (int) floor (gx), ay = (int) floor (gy);
        double fx = gx - ax, fy = gy - ay, d, dl;
        size_t k = (size_t) ay * g.nx + ax;

        d = (1 - fy) * ((1 - fx) * edge_d[k] + fx * edge_d[k + 1])
            + fy * ((1 - fx) * edge_d[k + g.nx] + fx * edge_d[k + g.nx + 1]);
        dl = (1 - fy) * ((1 - fx) * line_d[k] + fx * line_d[k + 1])
             + fy * ((1 - fx) * line_d[k + g.nx] + fx * line_d[k + g.nx + 1]);
        density[(size_t) j * tw + i] = (float) profile (p, d, dl);
        if (signed_mm)
          signed_mm[(size_t) j * tw + i] = (float) d;
      }

  grid_free (&g);
  free (v); free (edge_d); free (line_d); free (shifted); free (wander);
}
