/* gimp-smp: what one SMP impression does to the skin under it.
 * See smp-ink.h. */
#include "smp-ink.h"

#include <math.h>
#include <stddef.h>

/* Beyond this many standard deviations past its edge a dot's coverage is
 * below 3e-4, less than a 16-bit step of any visible change. */
#define EDGE_SIGMAS 3.5

void
smp_ink_init (SmpInk       *ink,
              double        px_per_mm,
              double        darkness,
              double        softness_mm,
              const float   pigment[3],
              double        cool_shift,
              const double  luminance[3])
{
  /* Pigment seen through skin scatters blue back more than red; tilt the
   * pigment that way while keeping its luminance. */
  static const double tilt[3] = { -0.35, -0.05, 0.45 };
  double y_before = 0.0, y_after = 0.0;
  int    c;

  ink->px_per_mm = px_per_mm;
  ink->darkness = darkness;
  ink->softness_mm = softness_mm;
  for (c = 0; c < 3; c++)
    {
      double p = pigment[c] * (1.0 + cool_shift * tilt[c]);

      ink->luminance[c] = (float) luminance[c];
      ink->pigment[c] = (float) p;
      y_before += luminance[c] * pigment[c];
      y_after += luminance[c] * p;
    }
  if (y_after > 0.0)
    for (c = 0; c < 3; c++)
      ink->pigment[c] *= (float) (y_before / y_after);
}

/* Effective blur of the dot edge in pixels: the ink's diffusion plus the
 * pixel's own footprint (a box of variance 1/12), so small dots are
 * anti-aliased at any scale. */
static double
edge_sigma_px (const SmpInk *ink)
{
  double s = ink->softness_mm * ink->px_per_mm;

  return sqrt (s * s + 1.0 / 12.0);
}

double
smp_ink_reach_px (const SmpInk *ink,
                  double        diameter_mm)
{
  return 0.5 * diameter_mm * ink->px_per_mm + EDGE_SIGMAS * edge_sigma_px (ink);
}

static double
normal_pdf (double t)
{
  return 0.3989422804014327 * exp (-0.5 * t * t);
}

static double
normal_upper (double t)
{
  return 0.5 * erfc (t / M_SQRT2);
}

/* Integral over the plane of 0.5 erfc ((r - R) / (sqrt 2 s)). */
static double
edge_profile_mass (double radius,
                   double sigma)
{
  double a = -radius / sigma;
  double first = normal_pdf (a) - a * normal_upper (a);
  double second = 0.5 * ((1.0 - a * a) * normal_upper (a) + a * normal_pdf (a));

  return 2.0 * M_PI * sigma * (radius * first + sigma * second);
}

double
smp_ink_coverage (double r_px,
                  double radius_px,
                  double sigma_px,
                  double mass_scale)
{
  return mass_scale * normal_upper ((r_px - radius_px) / sigma_px);
}

int
smp_ink_apply_dot (const SmpInk *ink,
                   const SmpDot *dot,
                   float        *rgba,
                   int           stride,
                   int           x0,
                   int           y0,
                   int           w,
                   int           h,
                   uint8_t      *touched)
{
  double radius = 0.5 * dot->diameter_mm * ink->px_per_mm;
  double sigma = edge_sigma_px (ink);
  double reach = radius + EDGE_SIGMAS * sigma;
  double cx = dot->x_mm * ink->px_per_mm, cy = dot->y_mm * ink->px_per_mm;
  double mass_scale = M_PI * radius * radius / edge_profile_mass (radius, sigma);
  double strength = ink->darkness * dot->strength;
  int    i0 = (int) floor (cx - reach) - x0, i1 = (int) ceil (cx + reach) - x0;
  int    j0 = (int) floor (cy - reach) - y0, j1 = (int) ceil (cy + reach) - y0;
  int    i, j, reached = 0;

  if (i0 < 0) i0 = 0;
  if (j0 < 0) j0 = 0;
  if (i1 > w) i1 = w;
  if (j1 > h) j1 = h;

  for (j = j0; j < j1; j++)
    {
      double dy = y0 + j + 0.5 - cy;

      for (i = i0; i < i1; i++)
        {
          double dx = x0 + i + 0.5 - cx, r = sqrt (dx * dx + dy * dy);
          float *px = rgba + (size_t) j * stride + 4 * i;
          double a, lum;

          if (r >= reach)
            continue;
          a = fmin (smp_ink_coverage (r, radius, sigma, mass_scale) * strength, 1.0);
          lum = ink->luminance[0] * px[0] + ink->luminance[1] * px[1]
                + ink->luminance[2] * px[2];
          px[0] = (float) (px[0] * (1.0 - a) + a * lum * ink->pigment[0]);
          px[1] = (float) (px[1] * (1.0 - a) + a * lum * ink->pigment[1]);
          px[2] = (float) (px[2] * (1.0 - a) + a * lum * ink->pigment[2]);
          if (touched)
            touched[(size_t) j * w + i] = 1;
          reached++;
        }
    }
  return reached;
}
