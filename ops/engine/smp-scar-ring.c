/* gimp-smp: concealing a scar, stage 3: measuring the ring around the
 * mask, where the scalp is as the scar should look: its tone at a
 * distance, its skin between the dots, its dots' density, size and
 * darkness, and from them the look to match and the build-up of a
 * lighter scar.  See smp-scar-stages.h. */
#include "smp-scar-stages.h"
#include "smp-ink.h"
#include "smp-look.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fewer dots than this in the ring, or a lower density than MIN_DENSITY,
 * is bald skin: the properties are used.  A density above MAX_DENSITY is
 * taken for it. */
#define MIN_RING_DOTS      10
#define MAX_DENSITY        250.0
/* Below this diameter in pixels a dot's peak says nothing about its
 * size, only its pigment (mass) can be read. */
#define RESOLVED_PX        1.5
/* A ring whose mean luminance lies this share or more below that of its
 * skin between the dark specks holds stubble (or SMP) even when no round
 * dots are found in it: clipped hair shafts are streaks, not dots.  Bald
 * skin's own grain stays well below it. */
#define MIN_RING_SHADE     0.03
/* Impressions closer than this many pixels (at the look's density) touch
 * in the photo: at portrait scale (about 5 px/mm) their peaks merge and a
 * count finds a third of them.  The ring is then read by its tone. */
#define MIN_SPACING_PX     7.0
/* The build-up's limits.  Scar tissue takes pigment unevenly, so
 * practitioners go over a lighter scar again: first each impression gets
 * more pigment, up to a halo that takes all the light at its centre (the
 * most one deposit can show); then more impressions, up to MAX_COUNT
 * times the ring's.  Past that the fill stops reading as dots: at
 * 20 px/mm the default look's impressions at full pigment leave 40 % of
 * the light they take in their darkest tenth of pixels, at 1.25 times
 * the density 36 %, at 1.6 times 30 %, at 2 times 24 % (a tint leaves
 * 10 %).  It never becomes a solid fill. */
#define MAX_HALO_STRENGTH  1.0
#define MAX_COUNT          1.25

/* ---- the size and darkness of a dot from its peak and pigment ------------- */

/* Peak and summed darkening of one dot of @diameter mm and darkness 1,
 * drawn by the ink model, averaged over sub-pixel positions. */
static void
model_dot (double  px_per_mm,
           double  softness_mm,
           double  diameter,
           double *peak,
           double *mass)
{
  static const double lum[3] = { 0.2126, 0.7152, 0.0722 };
  float  black[3] = { 0, 0, 0 };
  SmpInk ink;
  SmpDot dot = { 0 };
  int    n, ox, oy, k;
  float *patch;

  smp_ink_init (&ink, px_per_mm, 1.0, softness_mm, black, 0.0, lum);
  n = 2 * (int) ceil (smp_ink_reach_px (&ink, diameter)) + 3;
  patch = malloc (sizeof (float) * 4 * n * n);
  *peak = *mass = 0.0;
  for (oy = 0; oy < 4; oy++)
    for (ox = 0; ox < 4; ox++)
      {
        double p = 0.0;

        for (k = 0; k < 4 * n * n; k++)
          patch[k] = 1.0f;
        dot.x_mm = (n / 2 + (ox + 0.5) / 4.0) / px_per_mm;
        dot.y_mm = (n / 2 + (oy + 0.5) / 4.0) / px_per_mm;
        dot.diameter_mm = diameter;
        dot.strength = 1.0;
        smp_ink_apply_dot (&ink, &dot, &(SmpInkPatch) { patch, { 0, 0, n, n }, NULL });
        for (k = 0; k < n * n; k++)
          {
            double d = 1.0 - patch[4 * k];

            *mass += d / 16.0;
            p = fmax (p, d);
          }
        *peak += p / 16.0;
      }
  free (patch);
}

/* The diameter whose peak-to-pigment ratio is the measured one, and the
 * darkness that gives the measured pigment; for dots too small to
 * resolve, the given diameter with the darkness that gives the pigment. */
