/* gimp-smp: concealing a scar, stage 5: blending the tone.  The optional
 * tone blend pulls the scar's base tone towards the ring's as a gain in
 * linear light, so the skin's texture stays; this file measures the
 * skin's local tone it compares with, and applies the gain.  See
 * smp-scar-stages.h. */
#include "smp-scar-stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The skin's local tone on each side of the scar, the same as the
 * background its dots are read against: the mean over the window of half
 * BACKGROUND_HALF_MM, of the pixels on the same side.  It is computed
 * once, at full resolution, at nodes TONE_NODES_PER_HALF to a window's
 * half-width apart, and interpolated between them: the blend's cost per
 * pixel is then the same at any scale and blend width, no tile reads a
 * margin around itself, and every tile and preview level reads the same
 * field.  The window's sum moves by a few of its (2r+1) columns from
 * one node to the next, so the interpolated tone stays within a small
 * part of the local contrast. */
#define TONE_NODES_PER_HALF 8

/* At each node, for side 0 (skin) and 1 (scar): the mean R, G and B of
 * the window's pixels on that side, and their count. */
#define TONE_VALUES 4

static int
tone_half_px (const SmpScar *s)
{
  return MAX (1, (int) lround (BACKGROUND_HALF_MM * s->p.px_per_mm));
}

/* Sums of the rows in the window (2 sides × TONE_VALUES per column) with
 * row @row of the region added (@sign 1) or taken out (-1), over the
 * columns x0..x1; returns the pixels visited. */
static long
tone_columns (const SmpScar *s,
              const float   *rgb,
              const uint8_t *side,
              int            row,
              int            sign,
              int            x0,
              int            x1,
              int64_t       *col)
{
  int x, k;

  if (row < 0 || row >= s->h)
    return 0;
  for (x = x0; x <= x1; x++)
    {
      size_t   i = (size_t) row * s->w + x;
      int64_t *c = col + (2 * (x - x0) + side[i]) * TONE_VALUES;

      if (! isfinite (rgb[3 * i]) || ! isfinite (rgb[3 * i + 1]) || ! isfinite (rgb[3 * i + 2]))
        continue;
      for (k = 0; k < 3; k++)
        c[k] += sign * smp_scar_round (rgb[3 * i + k] * FIX);
      c[3] += sign;
    }
  return x1 - x0 + 1;
}

/* Fills s->tone_means over the extent (its part in the region) from the
 * region's linear @rgb, whose pixels lie on @side 0 or 1.  Integer
 * running sums down the columns, read across at the node rows only: each
 * pixel within a window's reach of the extent is visited twice, and each
 * node row once more, whatever the window's size. */
static void
build_tone_field (SmpScar       *s,
                  const float   *rgb,
                  const uint8_t *side)
{
  int      r = tone_half_px (s), cell = MAX (1, r / TONE_NODES_PER_HALF);
  int      fx0 = MAX (s->ex - s->x0, 0), fy0 = MAX (s->ey - s->y0, 0);
  int      fx1 = MIN (s->ex + s->ew - s->x0, s->w) - 1, fy1 = MIN (s->ey + s->eh - s->y0, s->h) - 1;
  int      cx0 = MAX (fx0 - r, 0), cx1, gx, gy, k;
  int      top = fy0 - r, bottom = fy0 - r - 1;  /* the rows in the column sums */
  int64_t *col;
  long     work = 0;

  if (fx1 < fx0 || fy1 < fy0)
    return;
  s->tone_cell = cell;
  s->tone_x0 = fx0;
  s->tone_y0 = fy0;
  s->tone_gw = (fx1 - fx0 + cell - 1) / cell + 1;
  s->tone_gh = (fy1 - fy0 + cell - 1) / cell + 1;
  cx1 = MIN (fx0 + (s->tone_gw - 1) * cell + r, s->w - 1);
  col = calloc ((size_t) 2 * TONE_VALUES * (cx1 - cx0 + 1), sizeof (int64_t));
  s->tone_means = calloc ((size_t) s->tone_gw * s->tone_gh * 2 * TONE_VALUES, sizeof (float));
  for (gy = 0; gy < s->tone_gh; gy++)
    {
      int64_t run[2 * TONE_VALUES] = { 0 };
      int     row = fy0 + gy * cell, x;

      /* the window's rows, row - r .. row + r, in the column sums */
      for (; bottom < row + r; bottom++)
        work += tone_columns (s, rgb, side, bottom + 1, 1, cx0, cx1, col);
      for (; top < row - r; top++)
        work += tone_columns (s, rgb, side, top, -1, cx0, cx1, col);
      /* across, from the first column summed: the window's columns
       * x - r .. x + r */
      for (x = cx0 - r, gx = 0; gx < s->tone_gw; x++)
        {
          int add = x + r, sub = x - r - 1;

          if (add >= cx0 && add <= cx1)
            for (k = 0; k < 2 * TONE_VALUES; k++)
              run[k] += col[2 * TONE_VALUES * (add - cx0) + k];
          if (sub >= cx0 && sub <= cx1)
            for (k = 0; k < 2 * TONE_VALUES; k++)
              run[k] -= col[2 * TONE_VALUES * (sub - cx0) + k];
          work++;
          if (x == fx0 + gx * cell)
            {
              float *node = s->tone_means + ((size_t) gy * s->tone_gw + gx) * 2 * TONE_VALUES;

              for (k = 0; k < 2 * TONE_VALUES; k++)
                {
                  int64_t count = run[k - k % TONE_VALUES + 3];

                  node[k] = k % TONE_VALUES == 3 ? (float) count
                            : count > 0 ? (float) (run[k] / FIX / count) : 0.0f;
                }
              gx++;
            }
        }
    }
  s->stats.tone_field_work = work;
  free (col);
}

