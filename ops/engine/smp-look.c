/* gimp-smp: looks, and the tone at a distance.  See smp-look.h. */
#include "smp-look.h"
#include "smp-ink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Estimates in smp-reference.md, "What a viewer sees": a 0-guard head of
 * dark stubble on light skin keeps 0.82-0.92 of the skin's light, a
 * 1-guard 0.70-0.82, a dusty look 0.92-0.97.  The cores are the healed
 * sizes clinics give (0.10-0.15 mm; a crisper, larger dot for the
 * "defined" look, still under the 0.4 mm blow-out). */
static const SmpLook looks[SMP_LOOK_ID_COUNT] =
{
  /* name             label                               dens  core  cv    dark  dcv   soft   halo  shade */
  { "custom",         "Custom",                           90.0, 0.15, 0.25, 0.70, 0.15, 0.030, 0.20, 0.12 },
  { "shaved-healed",  "Shaved, healed (0-guard buzz cut)", 90.0, 0.15, 0.25, 0.70, 0.15, 0.030, 0.20, 0.12 },
  { "shaved-1-guard", "Shaved, 1 guard",                  110.0, 0.20, 0.25, 0.85, 0.15, 0.030, 0.14, 0.24 },
  { "dusty",          "Dusty (soft, small, light)",        70.0, 0.10, 0.25, 0.50, 0.20, 0.040, 0.14, 0.05 },
  { "defined",        "Defined (crisp, visible dots)",     90.0, 0.22, 0.15, 0.85, 0.10, 0.015, 0.11, 0.09 },
};

const SmpLook *
smp_look_preset (int id)
{
  return &looks[id >= 0 && id < SMP_LOOK_ID_COUNT ? id : SMP_LOOK_ID_CUSTOM];
}

/* Share of the final density after each session, by the number of
 * sessions (rows) and the session (columns). */
static const double session_density[4][4] =
{
  { 1.00 },
  { 0.60, 1.00 },
  { 0.45, 0.75, 1.00 },
  { 0.40, 0.60, 0.80, 1.00 },
};
/* The pigment per impression after the first session, as a share of the
 * final; it rises in equal steps to 1. */
#define FIRST_SESSION_PIGMENT 0.70

void
smp_look_for_session (SmpLookValues *values,
                      int            session,
                      int            sessions)
{
  double density, pigment;

  sessions = sessions < 1 ? 1 : sessions > 4 ? 4 : sessions;
  session = session < 1 ? 1 : session > sessions ? sessions : session;
  density = session_density[sessions - 1][session - 1];
  pigment = sessions == 1 ? 1.0
            : FIRST_SESSION_PIGMENT + (1.0 - FIRST_SESSION_PIGMENT) * (session - 1) / (sessions - 1);
  values->density_per_cm2 *= density;
  values->darkness *= pigment;
  /* the tone at a distance is the pigment of all impressions */
  values->shade *= density * pigment;
}

/* Fresh: "healed dots are 2-3 shades lighter" than fresh ones, which
 * reach about 0.25 mm before they shrink, with slight redness for about
 * 2 days; the pigment has not yet spread under the skin.  Faded, after
 * 4-6 years: lighter, spread a little, and cooler (smp-reference.md,
 * "Colour" and "Dots"). */
void
smp_look_for_stage (SmpLookValues *values,
                    int            stage)
{
  switch (stage)
    {
    case SMP_STAGE_FRESH:
      values->dot_diameter_mm *= 1.5;
      values->darkness = fmin (values->darkness * 1.25, 0.95);
      values->shade *= 1.35;
      values->halo_mm *= 0.8;
      values->redness = 0.35;
      break;
    case SMP_STAGE_FADED:
      values->dot_diameter_mm *= 1.15;
      values->darkness *= 0.75;
      values->shade *= 0.65;
      values->halo_mm *= 1.3;
      values->cool_shift = fmin (values->cool_shift + 0.25, 1.0);
      break;
    default:
      break;
    }
}

#define PATCH_MM     16.0
#define PATCH_PX_MM  10.0
#define PATCH_SEED   0x5eed5u

void
smp_look_ink_init (SmpLookInk *ink,
                   int         id,
                   double      pigment_luminance)
{
  const SmpLook *look = smp_look_preset (id);

  memset (ink, 0, sizeof *ink);
  ink->layout.density_per_cm2 = look->density_per_cm2;
  ink->layout.dot_diameter_mm = look->dot_diameter_mm;
  ink->layout.size_variation = look->size_variation;
  ink->layout.darkness_variation = look->darkness_variation;
  ink->layout.regularity = 0.5;
  ink->layout.clustering = 0.3;
  ink->darkness = look->darkness;
  ink->softness_mm = look->softness_mm;
  ink->halo_mm = look->halo_mm;
  ink->pigment_luminance = pigment_luminance;
}

