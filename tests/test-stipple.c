/* gimp-smp: smp:stipple measured on rendered images (issue 2, a-h).
 *
 * Every fixture is generated here from a seed; every assertion is a
 * measured property of what the real GEGL op rendered. */
#include <math.h>
#include <string.h>


#include "smp-test-util.h"
#include "smp-stats.h"

#define LIGHT_SKIN  "#f1c9a5"
#define MEDIUM_SKIN "#c68642"
#define DARK_SKIN   "#5c3a21"
#define DARKNESS    0.7
#define PIGMENT     "#3d3e42"

/* Blobs whose centroid lies at least @margin px inside the image. */
static GArray *
inner_blobs (GeglBuffer *before,
             GeglBuffer *after,
             double      threshold,
             double      window,
             double      margin,
             double     *inner_area_px)
{
  const GeglRectangle *r = gegl_buffer_get_extent (before);
  gfloat *d = smp_test_darkening (before, after);
  GArray *all = smp_test_blobs (d, r->width, r->height, threshold, window);
  GArray *inner = g_array_new (FALSE, FALSE, sizeof (SmpBlob));
  guint   i;

  for (i = 0; i < all->len; i++)
    {
      SmpBlob *b = &g_array_index (all, SmpBlob, i);

      if (b->x >= margin && b->y >= margin
          && b->x < r->width - margin && b->y < r->height - margin)
        g_array_append_val (inner, *b);
    }
  *inner_area_px = (r->width - 2 * margin) * (r->height - 2 * margin);
  g_array_unref (all);
  g_free (d);
  return inner;
}

/* a. 100 cm² at 20 px/mm, density 90: 9000 dots ± 5 %; a mask of 0.5
 * halves it. */
static void
test_density (void)
{
  GeglBuffer *skin = smp_test_flat (MEDIUM_SKIN, 2000, 2000, "R'G'B'A float");
  double      masks[] = { 1.0, 0.5 };
  int         m;

  for (m = 0; m < 2; m++)
    {
      GeglBuffer *mask = smp_test_mask ((float) masks[m], 2000, 2000);
      GeglBuffer *out = smp_test_render (skin, mask, "px-per-mm", 20.0, "density", 90.0,
                                         "clustering", 0.0, "seed", 11, NULL);
      double      area_px, expected, per_cm2;
      GArray     *blobs = inner_blobs (skin, out, 0.05, 6, 20, &area_px);

      expected = 90.0 * masks[m] * area_px / (200.0 * 200.0);
      per_cm2 = blobs->len / (area_px / (200.0 * 200.0));
      g_test_message ("mask %.1f: %u dots, expected %.0f (%.1f/cm²)",
                      masks[m], blobs->len, expected, per_cm2);
      g_assert_cmpfloat (fabs (blobs->len / expected - 1.0), <=, 0.05);
      g_array_unref (blobs);
      g_object_unref (out);
      g_object_unref (mask);
    }
  g_object_unref (skin);
}

/* The diameter a dot's integrated darkening implies: its mass is the
 * disc's area times darkness × (1 - pigment luminance). */
static double
diameter_from_mass (double mass_px,
                    double darkness,
                    double pigment_y,
                    double px_per_mm)
{
  return 2.0 * sqrt (mass_px / (M_PI * darkness * (1.0 - pigment_y))) / px_per_mm;
}

/* a. Dot size at 50 px/mm: mean within ± 20 % of dot-diameter, CV within
 * ± 0.05 of size-variation. */
