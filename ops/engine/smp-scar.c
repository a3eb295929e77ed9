/* gimp-smp: concealing a scar the way SMP does.  See smp-scar.h; the
 * stages are in smp-scar-*.c (smp-scar-stages.h). */
#include "smp-scar-stages.h"
#include "smp-distance.h"

#include <math.h>
#include <stdatomic.h>
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

/* The maps of a region's pixels the first stages make and the later ones
 * read: the luminance, each pixel's darkening against the skin around it,
 * the mask at 0.5 or more, the dots' pixels left out of the skin's tone,
 * and each pixel's side of the told scar. */
typedef struct
{
  float   *luma, *dark;
  uint8_t *inside, *skip, *side;
} ScarMaps;

/* What the first stages made of a region, with the inputs they read:
 * the photo, the mask, the luminance weights, px/mm and the sample and
 * blend widths, never the look.  A zoomed-out preview measures the scar
 * again after every slider; with this it runs only the stages that read
 * the look. */
struct SmpScarSeen
{
  SmpRect  region;
  double   px_per_mm, sample_width_mm, blend_width_mm, luminance[3];
  float   *rgb, *mask;
  SmpScar *scar;          /* sharing the measured scar's arrays (scar_share) */
  ScarMaps maps;          /* the first stages' own */
};

