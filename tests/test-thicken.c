/* gimp-smp: smp:scalp-mask and smp:thicken measured on rendered images
 * (issue 5, a-d).
 *
 * The fixtures are synthetic thinning hair made here from a seed, at 10
 * px/mm: textured scalp skin (shading and grain) under many thin curved
 * strands, 1-2 px wide, some overlapping, anti-aliased, each a little
 * lighter or darker than the next, covering 40-70 % of the picture; the
 * true share of hair in every pixel is known.  Five skin tones × three
 * hair colours. */
#include <math.h>
#include <string.h>


#include "smp-test-util.h"

#define PX_PER_MM 10.0
#define SIZE      480

static const char *skins[] = { "#f1c9a5", "#e0ac69", "#c68642", "#8d5524", "#5c3a21" };
static const char *hairs[] = { "#1c1917", "#5e4330", "#a3a19e" };
static const char *hair_names[] = { "near-black", "mid-brown", "grey" };

typedef struct
{
  int         w, h;
  GeglBuffer *photo;    /* R'G'B'A u8 */
  gfloat     *share;    /* true share of hair per pixel */
  double      coverage; /* pixels that are mostly hair */
  double      delta_e;  /* CIE76 between the hair and skin colours */
} Fixture;

static void
lab_of_hex (const char *hex,
            gfloat      lab[3])
{
  GeglColor *color = gegl_color_new (hex);

  gegl_color_get_pixel (color, babl_format ("CIE Lab float"), lab);
  g_object_unref (color);
}

static void
linear_of_hex (const char *hex,
               gfloat      rgb[3])
{
  GeglColor *color = gegl_color_new (hex);

  gegl_color_get_pixel (color, babl_format ("RGB float"), rgb);
  g_object_unref (color);
}

/* Distance from (px, py) to the segment (ax, ay)-(bx, by). */
static double
segment_distance (double px, double py, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay, t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);

  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot (px - ax - t * dx, py - ay - t * dy);
}

