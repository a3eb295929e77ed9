/* gimp-smp tests: the look at viewing distance (issue "The look at viewing
 * distance", a, b, c, f).
 *
 * Tone at a distance: the treated area's mean linear luminance Y over the
 * input's (smp_test_tone).  Concentration: the share of the lost light the
 * 10 % most darkened pixels carry (smp_test_concentration): a tint or a
 * "helmet" gives 0.10, separate dots much more.
 */
#include <math.h>
#include <string.h>

#include "smp-test-util.h"

static const char *skins[] = { "#f1c9a5", "#c68642", "#5c3a21" };

/* The default look over a @mm × @mm square of flat @skin at @px_per_mm. */
static double
default_tone (const char *skin_hex,
              double      px_per_mm,
              double      mm,
              guint       seed)
{
  int         n = (int) (mm * px_per_mm);
  GeglBuffer *skin = smp_test_flat (skin_hex, n, n, "R'G'B'A float");
  GeglBuffer *out = smp_test_render (skin, NULL, "look", 1, "px-per-mm", px_per_mm,
                                     "seed", seed, NULL);
  double      tone = smp_test_tone (skin, out, GEGL_RECTANGLE (0, 0, n, n));

  g_object_unref (out);
  g_object_unref (skin);
  return tone;
}

/* a. The default look keeps 0.82-0.92 of the skin's light at portrait
 * scale, on light, medium and dark skin, and the same within 0.02 at
 * 10 and 20 px/mm and at preview levels 1 and 2. */
static void
test_tone (void)
{
  guint k;

  for (k = 0; k < G_N_ELEMENTS (skins); k++)
    {
      double at5 = default_tone (skins[k], 5.0, 100.0, 31);
      double at10 = default_tone (skins[k], 10.0, 60.0, 31);
      double at20 = default_tone (skins[k], 20.0, 40.0, 31);

      g_test_message ("%s: Y ratio %.4f at 5 px/mm, %.4f at 10, %.4f at 20",
                      skins[k], at5, at10, at20);
      g_assert_cmpfloat (at5, >=, 0.82);
      g_assert_cmpfloat (at5, <=, 0.92);
      g_assert_cmpfloat (fabs (at10 - at5), <=, 0.02);
      g_assert_cmpfloat (fabs (at20 - at5), <=, 0.02);
    }
}

