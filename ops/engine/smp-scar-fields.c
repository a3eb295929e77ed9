/* gimp-smp: concealing a scar, stage 4: building the fields that say
 * where dots are still needed.  Which existing dots keep added ones away
 * (stubble in a loose mask, stubble on scar-toned skin, and every dot
 * too close to put another beside), and per pixel the share of the
 * density still to add and the strength of a dot there.  See
 * smp-scar-stages.h. */
#include "smp-scar-stages.h"
#include "smp-distance.h"

#include <math.h>
#include <stdlib.h>

/* Where the scar itself is known (below), an added dot only keeps this
 * many spacings clear of an existing one: about the closest two dots of
 * the layout come, so the pattern runs on across the scar's edge without
 * a gap along it (a wider berth left a band at 0.4 of the density). */
#define CLEAR_SPACINGS     0.25
/* Skin within this many spacings of the scar gets no dot of its own: the
 * scar's dots are there, and a gap in the stubble beside it is not one
 * to fill. */
#define BERTH_SPACINGS     0.5
/* The scar's edge runs through pixels it half covers, which the tone puts
 * on either side: the pixels right next to the scar count as its own. */
#define EDGE_PX            1.0
/* Without a tone cue, a dot inside the mask is stubble (a loose
 * selection) when the dots within EVIDENCE_SPACINGS of it number at least
 * this share of those expected and the mask covers at least EVIDENCE_MASK
 * of that disc; a stray one at the edge of a small FUE spot's selection is
 * not. */
#define EVIDENCE_SPACINGS  1.5
#define EVIDENCE_SHARE     0.3
#define EVIDENCE_MASK      0.4

/* ---- which dots keep added ones away ----------------------------------------- */

static int
count_dot (const SmpFoundDot *dot,
           const SmpFoundDot *self,
           void              *data)
{
  ++*(int *) data;
  return 0;
}

/* A dot with scar-toned skin all round it is not beside the scar but on
 * skin that only looks like it (a shine on stubbled skin): real scars
 * hold no stubble.  Also the berth skin beside the scar keeps. */
static void
evidence_on_scar (SmpScar *s,
                  double   spacing_mm)
{
  double ppm = s->p.px_per_mm;
  int    r = MAX (2, (int) lround (ON_SCAR_MM * ppm)), w = s->w, h = s->h;
  size_t k;

  for (k = 0; k < s->n_dots; k++)
    {
      static const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
      int cx = (int) floor (s->dots[k].x) - s->x0, cy = (int) floor (s->dots[k].y) - s->y0, d, around = 0;

      for (d = 0; d < 4; d++)
        {
          int xa = MIN (MAX (cx + r * dirs[d][0], 0), w - 1), ya = MIN (MAX (cy + r * dirs[d][1], 0), h - 1);

          around += s->scar_skin[(size_t) ya * w + xa];
        }
      /* but in clipped hair, a shaft lying across the scar grew
       * beside it: it says nothing of the skin under it */
      s->dots[k].evidence = around == 4
                            && ! (s->dots[k].streak && s->stats.ring_streaks > STREAK_SHARE);
    }
  s->berth_px = BERTH_SPACINGS * spacing_mm * ppm;
}

/* With no tone cue, a dot inside the mask is stubble when enough dots lie
 * around it and the mask covers enough of their disc: the mask's share
 * is read from its running sums over a square as large as the disc. */
static void
evidence_in_mask (SmpScar *s,
                  double   spacing_mm)
{
  const uint32_t *sum = s->inside_sum;
  double          ppm = s->p.px_per_mm;
  double          radius = EVIDENCE_SPACINGS * spacing_mm * ppm;
  double          expected = s->stats.density_per_cm2 / 100.0 * M_PI
                             * (EVIDENCE_SPACINGS * spacing_mm) * (EVIDENCE_SPACINGS * spacing_mm);
  int             half = MAX (1, (int) lround (radius * sqrt (M_PI) / 2)), w = s->w, h = s->h;
  size_t          k;

  for (k = 0; k < s->n_dots; k++)
    if (s->dots[k].inside)
      {
        int others = 0;
        int cx = (int) floor (s->dots[k].x) - s->x0, cy = (int) floor (s->dots[k].y) - s->y0;
        int xa = MAX (cx - half, 0), xb = MIN (cx + half + 1, w);
        int ya = MAX (cy - half, 0), yb = MIN (cy + half + 1, h);
        double covered = ((double) sum[(size_t) yb * (w + 1) + xb] - sum[(size_t) ya * (w + 1) + xb]
                          - sum[(size_t) yb * (w + 1) + xa] + sum[(size_t) ya * (w + 1) + xa])
                         / ((2.0 * half + 1) * (2.0 * half + 1));

        smp_scar_near_dots (s, s->dots[k].x, s->dots[k].y, radius, count_dot, &s->dots[k], &others);
        s->dots[k].evidence = others >= EVIDENCE_SHARE * expected && covered >= EVIDENCE_MASK;
      }
}

