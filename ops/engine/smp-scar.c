/* gimp-smp: concealing a scar the way SMP does.  See smp-scar.h; the
 * stages are in smp-scar-*.c (smp-scar-stages.h). */
#include "smp-scar-stages.h"
#include "smp-distance.h"

#include <math.h>
#include <stdlib.h>

double
smp_scar_margin_mm (const SmpScarParams *p)
{
  /* the widest suppression radius, at the lowest density */
  double suppress = SUPPRESS_SPACINGS * 10.0 / sqrt (MIN_DENSITY);

  return fmax (p->sample_width_mm, p->blend_width_mm + suppress) + 1.0
         + 4.0 / p->px_per_mm;
}

SmpScar *
smp_scar_start (const SmpScarParams *params,
                const float         *mask,
                const SmpRect       *region,
                uint8_t             *inside)
{
  SmpScar *s = calloc (1, sizeof (SmpScar));
  size_t   n = smp_rect_pixels (region), i;

  s->p = *params;
  s->x0 = region->x;
  s->y0 = region->y;
  s->w = region->w;
  s->h = region->h;
  s->mask = malloc (sizeof (float) * n);
  s->outside_mm = malloc (sizeof (float) * n);
  for (i = 0; i < n; i++)
    {
      float m = mask[i];

      s->mask[i] = m > 0.0f ? fminf (m, 1.0f) : 0.0f;   /* also NaN */
      inside[i] = s->mask[i] >= 0.5f;
    }
  smp_distance_2d (inside, s->w, s->h, s->outside_mm);
  for (i = 0; i < n; i++)
    s->outside_mm[i] /= (float) params->px_per_mm;
  return s;
}

void
smp_scar_find_extent (SmpScar       *s,
                      const uint8_t *inside)
{
  int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1, x, y, grow;

  for (y = 0; y < s->h; y++)
    for (x = 0; x < s->w; x++)
      if (inside[(size_t) y * s->w + x])
        {
          x0 = MIN (x0, x); y0 = MIN (y0, y);
          x1 = MAX (x1, x); y1 = MAX (y1, y);
        }
  if (x1 < 0)
    {
      s->ew = s->eh = 0;
      return;
    }
  grow = (int) ceil (s->p.blend_width_mm * s->p.px_per_mm) + 1;
  s->ex = s->x0 + x0 - grow;
  s->ey = s->y0 + y0 - grow;
  s->ew = x1 - x0 + 1 + 2 * grow;
  s->eh = y1 - y0 + 1 + 2 * grow;
}

SmpScar *
smp_scar_new (const SmpScarParams *params,
              const float         *rgb,
              const float         *mask,
              const double         luminance[3],
              const SmpRect       *region)
{
  size_t   n = smp_rect_pixels (region), i;
  float   *luma = calloc (n, sizeof (float)), *dark = calloc (n, sizeof (float));
  uint8_t *inside = calloc (n, 1), *skip = calloc (n, 1), *side = calloc (n, 1);
  SmpScar *s = smp_scar_start (params, mask, region, inside);

  for (i = 0; i < n; i++)
    luma[i] = (float) (luminance[0] * rgb[3 * i] + luminance[1] * rgb[3 * i + 1]
                       + luminance[2] * rgb[3 * i + 2]);
  smp_scar_tell_scar (s, luma, inside, dark, skip, side);
  smp_scar_read_dots (s, luma, dark, inside);
  smp_scar_measure_ring (s, rgb, luma, inside, skip, luminance);
  smp_scar_mark_evidence (s, inside);
  smp_scar_find_extent (s, inside);
  if (params->tone_blend > 0.0)
    smp_scar_measure_tone (s, rgb, inside);

  free (luma);
  free (dark);
  free (inside);
  free (skip);
  free (side);
  return s;
}

void
smp_scar_free (SmpScar *s)
{
  if (! s)
    return;
  free (s->mask);
  free (s->outside_mm);
  free (s->scar_skin);
  free (s->scar_px);
  free (s->dots);
  smp_buckets_free (&s->buckets);
  free (s->tone_means);
  free (s);
}

const SmpScarStats *
smp_scar_stats (const SmpScar *s)
{
  return &s->stats;
}

SmpRect
smp_scar_extent (const SmpScar *s)
{
  SmpRect extent = { s->ex, s->ey, s->ew, s->eh };

  return extent;
}