static void
test_dot_size (void)
{
  GeglBuffer *skin = smp_test_flat (LIGHT_SKIN, 1200, 1200, "R'G'B'A float");
  double      cvs[] = { 0.25, 0.45 }, diameters[] = { 0.15, 0.3 };
  GeglColor  *pigment = gegl_color_new (PIGMENT);
  int         k;

  for (k = 0; k < 2; k++)
    {
      GeglBuffer *out = smp_test_render (skin, NULL, "px-per-mm", 50.0,
                                         "dot-diameter", diameters[k],
                                         "size-variation", cvs[k],
                                         "darkness", DARKNESS, "pigment", pigment,
                                         "darkness-variation", 0.0,
                                         "clustering", 0.0, "seed", 5, NULL);
      double  area, sum = 0.0, sum2 = 0.0, mean, cv;
      double  window = 0.5 * 3.0 * diameters[k] * 50.0 + 3.5 * hypot (0.03 * 50, 0.29) + 1;
      GArray *blobs = inner_blobs (skin, out, 0.03, window, window, &area);
      guint   i;

      for (i = 0; i < blobs->len; i++)
        {
          double d = diameter_from_mass (g_array_index (blobs, SmpBlob, i).mass, DARKNESS,
                                         smp_test_luminance (PIGMENT), 50.0);
          sum += d;
          sum2 += d * d;
        }
      mean = sum / blobs->len;
      cv = sqrt (fmax (sum2 / blobs->len - mean * mean, 0.0)) / mean;
      g_test_message ("%u dots: mean diameter %.4f mm (asked %.3f), CV %.3f (asked %.2f)",
                      blobs->len, mean, diameters[k], cv, cvs[k]);
      g_assert_cmpuint (blobs->len, >, 200);
      g_assert_cmpfloat (fabs (mean / diameters[k] - 1.0), <=, 0.20);
      g_assert_cmpfloat (fabs (cv - cvs[k]), <=, 0.05);
      g_array_unref (blobs);
      g_object_unref (out);
    }
  g_object_unref (pigment);
  g_object_unref (skin);
}

static SmpPoint *
blob_points (GArray *blobs)
{
  SmpPoint *p = g_new (SmpPoint, blobs->len + 1);
  guint     i;

  for (i = 0; i < blobs->len; i++)
    {
      p[i].x = g_array_index (blobs, SmpBlob, i).x;
      p[i].y = g_array_index (blobs, SmpBlob, i).y;
    }
  return p;
}

/* b. Clark-Evans R of the rendered dots: [1.3, 1.7] at the default
 * regularity, [0.9, 1.1] at 0 (clustering 0). */
static void
test_layout_rendered (void)
{
  GeglBuffer *skin = smp_test_flat (MEDIUM_SKIN, 1600, 1600, "R'G'B'A float");
  double      regularity[] = { 0.5, 0.0 }, lo[] = { 1.3, 0.9 }, hi[] = { 1.7, 1.1 };
  int         k;

  for (k = 0; k < 2; k++)
    {
      /* at 40 px/mm dots are 6 px wide and rarely merge, even when a
       * Poisson pattern puts two close together */
      GeglBuffer *out = smp_test_render (skin, NULL, "px-per-mm", 40.0,
                                         "regularity", regularity[k],
                                         "clustering", 0.0, "seed", 21, NULL);
      double      area;
      GArray     *blobs = inner_blobs (skin, out, 0.05, 5, 0, &area);
      SmpPoint   *p = blob_points (blobs);
      double      r = smp_stats_clark_evans (p, blobs->len, 40, 40, 1560, 1560);

      g_test_message ("regularity %.1f: %u dots, Clark-Evans R %.3f", regularity[k], blobs->len, r);
      g_assert_cmpfloat (r, >=, lo[k]);
      g_assert_cmpfloat (r, <=, hi[k]);
      g_free (p);
      g_array_unref (blobs);
      g_object_unref (out);
    }
  g_object_unref (skin);
}

/* Is there a blob within @tolerance px of (x, y)? */
static gboolean
has_blob_near (GArray *blobs,
               double  x,
               double  y,
               double  tolerance)
{
  guint i;

  for (i = 0; i < blobs->len; i++)
    if (hypot (g_array_index (blobs, SmpBlob, i).x - x,
               g_array_index (blobs, SmpBlob, i).y - y) <= tolerance)
      return TRUE;
  return FALSE;
}

/* b2. Nested: every dot of a density-45 render is a dot of the density-90
 * render, every dot at mask 0.5 is there at mask 1. */
