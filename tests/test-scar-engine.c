/* gimp-smp: the scar engine (engine/smp-scar.c) called directly, on
 * scalps made here in plain C.
 *
 * work-scales: the measurement and the tone blend cost the same per pixel
 * whatever the image's size, its scale and the blend's width (issue 13,
 * "the tone blend's cost grows no faster than the area").  Measured as
 * the engine's own count of pixel visits, not as time: before, finding
 * the dots summed windows of 0.2 and 0.4 mm around every pixel (5,314
 * visits a pixel at 160 px/mm), and the op's tone blend read a 0.5 mm
 * margin around every tile it rendered. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "smp-random.h"
#include "smp-scar.h"

static const double luminance[3] = { 0.2126, 0.7152, 0.0722 };

/* Uniform 0..1 keyed on two integers and a seed. */
static double
uniform (long a, long b, guint32 seed)
{
  return smp_uniform (smp_key (seed, 0, a, b, 0), 0);
}

typedef struct
{
  int    w, h;
  double px_per_mm;
  float *rgb;     /* linear RGB */
  float *mask;    /* the scar, 0..1 */
} Scalp;

/* Skin with grain, a straight scar 1.5 mm wide across it, 12 % lighter,
 * and stubble around it: round dots of 0.15 mm at 120/cm², each taking
 * up to 60 % of the light at its centre. */
static Scalp
make_scalp (int    w,
            int    h,
            double px_per_mm,
            guint32 seed)
{
  Scalp  s = { w, h, px_per_mm, g_new (float, (gsize) w * h * 3), g_new (float, (gsize) w * h) };
  double half = 0.75 * px_per_mm, sigma = 0.075 * px_per_mm;
  long   dots = lround (120.0 / 100.0 * (w / px_per_mm) * (h / px_per_mm)), k;
  int    x, y, c;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        gsize  i = (gsize) y * w + x;
        double cover = CLAMP (half - fabs (y + 0.5 - h / 2.0) + 0.5, 0.0, 1.0);
        double grain = 1.0 + 0.03 * (uniform (x, y, seed) - 0.5);
        const double skin[3] = { 0.52, 0.25, 0.12 };

        s.mask[i] = (float) cover;
        for (c = 0; c < 3; c++)
          s.rgb[3 * i + c] = (float) (skin[c] * grain * (1.0 + 0.12 * cover));
      }
  for (k = 0; k < dots; k++)
    {
      double cx = uniform (k, 1, seed) * w, cy = uniform (k, 2, seed) * h;
      int    r = (int) ceil (3 * sigma);

      if (fabs (cy - h / 2.0) < half + 3 * sigma)
        continue;
      for (y = MAX ((int) cy - r, 0); y <= MIN ((int) cy + r, h - 1); y++)
        for (x = MAX ((int) cx - r, 0); x <= MIN ((int) cx + r, w - 1); x++)
          {
            double d2 = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);
            double keep = 1.0 - 0.6 * exp (-d2 / (2 * sigma * sigma));

            for (c = 0; c < 3; c++)
              s.rgb[3 * ((gsize) y * w + x) + c] *= (float) keep;
          }
    }
  return s;
}

static void
free_scalp (Scalp *s)
{
  g_free (s->rgb);
  g_free (s->mask);
}

static SmpScarParams
params_at (double px_per_mm,
           double blend_width_mm)
{
  SmpScarParams p;

  memset (&p, 0, sizeof p);
  p.px_per_mm = px_per_mm;
  p.sample_width_mm = 4.0;
  p.blend_width_mm = blend_width_mm;
  p.match_surroundings = 1;
  p.density_per_cm2 = 90.0;
  p.dot_diameter_mm = 0.15;
  p.darkness = 0.7;
  p.softness_mm = 0.03;
  p.pigment_luminance = 0.05;
  p.uptake = 0.85;
  p.tone_blend = 1.0;
  return p;
}

/* Work per pixel: the measurement's and the tone field's pixel visits,
 * and the pixels the blend is given (a tile's own and no more: the API
 * takes nothing around it), over the image's pixels; @pieces_identical,
 * whether the blend in 128×64 pieces gives what it gives in one. */