struct SmpScarShared
{
  atomic_int refs;
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

/* Maps of @n pixels in one block, so that they are freed as one
 * (scar_maps_free), zeros. */
static ScarMaps
scar_maps_new (size_t n)
{
  size_t   size = n * (2 * sizeof (float) + 3);
  ScarMaps m;

  m.luma = calloc (size ? size : 1, 1);
  m.dark = m.luma + n;
  m.inside = (uint8_t *) (m.dark + n);
  m.skip = m.inside + n;
  m.side = m.skip + n;
  return m;
}

static void
scar_maps_free (ScarMaps *m)
{
  free (m->luma);
}

/* A scar with @from's first stages' results: their arrays shared (and
 * counted; nothing writes them after those stages), the dots its own,
 * whose evidence the later stages mark; no buckets. */
static SmpScar *
scar_share (SmpScar *from)
{
  SmpScar *s = malloc (sizeof (SmpScar));

  if (! from->shared)
    {
      from->shared = malloc (sizeof (SmpScarShared));
      atomic_init (&from->shared->refs, 1);
    }
  atomic_fetch_add (&from->shared->refs, 1);
  *s = *from;
  s->dots = smp_scar_dup (from->dots, from->n_dots * sizeof (SmpFoundDot));
  memset (&s->buckets, 0, sizeof s->buckets);
  return s;
}

void
smp_scar_seen_free (SmpScarSeen *seen)
{
  if (! seen)
    return;
  free (seen->rgb);
  free (seen->mask);
  smp_scar_free (seen->scar);
  scar_maps_free (&seen->maps);
  free (seen);
}

static int
smp_scar_seen_matches (const SmpScarSeen   *seen,
                       const SmpScarParams *params,
                       const SmpScarPhoto  *photo)
{
  const SmpRect *region = &photo->region;
  size_t         n = smp_rect_pixels (region);

  return seen && seen->region.x == region->x && seen->region.y == region->y
         && seen->region.w == region->w && seen->region.h == region->h
         && seen->px_per_mm == params->px_per_mm
         && seen->sample_width_mm == params->sample_width_mm
         && seen->blend_width_mm == params->blend_width_mm
         && ! memcmp (seen->luminance, photo->luminance, sizeof seen->luminance)
         && ! memcmp (seen->rgb, photo->rgb, n * 3 * sizeof (float))
         && ! memcmp (seen->mask, photo->mask, n * sizeof (float));
}

/* Keeps the first stages' results of @s and their @maps (taken over),
 * with a copy of their inputs. */
static SmpScarSeen *
smp_scar_seen_new (SmpScar            *s,
                   const SmpScarPhoto *photo,
                   const ScarMaps     *maps)
{
  SmpScarSeen *seen = calloc (1, sizeof (SmpScarSeen));
  size_t       n = smp_rect_pixels (&photo->region);

  seen->region = photo->region;
  seen->px_per_mm = s->p.px_per_mm;
  seen->sample_width_mm = s->p.sample_width_mm;
  seen->blend_width_mm = s->p.blend_width_mm;
  memcpy (seen->luminance, photo->luminance, sizeof seen->luminance);
  seen->rgb = smp_scar_dup (photo->rgb, n * 3 * sizeof (float));
  seen->mask = smp_scar_dup (photo->mask, n * sizeof (float));
  seen->scar = scar_share (s);
  seen->maps = *maps;
  return seen;
}

/* The first stages' results for @params, from @seen: the same to the
 * bit as running them.  No buckets: nothing reads them before
 * smp_scar_mark_evidence files the dots at the matched density. */
static SmpScar *
smp_scar_seen_restore (SmpScarSeen         *seen,
                       const SmpScarParams *params)
{
  SmpScar *s = scar_share (seen->scar);

  s->p = *params;
  return s;
}

/* The first stages run on @photo: the scar started, told from the skin,
 * its dots read, and what the later stages need of the photo and never
 * of the look: the ring's sums, the evidence's maps and the extent; the
 * maps they make in @m (zeros on entry). */
static SmpScar *
smp_scar_first_stages (const SmpScarParams *params,
                       const SmpScarPhoto  *photo,
                       ScarMaps            *m)
{
  const double *luminance = photo->luminance;
  const float  *rgb = photo->rgb;
  size_t        n = smp_rect_pixels (&photo->region), i;
  SmpScar      *s = smp_scar_start (params, photo->mask, &photo->region, m->inside);

  for (i = 0; i < n; i++)
    m->luma[i] = (float) (luminance[0] * rgb[3 * i] + luminance[1] * rgb[3 * i + 1]
                          + luminance[2] * rgb[3 * i + 2]);
  smp_scar_tell_scar (s, m->luma, m->inside, m->dark, m->skip, m->side);
  smp_scar_read_dots (s, m->luma, m->dark, m->inside);
  smp_scar_sum_ring (s, rgb, m->luma, m->inside, m->skip);
  smp_scar_evidence_maps (s, m->inside);
  smp_scar_find_extent (s, m->inside);
  return s;
}

SmpScar *
smp_scar_new_seen (const SmpScarParams *params,
                   const SmpScarPhoto  *photo,
                   SmpScarSeen        **seen)
{
  ScarMaps  m, *maps = &m;
  SmpScar  *s;

  if (seen && smp_scar_seen_matches (*seen, params, photo))
    {
      s = smp_scar_seen_restore (*seen, params);
      maps = &(*seen)->maps;
    }
  else
    {
      m = scar_maps_new (smp_rect_pixels (&photo->region));
      s = smp_scar_first_stages (params, photo, &m);
      if (seen)
        {
          smp_scar_seen_free (*seen);
          *seen = smp_scar_seen_new (s, photo, &m);
          maps = &(*seen)->maps;
        }
    }
  smp_scar_measure_ring (s, photo->luminance);
  smp_scar_mark_evidence (s);
  if (params->tone_blend > 0.0)
    smp_scar_measure_tone (s, photo->rgb, maps->inside);
  if (maps == &m)
    scar_maps_free (&m);
  return s;
}

SmpScar *
smp_scar_new (const SmpScarParams *params,
              const SmpScarPhoto  *photo)
{
  return smp_scar_new_seen (params, photo, NULL);
}

void
smp_scar_free (SmpScar *s)
{
  if (! s)
    return;
  if (! s->shared || atomic_fetch_sub (&s->shared->refs, 1) == 1)
    {
      free (s->mask);
      free (s->outside_mm);
      free (s->scar_skin);
      free (s->scar_px);
      free (s->inside_sum);
      free (s->shared);
    }
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
