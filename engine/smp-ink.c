/* gimp-smp: what one SMP impression does to the skin under it.
 * See smp-ink.h. */
#include "smp-ink.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

/* Beyond this many standard deviations past its edge a dot's coverage is
 * below 3e-4, less than a 16-bit step of any visible change. */
#define EDGE_SIGMAS 3.5

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

/* The antiderivative of the standard normal CDF, t Φ(t) + φ(t), is
 * tabulated: drawing a small dot needs it at every pixel border, and
 * erfc and exp there cost more than all the rest of the drawing.  Linear
 * interpolation at this step is exact to 1e-5 of the ink's deviation. */
#define STEP_TABLE_HALF  6.0
#define STEP_TABLE_SIZE  2048

static double          step_table[STEP_TABLE_SIZE + 1];
static double          upper_table[STEP_TABLE_SIZE + 1];
static pthread_once_t  step_table_once = PTHREAD_ONCE_INIT;

static void
step_table_fill (void)
{
  int k;

  for (k = 0; k <= STEP_TABLE_SIZE; k++)
    {
      double t = -STEP_TABLE_HALF + 2.0 * STEP_TABLE_HALF * k / STEP_TABLE_SIZE;

      step_table[k] = t * (1.0 - normal_upper (t)) + normal_pdf (t);
      upper_table[k] = normal_upper (t);
    }
}

/* normal_upper from the table: a halo needs it at every pixel border. */
static double
normal_upper_fast (double t)
{
  double f;
  int    k;

  if (t <= -STEP_TABLE_HALF)
    return 1.0;
  if (t >= STEP_TABLE_HALF)
    return 0.0;
  f = (t + STEP_TABLE_HALF) * (STEP_TABLE_SIZE / (2.0 * STEP_TABLE_HALF));
  k = (int) f;
  f -= k;
  return (1.0 - f) * upper_table[k] + f * upper_table[k + 1];
}

/* Antiderivative of the ink-blurred edge Φ(u / s). */
static double
blurred_step_integral (double u,
                       double s)
{
  double t = u / s, f;
  int    k;

  if (t <= -STEP_TABLE_HALF)
    return 0.0;
  if (t >= STEP_TABLE_HALF)
    return u;
  f = (t + STEP_TABLE_HALF) * (STEP_TABLE_SIZE / (2.0 * STEP_TABLE_HALF));
  k = (int) f;
  f -= k;
  return s * ((1.0 - f) * step_table[k] + f * step_table[k + 1]);
}

/* Pigment seen through skin scatters blue back more than red; tilt the
 * pigment that way by @cool_shift while keeping its luminance. */
static void
cool_pigment (const float   pigment[3],
              double        cool_shift,
              const double  luminance[3],
              float         out[3])
{
  static const double tilt[3] = { -0.35, -0.05, 0.45 };
  double y_before = 0.0, y_after = 0.0;
  int    c;

  for (c = 0; c < 3; c++)
    {
      double p = pigment[c] * (1.0 + cool_shift * tilt[c]);

      out[c] = (float) p;
      y_before += luminance[c] * pigment[c];
      y_after += luminance[c] * p;
    }
  if (y_after > 0.0)
    for (c = 0; c < 3; c++)
      out[c] *= (float) (y_before / y_after);
}

void
smp_ink_init (SmpInk       *ink,
              double        px_per_mm,
              double        darkness,
              double        softness_mm,
              const float   pigment[3],
              double        cool_shift,
              const double  luminance[3])
{
  int c;

  pthread_once (&step_table_once, step_table_fill);
  ink->px_per_mm = px_per_mm;
  ink->darkness = darkness;
  ink->softness_mm = softness_mm;
  for (c = 0; c < 3; c++)
    ink->luminance[c] = (float) luminance[c];
  cool_pigment (pigment, cool_shift, luminance, ink->pigment);
  /* the halo is pigment seen through more skin: half again as cool */
  cool_pigment (pigment, fmin (1.5 * cool_shift + 0.1, 1.0), luminance, ink->halo_pigment);
  ink->halo_mm = 0.0;
  ink->halo_strength = 0.0;
  ink->photo_blur_px = 0.0;
  ink->redness = 0.0;
}