float *
smp_look_patch (const SmpLookInk *look,
                double            halo_strength,
                double            px_per_mm,
                double            photo_blur_px,
                double            mm,
                int              *n_out,
                int              *inside)
{
  /* a grey pigment of the given luminance on white skin: what it takes
   * does not depend on the skin's colour */
  static const double luminance[3] = { 0.2126, 0.7152, 0.0722 };
  float           pigment[3];
  SmpLayoutParams params = look->layout;
  SmpLayout       layout;
  SmpInk          ink;
  SmpDotArray     dots = { 0 };
  int             n = (int) (mm * px_per_mm), i;
  float          *rgba = malloc (sizeof (float) * 4 * n * n), *y = malloc (sizeof (float) * n * n);
  float          *halo = malloc (sizeof (float) * n * n);
  double          reach_mm;
  size_t          k;

  pigment[0] = pigment[1] = pigment[2] = (float) look->pigment_luminance;
  params.seed = PATCH_SEED;
  smp_layout_init (&layout, &params);
  smp_ink_init (&ink, px_per_mm, look->darkness, look->softness_mm, pigment, 0.0, luminance);
  smp_ink_set_halo (&ink, look->halo_mm, halo_strength);
  smp_ink_set_photo_blur (&ink, photo_blur_px);
  reach_mm = smp_ink_reach_px (&ink, layout.max_diameter_mm) / px_per_mm;
  smp_layout_collect (&layout, &(SmpBoxMm) { -reach_mm, -reach_mm, mm + reach_mm, mm + reach_mm },
                      params.density_per_cm2, &dots);
  for (i = 0; i < 4 * n * n; i++)
    rgba[i] = 1.0f;
  *inside = 0;
  smp_ink_draw_dots (&ink, dots.dots, dots.n, &(SmpInkPatch) { rgba, { 0, 0, n, n }, NULL }, halo);
  for (k = 0; k < dots.n; k++)
    {
      const SmpDot *dot = &dots.dots[k];

      *inside += dot->x_mm >= 0.0 && dot->y_mm >= 0.0 && dot->x_mm < mm && dot->y_mm < mm;
    }
  for (i = 0; i < n * n; i++)
    y[i] = (float) (luminance[0] * rgba[4 * i] + luminance[1] * rgba[4 * i + 1]
                    + luminance[2] * rgba[4 * i + 2]);
  smp_dot_array_free (&dots);
  free (rgba);
  free (halo);
  *n_out = n;
  return y;
}

double
smp_look_tone (const SmpLookInk *look,
               double            halo_strength)
{
  int     n, inside, i;
  float  *y = smp_look_patch (look, halo_strength, PATCH_PX_MM, 0.0, PATCH_MM, &n, &inside);
  double  sum = 0.0;

  for (i = 0; i < n * n; i++)
    sum += y[i];
  free (y);
  /* a patch holds a few more or fewer dots than the density: the light
   * taken is scaled to the density's own count */
  sum /= (double) n * n;
  if (inside > 0)
    sum = 1.0 - (1.0 - sum) * (look->layout.density_per_cm2 * PATCH_MM * PATCH_MM / 100.0
                               / inside);
  return sum;
}

#define MAX_HALO_STRENGTH SMP_INK_HALO_MOST
/* The widest halo, as the ops' halo property allows. */
#define MAX_HALO_MM       1.0

double
smp_look_halo_for_shade (SmpLookInk *look,
                         double      shade,
                         double     *tone)
{
  double target = 1.0 - shade, lo = 0.0, hi = MAX_HALO_STRENGTH, t;
  int    i;

  t = smp_look_tone (look, 0.0);
  if (t <= target || look->halo_mm <= 0.0)
    {
      if (tone)
        *tone = t;
      return 0.0;
    }
  /* more pigment than a halo of this width can hold spreads wider, up
   * to the widest halo the ops allow: a wider one is a tint, and a shade
   * a light pigment cannot reach is not reached */
  t = smp_look_tone (look, hi);
  for (i = 0; i < 24 && t > target && look->halo_mm * 1.2 <= MAX_HALO_MM; i++)
    {
      look->halo_mm *= 1.2;
      t = smp_look_tone (look, hi);
    }
  if (t > target)
    {
      if (tone)
        *tone = t;
      return hi;
    }
  for (i = 0; i < 18; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (smp_look_tone (look, mid) > target)
        lo = mid;
      else
        hi = mid;
    }
  if (tone)
    *tone = smp_look_tone (look, hi);
  return hi;
}
