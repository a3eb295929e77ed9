/* gimp-smp: concealing a scar, stage 1: telling scar from skin.  Each
 * pixel's darkening against the skin around it on its own side, the
 * skin's noise, the pixels of dots (left out of the skin's tone), and
 * inside the mask the scar, told from the stubbled skin a loose mask also
 * covers by its tone.  See smp-scar-stages.h. */
#include "smp-scar-stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Scar tissue is lighter (sometimes darker) than the skin around it.
 * Inside a loose mask, the scar is told from the stubbled skin it also
 * covers by its tone between the dots, read over TONE_HALF_MM, against
 * the skin's tone nearby (over REFERENCE_HALF_MM, or four times that
 * where there is no skin closer).  The tone tells only when the mask's
 * SCAR_PERCENTILE lightest (or darkest) pixels differ from the skin by
 * SCAR_NOISES times the skin's own variation and by at least
 * MIN_SCAR_LIFT. */
#define TONE_HALF_MM       0.05
#define REFERENCE_HALF_MM  4.0
#define SCAR_NOISES        6.0
#define MIN_SCAR_LIFT      0.04
#define SCAR_PERCENTILE    0.05
/* Grain leaves specks and holes in the told scar: a majority over this
 * half-width clears them. */
#define MAJORITY_HALF_MM   0.2
/* The skin's variation at the scale of its background is taken for its
 * noise unless it is this many times its variation from pixel to pixel
 * (grain and blotches: about 1.3 times; the halos of the default look at
 * 10 px/mm: about 5 times). */
#define FINE_NOISE_RATIO   2.5

/* The buffers of the scar's tone (smp_scar_find_scar_skin), over the
 * region's n pixels. */
typedef struct
{
  const float   *luma;
  const uint8_t *skip;
  const uint8_t *inside;
  size_t         n;
  double         ring_tone;   /* the ring's mean luminance between its dots */
  double         lift;        /* the scar's tone relative to the skin's, minus 1 */
  int            rs, rr, rw;  /* half-widths: the tone, its reference, on the scar */
  float         *ratio, *tone, *tone_wide, *work, *work_wide;
  uint8_t       *ring, *inner, *skin, *ring_skin, *found;
} ScarTone;

/* Allocates @c's buffers and finds the ring and its tone; FALSE when the
 * ring has none. */
static int
scar_tone_start (const SmpScar *s,
                 ScarTone      *c)
{
  size_t n = c->n, i;
  double ppm = s->p.px_per_mm;
  long   ring_n = 0;

  c->ratio = malloc (sizeof (float) * n);
  c->tone = malloc (sizeof (float) * n);
  c->tone_wide = malloc (sizeof (float) * n);
  c->work = malloc (sizeof (float) * n);
  c->work_wide = malloc (sizeof (float) * n);
  c->ring = calloc (n, 1);
  c->inner = calloc (n, 1);
  c->skin = calloc (n, 1);
  c->ring_skin = calloc (n, 1);
  c->found = calloc (n, 1);
  c->rs = MAX (1, (int) lround (TONE_HALF_MM * ppm));
  c->rr = MAX (c->rs + 1, (int) lround (REFERENCE_HALF_MM * ppm));
  c->rw = MAX (c->rs + 1, (int) lround (ON_SCAR_MM * ppm));
  for (i = 0; i < n; i++)
    {
      c->ring[i] = ! c->inside[i] && s->outside_mm[i] <= s->p.sample_width_mm;
      c->skin[i] = c->ring_skin[i] = c->ring[i] && ! c->skip[i] && isfinite (c->luma[i]);
      c->inner[i] = c->inside[i] && ! c->skip[i] && isfinite (c->luma[i]);
      if (c->skin[i])
        {
          c->ring_tone += c->luma[i];
          ring_n++;
        }
    }
  if (ring_n == 0 || ! (c->ring_tone > 0))
    return 0;
  c->ring_tone /= ring_n;
  return 1;
}

/* c->tone and c->tone_wide: each pixel's luminance relative to the skin's
 * tone nearby (or over a window four times wider where there is none, or
 * the ring's mean), averaged on its side of the mask over the tone's
 * window and over the wider one. */