static void
test_nested (void)
{
  GeglBuffer *skin = smp_test_flat (LIGHT_SKIN, 600, 600, "R'G'B'A float");
  GeglBuffer *half = smp_test_mask (0.5f, 600, 600);
  GeglBuffer *low = smp_test_render (skin, NULL, "density", 45.0, "seed", 3, NULL);
  GeglBuffer *high = smp_test_render (skin, NULL, "density", 90.0, "seed", 3, NULL);
  GeglBuffer *masked = smp_test_render (skin, half, "density", 90.0, "seed", 3, NULL);
  double      area;
  GArray     *b_low = inner_blobs (skin, low, 0.05, 3, 0, &area);
  GArray     *b_high = inner_blobs (skin, high, 0.05, 3, 0, &area);
  GArray     *b_masked = inner_blobs (skin, masked, 0.05, 3, 0, &area);
  guint       i, missing = 0;

  g_test_message ("%u dots at 45/cm², %u at mask 0.5, %u at 90/cm²",
                  b_low->len, b_masked->len, b_high->len);
  g_assert_cmpuint (b_low->len, >, 100);
  g_assert_cmpuint (b_high->len, >, b_low->len + 50);
  /* where two dots overlap at 90 their blob centroid moves: the test
   * looks for a blob within a dot radius and a half */
  for (i = 0; i < b_low->len; i++)
    missing += ! has_blob_near (b_high, g_array_index (b_low, SmpBlob, i).x,
                                g_array_index (b_low, SmpBlob, i).y, 1.5);
  for (i = 0; i < b_masked->len; i++)
    missing += ! has_blob_near (b_high, g_array_index (b_masked, SmpBlob, i).x,
                                g_array_index (b_masked, SmpBlob, i).y, 1.5);
  g_assert_cmpuint (missing, ==, 0);
  g_array_unref (b_low); g_array_unref (b_high); g_array_unref (b_masked);
  g_object_unref (low); g_object_unref (high); g_object_unref (masked);
  g_object_unref (half); g_object_unref (skin);
}