static void
fit_dot (const SmpScarParams *p,
         double               mass,
         double               peak,
         double              *diameter,
         double              *darkness)
{
  double q = peak / mass, best = p->dot_diameter_mm, best_err = INFINITY;
  double scale = 1.0 - p->pigment_luminance, m, pk, d;

  for (d = 0.03; d <= 1.0; d *= 1.05)
    {
      model_dot (p->px_per_mm, p->softness_mm, d, &pk, &m);
      if (fabs (pk / m - q) < best_err)
        {
          best_err = fabs (pk / m - q);
          best = d;
        }
    }
  if (best * p->px_per_mm < RESOLVED_PX)
    best = fmax (p->dot_diameter_mm, 0.03);
  model_dot (p->px_per_mm, p->softness_mm, best, &pk, &m);
  *darkness = mass / (m * scale);
  /* more pigment than a fully dark dot of that size holds: a larger dot */
  while (*darkness > 1.0 && best < 1.0)
    {
      best *= 1.05;
      model_dot (p->px_per_mm, p->softness_mm, best, &pk, &m);
      *darkness = mass / (m * scale);
    }
  *diameter = fmin (best, 1.0);
  *darkness = fmin (*darkness, 1.0);
}

/* ---- the look at a distance, and the build-up ------------------------------ */

/* The tone at a distance (Y relative to bare skin) of impressions at
 * @density of the ring's dot with @pigment times its pigment (core and
 * halo alike: a deposit of more pigment is darker throughout). */
static double
fill_tone (const SmpScar *s,
           double         density,
           double         pigment)
{
  const SmpScarParams *p = &s->p;
  SmpLookInk           ink;

  memset (&ink, 0, sizeof ink);
  ink.layout.density_per_cm2 = density;
  ink.layout.regularity = p->regularity;
  ink.layout.clustering = p->clustering;
  ink.layout.dot_diameter_mm = s->stats.dot_diameter_mm;
  ink.layout.size_variation = p->size_variation;
  ink.layout.darkness_variation = p->darkness_variation;
  ink.darkness = s->stats.darkness * pigment;
  ink.softness_mm = p->softness_mm;
  ink.halo_mm = s->stats.halo_mm;
  ink.pigment_luminance = p->pigment_luminance;
  return smp_look_tone (&ink, s->stats.halo_strength * pigment);
}

/* What a viewer judges is the tone at a distance: the ring's is its mean
 * luminance @ring_y, dots, stubble and all.  (Its skin between the dots,
 * @skin_y, is no measure of its bare skin: the halos of SMP and the hair
 * under the skin darken all of it.)  The impression added is the look's,
 * at the ring's density.  The scar (@scar_y between its dots, bare)
 * should end as dark as the ring: where scar tissue is lighter, that
 * takes more pigment than the ring's dots hold, and more still through
 * the scar's poorer uptake.  So the scar is built up as practitioners do
 * over sessions: more pigment per impression first (up to
 * MAX_HALO_STRENGTH shown), then more impressions (up to MAX_COUNT times
 * the ring's); a scar the limits cannot darken enough stays lighter,
 * still dots.  With no shade (the crisp cores alone) the scar is filled
 * dot for dot, as the ring holds them. */