static void
scar_tone_ratio (const SmpScar *s,
                 ScarTone      *c)
{
  size_t i;

  SmpScarMeanJob wide = { c->luma, c->skin, NULL, s->w, s->h, 4 * c->rr, 1,
                          (float) c->ring_tone, c->tone };
  SmpScarMeanJob near = { c->luma, c->skin, NULL, s->w, s->h, c->rr, 1, INFINITY, c->work };
  SmpScarMeanJob tone = { c->ratio, c->inside, c->skip, s->w, s->h, c->rs, -1,
                          INFINITY, c->tone };
  SmpScarMeanJob on_scar = { c->ratio, c->inside, c->skip, s->w, s->h, c->rw, -1,
                             NAN, c->tone_wide };

  smp_scar_sided_means (&wide, &near);
  for (i = 0; i < c->n; i++)
    {
      float reference = isfinite (c->work[i]) ? c->work[i] : c->tone[i];

      c->ratio[i] = reference > 0.0f && isfinite (c->luma[i]) ? c->luma[i] / reference : NAN;
    }
  smp_scar_sided_means (&tone, &on_scar);
}

/* One round: whether the tone tells the scar from the skin, and if so the
 * scar in c->found, @side, and the skin for the next round (the ring's
 * and the mask's). */
static int
scar_tone_round (const SmpScar *s,
                 ScarTone      *c,
                 uint8_t       *side)
{
  size_t i, n = c->n;
  double noise, lo, hi, threshold;

  scar_tone_ratio (s, c);
  for (i = 0; i < n; i++)
    c->work[i] = c->tone[i] - 1.0f;
  noise = 1.4826 * smp_scar_quantile (c->work, c->ring_skin, n, 0.5, 0.5, 1);
  lo = smp_scar_quantile (c->tone, c->inner, n, SCAR_PERCENTILE, 4.0, 0);
  hi = smp_scar_quantile (c->tone, c->inner, n, 1.0 - SCAR_PERCENTILE, 4.0, 0);
  c->lift = hi - 1.0 >= 1.0 - lo ? hi - 1.0 : lo - 1.0;
  if (! (fabs (c->lift) >= fmax (SCAR_NOISES * noise, MIN_SCAR_LIFT)))
    return 0;
  /* work and work_wide: how far past the midpoint, scar positive */
  threshold = 1.0 + c->lift / 2;
  for (i = 0; i < n; i++)
    {
      c->work[i] = (float) ((c->tone[i] - threshold) * c->lift);
      c->work_wide[i] = (float) ((c->tone_wide[i] - threshold) * c->lift);
    }
  for (i = 0; i < n; i++)
    {
      int known = isfinite (c->tone[i]);

      c->found[i] = c->inside[i] && known && c->work[i] > 0.0f;
      side[i] = c->found[i] || (c->inside[i] && ! known && c->work_wide[i] > 0.0f);
      /* the second round's skin: the ring's and the mask's */
      c->skin[i] = (c->ring[i] || (c->inside[i] && ! c->found[i])) && ! c->skip[i]
                   && isfinite (c->luma[i]);
    }
  return 1;
}

/* The skin's own grain leaves holes in the scar and specks beside it: a
 * majority over a small window closes them and keeps a straight edge
 * where it is.  The scar goes to s->scar_skin. */
static void
scar_tone_close (SmpScar  *s,
                 ScarTone *c)
{
  int    rm = MAX (1, (int) lround (MAJORITY_HALF_MM * s->p.px_per_mm));
  size_t i;

  for (i = 0; i < c->n; i++)
    c->work[i] = c->found[i];
  smp_scar_sided_mean (&(SmpScarMeanJob) { c->work, c->inside, NULL, s->w, s->h, rm, -1,
                                           NAN, c->tone });
  for (i = 0; i < c->n; i++)
    c->found[i] = c->inside[i] && c->tone[i] > 0.5f;
  s->scar_skin = c->found;
  c->found = NULL;
  s->stats.scar_lift = c->lift;
}

static void
scar_tone_free (ScarTone *c)
{
  free (c->ratio);
  free (c->tone);
  free (c->tone_wide);
  free (c->work);
  free (c->work_wide);
  free (c->ring);
  free (c->inner);
  free (c->skin);
  free (c->ring_skin);
  free (c->found);
}