static Fixture
fixture_new (const char *skin_hex,
             const char *hair_hex,
             guint32     seed,
             int         w,
             int         h)
{
  Fixture  f = { w, h };
  GRand   *rand = g_rand_new_with_seed (seed);
  gfloat   skin[3], hair[3], skin_lab[3], hair_lab[3];
  gfloat  *tint = g_new0 (gfloat, (gsize) w * h);
  gfloat  *rgba = g_new (gfloat, (gsize) w * h * 4);
  double   target = g_rand_double_range (rand, 0.45, 0.65), covered = 0;
  gsize    i;
  int      x, y, c, strands = 0;

  f.share = g_new0 (gfloat, (gsize) w * h);
  linear_of_hex (skin_hex, skin);
  linear_of_hex (hair_hex, hair);
  lab_of_hex (skin_hex, skin_lab);
  lab_of_hex (hair_hex, hair_lab);
  f.delta_e = sqrt ((skin_lab[0] - hair_lab[0]) * (skin_lab[0] - hair_lab[0])
                    + (skin_lab[1] - hair_lab[1]) * (skin_lab[1] - hair_lab[1])
                    + (skin_lab[2] - hair_lab[2]) * (skin_lab[2] - hair_lab[2]));

  /* strands until the target coverage: a slowly turning walk, 1-2 px wide */
  while (covered < target)
    {
      double px = g_rand_double_range (rand, -40, w + 40), py = g_rand_double_range (rand, -40, h + 40);
      double angle = g_rand_double_range (rand, 0, 2 * G_PI), turn = 0;
      double half = 0.5 * g_rand_double_range (rand, 1.0, 2.0);
      float  shade = (float) g_rand_double_range (rand, 0.8, 1.2);
      int    steps = g_rand_int_range (rand, 100, 400), s;

      for (s = 0; s < steps; s++)
        {
          double nx, ny;
          int    x0, y0, x1, y1;

          turn = 0.9 * turn + g_rand_double_range (rand, -0.02, 0.02);
          angle += turn;
          nx = px + cos (angle);
          ny = py + sin (angle);
          x0 = MAX ((int) floor (MIN (px, nx) - half - 1), 0);
          y0 = MAX ((int) floor (MIN (py, ny) - half - 1), 0);
          x1 = MIN ((int) ceil (MAX (px, nx) + half + 1), w - 1);
          y1 = MIN ((int) ceil (MAX (py, ny) + half + 1), h - 1);
          for (y = y0; y <= y1; y++)
            for (x = x0; x <= x1; x++)
              {
                double d = segment_distance (x + 0.5, y + 0.5, px, py, nx, ny);
                float  a = (float) CLAMP (half + 0.5 - d, 0.0, 1.0);

                if (a > f.share[(gsize) y * w + x])
                  {
                    f.share[(gsize) y * w + x] = a;
                    tint[(gsize) y * w + x] = shade;
                  }
              }
          px = nx;
          py = ny;
        }
      if (++strands % 10 == 0)
        {
          gsize mostly = 0;

          for (i = 0; i < (gsize) w * h; i++)
            mostly += f.share[i] >= 0.5f;
          covered = (double) mostly / ((gsize) w * h);
        }
    }
  f.coverage = covered;

  /* skin with shading across the picture and grain; the hair over it */
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        gsize  p = (gsize) y * w + x;
        double shading = 1.0 + 0.08 * sin (x * 0.011 + 0.4) * cos (y * 0.009);
        double grain = 1.0 + g_rand_double_range (rand, -0.04, 0.04);
        float  a = f.share[p];

        for (c = 0; c < 3; c++)
          {
            /* grain in luminance, and a little in chroma */
            double s = skin[c] * shading * grain * (1.0 + g_rand_double_range (rand, -0.02, 0.02));
            double hr = MIN (hair[c] * tint[p], 1.0) * shading;

            rgba[p * 4 + c] = (float) (a * hr + (1 - a) * s);
          }
        rgba[p * 4 + 3] = 1.0f;
      }
  f.photo = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("R'G'B'A u8"));
  gegl_buffer_set (f.photo, NULL, 0, babl_format ("RGBA float"), rgba, GEGL_AUTO_ROWSTRIDE);
  g_free (rgba);
  g_free (tint);
  g_rand_free (rand);
  return f;
}

static void
fixture_free (Fixture *f)
{
  g_object_unref (f->photo);
  g_free (f->share);
}

static gfloat *
get_y (GeglBuffer *buffer, const char *format, int w, int h)
{
  gfloat *v = g_new (gfloat, (gsize) w * h);

  gegl_buffer_get (buffer, GEGL_RECTANGLE (0, 0, w, h), 1.0, babl_format (format), v,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  return v;
}

/* The treated region: a square 40 px inside the border, feathered over
 * 2 mm outside it. */
static GeglBuffer *
region_new (int w, int h, int inset, int feather)
{
  GeglBuffer *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  gfloat     *m = g_new (gfloat, (gsize) w * h);
  int         x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        int dx = MAX (MAX (inset - x, x - (w - 1 - inset)), 0);
        int dy = MAX (MAX (inset - y, y - (h - 1 - inset)), 0);
        double d = hypot (dx, dy);

        m[(gsize) y * w + x] = (float) CLAMP (1.0 - d / feather, 0.0, 1.0);
      }
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  g_free (m);
  return mask;
}

/* a. The mask against the true scalp pixels (share of hair below 0.5). */
static void
test_mask_iou (void)
{
  int s, hh, fails = 0;

  for (s = 0; s < 5; s++)
    for (hh = 0; hh < 3; hh++)
      {
        Fixture     f = fixture_new (skins[s], hairs[hh], 100 + s * 3 + hh, SIZE, SIZE);
        GeglBuffer *out = smp_test_render_op ("smp:scalp-mask", f.photo, NULL,
                                              "px-per-mm", PX_PER_MM, NULL);
        gfloat     *m = get_y (out, "Y float", f.w, f.h);
        double      inter = 0, uni = 0, need = f.delta_e >= 15 ? 0.85 : 0.75, iou;
        gsize       i;

        for (i = 0; i < (gsize) f.w * f.h; i++)
          {
            gboolean truth = f.share[i] < 0.5f, said = m[i] >= 0.5f;

            inter += truth && said;
            uni += truth || said;
          }
        iou = inter / uni;
        g_test_message ("skin %s, %s hair %s: coverage %.0f %%, ΔE %.1f, IoU %.3f (need %.2f)",
                        skins[s], hair_names[hh], hairs[hh], 100 * f.coverage, f.delta_e, iou, need);
        fails += iou < need;
        g_free (m);
        g_object_unref (out);
        fixture_free (&f);
      }
  g_assert_cmpint (fails, ==, 0);
}