static void
lab_of (GeglBuffer *buffer,
        int         x,
        int         y,
        float       lab[3])
{
  gegl_buffer_get (buffer, GEGL_RECTANGLE (x, y, 1, 1), 1.0, babl_format ("CIE Lab float"),
                   lab, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
}

/* c. A default dot reads charcoal-grey on light, medium and dark skin. */
static void
test_colour (void)
{
  const char *skins[] = { LIGHT_SKIN, MEDIUM_SKIN, DARK_SKIN };
  int         s;

  for (s = 0; s < 3; s++)
    {
      /* 50 px/mm so a dot's core is several pixels wide, as on screen
       * at 100 % zoom of a close-up */
      GeglBuffer *skin = smp_test_flat (skins[s], 500, 500, "R'G'B'A u8");
      GeglBuffer *out = smp_test_render (skin, NULL, "px-per-mm", 50.0, "seed", 9, NULL);
      double      area, dl = 0.0, dc = 0.0, db = 0.0;
      GArray     *blobs = inner_blobs (skin, out, 0.05, 3, 10, &area);
      float       ref[3], lab[3];
      guint       i;

      lab_of (skin, 0, 0, ref);
      for (i = 0; i < blobs->len; i++)
        {
          SmpBlob *b = &g_array_index (blobs, SmpBlob, i);

          lab_of (out, (int) b->x, (int) b->y, lab);
          dl += (lab[0] - ref[0]) / blobs->len;
          dc += (hypot (lab[1], lab[2]) - hypot (ref[1], ref[2])) / blobs->len;
          db += (lab[2] - ref[2]) / blobs->len;
        }
      g_test_message ("skin %s (L* %.1f C* %.1f): %u dots, mean dot core ΔL* %.1f ΔC* %.1f Δb* %.1f",
                      skins[s], ref[0], hypot (ref[1], ref[2]), blobs->len, dl, dc, db);
      g_assert_cmpuint (blobs->len, >, 50);
      if (s < 2)
        {
          g_assert_cmpfloat (dl, <=, -15.0);
          g_assert_cmpfloat (dl, >=, -40.0);
        }
      else
        g_assert_cmpfloat (dl, <=, -5.0);
      g_assert_cmpfloat (dc, <, 0.0);
      g_assert_cmpfloat (db, <=, 0.0);
      g_array_unref (blobs);
      g_object_unref (out);
      g_object_unref (skin);
    }
}

/* c. Absorption in linear light: the photo's shading and highlights stay
 * on top of the dots, so rendering on a shaded skin equals shading the
 * rendering of the flat skin, pixel by pixel. */
static void
test_shading_kept (void)
{
  const int   w = 400, h = 300;
  GeglBuffer *flat = smp_test_flat (MEDIUM_SKIN, w, h, "RGBA float");
  GeglBuffer *shaded = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("RGBA float"));
  gfloat     *px = g_new (gfloat, (gsize) w * h * 4), *shade = g_new (gfloat, (gsize) w * h);
  gfloat     *a, *b;
  GeglBuffer *out_flat, *out_shaded;
  double      worst = 0.0;
  int         i, changed = 0;

  gegl_buffer_get (flat, NULL, 1.0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < w * h; i++)
    {
      /* a dome of light from 0.3 to 1, with a specular highlight to 1.6 */
      double x = (i % w) / (double) w - 0.5, y = (i / w) / (double) h - 0.5;

      shade[i] = (gfloat) (0.3 + 0.7 * exp (-3 * (x * x + y * y))
                           + 0.6 * exp (-60 * ((x - 0.1) * (x - 0.1) + (y + 0.1) * (y + 0.1))));
      px[4 * i] *= shade[i]; px[4 * i + 1] *= shade[i]; px[4 * i + 2] *= shade[i];
    }
  gegl_buffer_set (shaded, NULL, 0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE);
  out_flat = smp_test_render (flat, NULL, "px-per-mm", 20.0, "seed", 4, NULL);
  out_shaded = smp_test_render (shaded, NULL, "px-per-mm", 20.0, "seed", 4, NULL);
  a = g_new (gfloat, (gsize) w * h * 4);
  b = g_new (gfloat, (gsize) w * h * 4);
  gegl_buffer_get (out_flat, NULL, 1.0, babl_format ("RGBA float"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (out_shaded, NULL, 1.0, babl_format ("RGBA float"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < w * h * 4; i++)
    if (i % 4 != 3)
      {
        double expect = a[i] * shade[i / 4];

        worst = fmax (worst, fabs (b[i] - expect) / fmax (expect, 1e-6));
        changed += px[i] != b[i];
      }
  g_test_message ("%d channel values darkened; worst relative deviation from "
                  "shading × flat result: %.2g", changed, worst);
  g_assert_cmpint (changed, >, 1000);
  g_assert_cmpfloat (worst, <, 1e-5);
  g_free (a); g_free (b); g_free (px); g_free (shade);
  g_object_unref (out_flat); g_object_unref (out_shaded);
  g_object_unref (flat); g_object_unref (shaded);
}

/* d. Pixels no dot reaches, and everything beyond a dot's reach from the
 * mask, keep their exact bytes in 8-, 16-bit and float formats; alpha is
 * kept everywhere. */
static void
test_untouched (void)
{
  const char *formats[] = { "R'G'B'A u8", "R'G'B'A u16", "RGBA float", "R'G'B' u8" };
  const int   w = 500, h = 400;
  int         f;

  for (f = 0; f < 4; f++)
    {
      const Babl *format = babl_format (formats[f]);
      gint        bpp = babl_format_get_bytes_per_pixel (format);
      gboolean    has_alpha = babl_format_has_alpha (format);
      GeglBuffer *in = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), format);
      GeglBuffer *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
      GeglBuffer *out;
      guchar     *a = g_malloc ((gsize) w * h * bpp), *b = g_malloc ((gsize) w * h * bpp);
      gfloat     *rgba = g_new (gfloat, (gsize) w * h * 4), *m = g_new (gfloat, (gsize) w * h);
      GRand      *rand = g_rand_new_with_seed (17);
      int         i, changed = 0, changed_far = 0, alpha_changed = 0, reach;

      /* textured skin with varying alpha, mask on the left 40 % only */
      for (i = 0; i < w * h; i++)
        {
          rgba[4 * i] = 0.45f + 0.1f * (float) g_rand_double (rand);
          rgba[4 * i + 1] = 0.25f + 0.1f * (float) g_rand_double (rand);
          rgba[4 * i + 2] = 0.12f + 0.05f * (float) g_rand_double (rand);
          rgba[4 * i + 3] = (float) g_rand_double (rand);
          m[i] = (i % w) < 0.4 * w ? 1.0f : 0.0f;
        }
      gegl_buffer_set (in, NULL, 0, babl_format ("RGBA float"), rgba, GEGL_AUTO_ROWSTRIDE);
      gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
      out = smp_test_render (in, mask, "px-per-mm", 20.0, "seed", 8, NULL);
      g_assert_true (gegl_buffer_get_format (out) == format);
      gegl_buffer_get (in, NULL, 1.0, format, a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      gegl_buffer_get (out, NULL, 1.0, format, b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);

      /* the farthest a dot can reach: 3 × mean diameter / 2 plus its edge */
      reach = (int) ceil (0.5 * 3 * 0.15 * 20 + 3.5 * hypot (0.03 * 20, 0.29));
      for (i = 0; i < w * h; i++)
        {
          gboolean differs = memcmp (a + (gsize) i * bpp, b + (gsize) i * bpp, bpp) != 0;

          changed += differs;
          if (differs && (i % w) >= 0.4 * w + reach)
            changed_far++;
          if (has_alpha)
            alpha_changed += memcmp (a + (gsize) i * bpp + bpp * 3 / 4,
                                     b + (gsize) i * bpp + bpp * 3 / 4, bpp / 4) != 0;
        }
      g_test_message ("%s: %d pixels changed, %d beyond reach of the mask, %d alphas changed",
                      formats[f], changed, changed_far, alpha_changed);
      g_assert_cmpint (changed, >, 500);
      g_assert_cmpint (changed, <, 0.4 * w * h * 0.2);
      g_assert_cmpint (changed_far, ==, 0);
      g_assert_cmpint (alpha_changed, ==, 0);
      g_rand_free (rand);
      g_free (a); g_free (b); g_free (rgba); g_free (m);
      g_object_unref (out); g_object_unref (mask); g_object_unref (in);
    }
}

/* d. The output is the input's size, even with an infinite aux. */
static void
test_bounding_box (void)
{
  GeglBuffer   *skin = smp_test_flat (MEDIUM_SKIN, 320, 240, "R'G'B'A u8");
  GeglNode     *root = gegl_node_new ();
  GeglNode     *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", skin, NULL);
  GeglNode     *color = gegl_node_new_child (root, "operation", "gegl:color", NULL);
  GeglNode     *op = gegl_node_new_child (root, "operation", "smp:stipple", NULL);
  GeglColor    *white = gegl_color_new ("white");
  GeglRectangle box;

  gegl_node_set (color, "value", white, NULL);
  gegl_node_link (src, op);
  gegl_node_connect_to (color, "output", op, "aux");
  box = gegl_node_get_bounding_box (op);
  g_assert_cmpint (box.x, ==, 0);
  g_assert_cmpint (box.y, ==, 0);
  g_assert_cmpint (box.width, ==, 320);
  g_assert_cmpint (box.height, ==, 240);
  g_object_unref (white);
  g_object_unref (root);
  g_object_unref (skin);
}

/* Renders roi of the op into memory with the current GEGL config. */
static guchar *
blit (GeglBuffer          *skin,
      GeglBuffer          *mask,
      const GeglRectangle *roi)
{
  GeglNode *root, *op;
  guchar   *pixels = g_malloc ((gsize) roi->width * roi->height * 4);
  va_list   none;

  op = smp_test_graph (&root, "smp:stipple", skin, mask, NULL, none);
  gegl_node_set (op, "px-per-mm", 12.0, "seed", 99, NULL);
  gegl_node_blit (op, 1.0, roi, babl_format ("R'G'B'A u8"), pixels,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_unref (root);
  return pixels;
}

/* e. Same seed, same output: 1 or 4 threads, small or large chunks, a
 * sub-rectangle alone or cut from the full render. */
static void
test_deterministic (void)
{
  const int     w = 700, h = 500;
  GeglBuffer   *skin = smp_test_flat (MEDIUM_SKIN, w, h, "R'G'B'A u8");
  GeglBuffer   *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  gfloat       *m = g_new (gfloat, (gsize) w * h);
  GeglRectangle full = { 0, 0, w, h }, sub = { 137, 91, 211, 173 };
  guchar       *ref, *other, *part;
  int           i, y;

  /* a ramp, so the mask is read at dot centres across tile borders */
  for (i = 0; i < w * h; i++)
    m[i] = (float) (i % w) / w;
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);

  g_object_set (gegl_config (), "threads", 1, "chunk-size", 1 << 20, NULL);
  ref = blit (skin, mask, &full);

  g_object_set (gegl_config (), "threads", 4, "chunk-size", 4096, NULL);
  other = blit (skin, mask, &full);
  g_assert_cmpint (memcmp (ref, other, (gsize) w * h * 4), ==, 0);
  g_free (other);

  g_object_set (gegl_config (), "threads", 2, "chunk-size", 777, NULL);
  other = blit (skin, mask, &full);
  g_assert_cmpint (memcmp (ref, other, (gsize) w * h * 4), ==, 0);
  g_free (other);

  part = blit (skin, mask, &sub);
  for (y = 0; y < sub.height; y++)
    g_assert_cmpint (memcmp (part + (gsize) y * sub.width * 4,
                             ref + ((gsize) (sub.y + y) * w + sub.x) * 4,
                             (gsize) sub.width * 4), ==, 0);
  g_free (part);
  g_free (ref);
  g_free (m);
  g_object_unref (mask);
  g_object_unref (skin);
}

/* f. Zoomed-out previews: rendered at mipmap levels 1 and 2, the dot
 * signal matches the full render downscaled. */
static void
test_preview_levels (void)
{
  const int     w = 1024, h = 768, cell = 20;   /* 2 mm cells at 10 px/mm */
  GeglBuffer   *skin = smp_test_flat (LIGHT_SKIN, w, h, "RGBA float");
  GeglBuffer   *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  gfloat       *m = g_new (gfloat, (gsize) w * h);
  GeglNode     *root, *op;
  GeglBuffer   *full;
  gfloat       *sig_full;
  va_list       none;
  int           level, i;

  /* gegl_node_blit renders at a reduced level only when asked to */
  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  for (i = 0; i < w * h; i++)
    m[i] = (float) (0.15 + 0.85 * (i % w) / w);
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  op = smp_test_graph (&root, "smp:stipple", skin, mask, NULL, none);
  gegl_node_set (op, "px-per-mm", 10.0, "seed", 12, NULL);

  full = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("RGBA float"));
  gegl_node_blit_buffer (op, full, NULL, 0, GEGL_ABYSS_NONE);
  sig_full = smp_test_darkening (skin, full);

  for (level = 1; level <= 2; level++)
    {
      int         f = 1 << level, lw = w / f, lh = h / f, ncx = lw * f / cell, ncy = lh * f / cell;
      gfloat     *y_low = g_new (gfloat, (gsize) lw * lh), y_skin;
      double     *c_full = g_new0 (double, ncx * ncy), *c_low = g_new0 (double, ncx * ncy);
      double      t_full = 0, t_low = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, corr;
      int         n = ncx * ncy, x, y;

      GeglNode   *fresh_root, *fresh;

      /* GIMP's canvas at 50 % or 25 %: the op is asked for a mipmap
       * level (a fresh graph, so no cached full render can answer) */
      fresh = smp_test_graph (&fresh_root, "smp:stipple", skin, mask, NULL, none);
      gegl_node_set (fresh, "px-per-mm", 10.0, "seed", 12, NULL);
      smp_test_probe_before (fresh);
      gegl_node_blit (fresh, 1.0 / f, GEGL_RECTANGLE (0, 0, lw, lh), babl_format ("Y float"),
                      y_low, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      g_assert_cmpint (smp_test_probe_deepest_level (), ==, level);
      gegl_buffer_get (skin, GEGL_RECTANGLE (0, 0, 1, 1), 1.0, babl_format ("Y float"), &y_skin,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);

      /* darkening summed per 2 mm cell, in full-resolution pixel units */
      for (y = 0; y < ncy * cell; y++)
        for (x = 0; x < ncx * cell; x++)
          c_full[(y / cell) * ncx + x / cell] += sig_full[y * w + x];
      for (y = 0; y < ncy * cell / f; y++)
        for (x = 0; x < ncx * cell / f; x++)
          c_low[(y * f / cell) * ncx + x * f / cell] += (1.0 - y_low[y * lw + x] / y_skin) * f * f;
      for (i = 0; i < n; i++)
        {
          t_full += c_full[i]; t_low += c_low[i];
          sx += c_full[i]; sy += c_low[i];
          sxx += c_full[i] * c_full[i]; syy += c_low[i] * c_low[i]; sxy += c_full[i] * c_low[i];
        }
      corr = (n * sxy - sx * sy) / sqrt ((n * sxx - sx * sx) * (n * syy - sy * sy));
      g_test_message ("level %d: total darkening %.1f vs %.1f at full size (%.2f %%), "
                      "2 mm cell correlation %.3f", level, t_low, t_full,
                      100 * (t_low / t_full - 1), corr);
      g_assert_cmpfloat (fabs (t_low / t_full - 1.0), <=, 0.05);
      g_assert_cmpfloat (corr, >=, 0.9);
      g_free (y_low); g_free (c_full); g_free (c_low);
      g_object_unref (fresh_root);
    }
  g_free (sig_full);
  g_free (m);
  g_object_unref (full);
  g_object_unref (mask);
  g_object_unref (skin);
  g_object_unref (root);
}

/* g. The same 40 × 40 mm of scalp at 10 and 20 px/mm: the same dots per
 * cm² and the same diameter in mm. */
static void
test_scale_consistency (void)
{
  double     scales[] = { 10.0, 20.0 }, density[2], diameter[2];
  GeglColor *pigment = gegl_color_new (PIGMENT);
  int        k;

  for (k = 0; k < 2; k++)
    {
      int         side = (int) (40 * scales[k]);
      GeglBuffer *skin = smp_test_flat (LIGHT_SKIN, side, side, "RGBA float");
      GeglBuffer *out = smp_test_render (skin, NULL, "px-per-mm", scales[k], "clustering", 0.0,
                                         "darkness", DARKNESS, "pigment", pigment,
                                         "darkness-variation", 0.0, "seed", 6, NULL);
      double      window = 0.225 * scales[k] + 3.5 * hypot (0.03 * scales[k], 0.29) + 1;
      double      area, sum = 0.0;
      GArray     *blobs = inner_blobs (skin, out, 0.02, window, window, &area);
      guint       i;

      for (i = 0; i < blobs->len; i++)
        sum += diameter_from_mass (g_array_index (blobs, SmpBlob, i).mass, DARKNESS,
                                   smp_test_luminance (PIGMENT), scales[k]);
      density[k] = blobs->len / (area / (scales[k] * scales[k] * 100));
      diameter[k] = sum / blobs->len;
      g_test_message ("%.0f px/mm: %.1f dots/cm², mean diameter %.4f mm",
                      scales[k], density[k], diameter[k]);
      g_assert_cmpfloat (fabs (density[k] / 90.0 - 1.0), <=, 0.05);
      g_array_unref (blobs);
      g_object_unref (out);
      g_object_unref (skin);
    }
  g_assert_cmpfloat (fabs (diameter[1] / diameter[0] - 1.0), <=, 0.05);
  g_object_unref (pigment);
}

static guint log_messages = 0;

static GLogWriterOutput
count_messages (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         data)
{
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_MESSAGE))
    log_messages++;
  return g_log_writer_default (level, fields, n_fields, data);
}