static double
work_per_pixel (int       size,
                double    px_per_mm,
                double    blend_width_mm,
                gboolean *pieces_identical)
{
  Scalp               s = make_scalp (size, size, px_per_mm, 7);
  SmpScarParams       p = params_at (px_per_mm, blend_width_mm);
  SmpScar            *scar = smp_scar_new (&p, s.rgb, s.mask, luminance, 0, 0, size, size);
  const SmpScarStats *st = smp_scar_stats (scar);
  gsize               n = (gsize) size * size, i;
  float              *whole = g_new (float, n * 4), *pieces = g_new (float, n * 4);
  guint8             *changed = g_malloc (n);
  long                given = 0, blended;
  int                 x, y, tw = 128, th = 64;
  double              work;

  for (i = 0; i < n; i++)
    {
      memcpy (whole + 4 * i, s.rgb + 3 * i, sizeof (float) * 3);
      whole[4 * i + 3] = 1.0f;
    }
  memcpy (pieces, whole, sizeof (float) * n * 4);
  blended = smp_scar_tone (scar, 0, whole, 0, 0, size, size, changed);
  for (y = 0; y < size; y += th)
    for (x = 0; x < size; x += tw)
      {
        int    pw = MIN (tw, size - x), ph = MIN (th, size - y), j;
        float *tile = g_new (float, (gsize) pw * ph * 4);
        guint8 *flags = g_malloc ((gsize) pw * ph);

        for (j = 0; j < ph; j++)
          memcpy (tile + (gsize) j * pw * 4, pieces + ((gsize) (y + j) * size + x) * 4,
                  sizeof (float) * 4 * pw);
        smp_scar_tone (scar, 0, tile, x, y, pw, ph, flags);
        for (j = 0; j < ph; j++)
          memcpy (pieces + ((gsize) (y + j) * size + x) * 4, tile + (gsize) j * pw * 4,
                  sizeof (float) * 4 * pw);
        given += (long) pw * ph;
        g_free (tile);
        g_free (flags);
      }
  *pieces_identical = memcmp (whole, pieces, sizeof (float) * n * 4) == 0;
  work = (double) (st->dots_work + st->tone_field_work + given) / n;
  g_test_message ("%d² at %g px/mm, blend %g mm: %ld dots found, %ld pixels blended; "
                  "visits a pixel: %.1f finding dots, %.1f building the tone field, "
                  "%.1f given to the blend; %.1f in all",
                  size, px_per_mm, blend_width_mm, st->existing_dots, blended,
                  (double) st->dots_work / n, (double) st->tone_field_work / n,
                  (double) given / n, work);
  g_assert_cmpint (blended, >, 0);
  smp_scar_free (scar);
  free_scalp (&s);
  g_free (whole);
  g_free (pieces);
  g_free (changed);
  return work;
}

/* The measurement and the tone blend cost at most 40 visits a pixel, and
 * within 1.5 times as much a pixel at 2000² as at 500², at 160 px/mm as
 * at 20, and with a 10 mm blend as with 2 mm; the blend gives the same
 * bits in pieces as in one. */
static void
test_work_scales (void)
{
  static const struct
  {
    int    size;
    double px_per_mm, blend_mm;
  } cases[] = {
    { 500, 20.0, 2.0 },
    { 2000, 20.0, 2.0 },
    { 500, 160.0, 10.0 },
    { 2000, 160.0, 2.0 },
    { 2000, 160.0, 10.0 },
  };
  double   least = INFINITY, most = 0.0;
  gsize    k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      gboolean same = FALSE;
      double   work = work_per_pixel (cases[k].size, cases[k].px_per_mm, cases[k].blend_mm, &same);

      g_assert_true (same);
      g_assert_cmpfloat (work, <=, 40.0);
      least = fmin (least, work);
      most = fmax (most, work);
    }
  g_test_message ("visits a pixel from %.1f to %.1f (%.2f times)", least, most, most / least);
  g_assert_cmpfloat (most / least, <=, 1.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scar-engine/work-scales", test_work_scales);
  return g_test_run ();
}
