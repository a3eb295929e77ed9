/* gimp-smp: tone at a distance and grain.  See smp-texture.h. */
#include "smp-texture.h"
#include "smp-blur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Below this deviation a blur changes nothing measurable. */
#define LEAST_SIGMA_PX 0.05

static void
gaussian_blur (float  *image,
               int     w,
               int     h,
               double  sigma)
{
  if (sigma >= LEAST_SIGMA_PX)
    smp_blur_gaussian_f (image, w, h, sigma);
}

long
smp_texture_measure (const float *y,
                     const float *mask,
                     int          w,
                     int          h,
                     double       px_per_mm,
                     SmpTexture  *out)
{
  size_t  n = (size_t) w * h, i;
  float  *fine = malloc (sizeof (float) * n), *coarse = malloc (sizeof (float) * n);
  long   *inside = calloc ((size_t) (w + 1) * (h + 1), sizeof (long));
  int     border = (int) ceil (px_per_mm), x, yy;
  double  sum_y = 0.0, sum = 0.0, sum2 = 0.0;
  long    count = 0;

  memcpy (fine, y, sizeof (float) * n);
  memcpy (coarse, y, sizeof (float) * n);
  gaussian_blur (fine, w, h, SMP_GRAIN_FINE_MM * px_per_mm);
  gaussian_blur (coarse, w, h, SMP_GRAIN_COARSE_MM * px_per_mm);

  /* a summed-area table of the region, to keep 1 mm inside its edge */
  for (yy = 0; yy < h; yy++)
    for (x = 0; x < w; x++)
      inside[(size_t) (yy + 1) * (w + 1) + x + 1] =
        (! mask || mask[(size_t) yy * w + x] >= 0.5f)
        + inside[(size_t) yy * (w + 1) + x + 1] + inside[(size_t) (yy + 1) * (w + 1) + x]
        - inside[(size_t) yy * (w + 1) + x];

  for (yy = border; yy < h - border; yy++)
    for (x = border; x < w - border; x++)
      {
        long   all = inside[(size_t) (yy + border + 1) * (w + 1) + x + border + 1]
                     - inside[(size_t) (yy - border) * (w + 1) + x + border + 1]
                     - inside[(size_t) (yy + border + 1) * (w + 1) + x - border]
                     + inside[(size_t) (yy - border) * (w + 1) + x - border];
        double r;

        i = (size_t) yy * w + x;
        if (all < (long) (2 * border + 1) * (2 * border + 1) || ! (coarse[i] > 0.0f))
          continue;
        r = (fine[i] - coarse[i]) / coarse[i];
        sum_y += y[i];
        sum += r;
        sum2 += r * r;
        count++;
      }
  out->pixels = count;
  out->mean_y = count ? sum_y / count : 0.0;
  out->grain = count ? sqrt (fmax (sum2 / count - (sum / count) * (sum / count), 0.0)) : 0.0;
  free (fine);
  free (coarse);
  free (inside);
  return count;
}

void
smp_match_target (const SmpTexture *reference,
                  const SmpTexture *bare,
                  SmpMatchTarget   *target)
{
  double tone = bare->mean_y > 0.0 ? reference->mean_y / bare->mean_y : 1.0;

  target->shade = fmin (fmax (1.0 - tone, 0.0), 0.6);
  /* grains of independent textures add in quadrature: the dots must
   * bring what the stubble has beyond the bare skin's own */
  target->grain = sqrt (fmax (reference->grain * reference->grain - bare->grain * bare->grain, 0.0));
}

/* Patches are at most this many pixels and this many mm across. */
#define PATCH_MAX_PX 480
#define PATCH_MAX_MM 24.0

double
smp_match_grain (const SmpLookInk *look,
                 double            halo_strength,
                 double            px_per_mm,
                 double            photo_blur_px)
{
  double     mm = fmin (PATCH_MAX_MM, PATCH_MAX_PX / px_per_mm);
  int        n, inside;
  float     *y = smp_look_patch (look, halo_strength, px_per_mm, photo_blur_px, mm, &n, &inside);
  SmpTexture texture;

  smp_texture_measure (y, NULL, n, n, px_per_mm, &texture);
  free (y);
  return texture.grain;
}

/* The grain of @look at @density once its halo gives @shade. */
static double
grain_at_density (SmpLookInk *look,
                  double      density,
                  double      shade,
                  double      px_per_mm,
                  double      photo_blur_px)
{
  double strength, core;
  int    i;

  look->layout.density_per_cm2 = density;
  /* faint stubble: where the cores alone would be darker than the
   * stubble, they are made lighter, not left too dark */
  for (i = 0; i < 3 && (core = 1.0 - smp_look_tone (look, 0.0)) > shade; i++)
    look->darkness *= shade / core;
  strength = shade > 0.0 ? smp_look_halo_for_shade (look, shade, NULL) : 0.0;
  return smp_match_grain (look, strength, px_per_mm, photo_blur_px);
}

double
smp_match_look (SmpLookInk           *look,
                const SmpMatchTarget *target,
                double                px_per_mm,
                double                photo_blur_px,
                double               *shade)
{
  double     lo = log (10.0), hi = log (400.0), grain = 0.0;
  SmpLookInk trial;
  int        i;

  *shade = target->shade;
  /* grain falls as the same shade is spread over more dots */
  for (i = 0; i < 14; i++)
    {
      double mid = 0.5 * (lo + hi);

      trial = *look;
      grain = grain_at_density (&trial, exp (mid), target->shade, px_per_mm, photo_blur_px);
      if (grain > target->grain)
        lo = mid;
      else
        hi = mid;
    }
  trial = *look;
  grain = grain_at_density (&trial, exp (0.5 * (lo + hi)), target->shade, px_per_mm, photo_blur_px);
  look->layout.density_per_cm2 = trial.layout.density_per_cm2;
  look->darkness = trial.darkness;
  return grain;
}
