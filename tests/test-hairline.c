/* gimp-smp: smp:hairline measured on rendered images (issue 3, a-f).
 *
 * The masks are generated here: the covered side is the top of the image
 * and the edge a gentle sine, so the signed distance of every pixel from
 * the mask's 0.5 contour is known.  Four images of 200 mm each give 800 mm
 * of hairline, pooled, so counting noise stays below the tolerances. */
#include <math.h>
#include <string.h>

#include <gmodule.h>

#include "smp-test-util.h"

#define PX_PER_MM 10.0
#define W         2000
#define H         560
#define N_IMAGES  4
#define SKIN      "#c68642"

/* The soft preset, which is also the default. */
#define SOFT_TRANSITION 8.0
#define SOFT_EDGE       0.35
#define SOFT_IRREGULAR  3.0
#define SOFT_STRAYS     0.03
#define STRAY_MARGIN    3.0

enum { STYLE_SOFT, STYLE_BROKEN, STYLE_DEFINED, STYLE_CUSTOM };
enum { OUTPUT_IMAGE, OUTPUT_DENSITY };

typedef struct
{
  double base, amplitude, period, phase;   /* px */
} Edge;

static const Edge edges[N_IMAGES] =
{
  { 280, 40, 1400, 0.3 },
  { 270, 50, 1800, 2.0 },
  { 290, 30, 1040, 4.1 },
  { 275, 45, 1600, 5.5 },
};

static double
edge_y (const Edge *e, double x)
{
  return e->base + e->amplitude * sin (2 * M_PI * x / e->period + e->phase);
}

static double
edge_cos (const Edge *e, double x)
{
  double slope = e->amplitude * 2 * M_PI / e->period * cos (2 * M_PI * x / e->period + e->phase);

  return 1.0 / sqrt (1.0 + slope * slope);
}

/* Signed distance (mm) of pixel (x, y) from the edge, positive behind it
 * (above); exact enough for a curve this gentle. */
static double
signed_mm (const Edge *e, double x, double y)
{
  return (edge_y (e, x) - y) * edge_cos (e, x) / PX_PER_MM;
}

/* The coverage mask: antialiased, or with a feathered edge, or jagged
 * like a freehand selection (the edge jumps by whole pixels). */
static GeglBuffer *
make_mask (const Edge *e,
           double      feather_px,
           guint32     jagged_seed)
{
  GeglBuffer *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, W, H), babl_format ("Y float"));
  gfloat     *m = g_new (gfloat, W * H);
  GRand      *rand = g_rand_new_with_seed (jagged_seed);
  int         x, y;

  for (x = 0; x < W; x++)
    {
      double edge = edge_y (e, x + 0.5);

      if (jagged_seed)
        edge = floor (edge) + g_rand_int_range (rand, -3, 4);
      for (y = 0; y < H; y++)
        {
          double v = feather_px > 0 ? 0.5 + (edge - (y + 0.5)) / feather_px
                                    : edge - y;

          m[y * W + x] = (gfloat) CLAMP (v, 0.0, 1.0);
        }
    }
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  g_rand_free (rand);
  g_free (m);
  return mask;
}