void
smp_ink_set_redness (SmpInk *ink,
                     double  redness)
{
  ink->redness = redness > 0.0 ? fmin (redness, 1.0) : 0.0;
}

void
smp_ink_set_photo_blur (SmpInk *ink,
                        double  blur_px)
{
  ink->photo_blur_px = blur_px > 0.0 ? blur_px : 0.0;
}

void
smp_ink_set_halo (SmpInk *ink,
                  double  halo_mm,
                  double  strength)
{
  ink->halo_mm = halo_mm > 0.0 && strength > 0.0 ? halo_mm : 0.0;
  ink->halo_strength = ink->halo_mm > 0.0 ? fmin (strength, 1.0) : 0.0;
}

/* The ink's diffusion in pixels, with the photo's own blur: a dot is as
 * sharp as the finest detail the camera left, not sharper. */
static double
ink_sigma_px (const SmpInk *ink)
{
  double s = ink->softness_mm * ink->px_per_mm;

  return sqrt (s * s + ink->photo_blur_px * ink->photo_blur_px);
}

/* Effective blur of the dot edge in pixels: the ink's diffusion plus the
 * pixel's own footprint (a box of variance 1/12), so small dots are
 * anti-aliased at any scale. */
static double
edge_sigma_px (const SmpInk *ink)
{
  double s = ink_sigma_px (ink);

  return sqrt (s * s + 1.0 / 12.0);
}

/* Below this radius in pixels a dot is drawn as its pixel-box integral
 * (what a downscale of a sharp render gives), above it as a sampled
 * round profile. */
#define SMALL_DOT_PX 1.25
/* half the side of the square of a disc's area, per unit of radius */
#define SQUARE_HALF  0.886226925452758

/* Beyond this many deviations the halo takes 1 % of its peak (under 1 %
 * of the light; the shade is solved with the same cut, so the tone holds). */
#define HALO_SIGMAS 3.0

double
smp_ink_reach_px (const SmpInk *ink,
                  double        diameter_mm)
{
  double radius = 0.5 * diameter_mm * ink->px_per_mm;
  double ink_sigma = ink_sigma_px (ink);
  double halo_px = hypot (ink->halo_mm * ink->px_per_mm, ink->photo_blur_px);
  double reach = fmax (radius + EDGE_SIGMAS * edge_sigma_px (ink),
                       SQUARE_HALF * radius + EDGE_SIGMAS * ink_sigma + 0.5);

  if (ink->halo_strength > 0.0)
    reach = fmax (reach, HALO_SIGMAS * halo_px + 0.5);
  return reach;
}

/* Shares of the pixel spans [u0 + k, u0 + k + 1), k < n, of a normal
 * density of deviation s centred at 0: the halo integrated over each
 * pixel, so its mass is the same at every scale and mipmap level. */
