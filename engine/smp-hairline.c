/* gimp-smp: the density field of an SMP hairline.  See smp-hairline.h. */
#include "smp-hairline.h"
#include "smp-random.h"

#include <math.h>
#include <stdlib.h>

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
  switch (style)
    {
    case SMP_HAIRLINE_SOFT:
      /* feathered: the most requested, and the most natural */
      p->transition_mm = 8.0;
      p->edge_density = 0.35;
      p->irregularity_mm = 3.0;
      p->irregularity_scale_mm = 12.0;
      p->strays = 0.03;
      break;
    case SMP_HAIRLINE_BROKEN:
      /* a ragged front with more single impressions ahead of it */
      p->transition_mm = 6.0;
      p->edge_density = 0.25;
      p->irregularity_mm = 4.5;
      p->irregularity_scale_mm = 7.0;
      p->strays = 0.08;
      break;
    case SMP_HAIRLINE_DEFINED:
      /* a crisp "line-up" edge, still not ruler-straight */
      p->transition_mm = 1.5;
      p->edge_density = 0.85;
      p->irregularity_mm = 0.8;
      p->irregularity_scale_mm = 25.0;
      p->strays = 0.0;
      break;
    case SMP_HAIRLINE_CUSTOM:
      break;
    }
}

/* How much the mask is smoothed before its edge is found (mm): enough to
 * turn a jagged freehand selection or a pixel staircase into a smooth
 * curve, far less than the irregularity the line is given on purpose. */