/* Messages logged while rendering @input through @operation. */
static guint
messages_rendering (GeglBuffer *input,
                    GeglBuffer *mask,
                    const char *operation)
{
  GeglNode   *root = gegl_node_new ();
  GeglNode   *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", input, NULL);
  GeglNode   *op = gegl_node_new_child (root, "operation", operation, NULL);
  GeglBuffer *out = NULL;
  GeglNode   *sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &out, NULL);
  guint       before = log_messages;

  gegl_node_link_many (src, op, sink, NULL);
  if (mask)
    {
      GeglNode *m = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", mask, NULL);
      gegl_node_connect_to (m, "output", op, "aux");
    }
  gegl_node_process (sink);
  g_clear_object (&out);
  g_object_unref (root);
  return log_messages - before;
}

/* h. Zero-size and 1×1 inputs, a transparent layer, NaN and Inf, an
 * empty mask: a clean result, no crash, and no message beyond what GEGL
 * itself says for the same input through one of its own filters. */
static void
test_bad_input (void)
{
  GeglBuffer *empty = gegl_buffer_new (GEGL_RECTANGLE (0, 0, 0, 0), babl_format ("R'G'B'A u8"));
  GeglBuffer *one = smp_test_flat (MEDIUM_SKIN, 1, 1, "R'G'B'A u8");
  GeglBuffer *clear = smp_test_flat ("transparent", 200, 200, "R'G'B'A u8");
  GeglBuffer *skin = smp_test_flat (MEDIUM_SKIN, 200, 200, "RGBA float");
  GeglBuffer *zero = smp_test_mask (0.0f, 200, 200);
  GeglBuffer *out;
  GeglBuffer *inputs[] = { empty, one, clear, skin };
  gfloat     *weird = g_new (gfloat, 4 * 200 * 200), *res = g_new (gfloat, 4 * 200 * 200);
  guchar     *px = g_malloc (4 * 200 * 200);
  int         i, nonfinite_kept = 0;

  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_writer_func (count_messages, NULL, NULL);

  for (i = 0; i < 4; i++)
    {
      guint control = messages_rendering (inputs[i], NULL, "gegl:invert-linear");
      guint ours = messages_rendering (inputs[i], NULL, "smp:stipple");

      g_test_message ("input %d: %u messages from gegl:invert-linear, %u from smp:stipple",
                      i, control, ours);
      g_assert_cmpuint (ours, <=, control);
    }
  g_assert_cmpuint (messages_rendering (skin, zero, "smp:stipple"), ==, 0);

  /* GEGL's own sink gives no buffer at all for an empty input */
  out = smp_test_render (empty, NULL, NULL, NULL);
  g_assert_true (out == NULL || gegl_buffer_get_extent (out)->width == 0);
  g_clear_object (&out);

  out = smp_test_render (one, NULL, "px-per-mm", 200.0, "density", 250.0, NULL);
  g_assert_cmpint (gegl_buffer_get_extent (out)->width, ==, 1);
  g_object_unref (out);

  out = smp_test_render (clear, NULL, "density", 250.0, NULL);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("R'G'B'A u8"), px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < 200 * 200; i++)
    g_assert_cmpint (px[4 * i + 3], ==, 0);
  g_object_unref (out);

  out = smp_test_render (skin, zero, NULL, NULL);
  g_assert_true (smp_test_identical (skin, out, gegl_buffer_get_extent (skin), "RGBA float"));
  g_object_unref (out);

  gegl_buffer_get (skin, NULL, 1.0, babl_format ("RGBA float"), weird, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < 200 * 200; i += 7)
    weird[4 * i + (i % 3)] = (i % 2) ? NAN : INFINITY;
  gegl_buffer_set (skin, NULL, 0, babl_format ("RGBA float"), weird, GEGL_AUTO_ROWSTRIDE);
  out = smp_test_render (skin, NULL, "density", 250.0, NULL);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("RGBA float"), res, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  /* a non-finite value stays non-finite and a finite one finite: the
   * op spreads nothing from a broken pixel to its neighbours */
  for (i = 0; i < 4 * 200 * 200; i++)
    {
      g_assert_cmpint (isfinite (res[i]), ==, isfinite (weird[i]));
      nonfinite_kept += ! isfinite (res[i]);
    }
  g_assert_cmpint (nonfinite_kept, >, 0);
  g_object_unref (out);

  g_free (weird); g_free (res); g_free (px);
  g_object_unref (empty); g_object_unref (one); g_object_unref (clear);
  g_object_unref (skin); g_object_unref (zero);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/stipple/density", test_density);
  g_test_add_func ("/stipple/dot-size", test_dot_size);
  g_test_add_func ("/stipple/layout-rendered", test_layout_rendered);
  g_test_add_func ("/stipple/nested", test_nested);
  g_test_add_func ("/stipple/colour", test_colour);
  g_test_add_func ("/stipple/shading-kept", test_shading_kept);
  g_test_add_func ("/stipple/untouched", test_untouched);
  g_test_add_func ("/stipple/bounding-box", test_bounding_box);
  g_test_add_func ("/stipple/deterministic", test_deterministic);
  g_test_add_func ("/stipple/preview-levels", test_preview_levels);
  g_test_add_func ("/stipple/scale-consistency", test_scale_consistency);
  g_test_add_func ("/stipple/bad-input", test_bad_input);
  return g_test_run ();
}