void
smp_scar_evidence_maps (SmpScar       *s,
                        const uint8_t *inside)
{
  int       w = s->w, h = s->h, x, y;
  uint32_t *sum;

  if (s->scar_skin)
    {
      s->scar_px = malloc (sizeof (float) * (size_t) w * h);
      smp_distance_2d (s->scar_skin, w, h, s->scar_px);
      return;
    }
  sum = s->inside_sum = calloc ((size_t) (w + 1) * (h + 1), sizeof (uint32_t));
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      sum[(size_t) (y + 1) * (w + 1) + x + 1] = inside[(size_t) y * w + x]
                                               + sum[(size_t) y * (w + 1) + x + 1]
                                               + sum[(size_t) (y + 1) * (w + 1) + x]
                                               - sum[(size_t) y * (w + 1) + x];
}

void
smp_scar_mark_evidence (SmpScar *s)
{
  /* the dots to keep clear of, at the density being matched */
  double spacing_mm = 10.0 / sqrt (s->stats.density_per_cm2);

  s->suppress_px = SUPPRESS_SPACINGS * spacing_mm * s->p.px_per_mm;
  s->clear_px = CLEAR_SPACINGS * spacing_mm * s->p.px_per_mm;
  smp_buckets_free (&s->buckets);
  smp_scar_file_dots (s);

  s->stats.scar_found = s->scar_skin != NULL;
  if (s->scar_skin)
    evidence_on_scar (s, spacing_mm);
  else
    evidence_in_mask (s, spacing_mm);
}

/* ---- where dots are needed ------------------------------------------------ */

/* The full-resolution pixel under the centre of level pixel (i, j), as
 * an index into the region, or -1 outside it. */
long
smp_scar_region_index (const SmpScar *s,
                       int            level,
                       int            i,
                       int            j,
                       double        *fx,
                       double        *fy)
{
  double f = (double) (1 << level);
  int    x, y;

  *fx = (i + 0.5) * f;
  *fy = (j + 0.5) * f;
  x = (int) floor (*fx) - s->x0;
  y = (int) floor (*fy) - s->y0;
  if (x < 0 || y < 0 || x >= s->w || y >= s->h)
    return -1;
  return (long) y * s->w + x;
}

/* Share of the density to aim at: all of it on the scar, ramping to none
 * over the blend width beyond it.  The scar is the one told inside the
 * mask when it could be (so a loose selection gives what a close one
 * would), else the mask. */
double
smp_scar_target (const SmpScar *s,
                 long           k)
{
  double out = s->scar_skin ? s->scar_px[k] / s->p.px_per_mm : s->outside_mm[k];

  if (out <= 0.0)
    return 1.0;
  if (s->p.blend_width_mm <= 0.0)
    return 0.0;
  return fmax (0.0, 1.0 - out / s->p.blend_width_mm);
}


static int
suppresses (const SmpFoundDot *dot,
            const SmpFoundDot *self,
            void              *data)
{
  return 1;
}

/* inside the mask, or on what looks like scar: dots that stand for
 * stubble there (a patch of it in the mask, or stubble on scar-toned
 * skin), and any dot too close to put another beside */
typedef struct
{
  double x, y, clear2;
} Query;

static int
suppresses_inside (const SmpFoundDot *dot,
                   const SmpFoundDot *self,
                   void              *data)
{
  const Query *q = data;

  return dot->evidence || (dot->x - q->x) * (dot->x - q->x) + (dot->y - q->y) * (dot->y - q->y) < q->clear2;
}

void
smp_scar_fields (const SmpScar *s,
                 int            level,
                 double         uptake,
                 const SmpRect *target,
                 float         *need,
                 float         *strength)
{
  int tx = target->x, ty = target->y, tw = target->w, th = target->h, i, j;

  for (j = 0; j < th; j++)
    for (i = 0; i < tw; i++)
      {
        size_t o = (size_t) j * tw + i;
        double fx, fy, t;
        long   k = smp_scar_region_index (s, level, tx + i, ty + j, &fx, &fy);
        int    in;

        need[o] = 0.0f;
        if (strength)
          strength[o] = 1.0f;
        if (k < 0 || (t = smp_scar_target (s, k)) <= 0.0)
          continue;
        in = s->outside_mm[k] <= 0.0;
        /* on skin the ring's own dot; on the scar what the build-up
         * deposits, of which the scar takes @uptake */
        if (strength)
          strength[o] = (float) ((1.0 - (1.0 - s->stats.pigment * uptake)
                                        * (s->scar_skin ? s->scar_skin[k] : s->mask[k]))
                                 / s->stats.strongest);
        if (s->scar_skin && s->scar_px[k] <= EDGE_PX)
          {
            /* on the scar (and its edge), only keep clear of the dots
             * beside it */
            Query q = { fx, fy, s->clear_px * s->clear_px };

            if (smp_scar_near_dots (s, fx, fy, s->suppress_px, suppresses_inside, NULL, &q))
              continue;
          }
        else if (s->scar_skin)
          {
            /* on skin, in the mask or not, the stubble already has its
             * dots, and the scar's own reach up to the skin beside it */
            if (s->scar_px[k] < s->berth_px
                || smp_scar_near_dots (s, fx, fy, s->suppress_px, suppresses, NULL, NULL))
              continue;
          }
        else
          {
            Query q = { fx, fy, s->clear_px * s->clear_px };

            if (smp_scar_near_dots (s, fx, fy, s->suppress_px, in ? suppresses_inside : suppresses,
                           NULL, &q))
              continue;
          }
        /* the density is the build-up's on the scar: beyond it, the
         * ring's ramping out */
        need[o] = (float) (t >= 1.0 ? 1.0 : t / s->stats.count);
      }
}