static void
test_tone_preview (void)
{
  const int   n = 800;        /* 80 mm at 10 px/mm */
  GeglBuffer *skin = smp_test_flat (skins[1], n, n, "RGBA float");
  GeglNode   *root, *op;
  GeglBuffer *full;
  double      tone_full;
  va_list     none;
  int         level;

  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  op = smp_test_graph (&root, "smp:stipple", skin, NULL, NULL, none);
  gegl_node_set (op, "look", 1, "px-per-mm", 10.0, "seed", 8, NULL);
  full = gegl_buffer_new (GEGL_RECTANGLE (0, 0, n, n), babl_format ("RGBA float"));
  gegl_node_blit_buffer (op, full, NULL, 0, GEGL_ABYSS_NONE);
  tone_full = smp_test_tone (skin, full, GEGL_RECTANGLE (0, 0, n, n));
  g_object_unref (root);

  for (level = 1; level <= 2; level++)
    {
      int         m = n >> level;
      gfloat     *y = g_new (gfloat, (gsize) m * m), y_skin;
      GeglColor  *c = gegl_color_new (skins[1]);
      double      sum = 0.0, tone;
      int         i;

      /* a fresh graph, so no cached full render can answer */
      op = smp_test_graph (&root, "smp:stipple", skin, NULL, NULL, none);
      gegl_node_set (op, "look", 1, "px-per-mm", 10.0, "seed", 8, NULL);
      gegl_node_blit (op, 1.0 / (1 << level), GEGL_RECTANGLE (0, 0, m, m),
                      babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      gegl_color_get_pixel (c, babl_format ("Y float"), &y_skin);
      for (i = 0; i < m * m; i++)
        sum += y[i];
      tone = sum / ((double) m * m) / y_skin;
      g_test_message ("level %d: Y ratio %.4f (full render %.4f)", level, tone, tone_full);
      g_assert_cmpfloat (fabs (tone - tone_full), <=, 0.02);
      g_object_unref (c);
      g_free (y);
      g_object_unref (root);
    }
  g_object_unref (full);
  g_object_unref (skin);
}

/* b. Still dots up close: at 20 px/mm the default look's concentration is
 * 0.35 or more; at 50 px/mm its cores keep the look's size (within 20 %).
 * The layout, with its density and spacing, is the one the stipple and
 * layout tests measure: a look only chooses its density. */
static void
test_dots_up_close (void)
{
  const int   n = 800;        /* 40 mm at 20 px/mm */
  GeglBuffer *skin = smp_test_flat (skins[0], n, n, "R'G'B'A float");
  GeglBuffer *out = smp_test_render (skin, NULL, "look", 1, "px-per-mm", 20.0, "seed", 9, NULL);
  double      conc = smp_test_concentration (skin, out, GEGL_RECTANGLE (0, 0, n, n));

  g_test_message ("concentration at 20 px/mm: %.3f", conc);
  g_assert_cmpfloat (conc, >=, 0.35);
  g_object_unref (out);
  g_object_unref (skin);
}

/* The core: where a dot's darkening passes halfway from its peak down to
 * the halo around it (the mean one core diameter from its centre).  The
 * halo changes slowly across a core; the core's edge is a step. */
static void
test_core_size (void)
{
  const double px = 50.0, core_mm = 0.15;
  const int    n = 1500;       /* 30 mm */
  GeglBuffer  *skin = smp_test_flat (skins[0], n, n, "R'G'B'A float");
  GeglBuffer  *out = smp_test_render (skin, NULL, "look", 1, "px-per-mm", px, "seed", 21, NULL);
  gfloat      *d = smp_test_darkening (skin, out);
  GArray      *blobs = smp_test_blobs (d, n, n, 0.45, 1.0);
  double       sum = 0.0;
  int          counted = 0, margin = (int) (1.0 * px);
  guint        i;

  for (i = 0; i < blobs->len; i++)
    {
      SmpBlob *b = &g_array_index (blobs, SmpBlob, i);
      int      cx = (int) b->x, cy = (int) b->y, x, y, ring = 0, inside = 0;
      double   peak = 0.0, near = 0.0, far = 0.0, r_ring = core_mm * px, halo, half;
      int      far_ring = 0;

      if (cx < margin || cy < margin || cx >= n - margin || cy >= n - margin)
        continue;
      for (y = cy - 3; y <= cy + 3; y++)
        for (x = cx - 3; x <= cx + 3; x++)
          peak = fmax (peak, d[y * n + x]);
      /* the halo on two rings past the core's blurred edge (2.5 and 3.5
       * core radii), extrapolated in to the core's edge */
      for (y = cy - 2 * (int) r_ring; y <= cy + 2 * (int) r_ring; y++)
        for (x = cx - 2 * (int) r_ring; x <= cx + 2 * (int) r_ring; x++)
          {
            double r = hypot (x + 0.5 - b->x, y + 0.5 - b->y) / (0.5 * r_ring);

            if (fabs (r - 2.5) < 0.15)
              {
                near += d[y * n + x];
                ring++;
              }
            else if (fabs (r - 3.5) < 0.15)
              {
                far += d[y * n + x];
                far_ring++;
              }
          }
      near /= MAX (ring, 1);
      far /= MAX (far_ring, 1);
      halo = near + 1.5 * (near - far);
      half = 0.5 * (peak + halo);
      for (y = cy - (int) r_ring; y <= cy + (int) r_ring; y++)
        for (x = cx - (int) r_ring; x <= cx + (int) r_ring; x++)
          if (d[y * n + x] > half && hypot (x + 0.5 - b->x, y + 0.5 - b->y) < r_ring)
            inside++;
      /* a group's dots touching each other are one blob: skip them */
      if (b->area > 4.0 * M_PI * pow (0.5 * core_mm * px, 2) * 3.0)
        continue;
      sum += 2.0 * sqrt (inside / M_PI) / px;
      counted++;
    }
  g_test_message ("%d cores: mean diameter %.4f mm (look %.2f)",
                  counted, sum / counted, core_mm);
  g_assert_cmpint (counted, >, 100);
  g_assert_cmpfloat (fabs (sum / counted / core_mm - 1.0), <=, 0.20);
  g_array_unref (blobs);
  g_free (d);
  g_object_unref (out);
  g_object_unref (skin);
}

/* c. The shade asked for is the shade seen: 1 - shade within 0.02, from
 * 0.03 to 0.30, at 60, 90 and 150 dots/cm². */
static void
test_shade (void)
{
  const double shades[] = { 0.03, 0.08, 0.12, 0.20, 0.30 }, densities[] = { 60.0, 90.0, 150.0 };
  const int    n = 400;      /* 80 mm at 5 px/mm */
  GeglBuffer  *skin = smp_test_flat (skins[1], n, n, "R'G'B'A float");
  guint        i, j;

  for (j = 0; j < G_N_ELEMENTS (densities); j++)
    for (i = 0; i < G_N_ELEMENTS (shades); i++)
      {
        GeglBuffer *out = smp_test_render (skin, NULL, "look", 0, "shade", shades[i],
                                           "density", densities[j], "px-per-mm", 5.0,
                                           "seed", 40 + i, NULL);
        double      tone = smp_test_tone (skin, out, GEGL_RECTANGLE (0, 0, n, n));

        g_test_message ("%.0f/cm², shade %.2f: Y ratio %.4f (asked %.4f)",
                        densities[j], shades[i], tone, 1.0 - shades[i]);
        g_assert_cmpfloat (fabs (tone - (1.0 - shades[i])), <=, 0.02);
        g_object_unref (out);
      }
  g_object_unref (skin);
}

/* Every look's tone at a distance, for the README's table, and the bands
 * smp-reference.md gives: shaved healed 0.82-0.92, 1 guard 0.70-0.82,
 * dusty 0.92-0.97.  Up close each is still dots: a concentration of 0.35
 * or more, but 0.25 for the 1 guard, whose darker tone needs halos that
 * touch (still two and a half times a tint's 0.10). */
static void
test_looks (void)
{
  const double lo[] = { 0.0, 0.82, 0.70, 0.92, 0.0 }, hi[] = { 1.0, 0.92, 0.82, 0.97, 1.0 };
  const double min_conc[] = { 0.0, 0.35, 0.25, 0.35, 0.35 };
  const char  *names[] = { "custom", "shaved-healed", "shaved-1-guard", "dusty", "defined" };
  const int    n = 400;
  GeglBuffer  *skin = smp_test_flat (skins[0], n, n, "R'G'B'A float");
  GeglBuffer  *fine = smp_test_flat (skins[0], 800, 800, "R'G'B'A float");
  int          look;

  for (look = 1; look <= 4; look++)
    {
      GeglBuffer *out = smp_test_render (skin, NULL, "look", look, "px-per-mm", 5.0,
                                         "seed", 60, NULL);
      GeglBuffer *close = smp_test_render (fine, NULL, "look", look, "px-per-mm", 20.0,
                                           "seed", 60, NULL);
      double      tone = smp_test_tone (skin, out, GEGL_RECTANGLE (0, 0, n, n));
      double      conc = smp_test_concentration (fine, close, GEGL_RECTANGLE (0, 0, 800, 800));

      g_test_message ("look %s: Y ratio %.3f at 5 px/mm, concentration %.2f at 20 px/mm",
                      names[look], tone, conc);
      g_assert_cmpfloat (tone, >=, lo[look]);
      g_assert_cmpfloat (tone, <=, hi[look]);
      g_assert_cmpfloat (conc, >=, min_conc[look]);
      g_object_unref (out);
      g_object_unref (close);
    }
  g_object_unref (fine);
  g_object_unref (skin);
}

/* f. The default soft hairline shows at portrait scale: 7 mm or more
 * ahead of the mask's edge the skin keeps 0.99 of its light, 14 mm or more
 * behind it the look's tone, a step of 0.07 or more. */
static void
test_hairline (void)
{
  const double px = 5.0;
  const int    w = 600, h = 400, edge = 300;       /* 120 × 80 mm */
  GeglBuffer  *skin = smp_test_flat (skins[0], w, h, "R'G'B'A float");
  GeglBuffer  *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  gfloat      *m = g_new (gfloat, (gsize) w * h);
  GeglBuffer  *out;
  double       ahead, behind;
  int          i;

  for (i = 0; i < w * h; i++)
    m[i] = (i % w) >= edge ? 1.0f : 0.0f;
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  out = smp_test_render_op ("smp:hairline", skin, mask, "look", 1, "px-per-mm", px,
                            "seed", 70, NULL);
  ahead = smp_test_tone (skin, out, GEGL_RECTANGLE (0, 0, edge - (int) (7 * px), h));
  behind = smp_test_tone (skin, out, GEGL_RECTANGLE (edge + (int) (14 * px), 0,
                                                     w - edge - (int) (14 * px), h));
  g_test_message ("hairline: Y ratio %.4f ahead, %.4f behind, step %.4f",
                  ahead, behind, ahead - behind);
  g_assert_cmpfloat (ahead, >=, 0.99);
  g_assert_cmpfloat (behind, >=, 0.82);
  g_assert_cmpfloat (behind, <=, 0.92);
  g_assert_cmpfloat (ahead - behind, >=, 0.07);
  g_free (m);
  g_object_unref (out);
  g_object_unref (mask);
  g_object_unref (skin);
}

/* Sessions (issue "Before/after imagery", a): after sessions 1, 2 and 3
 * of 3, 45, 75 and 100 % of the look's density (within 5 %), every dot of
 * a session still there after the next, and session 1 lighter at a
 * distance: its shade 0.45 × 0.70 = 0.315 of the last's (within 0.03). */
static void
test_sessions (void)
{
  const double px = 20.0, expected[] = { 0.45, 0.75, 1.00 };
  const int    n = 1200;       /* 60 mm */
  GeglBuffer  *skin = smp_test_flat (skins[0], n, n, "R'G'B'A float");
  GArray      *blobs[3];
  double       tone[3];
  int          k;

  for (k = 0; k < 3; k++)
    {
      /* crisp cores, one dot a blob, to count them */
      GeglBuffer *out = smp_test_render (skin, NULL, "px-per-mm", px, "density", 90.0,
                                         "clustering", 0.0, "sessions", 3, "session", k + 1,
                                         "seed", 17, NULL);
      GeglBuffer *look = smp_test_render (skin, NULL, "look", 1, "px-per-mm", 5.0,
                                          "sessions", 3, "session", k + 1, "seed", 17, NULL);
      gfloat     *d = smp_test_darkening (skin, out);
      double      density;

      blobs[k] = smp_test_blobs (d, n, n, 0.03, 1.0);
      density = blobs[k]->len / pow (n / px / 10.0, 2);
      tone[k] = smp_test_tone (skin, look, GEGL_RECTANGLE (0, 0, n / 4, n / 4));
      g_test_message ("after session %d of 3: %.1f dots/cm² (%.0f %% of 90), Y ratio %.4f "
                      "with the default look", k + 1, density, 100.0 * density / 90.0, tone[k]);
      g_assert_cmpfloat (fabs (density / (90.0 * expected[k]) - 1.0), <=, 0.05);
      g_free (d);
      g_object_unref (out);
      g_object_unref (look);
    }
  /* nested: each dot of a session is a dot of the next */
  for (k = 0; k < 2; k++)
    {
      guint i, j, kept = 0;

      for (i = 0; i < blobs[k]->len; i++)
        {
          SmpBlob *a = &g_array_index (blobs[k], SmpBlob, i);

          for (j = 0; j < blobs[k + 1]->len; j++)
            {
              SmpBlob *b = &g_array_index (blobs[k + 1], SmpBlob, j);

              if (fabs (a->x - b->x) < 0.5 && fabs (a->y - b->y) < 0.5)
                {
                  kept++;
                  break;
                }
            }
        }
      g_test_message ("session %d's %u dots: %u still there after session %d",
                      k + 1, blobs[k]->len, kept, k + 2);
      g_assert_cmpuint (kept, ==, blobs[k]->len);
    }
  g_test_message ("session 1's shade is %.3f of session 3's", (1.0 - tone[0]) / (1.0 - tone[2]));
  g_assert_cmpfloat (fabs ((1.0 - tone[0]) / (1.0 - tone[2]) - 0.315), <=, 0.03);
  for (k = 0; k < 3; k++)
    g_array_unref (blobs[k]);
  g_object_unref (skin);
}

/* CIELAB a* of the linear RGB @rgb (sRGB primaries, D65). */
static double
lab_a (const gfloat rgb[3])
{
  double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
  double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  double fx = x > 0.008856 ? cbrt (x) : 7.787 * x + 16.0 / 116;
  double fy = y > 0.008856 ? cbrt (y) : 7.787 * y + 16.0 / 116;

  return 500.0 * (fx - fy);
}

/* Stages (issue "Before/after imagery", b): fresh is darker at a distance
 * than healed (its pigment's shade 1.35 times; with its redness, which
 * takes green and blue, 1.3-1.6 times in luminance) with a red shift (a*
 * 1 or more above healed's) where the dots darken the skin; faded is
 * lighter (its shade 0.65 times, within 0.15). */
static void
test_stages (void)
{
  const double px = 20.0;
  const int    n = 800;
  GeglBuffer  *skin = smp_test_flat (skins[0], n, n, "RGBA float");
  double       shade[3], near_a[3];
  int          stage;

  for (stage = 0; stage < 3; stage++)
    {
      GeglBuffer *out = smp_test_render (skin, NULL, "look", 1, "stage", stage, "px-per-mm", px,
                                         "photo-blur", 0.6, "seed", 23, NULL);
      gfloat     *d = smp_test_darkening (skin, out);
      gfloat     *rgba = g_new (gfloat, (gsize) n * n * 4);
      double      sum_a = 0.0;
      long        count = 0;
      int         i;

      shade[stage] = 1.0 - smp_test_tone (skin, out, GEGL_RECTANGLE (0, 0, n, n));
      gegl_buffer_get (out, NULL, 1.0, babl_format ("RGBA float"), rgba, GEGL_AUTO_ROWSTRIDE,
                       GEGL_ABYSS_NONE);
      /* the skin a dot changed, within its halo (under 0.5 mm of it) */
      for (i = 0; i < n * n; i++)
        if (d[i] > 0.02f)
          {
            sum_a += lab_a (rgba + 4 * i);
            count++;
          }
      near_a[stage] = sum_a / MAX (count, 1);
      g_test_message ("stage %d: shade %.4f, mean a* %.2f near the dots (%ld px)",
                      stage, shade[stage], near_a[stage], count);
      g_free (rgba);
      g_free (d);
      g_object_unref (out);
    }
  g_assert_cmpfloat (shade[1] / shade[0], >=, 1.3);
  g_assert_cmpfloat (shade[1] / shade[0], <=, 1.6);
  g_assert_cmpfloat (near_a[1], >, near_a[0] + 1.0);
  g_assert_cmpfloat (fabs (shade[2] / shade[0] - 0.65), <=, 0.15);
  g_object_unref (skin);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/look/tone", test_tone);
  g_test_add_func ("/look/tone-preview", test_tone_preview);
  g_test_add_func ("/look/dots-up-close", test_dots_up_close);
  g_test_add_func ("/look/core-size", test_core_size);
  g_test_add_func ("/look/shade", test_shade);
  g_test_add_func ("/look/looks", test_looks);
  g_test_add_func ("/look/hairline", test_hairline);
  g_test_add_func ("/look/sessions", test_sessions);
  g_test_add_func ("/look/stages", test_stages);
  return g_test_run ();
}