/* Marks in s->scar_skin the pixels of the mask that are scar, not the
 * stubbled skin a loose mask also covers, or leaves it NULL when the tone
 * does not tell them apart: the skin's luminance between the dots (not in
 * @skip), relative to the skin's tone nearby and over a small window on
 * the pixel's side of the mask, lies past the midpoint between the skin's
 * (1) and the scar's, read as the mask's lightest (or darkest) few
 * percent.  (Smoothness, the other mark of scar tissue, was tried as a
 * second cue and dropped: on the sample photo five of six selections of
 * skin with no scar had patches smoother than a synthetic scar.)
 *
 * The skin's tone nearby is first the ring's, then, in a second round,
 * that of the ring and of the skin the first round found inside the mask:
 * a scar's tone differs from the skin right beside it, shading's does
 * not, and deep inside a wide mask the ring is far.
 *
 * A pixel whose window is all dot is not scar (scars hold no stubble),
 * but @side, the side to measure dots against, takes it as the skin
 * around the dot is, read over a window reaching past the dot. */
void
smp_scar_find_scar_skin (SmpScar       *s,
                         const float   *luma,
                         const uint8_t *skip,
                         const uint8_t *inside,
                         uint8_t       *side)
{
  ScarTone c;
  int      round, told = 0;

  memset (&c, 0, sizeof c);
  c.luma = luma;
  c.skip = skip;
  c.inside = inside;
  c.n = (size_t) s->w * s->h;
  if (scar_tone_start (s, &c))
    for (round = 0; round < 2; round++)
      if (! (told = scar_tone_round (s, &c, side)))
        break;
  if (told)
    scar_tone_close (s, &c);
  scar_tone_free (&c);
}

/* The darkening of each pixel against its background @bg. */
static void
darkening (const float *luma,
           const float *bg,
           float       *dark,
           size_t       n)
{
  size_t i;

  for (i = 0; i < n; i++)
    dark[i] = bg[i] > 0.0f && isfinite (luma[i]) ? 1.0f - luma[i] / bg[i] : 0.0f;
}

/* The pixels of dots, and those next to them, in @skip: darker than
 * three times the skin's noise. */
static void
mark_dot_pixels (const SmpScar *s,
                 const float   *dark,
                 uint8_t       *skip)
{
  int w = s->w, h = s->h, x, y;

  memset (skip, 0, (size_t) w * h);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      if (dark[(size_t) y * w + x] > fmax (3.0 * s->stats.noise, 0.02))
        {
          int i2, j2;

          for (j2 = MAX (y - 1, 0); j2 <= MIN (y + 1, h - 1); j2++)
            for (i2 = MAX (x - 1, 0); i2 <= MIN (x + 1, w - 1); i2++)
              skip[(size_t) j2 * w + i2] = 1;
        }
}

/* The darkening of each pixel against the skin around it on its own side
 * of the mask, to leave the darkest pixels (the dots) out of the skin's
 * tone; then the scar, told inside the mask by that tone.  Where it is,
 * a second round measures the skin beside it in a loose mask against
 * skin, not against the lighter scar, which made it look like dots. */
void
smp_scar_tell_scar (SmpScar       *s,
                    const float   *luma,
                    const uint8_t *inside,
                    float         *dark,
                    uint8_t       *skip,
                    uint8_t       *side)
{
  SmpScarStats *st = &s->stats;
  size_t        n = (size_t) s->w * s->h;
  int           rb = MAX (2, (int) lround (BACKGROUND_HALF_MM * s->p.px_per_mm)), pass;
  float        *bg = malloc (sizeof (float) * n);
  double        fine = smp_scar_fine_noise (luma, s->w, s->h);

  for (pass = 0; pass < 2; pass++)
    {
      smp_scar_sided_mean (&(SmpScarMeanJob) { luma, s->scar_skin ? side : inside, NULL,
                                               s->w, s->h, rb, -1, NAN, bg });
      darkening (luma, bg, dark, n);
      st->noise = 1.4826 * smp_scar_quantile (dark, NULL, n, 0.5, 0.5, 1);
      /* variation at the background's scale far above the variation
       * from pixel to pixel is not noise but structure: the halos of
       * SMP, or hair under the skin, which cover all of it.  Dots are
       * found against the noise */
      if (fine < st->noise / FINE_NOISE_RATIO)
        st->noise = fine;
      mark_dot_pixels (s, dark, skip);
      free (s->scar_skin);
      s->scar_skin = NULL;
      st->scar_lift = 0.0;
      smp_scar_find_scar_skin (s, luma, skip, inside, side);
      if (! s->scar_skin)
        break;
    }
  /* the dots' darkening, with them left out of the skin's tone */
  smp_scar_sided_mean (&(SmpScarMeanJob) { luma, s->scar_skin ? side : inside, skip,
                                           s->w, s->h, rb, -1, NAN, bg });
  darkening (luma, bg, dark, n);
  free (bg);
}