/* L* of every pixel of @buffer. */
static gfloat *
lightness (GeglBuffer *buffer, int w, int h)
{
  gfloat *lab = g_new (gfloat, (gsize) w * h * 3), *l = g_new (gfloat, (gsize) w * h);
  gsize   i;

  gegl_buffer_get (buffer, GEGL_RECTANGLE (0, 0, w, h), 1.0, babl_format ("CIE Lab float"), lab,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < (gsize) w * h; i++)
    l[i] = lab[i * 3];
  g_free (lab);
  return l;
}

#define INSET   80
#define FEATHER 20

/* b. At defaults, the darkening added lands on the scalp, not on hair:
 * with the crisp cores alone, and with the op's own default look (cores
 * in halos, drawn as soft as the photo). */
static void
test_hair_untouched (void)
{
  int    s, hh, look, fails = 0;
  double worst_share = 0, worst_change = 0;

  for (look = 0; look <= 1; look++)
  for (s = 0; s < 5; s++)
    for (hh = 0; hh < 3; hh++)
      {
        Fixture     f = fixture_new (skins[s], hairs[hh], 200 + s * 3 + hh, SIZE, SIZE);
        GeglBuffer *region = region_new (f.w, f.h, INSET, FEATHER);
        GeglBuffer *out = look
                          ? smp_test_render_op ("smp:thicken", f.photo, region, "look", 1,
                                                "photo-blur", 0.6, "px-per-mm", PX_PER_MM,
                                                "seed", 5, NULL)
                          : smp_test_render_op ("smp:thicken", f.photo, region,
                                                "px-per-mm", PX_PER_MM, "seed", 5, NULL);
        gfloat     *y0 = get_y (f.photo, "Y float", f.w, f.h), *y1 = get_y (out, "Y float", f.w, f.h);
        gfloat     *m = get_y (region, "Y float", f.w, f.h);
        guchar     *b0 = g_malloc ((gsize) f.w * f.h * 4), *b1 = g_malloc ((gsize) f.w * f.h * 4);
        double      total = 0, on_hair = 0, change = 0, hair_px = 0, share, mean_change;
        gsize       i;
        int         c;

        gegl_buffer_get (f.photo, NULL, 1.0, babl_format ("R'G'B'A u8"), b0, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
        gegl_buffer_get (out, NULL, 1.0, babl_format ("R'G'B'A u8"), b1, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
        for (i = 0; i < (gsize) f.w * f.h; i++)
          {
            double d = MAX (y0[i] - y1[i], 0.0f);

            total += d;
            if (f.share[i] >= 0.5f)
              on_hair += d;
            if (f.share[i] >= 0.5f && m[i] > 0.0f)
              {
                for (c = 0; c < 3; c++)
                  change += fabs ((double) b1[i * 4 + c] - b0[i * 4 + c]) / 255.0 / 3.0;
                hair_px += 1;
              }
          }
        share = on_hair / total;
        mean_change = change / hair_px;
        g_test_message ("%s, skin %s, %s hair: %.2f %% of the added darkening on hair pixels, "
                        "hair pixels change by %.3f %% of range on average",
                        look ? "default look" : "crisp cores",
                        skins[s], hair_names[hh], 100 * share, 100 * mean_change);
        worst_share = MAX (worst_share, share);
        worst_change = MAX (worst_change, mean_change);
        fails += share > 0.03 || mean_change >= 0.01;
        g_free (y0); g_free (y1); g_free (m); g_free (b0); g_free (b1);
        g_object_unref (out);
        g_object_unref (region);
        fixture_free (&f);
      }
  g_test_message ("worst: %.2f %% of the darkening on hair, %.3f %% mean change of hair pixels",
                  100 * worst_share, 100 * worst_change);
  g_assert_cmpint (fails, ==, 0);
}

/* c. The L* difference between visible scalp and hair shrinks by
 * scalp-tone × 100 % ± 10 points; beyond the feather and a dot's reach
 * nothing changes. */
static void
test_contrast (void)
{
  double tones[] = { 0.3, 0.6 };
  int    s, hh, t, fails = 0, outside_changed = 0;

  for (s = 0; s < 5; s++)
    for (hh = 0; hh < 3; hh++)
      {
        Fixture     f = fixture_new (skins[s], hairs[hh], 300 + s * 3 + hh, SIZE, SIZE);
        GeglBuffer *region = region_new (f.w, f.h, INSET, FEATHER);
        gfloat     *m = get_y (region, "Y float", f.w, f.h);
        gfloat     *l0 = lightness (f.photo, f.w, f.h);

        for (t = 0; t < 2; t++)
          {
            GeglBuffer *out = smp_test_render_op ("smp:thicken", f.photo, region,
                                                  "px-per-mm", PX_PER_MM, "seed", 6,
                                                  "scalp-tone", tones[t], NULL);
            gfloat     *l1 = lightness (out, f.w, f.h);
            double      sum[2][2] = { { 0 } }, n[2] = { 0, 0 }, before, after, reduction;
            gsize       i;
            int         x, y;

            for (i = 0; i < (gsize) f.w * f.h; i++)
              if (m[i] >= 1.0f)
                {
                  int hair = f.share[i] >= 0.5f;

                  sum[hair][0] += l0[i];
                  sum[hair][1] += l1[i];
                  n[hair] += 1;
                }
            before = sum[0][0] / n[0] - sum[1][0] / n[1];
            after = sum[0][1] / n[0] - sum[1][1] / n[1];
            reduction = 100.0 * (1.0 - after / before);
            g_test_message ("skin %s, %s hair, scalp-tone %.1f: scalp - hair L* %.1f -> %.1f, "
                            "contrast reduced by %.1f %% (want %.0f ± 10)",
                            skins[s], hair_names[hh], tones[t], before, after, reduction, 100 * tones[t]);
            fails += fabs (reduction - 100 * tones[t]) > 10;

            /* beyond the feather and a dot's reach (0.3 mm): the same bytes */
            for (y = 0; y < f.h; y++)
              for (x = 0; x < f.w; x++)
                {
                  int dx = MAX (MAX (INSET - x, x - (f.w - 1 - INSET)), 0);
                  int dy = MAX (MAX (INSET - y, y - (f.h - 1 - INSET)), 0);

                  if (hypot (dx, dy) > FEATHER + 3
                      && ! smp_test_identical (f.photo, out, GEGL_RECTANGLE (x, y, 1, 1), "R'G'B'A u8"))
                    outside_changed++;
                }
            g_free (l1);
            g_object_unref (out);
          }
        g_free (l0);
        g_free (m);
        g_object_unref (region);
        fixture_free (&f);
      }
  g_test_message ("pixels changed beyond the feather and a dot's reach: %d", outside_changed);
  g_assert_cmpint (outside_changed, ==, 0);
  g_assert_cmpint (fails, ==, 0);
}

/* Renders roi of @operation into memory (u8 for the photo, float for the
 * mask) with the current GEGL config. */
static guchar *
blit_at (const char          *operation,
         GeglBuffer          *photo,
         GeglBuffer          *region,
         const GeglRectangle *roi,
         const char          *format,
         double               px_per_mm)
{
  GeglNode *root, *op;
  gsize     size = (gsize) roi->width * roi->height * babl_format_get_bytes_per_pixel (babl_format (format));
  guchar   *pixels = g_malloc (size);
  va_list   none;

  op = smp_test_graph (&root, operation, photo, region, NULL, none);
  gegl_node_set (op, "px-per-mm", px_per_mm, NULL);
  if (! strcmp (operation, "smp:thicken"))
    gegl_node_set (op, "seed", 21, NULL);
  gegl_node_blit (op, 1.0, roi, babl_format (format), pixels, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_unref (root);
  return pixels;
}

static guchar *
blit (const char          *operation,
      GeglBuffer          *photo,
      GeglBuffer          *region,
      const GeglRectangle *roi,
      const char          *format)
{
  return blit_at (operation, photo, region, roi, format, PX_PER_MM);
}

/* d. Same output for any thread count, chunk size and sub-rectangle: the
 * colours are learnt from the region, never from the tile. */
static void
test_deterministic (void)
{
  const char   *ops[] = { "smp:thicken", "smp:scalp-mask" };
  const char   *formats[] = { "R'G'B'A u8", "Y float" };
  Fixture       f = fixture_new ("#8d5524", "#1c1917", 401, SIZE, SIZE);
  GeglBuffer   *region = region_new (f.w, f.h, INSET, FEATHER);
  GeglRectangle full = { 0, 0, SIZE, SIZE };
  GeglRectangle subs[] = { { 137, 91, 211, 173 }, { 5, 7, 40, 30 }, { 300, 420, 60, 60 } };
  int           k, j, y;

  for (k = 0; k < 2; k++)
    {
      int     bpp = babl_format_get_bytes_per_pixel (babl_format (formats[k]));
      guchar *ref, *other;

      g_object_set (gegl_config (), "threads", 1, "chunk-size", 1 << 20, NULL);
      ref = blit (ops[k], f.photo, region, &full, formats[k]);
      g_object_set (gegl_config (), "threads", 4, "chunk-size", 4096, NULL);
      other = blit (ops[k], f.photo, region, &full, formats[k]);
      g_assert_cmpint (memcmp (ref, other, (gsize) SIZE * SIZE * bpp), ==, 0);
      g_free (other);
      g_object_set (gegl_config (), "threads", 2, "chunk-size", 777, NULL);
      other = blit (ops[k], f.photo, region, &full, formats[k]);
      g_assert_cmpint (memcmp (ref, other, (gsize) SIZE * SIZE * bpp), ==, 0);
      g_free (other);
      for (j = 0; j < 3; j++)
        {
          guchar *part = blit (ops[k], f.photo, region, &subs[j], formats[k]);

          for (y = 0; y < subs[j].height; y++)
            g_assert_cmpint (memcmp (part + (gsize) y * subs[j].width * bpp,
                                     ref + ((gsize) (subs[j].y + y) * SIZE + subs[j].x) * bpp,
                                     (gsize) subs[j].width * bpp), ==, 0);
          g_free (part);
        }
      g_test_message ("%s: identical over 1, 4 and 2 threads, chunks of 1M, 4096 and 777 px, "
                      "and 3 sub-rectangles (one of 40×30 px in a corner)", ops[k]);
      g_free (ref);
    }
  g_object_unref (region);
  fixture_free (&f);
}

/* d. Zoomed-out previews against the full render: the change per 2 mm
 * cell, and the scalp mask per cell, on the fixture scaled up @up times
 * (10 px/mm × @up), at levels 1 to @deepest.  The colours are learnt at
 * the coarsest level that keeps 10 px/mm: at full resolution at 10 px/mm,
 * at level 1 (over half the width) at 20 px/mm, never finer. */
static void
preview_levels (int up,
                int deepest)
{
  const char *ops[] = { "smp:thicken", "smp:scalp-mask" };
  const int   cell = 20 * up;
  const double ppm = PX_PER_MM * up;
  Fixture     f = fixture_new ("#c68642", "#5e4330", 402, 640, 480);
  GeglBuffer *photo = smp_test_scaled_up (f.photo, up);
  GeglBuffer *region = region_new (f.w, f.h, INSET, FEATHER), *big = smp_test_scaled_up (region, up);
  int         w = f.w * up, h = f.h * up, k, level, full_width, width, at;
  gfloat     *y_in = get_y (photo, "Y float", w, h);

  g_object_set (gegl_config (), "mipmap-rendering", TRUE, "threads", 2, "chunk-size", 1 << 16, NULL);
  smp_test_measured_start ();
  for (k = 0; k < 2; k++)
    {
      gboolean mask = k == 1;
      gfloat  *full = (gfloat *) blit_at (ops[k], photo, big, GEGL_RECTANGLE (0, 0, w, h), "Y float",
                                          ppm);

      g_assert_cmpint (smp_test_measured_level (&full_width), ==, 0);
      for (level = 1; level <= deepest; level++)
        {
          int       s = 1 << level, lw = w / s, lh = h / s, ncx = w / cell, ncy = h / cell, n = ncx * ncy;
          gfloat   *low = g_new (gfloat, (gsize) lw * lh);
          double   *c_full = g_new0 (double, n), *c_low = g_new0 (double, n), ratio, corr;
          GeglNode *root, *op;
          va_list   none;
          int       x, y;

          op = smp_test_graph (&root, ops[k], photo, big, NULL, none);
          gegl_node_set (op, "px-per-mm", ppm, NULL);
          if (! mask)
            gegl_node_set (op, "seed", 21, NULL);
          smp_test_probe_before (op);
          gegl_node_blit (op, 1.0 / s, GEGL_RECTANGLE (0, 0, lw, lh), babl_format ("Y float"), low,
                          GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
          if (! mask)
            g_assert_cmpint (smp_test_probe_deepest_level (), ==, level);
          g_object_unref (root);
          /* per 2 mm cell: the change in linear Y (thicken), the mask's mean */
          for (y = 0; y < ncy * cell; y++)
            for (x = 0; x < ncx * cell; x++)
              c_full[(y / cell) * ncx + x / cell] += mask ? full[y * w + x]
                                                          : y_in[y * w + x] - full[y * w + x];
          for (y = 0; y < ncy * cell / s; y++)
            for (x = 0; x < ncx * cell / s; x++)
              {
                double in = 0;
                int    a, b;

                for (a = 0; a < s; a++)
                  for (b = 0; b < s; b++)
                    in += y_in[(y * s + a) * w + x * s + b];
                c_low[(y * s / cell) * ncx + x * s / cell] += mask ? low[y * lw + x] * s * s
                                                                   : in - low[y * lw + x] * s * s;
              }
          corr = smp_test_correlation (c_full, c_low, n, &ratio);
          at = smp_test_measured_level (&width);
          g_test_message ("%s at %.0f px/mm, level %d: colours learnt at level %d over %d px "
                          "across (full render: %d); per 2 mm cell correlation %.3f, total "
                          "%.1f %% of full size", ops[k], ppm, level, at, width, full_width, corr,
                          100 * ratio);
          g_assert_cmpint (at, ==, up == 1 ? 0 : 1);
          g_assert_cmpint (width, <=, up == 1 ? full_width : full_width / 2 + 1);
          g_assert_cmpfloat (corr, >=, 0.9);
          g_assert_cmpfloat (fabs (ratio - 1.0), <=, 0.1);
          g_free (low); g_free (c_full); g_free (c_low);
        }
      g_free (full);
    }
  smp_test_measured_stop ();
  g_free (y_in);
  g_object_unref (region);
  g_object_unref (big);
  g_object_unref (photo);
  fixture_free (&f);
}

static void
test_preview_levels (void)
{
  preview_levels (1, 2);
}

/* d2. At 20 px/mm a zoomed-out preview learns the colours at 10 px/mm. */
static void
test_preview_measure (void)
{
  preview_levels (2, 3);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/thicken/mask-iou", test_mask_iou);
  g_test_add_func ("/thicken/hair-untouched", test_hair_untouched);
  g_test_add_func ("/thicken/contrast", test_contrast);
  g_test_add_func ("/thicken/deterministic", test_deterministic);
  g_test_add_func ("/thicken/preview-levels", test_preview_levels);
  g_test_add_func ("/thicken/preview-measure", test_preview_measure);
  return g_test_run ();
}