static void
normal_over_pixels (double  u0,
                    int     n,
                    double  s,
                    double *share)
{
  double before = normal_upper_fast (u0 / s);
  int    k;

  for (k = 0; k < n; k++)
    {
      double after = normal_upper_fast ((u0 + k + 1) / s);

      share[k] = before - after;
      before = after;
    }
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

/* Shares of the pixel spans [u0 + k, u0 + k + 1), k < n, covered by the
 * box [-half, half) blurred by ink of deviation s: exact, so they sum to
 * the box's width. */
static void
blurred_box_over_pixels (double  u0,
                         int     n,
                         double  half,
                         double  s,
                         double *share)
{
  double before = blurred_step_integral (u0 + half, s) - blurred_step_integral (u0 - half, s);
  int    k;

  for (k = 0; k < n; k++)
    {
      double u = u0 + k + 1;
      double after = blurred_step_integral (u + half, s) - blurred_step_integral (u - half, s);

      share[k] = after - before;
      before = after;
    }
}

/* The share of a large dot's area the pigment covers at radius r (px):
 * a disc with an ink diffusion edge at @edge_px, scaled by @mass_scale so
 * that its integral is the disc's own area (a blurred dot spreads the
 * same pigment, it does not gain any). */
static double
smp_ink_coverage (double r_px,
                  double edge_px,
                  double sigma_px,
                  double mass_scale)
{
  return mass_scale * normal_upper ((r_px - edge_px) / sigma_px);
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
  double reach = smp_ink_reach_px (ink, dot->diameter_mm);
  double cx = dot->x_mm * ink->px_per_mm, cy = dot->y_mm * ink->px_per_mm;
  double ink_sigma = fmax (ink_sigma_px (ink), 1e-3);
  double half = SQUARE_HALF * radius;
  double wx_stack[64], wy_stack[64], *wx = NULL, *wy = NULL;
  double hx_stack[64], hy_stack[64], *hx = NULL, *hy = NULL;
  double halo_own = ink->halo_mm * ink->px_per_mm;
  /* the halo's absorption integrated over the plane, in px²; the photo's
   * blur spreads it, it does not add to it */
  double halo_mass = 2.0 * M_PI * halo_own * halo_own * ink->halo_strength * dot->strength;
  double halo_px = hypot (halo_own, ink->photo_blur_px);
  double core_reach;
  int    ci0, ci1, cj0, cj1;
  /* redness follows the halo's shape, up to ink->redness at its centre */
  float  redness_per_h = ink->redness > 0.0 && ink->halo_strength * dot->strength > 0.0
                         ? (float) (ink->redness / (ink->halo_strength * dot->strength)) : 0.0f;
  int    small = radius < SMALL_DOT_PX;
  /* the edge sits where the blurred disc keeps the disc's own area: a
   * large dot keeps a solid core, a dot smaller than its blur becomes a
   * fainter blob of the same total pigment */
  double edge = sqrt (fmax (radius * radius - sigma * sigma, 0.0));
  double mass_scale = small ? 0.0 : M_PI * radius * radius / edge_profile_mass (edge, sigma);
  double strength = ink->darkness * dot->strength;
  int    i0 = (int) floor (cx - reach) - x0, i1 = (int) ceil (cx + reach) - x0;
  int    j0 = (int) floor (cy - reach) - y0, j1 = (int) ceil (cy + reach) - y0;
  int    i, j, reached = 0;

  if (i0 < 0) i0 = 0;
  if (j0 < 0) j0 = 0;
  if (i1 > w) i1 = w;
  if (j1 > h) j1 = h;

  if (i1 <= i0 || j1 <= j0)
    return 0;
  core_reach = smp_ink_reach_px (&(SmpInk) { .px_per_mm = ink->px_per_mm,
                                             .softness_mm = ink->softness_mm,
                                             .photo_blur_px = ink->photo_blur_px },
                                 dot->diameter_mm);
  if (halo_mass > 0.0)
    {
      hx = i1 - i0 <= 64 ? hx_stack : malloc (sizeof (double) * (i1 - i0));
      hy = j1 - j0 <= 64 ? hy_stack : malloc (sizeof (double) * (j1 - j0));
      normal_over_pixels (x0 + i0 - cx, i1 - i0, halo_px, hx);
      normal_over_pixels (y0 + j0 - cy, j1 - j0, halo_px, hy);
    }
  /* the core's own pixels, a small part of a halo's */
  ci0 = (int) floor (cx - core_reach) - x0;
  ci1 = (int) ceil (cx + core_reach) - x0;
  cj0 = (int) floor (cy - core_reach) - y0;
  cj1 = (int) ceil (cy + core_reach) - y0;
  if (ci0 < i0) ci0 = i0;
  if (cj0 < j0) cj0 = j0;
  if (ci1 > i1) ci1 = i1;
  if (cj1 > j1) cj1 = j1;
  if (small && ci1 > ci0 && cj1 > cj0)
    {
      /* a dot of a pixel or two: integrate a square of the disc's area,
       * blurred by the ink, over each pixel; separable, exact in mass */
      wx = ci1 - ci0 <= 64 ? wx_stack : malloc (sizeof (double) * (ci1 - ci0));
      wy = cj1 - cj0 <= 64 ? wy_stack : malloc (sizeof (double) * (cj1 - cj0));
      blurred_box_over_pixels (x0 + ci0 - cx, ci1 - ci0, half, ink_sigma, wx);
      blurred_box_over_pixels (y0 + cj0 - cy, cj1 - cj0, half, ink_sigma, wy);
    }

  for (j = j0; j < j1; j++)
    {
      double dy = y0 + j + 0.5 - cy, span2 = reach * reach - dy * dy, span;
      float  halo_row = hx ? (float) (halo_mass * hy[j - j0]) : 0.0f;
      int    core_row = j >= cj0 && j < cj1, ia, ib;

      if (span2 <= 0.0)
        continue;
      /* the pixels whose centres lie inside the reach on this row, one
       * wider on each side; the exact test is below */
      span = sqrt (span2);
      ia = (int) floor (cx - span - x0) - 1;
      ib = (int) ceil (cx + span - x0) + 1;
      if (ia < i0) ia = i0;
      if (ib > i1) ib = i1;

      for (i = ia; i < ib; i++)
        {
          double dx = x0 + i + 0.5 - cx;
          float *px = rgba + (size_t) j * stride + 4 * i;
          double a = 0.0, h = 0.0, lum;

          if (dx * dx >= span2)
            continue;
          /* most of a halo's pixels are the halo's alone: a short path */
          if (! core_row || i < ci0 || i >= ci1)
            {
              float hf = hx ? fminf (halo_row * (float) hx[i - i0], 1.0f) : 0.0f, lf;

              if (! (hf > 0.0f))
                continue;
              lf = ink->luminance[0] * px[0] + ink->luminance[1] * px[1]
                   + ink->luminance[2] * px[2];
              if (! isfinite (lf))
                continue;
              px[0] += hf * (lf * ink->halo_pigment[0] - px[0]);
              px[1] += hf * (lf * ink->halo_pigment[1] - px[1]);
              px[2] += hf * (lf * ink->halo_pigment[2] - px[2]);
              if (redness_per_h > 0.0f)
                {
                  float r = fminf (hf * redness_per_h, ink->redness);

                  px[1] *= 1.0f - 0.5f * r;
                  px[2] *= 1.0f - 0.6f * r;
                }
              if (touched)
                touched[(size_t) j * w + i] = 1;
              reached++;
              continue;
            }
          if (hx)
            h = fmin (halo_row * hx[i - i0], 1.0);
          {
            double r2 = dx * dx + dy * dy;

            if (r2 < core_reach * core_reach)
              a = small ? wx[i - ci0] * wy[j - cj0]
                        : fmin (smp_ink_coverage (sqrt (r2), edge, sigma, mass_scale), 1.0);
            a = fmin (a * strength, 1.0);
          }
          if (! (a > 0.0) && ! (h > 0.0))
            continue;
          lum = ink->luminance[0] * px[0] + ink->luminance[1] * px[1]
                + ink->luminance[2] * px[2];
          /* a broken pixel (NaN, Inf) is left as it is, not spread to
           * its other channels */
          if (! isfinite (lum))
            continue;
          /* the halo lies deeper, under the core: the light reaching the
           * core has passed it */
          if (h > 0.0)
            {
              px[0] = (float) (px[0] * (1.0 - h) + h * lum * ink->halo_pigment[0]);
              px[1] = (float) (px[1] * (1.0 - h) + h * lum * ink->halo_pigment[1]);
              px[2] = (float) (px[2] * (1.0 - h) + h * lum * ink->halo_pigment[2]);
              if (redness_per_h > 0.0f)
                {
                  float r = fminf ((float) h * redness_per_h, ink->redness);

                  px[1] *= 1.0f - 0.5f * r;
                  px[2] *= 1.0f - 0.6f * r;
                }
              lum = ink->luminance[0] * px[0] + ink->luminance[1] * px[1]
                    + ink->luminance[2] * px[2];
            }
          if (a > 0.0)
            {
              px[0] = (float) (px[0] * (1.0 - a) + a * lum * ink->pigment[0]);
              px[1] = (float) (px[1] * (1.0 - a) + a * lum * ink->pigment[1]);
              px[2] = (float) (px[2] * (1.0 - a) + a * lum * ink->pigment[2]);
            }
          if (touched)
            touched[(size_t) j * w + i] = 1;
          reached++;
        }
    }
  if (hx != hx_stack)
    free (hx);
  if (hy != hy_stack)
    free (hy);
  if (wx != wx_stack)
    free (wx);
  if (wy != wy_stack)
    free (wy);
  return reached;
}
