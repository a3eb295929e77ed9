/* gimp-smp: concealing a scar the way SMP does.  See smp-scar.h; the
 * stages are in smp-scar-*.c (smp-scar-stages.h). */
#include "smp-scar-stages.h"
#include "smp-distance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* What the first stages (the start, telling scar from skin, finding the
 * dots) made of a region, with the inputs they read: the photo, the mask,
 * the luminance weights, px/mm and the sample and blend widths, never the
 * look.  A zoomed-out preview measures the scar again after every slider;
 * with this it runs only the stages that read the look. */
struct SmpScarSeen
{
  SmpRect  region;
  double   px_per_mm, sample_width_mm, blend_width_mm, luminance[3];
  float   *rgb, *mask;
  SmpScar  scar;          /* its arrays are owned here; no buckets */
  float   *luma, *dark;
  uint8_t *inside, *skip, *side;
};

static void *
smp_scar_dup (const void *data,
              size_t      size)
{
  void *copy = data ? malloc (size ? size : 1) : NULL;

  if (copy && size)
    memcpy (copy, data, size);
  return copy;
}

void
smp_scar_seen_free (SmpScarSeen *seen)
{
  if (! seen)
    return;
  free (seen->rgb);
  free (seen->mask);
  free (seen->scar.mask);
  free (seen->scar.outside_mm);
  free (seen->scar.scar_skin);
  free (seen->scar.dots);
  free (seen->luma);
  free (seen->dark);
  free (seen->inside);
  free (seen->skip);
  free (seen->side);
  free (seen);
}

static int
smp_scar_seen_matches (const SmpScarSeen   *seen,
                       const SmpScarParams *params,
                       const float         *rgb,
                       const float         *mask,
                       const double         luminance[3],
                       const SmpRect       *region)
{
  size_t n = smp_rect_pixels (region);

  return seen && seen->region.x == region->x && seen->region.y == region->y
         && seen->region.w == region->w && seen->region.h == region->h
         && seen->px_per_mm == params->px_per_mm
         && seen->sample_width_mm == params->sample_width_mm
         && seen->blend_width_mm == params->blend_width_mm
         && ! memcmp (seen->luminance, luminance, sizeof seen->luminance)
         && ! memcmp (seen->rgb, rgb, n * 3 * sizeof (float))
         && ! memcmp (seen->mask, mask, n * sizeof (float));
}

/* Keeps a copy of the first stages' results and of their inputs. */
static SmpScarSeen *
smp_scar_seen_new (const SmpScar *s,
                   const float   *rgb,
                   const float   *mask,
                   const double   luminance[3],
                   const SmpRect *region,
                   const float   *luma,
                   const float   *dark,
                   const uint8_t *inside,
                   const uint8_t *skip,
                   const uint8_t *side)
{
  SmpScarSeen *seen = calloc (1, sizeof (SmpScarSeen));
  size_t       n = smp_rect_pixels (region);

  seen->region = *region;
  seen->px_per_mm = s->p.px_per_mm;
  seen->sample_width_mm = s->p.sample_width_mm;
  seen->blend_width_mm = s->p.blend_width_mm;
  memcpy (seen->luminance, luminance, sizeof seen->luminance);
  seen->rgb = smp_scar_dup (rgb, n * 3 * sizeof (float));
  seen->mask = smp_scar_dup (mask, n * sizeof (float));
  seen->scar = *s;
  seen->scar.mask = smp_scar_dup (s->mask, n * sizeof (float));
  seen->scar.outside_mm = smp_scar_dup (s->outside_mm, n * sizeof (float));
  seen->scar.scar_skin = smp_scar_dup (s->scar_skin, n);
  seen->scar.dots = smp_scar_dup (s->dots, s->n_dots * sizeof (SmpFoundDot));
  memset (&seen->scar.buckets, 0, sizeof seen->scar.buckets);
  seen->luma = smp_scar_dup (luma, n * sizeof (float));
  seen->dark = smp_scar_dup (dark, n * sizeof (float));
  seen->inside = smp_scar_dup (inside, n);
  seen->skip = smp_scar_dup (skip, n);
  seen->side = smp_scar_dup (side, n);
  return seen;
}

/* The first stages' results for @params, from @seen: the same to the
 * bit as running them (the dots filed again in the same order). */
static SmpScar *
smp_scar_seen_restore (const SmpScarSeen   *seen,
                       const SmpScarParams *params,
                       float               *luma,
                       float               *dark,
                       uint8_t             *inside,
                       uint8_t             *skip,
                       uint8_t             *side)
{
  SmpScar *s = calloc (1, sizeof (SmpScar));
  size_t   n = smp_rect_pixels (&seen->region);

  *s = seen->scar;
  s->p = *params;
  s->mask = smp_scar_dup (seen->scar.mask, n * sizeof (float));
  s->outside_mm = smp_scar_dup (seen->scar.outside_mm, n * sizeof (float));
  s->scar_skin = smp_scar_dup (seen->scar.scar_skin, n);
  s->dots = smp_scar_dup (seen->scar.dots, s->n_dots * sizeof (SmpFoundDot));
  smp_scar_file_dots (s);
  memcpy (luma, seen->luma, n * sizeof (float));
  memcpy (dark, seen->dark, n * sizeof (float));
  memcpy (inside, seen->inside, n);
  memcpy (skip, seen->skip, n);
  memcpy (side, seen->side, n);
  return s;
}

SmpScar *
smp_scar_new_seen (const SmpScarParams *params,
                   const float         *rgb,
                   const float         *mask,
                   const double         luminance[3],
                   const SmpRect       *region,
                   SmpScarSeen        **seen)
{
  size_t   n = smp_rect_pixels (region), i;
  float   *luma = calloc (n, sizeof (float)), *dark = calloc (n, sizeof (float));
  uint8_t *inside = calloc (n, 1), *skip = calloc (n, 1), *side = calloc (n, 1);
  SmpScar *s;

  if (seen && smp_scar_seen_matches (*seen, params, rgb, mask, luminance, region))
    s = smp_scar_seen_restore (*seen, params, luma, dark, inside, skip, side);
  else
    {
      s = smp_scar_start (params, mask, region, inside);
      for (i = 0; i < n; i++)
        luma[i] = (float) (luminance[0] * rgb[3 * i] + luminance[1] * rgb[3 * i + 1]
                           + luminance[2] * rgb[3 * i + 2]);
      smp_scar_tell_scar (s, luma, inside, dark, skip, side);
      smp_scar_read_dots (s, luma, dark, inside);
      if (seen)
        {
          smp_scar_seen_free (*seen);
          *seen = smp_scar_seen_new (s, rgb, mask, luminance, region,
                                     luma, dark, inside, skip, side);
        }
    }
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

SmpScar *
smp_scar_new (const SmpScarParams *params,
              const float         *rgb,
              const float         *mask,
              const double         luminance[3],
              const SmpRect       *region)
{
  return smp_scar_new_seen (params, rgb, mask, luminance, region, NULL);
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
