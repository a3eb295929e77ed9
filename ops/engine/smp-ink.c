/* gimp-smp: what one SMP impression does to the skin under it.
 * See smp-ink.h. */
#include "smp-ink.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

/* (int) floor (v) and (int) ceil (v) for v well inside int's range:
 * without SSE4.1 the library's floor is a call, and a halo needs two a
 * row. */
static inline int
floor_int (double v)
{
  int i = (int) v;

  return i - (v < i);
}

static inline int
ceil_int (double v)
{
  int i = (int) v;

  return i + (v > i);
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

/* A halo this strong takes all but 0.4 % of the light at its centre:
 * more changes nothing visible. */
#define MAX_HALO_DEPTH 10.0

/* Beyond this many deviations the halo takes 1 % of its peak (under 1 %
 * of the light; the shade is solved with the same cut, so the tone holds). */
#define HALO_SIGMAS 3.0

/* The blurs in pixels that every dot needs, kept with the ink.  The
 * ink's diffusion includes the photo's own blur: a dot is as sharp as
 * the finest detail the camera left, not sharper.  The edge adds the
 * pixel's own footprint (a box of variance 1/12), so small dots are
 * anti-aliased at any scale. */
static void
ink_derive (SmpInk *ink)
{
  double s = ink->softness_mm * ink->px_per_mm, own = ink->halo_mm * ink->px_per_mm;

  ink->ink_sigma_px = sqrt (s * s + ink->photo_blur_px * ink->photo_blur_px);
  ink->edge_sigma_px = sqrt (ink->ink_sigma_px * ink->ink_sigma_px + 1.0 / 12.0);
  ink->halo_px = hypot (own, ink->photo_blur_px);
  ink->halo_reach_px = HALO_SIGMAS * ink->halo_px + 0.5;
  /* integrated over the plane, px²; the photo's blur spreads it, it does
   * not add to it */
  ink->halo_mass_px2 = 2.0 * M_PI * own * own * ink->halo_strength;
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
  ink_derive (ink);
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
  ink_derive (ink);
}

void
smp_ink_set_halo (SmpInk *ink,
                  double  halo_mm,
                  double  strength)
{
  ink->halo_mm = halo_mm > 0.0 && strength > 0.0 ? halo_mm : 0.0;
  ink->halo_strength = ink->halo_mm > 0.0 ? fmin (strength, MAX_HALO_DEPTH) : 0.0;
  ink_derive (ink);
}

/* Below this radius in pixels a dot is drawn as its pixel-box integral
 * (what a downscale of a sharp render gives), above it as a sampled
 * round profile. */
#define SMALL_DOT_PX 1.25
/* half the side of the square of a disc's area, per unit of radius */
#define SQUARE_HALF  0.886226925452758


/* The reach of a dot's core alone, without its halo. */
static double
core_reach_px (const SmpInk *ink,
               double        diameter_mm)
{
  double radius = 0.5 * diameter_mm * ink->px_per_mm;

  return fmax (radius + EDGE_SIGMAS * ink->edge_sigma_px,
               SQUARE_HALF * radius + EDGE_SIGMAS * ink->ink_sigma_px + 0.5);
}

double
smp_ink_reach_px (const SmpInk *ink,
                  double        diameter_mm)
{
  double reach = core_reach_px (ink, diameter_mm);

  if (ink->halo_strength > 0.0)
    reach = fmax (reach, ink->halo_reach_px);
  return reach;
}

/* Shares of the pixel spans [u0 + k, u0 + k + 1), k < n, of a normal
 * density of deviation s centred at 0: the halo integrated over each
 * pixel, so its mass is the same at every scale and mipmap level. */
static void
normal_over_pixels (double  u0,
                    int     n,
                    double  s,
                    float  *share)
{
  double per_s = 1.0 / s;
  double before = normal_upper_fast (u0 * per_s);
  int    k;

  for (k = 0; k < n; k++)
    {
      double after = normal_upper_fast ((u0 + k + 1) * per_s);

      share[k] = (float) (before - after);
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

/* Clips the box [i0, i1) × [j0, j1) to the piece's w × h pixels; FALSE
 * when nothing is left. */
static int
clip_box (int *i0,
          int *i1,
          int *j0,
          int *j1,
          int  w,
          int  h)
{
  *i0 = *i0 > 0 ? *i0 : 0;
  *j0 = *j0 > 0 ? *j0 : 0;
  *i1 = *i1 < w ? *i1 : w;
  *j1 = *j1 < h ? *j1 : h;
  return *i1 > *i0 && *j1 > *j0;
}

/* The halo as pigment concentration: a Gaussian of deviation @halo_px
 * whose integral over the plane is @mass, integrated over each pixel, so
 * that an impression holds the same pigment at every scale and mipmap
 * level.  Concentrations add where halos overlap; the light they take is
 * computed once per pixel, in apply_halo_rows. */
static void
add_halo (const SmpInk  *ink,
          const SmpDot  *dot,
          float         *amount,
          const SmpRect *area)
{
  int    x0 = area->x, y0 = area->y, w = area->w, h = area->h;
  double halo_px = ink->halo_px;
  double mass = ink->halo_mass_px2 * dot->strength;
  double reach = ink->halo_reach_px;
  double cx = dot->x_mm * ink->px_per_mm, cy = dot->y_mm * ink->px_per_mm;
  float  hx_stack[64], hy_stack[64], *hx, *hy;
  int    i0 = floor_int (cx - reach) - x0, i1 = ceil_int (cx + reach) - x0;
  int    j0 = floor_int (cy - reach) - y0, j1 = ceil_int (cy + reach) - y0;
  int    i, j;

  if (! (mass > 0.0))
    return;
  if (! clip_box (&i0, &i1, &j0, &j1, w, h))
    return;
  hx = i1 - i0 <= 64 ? hx_stack : malloc (sizeof (float) * (i1 - i0));
  hy = j1 - j0 <= 64 ? hy_stack : malloc (sizeof (float) * (j1 - j0));
  normal_over_pixels (x0 + i0 - cx, i1 - i0, halo_px, hx);
  normal_over_pixels (y0 + j0 - cy, j1 - j0, halo_px, hy);
  for (j = j0; j < j1; j++)
    {
      double dy = y0 + j + 0.5 - cy, span2 = reach * reach - dy * dy, span;
      float  row = (float) mass * hy[j - j0];
      float *out = amount + (size_t) j * w + i0;
      int    ia, ib;

      if (span2 <= 0.0)
        continue;
      /* the pixels whose centres lie inside the reach on this row: the
       * same disc every tile sees, whatever its edges */
      span = sqrt (span2);
      ia = floor_int (cx - span - x0) - 1;
      ib = ceil_int (cx + span - x0) + 1;
      if (ia < i0) ia = i0;
      if (ib > i1) ib = i1;
      while (ia < ib && x0 + ia + 0.5 - cx <= -span)
        ia++;
      while (ib > ia && x0 + ib - 0.5 - cx >= span)
        ib--;
      for (i = ia - i0; i < ib - i0; i++)
        out[i] += row * hx[i];
    }
  if (hx != hx_stack)
    free (hx);
  if (hy != hy_stack)
    free (hy);
}

/* The share of the light that pigment @c takes: @c itself up to
 * SATURATION_KNEE, so that an impression holds the same pigment however
 * finely it is sampled; beyond, it saturates smoothly (with the same
 * slope at the knee) towards all of it, as a thick deposit does. */
#define SATURATION_KNEE 0.8f

static inline float
saturated (float c)
{
  const float k = SATURATION_KNEE;

  return c <= k ? c : 1.0f - (1.0f - k) * (1.0f - k) / (c + 1.0f - 2.0f * k);
}

/* Lets the light of @patch's rows j0 .. j1 - 1 pass the halos' pigment
 * summed in @amount (a float a pixel). */
static int
apply_halo_rows (const SmpInk      *ink,
                 const float       *amount,
                 const SmpInkPatch *patch,
                 int                j0,
                 int                j1)
{
  float      *rgba = patch->rgba;
  uint8_t    *touched = patch->touched;
  int         w = patch->area.w, stride = 4 * w;
  /* in locals: the compiler cannot tell the pixels from the ink's own
   * floats, and would read these again for every pixel */
  const float wr = ink->luminance[0], wg = ink->luminance[1], wb = ink->luminance[2];
  const float p0 = ink->halo_pigment[0], p1 = ink->halo_pigment[1], p2 = ink->halo_pigment[2];
  int         i, j, reached = 0;

  for (j = j0; j < j1; j++)
    for (i = 0; i < w; i++)
      {
        float  c = amount[(size_t) j * w + i], a, lum;
        float *px = rgba + (size_t) j * stride + 4 * i;

        if (! (c > 0.0f))
          continue;
        a = saturated (c);
        lum = wr * px[0] + wg * px[1] + wb * px[2];
        /* a broken pixel (NaN, Inf) is left as it is */
        if (! isfinite (lum))
          continue;
        px[0] += a * (lum * p0 - px[0]);
        px[1] += a * (lum * p1 - px[1]);
        px[2] += a * (lum * p2 - px[2]);
        if (touched)
          touched[(size_t) j * w + i] = 1;
        reached++;
      }
  return reached;
}

/* Fresh skin's redness over the halos' pigment: @ink->redness where
 * there is as much as at one impression's centre, more (saturating)
 * where several overlap.  It lies above the pigment, in the healing
 * skin, so it goes on after the cores: the light they send back is
 * reddened too. */
static void
apply_redness (const SmpInk      *ink,
               const float       *amount,
               const SmpInkPatch *patch)
{
  float  per_pigment = (float) (ink->redness / ink->halo_strength);
  float *rgba = patch->rgba;
  int    w = patch->area.w, h = patch->area.h, stride = 4 * w, i, j;

  for (j = 0; j < h; j++)
    for (i = 0; i < w; i++)
      {
        float  c = amount[(size_t) j * w + i], r;
        float *px = rgba + (size_t) j * stride + 4 * i;

        if (! (c > 0.0f))
          continue;
        r = saturated (c * per_pigment);
        px[1] *= 1.0f - 0.5f * r;
        px[2] *= 1.0f - 0.6f * r;
      }
}

/* smp_ink_apply_dot with the core's @reach, core_reach_px's. */
static int
apply_core (const SmpInk      *ink,
            const SmpDot      *dot,
            double             reach,
            const SmpInkPatch *patch)
{
  float   *rgba = patch->rgba;
  uint8_t *touched = patch->touched;
  int      x0 = patch->area.x, y0 = patch->area.y, w = patch->area.w, h = patch->area.h;
  int      stride = 4 * w;
  double radius = 0.5 * dot->diameter_mm * ink->px_per_mm;
  double sigma = ink->edge_sigma_px;
  double cx = dot->x_mm * ink->px_per_mm, cy = dot->y_mm * ink->px_per_mm;
  double ink_sigma = fmax (ink->ink_sigma_px, 1e-3);
  double half = SQUARE_HALF * radius;
  double wx_stack[64], wy_stack[64], *wx = NULL, *wy = NULL;
  int    small = radius < SMALL_DOT_PX;
  /* the edge sits where the blurred disc keeps the disc's own area: a
   * large dot keeps a solid core, a dot smaller than its blur becomes a
   * fainter blob of the same total pigment */
  double edge = sqrt (fmax (radius * radius - sigma * sigma, 0.0));
  double mass_scale = small ? 0.0 : M_PI * radius * radius / edge_profile_mass (edge, sigma);
  double strength = ink->darkness * dot->strength;
  /* the ink in locals, as in apply_halo_rows */
  const float wr = ink->luminance[0], wg = ink->luminance[1], wb = ink->luminance[2];
  const float p0 = ink->pigment[0], p1 = ink->pigment[1], p2 = ink->pigment[2];
  int    i0 = floor_int (cx - reach) - x0, i1 = ceil_int (cx + reach) - x0;
  int    j0 = floor_int (cy - reach) - y0, j1 = ceil_int (cy + reach) - y0;
  int    i, j, reached = 0;

  if (! clip_box (&i0, &i1, &j0, &j1, w, h) || ! (strength > 0.0))
    return 0;
  if (small)
    {
      /* a dot of a pixel or two: integrate a square of the disc's area,
       * blurred by the ink, over each pixel; separable, exact in mass */
      wx = i1 - i0 <= 64 ? wx_stack : malloc (sizeof (double) * (i1 - i0));
      wy = j1 - j0 <= 64 ? wy_stack : malloc (sizeof (double) * (j1 - j0));
      blurred_box_over_pixels (x0 + i0 - cx, i1 - i0, half, ink_sigma, wx);
      blurred_box_over_pixels (y0 + j0 - cy, j1 - j0, half, ink_sigma, wy);
    }

  for (j = j0; j < j1; j++)
    {
      double dy = y0 + j + 0.5 - cy;

      for (i = i0; i < i1; i++)
        {
          double dx = x0 + i + 0.5 - cx, r2 = dx * dx + dy * dy, a, lum;
          float *px = rgba + (size_t) j * stride + 4 * i;

          if (r2 >= reach * reach)
            continue;
          /* no fmin: a library call here, in the hottest loop */
          a = small ? wx[i - i0] * wy[j - j0]
                    : smp_ink_coverage (sqrt (r2), edge, sigma, mass_scale);
          a = strength * (a < 1.0 ? a : 1.0);
          a = a < 1.0 ? a : 1.0;
          if (! (a > 0.0))
            continue;
          lum = wr * px[0] + wg * px[1] + wb * px[2];
          /* a broken pixel (NaN, Inf) is left as it is, not spread to
           * its other channels */
          if (! isfinite (lum))
            continue;
          px[0] = (float) (px[0] * (1.0 - a) + a * lum * p0);
          px[1] = (float) (px[1] * (1.0 - a) + a * lum * p1);
          px[2] = (float) (px[2] * (1.0 - a) + a * lum * p2);
          if (touched)
            touched[(size_t) j * w + i] = 1;
          reached++;
        }
    }
  if (wx != wx_stack)
    free (wx);
  if (wy != wy_stack)
    free (wy);
  return reached;
}

int
smp_ink_apply_dot (const SmpInk      *ink,
                   const SmpDot      *dot,
                   const SmpInkPatch *patch)
{
  return apply_core (ink, dot, core_reach_px (ink, dot->diameter_mm), patch);
}

int
smp_ink_draw_dots (const SmpInk      *ink,
                   const SmpDot      *dots,
                   size_t             n,
                   const SmpInkPatch *patch,
                   float             *amount)
{
  size_t k;
  int    y0 = patch->area.y, h = patch->area.h;
  int    reached = 0, halos_done = h;

  /* the halos lie deeper than the cores: the light reaching a core has
   * passed every halo over it */
  if (ink->halo_strength > 0.0)
    {
      memset (amount, 0, sizeof (float) * smp_rect_pixels (&patch->area));
      for (k = 0; k < n; k++)
        add_halo (ink, &dots[k], amount, &patch->area);
      halos_done = 0;
    }
  for (k = 0; k < n; k++)
    {
      /* the halos of a row go on just before the first core there: the
       * dots come by rows, and the row is still in the cache */
      double cy = dots[k].y_mm * ink->px_per_mm;
      double reach = core_reach_px (ink, dots[k].diameter_mm);
      int    below = ceil_int (cy + reach) - y0;

      below = below < h ? below : h;
      if (below > halos_done)
        {
          reached += apply_halo_rows (ink, amount, patch, halos_done, below);
          halos_done = below;
        }
      reached += apply_core (ink, &dots[k], reach, patch);
    }
  if (halos_done < h)
    reached += apply_halo_rows (ink, amount, patch, halos_done, h);
  if (ink->halo_strength > 0.0 && ink->redness > 0.0)
    apply_redness (ink, amount, patch);
  return reached;
}