/* The local tone (linear RGB) on @side around the full-resolution point
 * (fx, fy) (absolute px), interpolated between the nodes, each weighted
 * by its count of that side's pixels; 0 where the side has none near. */
static int
local_tone (const SmpScar *s,
            double         fx,
            double         fy,
            int            side,
            double         tone[3])
{
  double u = fmin (fmax ((fx - s->x0 - 0.5 - s->tone_x0) / s->tone_cell, 0.0), s->tone_gw - 1);
  double v = fmin (fmax ((fy - s->y0 - 0.5 - s->tone_y0) / s->tone_cell, 0.0), s->tone_gh - 1);
  int    gx = MIN ((int) u, MAX (s->tone_gw - 2, 0)), gy = MIN ((int) v, MAX (s->tone_gh - 2, 0));
  double sum[3] = { 0, 0, 0 }, count = 0;
  int    i, j, k;

  for (j = 0; j <= 1 && gy + j < s->tone_gh; j++)
    for (i = 0; i <= 1 && gx + i < s->tone_gw; i++)
      {
        const float *node = s->tone_means + ((size_t) (gy + j) * s->tone_gw + gx + i) * 2 * TONE_VALUES
                            + side * TONE_VALUES;
        double       weight = (i ? u - gx : 1.0 - (u - gx)) * (j ? v - gy : 1.0 - (v - gy)) * node[3];

        for (k = 0; k < 3; k++)
          sum[k] += weight * node[k];
        count += weight;
      }
  if (! (count > 0.0))
    return 0;
  for (k = 0; k < 3; k++)
    tone[k] = sum[k] / count;
  return 1;
}

long
smp_scar_tone (const SmpScar *s,
               int            level,
               float         *rgba,
               const SmpRect *target,
               uint8_t       *changed)
{
  int    tx = target->x, ty = target->y, tw = target->w, th = target->h;
  double tone_blend = s->p.tone_blend;
  int    x, y, c;
  long   count = 0;

  memset (changed, 0, (size_t) tw * th);
  if (! s->tone_means || tone_blend <= 0.0)
    return 0;
  for (y = 0; y < th; y++)
    for (x = 0; x < tw; x++)
      {
        double fx, fy, t, local[3];
        long   k = smp_scar_region_index (s, level, tx + x, ty + y, &fx, &fy);
        size_t a = (size_t) y * tw + x;
        int    side;
        /* the ring's tone between its dots for the scar, which gets its
         * own dots; its plain mean for skin that keeps the dots it has */
        const double *ref;

        if (k < 0 || (t = smp_scar_target (s, k)) <= 0.0)
          continue;
        side = s->scar_skin ? s->scar_skin[k] : s->outside_mm[k] <= 0.0;
        ref = side ? s->stats.ring_tone : s->stats.ring_mean;
        if (! local_tone (s, fx, fy, side, local))
          continue;
        for (c = 0; c < 3; c++)
          if (local[c] > 0.0 && ref[c] > 0.0 && isfinite (rgba[4 * a + c]))
            rgba[4 * a + c] = (float) (rgba[4 * a + c] * pow (ref[c] / local[c], tone_blend * t));
        changed[a] = 1;
        count++;
      }
  return count;
}

void
smp_scar_measure_tone (SmpScar       *s,
                       const float   *rgb,
                       const uint8_t *inside)
{
  size_t   n = (size_t) s->w * s->h, i;
  uint8_t *side = malloc (n);

  /* the scar's side: the one told, or else the mask */
  for (i = 0; i < n; i++)
    side[i] = s->scar_skin ? s->scar_skin[i] : inside[i];
  build_tone_field (s, rgb, side);
  free (side);
}