static gfloat *
density_field (GeglBuffer *skin,
               GeglBuffer *mask,
               int         style,
               int         seed)
{
  GeglBuffer *out = smp_test_render_op ("smp:hairline", skin, mask, "output", OUTPUT_DENSITY,
                                        "style", style, "seed", seed, NULL);
  gfloat     *d = g_new (gfloat, W * H);

  gegl_buffer_get (out, GEGL_RECTANGLE (0, 0, W, H), 1.0, babl_format ("Y float"), d,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (out);
  return d;
}

/* Row (px, as a boundary position) of the drawn line in column x: where,
 * going from the front upwards, the field first rises above the strays. */
static double
drawn_line (const gfloat *d,
            int           x,
            double        strays)
{
  int y;

  for (y = H - 1; y >= 0; y--)
    if (d[y * W + x] > strays + 0.02)
      return y + 1.0;
  return 0.0;
}

/* a. The density field: 0 beyond the stray zone, at most strays ahead of
 * the line, the edge density at it, a smooth rise over the transition,
 * then full. */
static void
test_field_profile (void)
{
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  double      worst_step = 0, worst_edge = 0, rise_min = 1e9, rise_max = 0;
  int         k, x, y, beyond = 0, stray_over = 0, not_full = 0;

  for (k = 0; k < N_IMAGES; k++)
    {
      GeglBuffer *mask = make_mask (&edges[k], 0, 0);
      gfloat     *d = density_field (skin, mask, STYLE_SOFT, 10 + k);

      for (x = 0; x < W - 1; x++)
        {
          double line = drawn_line (d, x, SOFT_STRAYS), c = edge_cos (&edges[k], x + 0.5);
          int    first = (int) line - 1, full_row = -1;

          for (y = 0; y < H; y++)
            {
              double dist = signed_mm (&edges[k], x + 0.5, y + 0.5);

              if (dist < -(SOFT_IRREGULAR + STRAY_MARGIN) - 0.15)
                beyond += d[y * W + x] != 0.0f;
              if (y >= line)
                stray_over += d[y * W + x] > SOFT_STRAYS + 1e-6;
            }
          worst_edge = fmax (worst_edge, fabs (d[first * W + x] - SOFT_EDGE));
          for (y = first; y > 0; y--)
            {
              worst_step = fmax (worst_step, fabs (d[(y - 1) * W + x] - d[y * W + x]));
              if (drawn_line (d, x + 1, SOFT_STRAYS) - 1 >= y)
                worst_step = fmax (worst_step, fabs (d[y * W + x + 1] - d[y * W + x]));
              if (full_row < 0 && d[(y - 1) * W + x] >= 0.9999f)
                full_row = y - 1;
            }
          g_assert_cmpint (full_row, >=, 0);
          for (y = full_row; y >= 0; y--)
            not_full += d[y * W + x] < 0.9999f;
          rise_min = fmin (rise_min, (line - full_row) * c / PX_PER_MM);
          rise_max = fmax (rise_max, (line - full_row) * c / PX_PER_MM);
        }
      g_free (d);
      g_object_unref (mask);
    }
  g_test_message ("%d pixels beyond the stray zone not 0, %d ahead of the line above strays; "
                  "edge density off by at most %.3f; largest step behind the line %.3f; "
                  "full density reached %.1f-%.1f mm behind the line; %d pixels behind that not full",
                  beyond, stray_over, worst_edge, worst_step, rise_min, rise_max, not_full);
  g_assert_cmpint (beyond, ==, 0);
  g_assert_cmpint (stray_over, ==, 0);
  g_assert_cmpfloat (worst_edge, <=, 0.05);
  g_assert_cmpfloat (worst_step, <=, 0.05);
  g_assert_cmpfloat (rise_min, >=, 0.75 * SOFT_TRANSITION);
  g_assert_cmpfloat (rise_max, <=, 1.35 * SOFT_TRANSITION + 0.5);
  g_assert_cmpint (not_full, ==, 0);
  g_object_unref (skin);
}

/* b. The drawn line wanders off the mask's contour by at most the
 * irregularity, with an RMS of 0.3-0.7 of it, and not periodically. */
static void
test_line_wander (void)
{
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  double     *power = g_new0 (double, W / 2);
  double      sum2 = 0, worst = 0, total = 0, peak = 0;
  int         k, x, f, n = 0;

  for (k = 0; k < N_IMAGES; k++)
    {
      GeglBuffer *mask = make_mask (&edges[k], 0, 0);
      gfloat     *d = density_field (skin, mask, STYLE_SOFT, 20 + k);
      double      dev[W], mean = 0;

      for (x = 0; x < W; x++)
        {
          dev[x] = (edge_y (&edges[k], x + 0.5) - drawn_line (d, x, SOFT_STRAYS))
                   * edge_cos (&edges[k], x + 0.5) / PX_PER_MM;
          mean += dev[x] / W;
          worst = fmax (worst, fabs (dev[x]));
          sum2 += dev[x] * dev[x];
          n++;
        }
      for (f = 1; f < W / 2; f++)
        {
          double re = 0, im = 0;

          for (x = 0; x < W; x++)
            {
              re += (dev[x] - mean) * cos (2 * M_PI * f * x / W);
              im -= (dev[x] - mean) * sin (2 * M_PI * f * x / W);
            }
          power[f] += re * re + im * im;
        }
      g_free (d);
      g_object_unref (mask);
    }
  for (f = 1; f < W / 2; f++)
    {
      total += power[f];
      peak = fmax (peak, power[f]);
    }
  g_test_message ("%d mm of line: largest deviation %.2f mm, RMS %.2f mm (irregularity %.1f); "
                  "strongest frequency holds %.1f %% of the wander's energy",
                  n / 10, worst, sqrt (sum2 / n), SOFT_IRREGULAR, 100 * peak / total);
  g_assert_cmpfloat (worst, <=, SOFT_IRREGULAR);
  g_assert_cmpfloat (sqrt (sum2 / n), >=, 0.3 * SOFT_IRREGULAR);
  g_assert_cmpfloat (sqrt (sum2 / n), <=, 0.7 * SOFT_IRREGULAR);
  g_assert_cmpfloat (peak / total, <=, 1.0 / 3.0);
  g_free (power);
  g_object_unref (skin);
}

/* c. The dots follow the field: counted in 1 mm bins of signed distance
 * from the mask's edge they match the field's integral; none beyond the
 * stray zone. */
static void
test_dots_follow_field (void)
{
  enum { LO = -8, HI = 14, NB = HI - LO };
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "RGBA float");
  double      expected[NB] = { 0 }, counted[NB] = { 0 };
  int         k, b, x, y, beyond = 0;

  for (k = 0; k < N_IMAGES; k++)
    {
      GeglBuffer *mask = make_mask (&edges[k], 0, 0);
      gfloat     *d = density_field (skin, mask, STYLE_SOFT, 30 + k);
      GeglBuffer *out = smp_test_render_op ("smp:hairline", skin, mask, "seed", 30 + k,
                                            "px-per-mm", PX_PER_MM, "density", 90.0,
                                            "clustering", 0.0, NULL);
      gfloat     *dark = smp_test_darkening (skin, out);
      GArray     *blobs = smp_test_blobs (dark, W, H, 0.03, 2);
      guint       i;

      /* 90 dots/cm² is 0.9 per mm², a pixel 0.01 mm² */
      for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
          {
            double s = signed_mm (&edges[k], x + 0.5, y + 0.5);

            if (s >= LO && s < HI)
              expected[(int) floor (s) - LO] += d[y * W + x] * 0.9 * 0.01;
          }
      for (i = 0; i < blobs->len; i++)
        {
          SmpBlob *blob = &g_array_index (blobs, SmpBlob, i);
          double   s = signed_mm (&edges[k], blob->x, blob->y);

          if (s < -(SOFT_IRREGULAR + STRAY_MARGIN) - 0.3)
            beyond++;
          if (s >= LO && s < HI)
            counted[(int) floor (s) - LO] += 1;
        }
      g_array_unref (blobs);
      g_free (dark);
      g_free (d);
      g_object_unref (out);
      g_object_unref (mask);
    }
  g_assert_cmpint (beyond, ==, 0);
  for (b = 0; b < NB; b++)
    {
      g_test_message ("%+3d..%+3d mm: %5.0f dots, field says %7.1f", LO + b, LO + b + 1,
                      counted[b], expected[b]);
      /* ±10 % where a bin holds enough dots for that to mean something;
       * elsewhere (the sparse stray zone) within counting noise */
      if (expected[b] >= 150)
        g_assert_cmpfloat (fabs (counted[b] / expected[b] - 1.0), <=, 0.10);
      else
        g_assert_cmpfloat (fabs (counted[b] - expected[b]), <=, 3 * sqrt (expected[b]) + 2);
    }
  g_object_unref (skin);
}