static void
build_up (SmpScar *s,
          double   ring_y,
          double   skin_y,
          double   scar_y)
{
  const SmpScarParams *p = &s->p;
  SmpScarStats        *st = &s->stats;
  double               uptake = fmin (fmax (p->uptake, 0.05), 1.0), want, bare, lo, hi, most;
  int                  i;

  st->halo_mm = p->halo_mm;
  st->halo_strength = p->halo_strength;
  st->pigment = 1.0;
  st->count = 1.0;
  st->strongest = 1.0;
  st->scar_shade = st->scar_shade_reached = 0.0;
  if (p->shade <= 0.0 || p->halo_mm <= 0.0)
    return;
  if (! (scar_y > 0.0) || ! (skin_y > 0.0) || ! (ring_y > 0.0))
    return;

  /* the scar's bare tone once the optional tone blend has pulled it
   * towards the skin's, and the tone it should have at a distance: the
   * ring's; on bald skin, the look's own on the scar's skin */
  bare = scar_y * pow (skin_y / scar_y, fmin (fmax (p->tone_blend, 0.0), 1.0));
  want = st->from_ring ? ring_y / bare : fill_tone (s, st->density_per_cm2, 1.0);
  st->scar_shade = 1.0 - want;

  /* pigment shown per impression, up to a halo that takes all the light
   * at its centre */
  most = st->halo_strength > 0.0 ? fmax (MAX_HALO_STRENGTH / st->halo_strength, 1.0) : 1.0;
  if (fill_tone (s, st->density_per_cm2, uptake) <= want)
    st->pigment = 1.0;
  else if (fill_tone (s, st->density_per_cm2, most) > want)
    {
      st->pigment = most / uptake;
      lo = 1.0;
      hi = MAX_COUNT;
      if (fill_tone (s, st->density_per_cm2 * hi, most) > want)
        lo = hi;
      for (i = 0; i < 14 && lo < hi; i++)
        {
          double mid = 0.5 * (lo + hi);

          if (fill_tone (s, st->density_per_cm2 * mid, most) > want)
            lo = mid;
          else
            hi = mid;
        }
      st->count = hi;
    }
  else
    {
      lo = uptake;
      hi = most;
      for (i = 0; i < 16; i++)
        {
          double mid = 0.5 * (lo + hi);

          if (fill_tone (s, st->density_per_cm2, mid) > want)
            lo = mid;
          else
            hi = mid;
        }
      st->pigment = hi / uptake;
    }
  st->strongest = fmax (1.0, st->pigment * uptake);
  st->scar_shade_reached = 1.0 - fill_tone (s, st->density_per_cm2 * st->count,
                                            st->pigment * uptake);
}

/* ---- the ring ------------------------------------------------------------- */

/* The ring's sums (see SmpScarRingSums): the ring lies outside the mask
 * within the sample width of it; the scar's own skin is the one told, or
 * else the mask. */
static void
ring_sums (const SmpScar   *s,
           const float     *rgb,
           const float     *luma,
           const uint8_t   *inside,
           const uint8_t   *skip,
           SmpScarRingSums *r)
{
  size_t j, n = (size_t) s->w * s->h;
  int    c;

  for (j = 0; j < n; j++)
    {
      if (! isfinite (luma[j]))
        continue;
      if (! inside[j] && s->outside_mm[j] <= s->p.sample_width_mm)
        {
          r->counts[0]++;
          for (c = 0; c < 3; c++)
            r->sums[0][c] += rgb[3 * j + c];
          if (! skip[j])
            {
              r->counts[1]++;
              for (c = 0; c < 3; c++)
                r->sums[1][c] += rgb[3 * j + c];
            }
        }
      else if (inside[j] && ! skip[j])
        {
          r->counts[2]++;
          for (c = 0; c < 3; c++)
            r->sums[2][c] += rgb[3 * j + c];
        }
      if ((s->scar_skin ? s->scar_skin[j] : inside[j]) && ! skip[j])
        {
          r->scar_n++;
          r->scar_y += luma[j];
        }
    }
}

static void
ring_dots (const SmpScar   *s,
           const uint8_t   *inside,
           SmpScarRingSums *r)
{
  size_t k;

  for (k = 0; k < s->n_dots; k++)
    {
      const SmpFoundDot *dot = &s->dots[k];
      int                dx = (int) floor (dot->x) - s->x0, dy = (int) floor (dot->y) - s->y0;
      size_t             j = (size_t) dy * s->w + dx;

      if (! inside[j] && s->outside_mm[j] <= s->p.sample_width_mm)
        {
          r->dots++;
          r->mass += dot->mass;
          r->peak += dot->peak;
          r->streaks += dot->streak;
        }
    }
}