static double
smoothing_mm (double px_per_mm)
{
  return fmax (0.5, 1.5 / px_per_mm);
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

/* Value noise in -1..1, lattice values pushed outwards so the line uses
 * most of its allowed wander rather than idling near the mask's edge. */
static double
value_noise (uint32_t seed,
             uint32_t octave,
             double   x,
             double   y)
{
  double  fx = floor (x), fy = floor (y), u = fade (x - fx), v = fade (y - fy);
  int64_t ix = (int64_t) fx, iy = (int64_t) fy;
  double  c[4];
  int     k;

  for (k = 0; k < 4; k++)
    {
      double w = 2.0 * smp_uniform (smp_key (seed, STREAM_WANDER + 16 * octave,
                                             ix + (k & 1), iy + (k >> 1), 0), 0) - 1.0;

      c[k] = w < 0 ? -sqrt (-w) : sqrt (w);
    }
  return (1 - v) * ((1 - u) * c[0] + u * c[1]) + v * ((1 - u) * c[2] + u * c[3]);
}

double
smp_hairline_wander (const SmpHairlineParams *p,
                     double                   x_mm,
                     double                   y_mm)
{
  double s = fmax (p->irregularity_scale_mm, 0.1);

  /* two octaves at an irrational ratio: no lattice period survives */
  return 0.95 * (0.75 * value_noise (p->seed, 0, x_mm / s, y_mm / s)
                 + 0.25 * value_noise (p->seed, 1, 2.718 * x_mm / s + 17.3, 2.718 * y_mm / s - 5.1));
}

/* Felzenszwalb & Huttenlocher's exact 1-D distance transform of sampled
 * function f (INFINITY = no sample), with the index of the minimiser. */
static void
distance_1d (const double *f,
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

/* Separable Gaussian blur of an nx × ny grid, edges clamped. */
static void
blur_grid (double *g,
           int     nx,
           int     ny,
           double  sigma)
{
  int     r = (int) ceil (3.0 * sigma), i, j, k, n = nx > ny ? nx : ny;
  double *w = malloc (sizeof (double) * (2 * r + 1)), *line = malloc (sizeof (double) * n), sum = 0;

  for (k = -r; k <= r; k++)
    sum += w[k + r] = exp (-0.5 * k * k / (sigma * sigma));
  for (k = 0; k <= 2 * r; k++)
    w[k] /= sum;
  for (j = 0; j < ny; j++)
    {
      for (i = 0; i < nx; i++)
        {
          double acc = 0;
          for (k = -r; k <= r; k++)
            {
              int ii = i + k < 0 ? 0 : i + k >= nx ? nx - 1 : i + k;
              acc += w[k + r] * g[(size_t) j * nx + ii];
            }
          line[i] = acc;
        }
      for (i = 0; i < nx; i++)
        g[(size_t) j * nx + i] = line[i];
    }
  for (i = 0; i < nx; i++)
    {
      for (j = 0; j < ny; j++)
        {
          double acc = 0;
          for (k = -r; k <= r; k++)
            {
              int jj = j + k < 0 ? 0 : j + k >= ny ? ny - 1 : j + k;
              acc += w[k + r] * g[(size_t) jj * nx + i];
            }
          line[j] = acc;
        }
      for (j = 0; j < ny; j++)
        g[(size_t) j * nx + i] = line[j];
    }
  free (w);
  free (line);
}

void
smp_hairline_density (const SmpHairlineParams *p,
                      double                   s,
                      const float             *mask,
                      int mx, int my, int mw, int mh,
                      int tx, int ty, int tw, int th,
                      float                   *density,
                      float                   *signed_mm)
{
  const double h = NODE_MM, cap = cap_mm (p);
  double  reach = smp_hairline_reach_mm (p, s);
  int64_t i0 = (int64_t) floor ((tx / s - reach) / h), j0 = (int64_t) floor ((ty / s - reach) / h);
  int     nx = (int) ((int64_t) ceil (((tx + tw) / s + reach) / h) - i0) + 1;
  int     ny = (int) ((int64_t) ceil (((ty + th) / s + reach) / h) - j0) + 1;
  int     n = nx > ny ? nx : ny, i, j;
  size_t  nn = (size_t) nx * ny;
  double *v = malloc (sizeof (double) * nn), *f = malloc (sizeof (double) * nn);
  double *sd = malloc (sizeof (double) * nn), *off = malloc (sizeof (double) * nn);
  double *sd2 = malloc (sizeof (double) * nn), *wander = malloc (sizeof (double) * nn);
  double *foot_x = malloc (sizeof (double) * nn), *foot_y = malloc (sizeof (double) * nn);
  int    *nearest_x = malloc (sizeof (int) * nn);
  double *col = malloc (sizeof (double) * n), *cold = malloc (sizeof (double) * n);
  double *z = malloc (sizeof (double) * (n + 1));
  int    *arg = malloc (sizeof (int) * n), *vv = malloc (sizeof (int) * n);

  /* 1. the mask on the node grid, smoothed */
  for (j = 0; j < ny; j++)
    for (i = 0; i < nx; i++)
      v[(size_t) j * nx + i] = sample_mask (mask, mw, mh, (i0 + i) * h * s - 0.5 - mx,
                                            (j0 + j) * h * s - 0.5 - my);
  blur_grid (v, nx, ny, smoothing_mm (s) / h);

  /* 2. nodes next to the 0.5 contour, each with the point of the
   *    contour it faces (one step along the local gradient) and that
   *    point's wander; f is their squared distance in node units */
  for (j = 0; j < ny; j++)
    for (i = 0; i < nx; i++)
      {
        size_t c = (size_t) j * nx + i;
        int    in = v[c] >= 0.5, edge = 0;

        f[c] = INFINITY;
        if (i > 0) edge |= (v[c - 1] >= 0.5) != in;
        if (i + 1 < nx) edge |= (v[c + 1] >= 0.5) != in;
        if (j > 0) edge |= (v[c - nx] >= 0.5) != in;
        if (j + 1 < ny) edge |= (v[c + nx] >= 0.5) != in;
        if (edge)
          {
            double gx = (v[c + (i + 1 < nx)] - v[c - (i > 0)]) / (((i + 1 < nx) + (i > 0)) * h);
            double gy = (v[c + (j + 1 < ny) * nx] - v[c - (j > 0) * nx]) / (((j + 1 < ny) + (j > 0)) * h);
            double g2 = gx * gx + gy * gy;
            double step = g2 > 0 ? (v[c] - 0.5) / g2 : 0.0;

            /* the foot of the contour, clamped to the node's own cell */
            foot_x[c] = (i0 + i) * h - fmin (fmax (step * gx, -h), h);
            foot_y[c] = (j0 + j) * h - fmin (fmax (step * gy, -h), h);
            f[c] = (hypot (foot_x[c] - (i0 + i) * h, foot_y[c] - (j0 + j) * h) / h);
            f[c] *= f[c];
            wander[c] = p->irregularity_mm * smp_hairline_wander (p, foot_x[c], foot_y[c]);
          }
      }

  /* 3. which edge node is nearest, by an exact distance transform of
   *    those samples (rows, then columns); then the true distance to the
   *    nearest contour point among that node's neighbours, so the field
   *    has no staircase from the node grid */
  for (j = 0; j < ny; j++)
    {
      distance_1d (f + (size_t) j * nx, nx, col, arg, vv, z);
      for (i = 0; i < nx; i++)
        {
          sd[(size_t) j * nx + i] = col[i];
          nearest_x[(size_t) j * nx + i] = arg[i];
        }
    }
  for (i = 0; i < nx; i++)
    {
      for (j = 0; j < ny; j++)
        col[j] = sd[(size_t) j * nx + i];
      distance_1d (col, ny, cold, arg, vv, z);
      for (j = 0; j < ny; j++)
        {
          size_t c = (size_t) j * nx + i;
          int    qy = arg[j], qx = qy >= 0 ? nearest_x[(size_t) qy * nx + i] : -1;
          double px = (i0 + i) * h, py = (j0 + j) * h, best = INFINITY, o = 0.0;
          int    a, b;

          if (qx >= 0 && sqrt (cold[j]) * h < cap + 2 * h)
            for (b = qy - 2; b <= qy + 2; b++)
              for (a = qx - 2; a <= qx + 2; a++)
                {
                  size_t q = (size_t) b * nx + a;
                  double dd;

                  if (a < 0 || b < 0 || a >= nx || b >= ny || ! isfinite (f[q]))
                    continue;
                  dd = hypot (px - foot_x[q], py - foot_y[q]);
                  if (dd < best)
                    {
                      best = dd;
                      /* the line's wander is that of the contour point
                       * nearest: it moves the ramp along the normal,
                       * never stretches it */
                      o = wander[q];
                    }
                }
          off[c] = o;
          best = fmin (best, cap);
          sd2[c] = v[c] >= 0.5 ? best : -best;
        }
    }

  /* 4. the profile at each target pixel, from the nodes around it */
  for (j = 0; j < th; j++)
    for (i = 0; i < tw; i++)
      {
        double gx = ((tx + i + 0.5) / s) / h - i0, gy = ((ty + j + 0.5) / s) / h - j0;
        int    ax = (int) floor (gx), ay = (int) floor (gy);
        double fx = gx - ax, fy = gy - ay, d, o, dl, value;
        size_t c = (size_t) ay * nx + ax;

        d = (1 - fy) * ((1 - fx) * sd2[c] + fx * sd2[c + 1]) + fy * ((1 - fx) * sd2[c + nx] + fx * sd2[c + nx + 1]);
        o = (1 - fy) * ((1 - fx) * off[c] + fx * off[c + 1]) + fy * ((1 - fx) * off[c + nx] + fx * off[c + nx + 1]);
        dl = d - o;
        if (dl >= 0)
          {
            double t = p->transition_mm > 0 ? dl / p->transition_mm : 1.0;

            value = t >= 1.0 ? 1.0 : p->edge_density + (1.0 - p->edge_density) * t * t * (3.0 - 2.0 * t);
          }
        else if (d >= -(p->irregularity_mm + STRAY_MARGIN_MM))
          value = p->strays;
        else
          value = 0.0;
        density[(size_t) j * tw + i] = (float) value;
        if (signed_mm)
          signed_mm[(size_t) j * tw + i] = (float) d;
      }

  free (v); free (f); free (sd); free (off); free (nearest_x);
  free (sd2); free (wander); free (foot_x); free (foot_y);
  free (col); free (cold); free (z); free (arg); free (vv);
}