/* Mean over columns of the 10-90 % rise of the field across the line
 * (mm, along the normal), and its extremes. */
static void
rise_10_90 (int     style,
            double *lo,
            double *hi)
{
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  int         k, x, y;

  *lo = 1e9;
  *hi = 0;
  for (k = 0; k < N_IMAGES; k++)
    {
      GeglBuffer *mask = make_mask (&edges[k], 0, 0);
      gfloat     *d = density_field (skin, mask, style, 40 + k);

      for (x = 0; x < W; x++)
        {
          int y10 = -1, y90 = -1;

          for (y = H - 1; y >= 0; y--)
            {
              if (y10 < 0 && d[y * W + x] >= 0.1f)
                y10 = y;
              if (y90 < 0 && d[y * W + x] >= 0.9f)
                y90 = y;
            }
          *lo = fmin (*lo, (y10 - y90) * edge_cos (&edges[k], x + 0.5) / PX_PER_MM);
          *hi = fmax (*hi, (y10 - y90) * edge_cos (&edges[k], x + 0.5) / PX_PER_MM);
        }
      g_free (d);
      g_object_unref (mask);
    }
  g_object_unref (skin);
}

/* d. Styles: a defined line rises within 2 mm, a soft one over 5 mm or
 * more. */
static void
test_styles (void)
{
  double lo, hi;

  rise_10_90 (STYLE_DEFINED, &lo, &hi);
  g_test_message ("defined: 10-90 %% rise %.2f-%.2f mm", lo, hi);
  g_assert_cmpfloat (hi, <=, 2.0);
  rise_10_90 (STYLE_SOFT, &lo, &hi);
  g_test_message ("soft: 10-90 %% rise %.2f-%.2f mm", lo, hi);
  g_assert_cmpfloat (lo, >=, 5.0);
}