void
smp_scar_sum_ring (SmpScar       *s,
                   const float   *rgb,
                   const float   *luma,
                   const uint8_t *inside,
                   const uint8_t *skip)
{
  memset (&s->ring, 0, sizeof s->ring);
  ring_sums (s, rgb, luma, inside, skip, &s->ring);
  ring_dots (s, inside, &s->ring);
}

/* What to match: the ring's dots, or its tone at a distance with the
 * look's own impressions, or (bald skin) the properties as they are. */
static void
match_ring (SmpScar *s)
{
  const SmpScarParams   *params = &s->p;
  const SmpScarRingSums *d = &s->ring;
  SmpScarStats          *st = &s->stats;
  double                 density = 100.0 * d->dots / st->ring_area_mm2;
  int                    dots = d->dots >= MIN_RING_DOTS && density >= MIN_DENSITY;
  int                  resolved = 10.0 / sqrt (params->density_per_cm2) * params->px_per_mm
                                  >= MIN_SPACING_PX;

  st->ring_streaks = dots ? (double) d->streaks / d->dots : 0.0;
  if (params->shade > 0.0 && st->ring_shade >= MIN_RING_SHADE
      && (! dots || ! resolved || st->ring_streaks > STREAK_SHARE))
    {
      /* stubble that is not round dots (clipped hair shafts are
       * streaks, and their peaks are anywhere along them), or dots
       * too close for this scale to tell apart: its tone at a
       * distance is matched with the look's own impressions */
      st->from_ring = 1;
      st->from_look = 1;
    }
  else if (dots)
    {
      st->from_ring = 1;
      st->density_per_cm2 = fmin (density, MAX_DENSITY);
      /* with a look, its impression (a crisp core in a soft halo,
       * which reads as one large dot) at the ring's density; without
       * one, the crisp cores the ring's dots show */
      if (params->shade <= 0.0)
        fit_dot (params, d->mass / d->dots, d->peak / d->dots,
                 &st->dot_diameter_mm, &st->darkness);
    }
}

void
smp_scar_measure_ring (SmpScar      *s,
                       const double  luminance[3])
{
  const SmpScarRingSums *r = &s->ring;
  SmpScarStats          *st = &s->stats;
  double                 ppm = s->p.px_per_mm, ring_y, skin_y, scar_y;
  int                    k;

  for (k = 0; k < 3; k++)
    {
      st->ring_mean[k] = r->counts[0] > 0 ? r->sums[0][k] / r->counts[0] : 0.0;
      st->ring_tone[k] = r->counts[1] > 0 ? r->sums[1][k] / r->counts[1] : 0.0;
      st->scar_tone[k] = r->counts[2] > 0 ? r->sums[2][k] / r->counts[2] : 0.0;
    }
  st->ring_area_mm2 = r->counts[0] / (ppm * ppm);
  st->ring_dots = r->dots;

  st->density_per_cm2 = s->p.density_per_cm2;
  st->dot_diameter_mm = s->p.dot_diameter_mm;
  st->darkness = s->p.darkness;
  st->from_ring = 0;
  st->from_look = 0;
  /* the tone at a distance: the ring's mean, dots and all, against its
   * skin between them */
  ring_y = luminance[0] * st->ring_mean[0] + luminance[1] * st->ring_mean[1]
           + luminance[2] * st->ring_mean[2];
  skin_y = luminance[0] * st->ring_tone[0] + luminance[1] * st->ring_tone[1]
           + luminance[2] * st->ring_tone[2];
  scar_y = r->scar_n > 0 ? r->scar_y / r->scar_n : skin_y;
  st->ring_shade = skin_y > 0.0 ? fmin (fmax (1.0 - ring_y / skin_y, 0.0), 0.9) : 0.0;
  if (s->p.match_surroundings && st->ring_area_mm2 > 0.0)
    match_ring (s);
  build_up (s, ring_y, skin_y, scar_y);
}