/* e. A feathered or a jagged freehand mask gives the same smooth line
 * as a clean one. */
static void
test_rough_masks (void)
{
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  GeglBuffer *clean = make_mask (&edges[0], 0, 0);
  GeglBuffer *rough[2] = { make_mask (&edges[0], 25, 0), make_mask (&edges[0], 0, 77) };
  const char *what[2] = { "feathered 2.5 mm", "jagged ±0.3 mm" };
  gfloat     *d_clean = density_field (skin, clean, STYLE_SOFT, 50);
  double      clean_wiggle = 0;
  int         r, x;

  /* the designed line's own largest second difference, to compare with */
  for (x = 1; x < W - 1; x++)
    clean_wiggle = fmax (clean_wiggle, fabs (drawn_line (d_clean, x - 1, SOFT_STRAYS)
                                             + drawn_line (d_clean, x + 1, SOFT_STRAYS)
                                             - 2 * drawn_line (d_clean, x, SOFT_STRAYS)) / PX_PER_MM);

  for (r = 0; r < 2; r++)
    {
      gfloat *d = density_field (skin, rough[r], STYLE_SOFT, 50);
      double  worst = 0, sum2 = 0, wiggle = 0;

      for (x = 0; x < W; x++)
        {
          double diff = (drawn_line (d, x, SOFT_STRAYS) - drawn_line (d_clean, x, SOFT_STRAYS)) / PX_PER_MM;

          worst = fmax (worst, fabs (diff));
          sum2 += diff * diff;
          if (x > 0 && x < W - 1)
            wiggle = fmax (wiggle, fabs (drawn_line (d, x - 1, SOFT_STRAYS) + drawn_line (d, x + 1, SOFT_STRAYS)
                                         - 2 * drawn_line (d, x, SOFT_STRAYS)) / PX_PER_MM);
        }
      g_test_message ("%s mask: line differs from the clean one by %.2f mm at most, RMS %.3f mm; "
                      "largest second difference %.2f mm (clean mask: %.2f mm)", what[r], worst,
                      sqrt (sum2 / W), wiggle, clean_wiggle);
      /* the line is read off whole pixel rows (0.1 mm): a staircase
       * would show as jumps of several rows from one column to the next */
      g_assert_cmpfloat (worst, <=, 0.5);
      g_assert_cmpfloat (sqrt (sum2 / W), <=, 0.15);
      g_assert_cmpfloat (wiggle, <=, clean_wiggle + 0.15);
      g_free (d);
      g_object_unref (rough[r]);
    }
  g_free (d_clean);
  g_object_unref (clean);
  g_object_unref (skin);
}

/* e. Same output whatever the threads, chunks or region rendered. */
static void
test_deterministic (void)
{
  GeglBuffer   *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  GeglBuffer   *mask = make_mask (&edges[1], 0, 0);
  GeglRectangle full = { 0, 0, W, H }, sub = { 311, 187, 257, 143 };
  guchar       *ref = NULL, *part;
  int           run, y;
  va_list       none;

  for (run = 0; run < 3; run++)
    {
      static const int threads[] = { 1, 4, 2 }, chunks[] = { 1 << 20, 4096, 777 };
      GeglNode        *root, *op;
      guchar          *px = g_malloc ((gsize) W * H * 4);

      g_object_set (gegl_config (), "threads", threads[run], "chunk-size", chunks[run], NULL);
      op = smp_test_graph (&root, "smp:hairline", skin, mask, NULL, none);
      gegl_node_set (op, "seed", 5, NULL);
      gegl_node_blit (op, 1.0, &full, babl_format ("R'G'B'A u8"), px, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      if (run == 2)
        {
          part = g_malloc ((gsize) sub.width * sub.height * 4);
          gegl_node_blit (op, 1.0, &sub, babl_format ("R'G'B'A u8"), part, GEGL_AUTO_ROWSTRIDE,
                          GEGL_BLIT_DEFAULT);
          for (y = 0; y < sub.height; y++)
            g_assert_cmpint (memcmp (part + (gsize) y * sub.width * 4,
                                     ref + ((gsize) (sub.y + y) * W + sub.x) * 4,
                                     (gsize) sub.width * 4), ==, 0);
          g_free (part);
        }
      if (ref)
        {
          g_assert_cmpint (memcmp (ref, px, (gsize) W * H * 4), ==, 0);
          g_free (px);
        }
      else
        ref = px;
      g_object_unref (root);
    }
  g_free (ref);
  g_object_unref (mask);
  g_object_unref (skin);
}

/* e. Zoomed-out previews: levels 1 and 2 against the full render, on the
 * dot signal (total within 5 %, 2 mm cells correlated at 0.9 or more). */
static void
test_preview_levels (void)
{
  const int   cell = 20;
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "RGBA float");
  GeglBuffer *mask = make_mask (&edges[2], 0, 0);
  GeglBuffer *full = smp_test_render_op ("smp:hairline", skin, mask, "seed", 6, NULL);
  gfloat     *sig = smp_test_darkening (skin, full), y_skin;
  int         level;
  va_list     none;

  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  gegl_buffer_get (skin, GEGL_RECTANGLE (0, 0, 1, 1), 1.0, babl_format ("Y float"), &y_skin,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (level = 1; level <= 2; level++)
    {
      int       f = 1 << level, lw = W / f, lh = H / f, ncx = W / cell, ncy = H / cell, n = ncx * ncy;
      gfloat   *low = g_new (gfloat, lw * lh);
      double   *a = g_new0 (double, n), *b = g_new0 (double, n);
      double    ratio, corr;
      GeglNode *root, *op = smp_test_graph (&root, "smp:hairline", skin, mask, NULL, none);
      int       x, y;

      gegl_node_set (op, "seed", 6, NULL);
      gegl_node_blit (op, 1.0 / f, GEGL_RECTANGLE (0, 0, lw, lh), babl_format ("Y float"), low,
                      GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      for (y = 0; y < ncy * cell; y++)
        for (x = 0; x < ncx * cell; x++)
          a[(y / cell) * ncx + x / cell] += sig[y * W + x];
      for (y = 0; y < ncy * cell / f; y++)
        for (x = 0; x < ncx * cell / f; x++)
          b[(y * f / cell) * ncx + x * f / cell] += (1.0 - low[y * lw + x] / y_skin) * f * f;
      corr = smp_test_correlation (a, b, n, &ratio);
      g_test_message ("level %d: total darkening %+.2f %% of the full render's, "
                      "2 mm cells correlated at %.3f", level, 100 * (ratio - 1), corr);
      g_assert_cmpfloat (fabs (ratio - 1.0), <=, 0.05);
      g_assert_cmpfloat (corr, >=, 0.9);
      g_free (low); g_free (a); g_free (b);
      g_object_unref (root);
    }
  g_free (sig);
  g_object_unref (full);
  g_object_unref (mask);
  g_object_unref (skin);
}

/* f. Where the mask is 0 and farther than the irregularity and the stray
 * margin from its edge, the photo is untouched, bit for bit. */
static void
test_untouched_ahead (void)
{
  GeglBuffer *skin = smp_test_flat (SKIN, W, H, "R'G'B'A u8");
  GeglBuffer *mask = make_mask (&edges[3], 0, 0);
  GeglBuffer *out = smp_test_render_op ("smp:hairline", skin, mask, "seed", 7, "style", STYLE_BROKEN, NULL);
  guint32    *a = g_new (guint32, W * H), *b = g_new (guint32, W * H);
  int         x, y, far = 0, changed_far = 0, changed = 0;
  /* broken style: 4.5 mm wander; a dot's reach is under 0.5 mm */
  double      limit = -(4.5 + STRAY_MARGIN) - 0.5;

  gegl_buffer_get (skin, NULL, 1.0, babl_format ("R'G'B'A u8"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("R'G'B'A u8"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      {
        changed += a[y * W + x] != b[y * W + x];
        if (signed_mm (&edges[3], x + 0.5, y + 0.5) < limit)
          {
            far++;
            changed_far += a[y * W + x] != b[y * W + x];
          }
      }
  g_test_message ("%d pixels changed; %d of %d far ahead of the line", changed, changed_far, far);
  g_assert_cmpint (changed, >, 1000);
  g_assert_cmpint (far, >, 50000);
  g_assert_cmpint (changed_far, ==, 0);
  g_free (a); g_free (b);
  g_object_unref (out); g_object_unref (mask); g_object_unref (skin);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/hairline/field-profile", test_field_profile);
  g_test_add_func ("/hairline/line-wander", test_line_wander);
  g_test_add_func ("/hairline/dots-follow-field", test_dots_follow_field);
  g_test_add_func ("/hairline/styles", test_styles);
  g_test_add_func ("/hairline/rough-masks", test_rough_masks);
  g_test_add_func ("/hairline/deterministic", test_deterministic);
  g_test_add_func ("/hairline/preview-levels", test_preview_levels);
  g_test_add_func ("/hairline/untouched-ahead", test_untouched_ahead);
  return g_test_run ();
}
