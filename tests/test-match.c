/* gimp-smp tests: match the client's own stubble (issue "The look at
 * viewing distance", d).
 *
 * A synthetic scalp: shaved stubble on the left half, bald skin on the
 * right, both over the same skin with its own fine texture, blurred a
 * little as a camera would.  The stubble varies in density (60-200/cm²),
 * size, darkness and form (round dots, or clipped hair shafts with their
 * paler continuation under the skin).  The bald half is read against the
 * stubble (smp_texture_measure, smp_match_look), treated with smp:stipple
 * at the matched values, and then measured as a viewer would see it:
 *  - its tone at a distance (Y over its own bare Y) within 0.03 of the
 *    stubble's (Y over the bare skin under it);
 *  - its grain (standard deviation of Y band-passed 0.2-1 mm) within 30 %
 *    of the stubble's.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "smp-test-util.h"
#include "smp-texture.h"

#define SKIN        "#d9a47e"
#define PIGMENT     "#3d3e42"
#define PHOTO_BLUR  0.6

typedef enum { ROUND, SHAFTS } Form;

typedef struct
{
  Form   form;
  double density;      /* per cm² */
  double size_mm;      /* round: diameter; shafts: width */
  double darkness;     /* share of light a dot or shaft takes */
  double px_per_mm;
} Stubble;

/* The skin, linear RGBA float: a flat colour with its own fine texture. */
static gfloat *
make_skin (int w, int h, guint32 seed)
{
  GeglColor *c = gegl_color_new (SKIN);
  gfloat     rgb[3], *px = g_new (gfloat, (gsize) w * h * 4);
  GRand     *rand = g_rand_new_with_seed (seed);
  int        i;

  gegl_color_get_pixel (c, babl_format ("RGB float"), rgb);
  for (i = 0; i < w * h; i++)
    {
      double t = 1.0 + 0.02 * (g_rand_double (rand) + g_rand_double (rand) - 1.0);

      px[4 * i] = (gfloat) (rgb[0] * t);
      px[4 * i + 1] = (gfloat) (rgb[1] * t);
      px[4 * i + 2] = (gfloat) (rgb[2] * t);
      px[4 * i + 3] = 1.0f;
    }
  g_rand_free (rand);
  g_object_unref (c);
  return px;
}

/* Adds a capsule from (x0, y0) to (x1, y1) mm, @width_mm wide, taking
 * @darkness of the light, to the absorption map @a (w×h) by 4×4
 * supersampling. */
static void
draw_capsule (gfloat *a, int w, int h, double px_per_mm,
              double x0, double y0, double x1, double y1,
              double width_mm, double darkness)
{
  double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy, r = 0.5 * width_mm;
  int    i0 = (int) floor ((fmin (x0, x1) - r) * px_per_mm), i1 = (int) ceil ((fmax (x0, x1) + r) * px_per_mm);
  int    j0 = (int) floor ((fmin (y0, y1) - r) * px_per_mm), j1 = (int) ceil ((fmax (y0, y1) + r) * px_per_mm);
  int    i, j, s, t;

  for (j = MAX (j0, 0); j < MIN (j1, h); j++)
    for (i = MAX (i0, 0); i < MIN (i1, w); i++)
      {
        int in = 0;

        for (t = 0; t < 4; t++)
          for (s = 0; s < 4; s++)
            {
              double px = (i + (s + 0.5) / 4) / px_per_mm, py = (j + (t + 0.5) / 4) / px_per_mm;
              double u = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0.0, qx, qy;

              u = fmin (fmax (u, 0.0), 1.0);
              qx = x0 + u * dx - px;
              qy = y0 + u * dy - py;
              in += qx * qx + qy * qy <= r * r;
            }
        if (in)
          a[(gsize) j * w + i] = 1.0f - (1.0f - a[(gsize) j * w + i]) * (float) (1.0 - darkness * in / 16.0);
      }
}

/* Blurs a w×h float map by a Gaussian of @sigma px: the camera. */
static void
blur_map (gfloat *map, int w, int h, double sigma)
{
  GeglBuffer *b = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  GeglNode   *root = gegl_node_new (), *src, *blur, *sink;
  GeglBuffer *out = NULL;

  gegl_buffer_set (b, NULL, 0, babl_format ("Y float"), map, GEGL_AUTO_ROWSTRIDE);
  src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", b, NULL);
  blur = gegl_node_new_child (root, "operation", "gegl:gaussian-blur", "std-dev-x", sigma,
                              "std-dev-y", sigma, "abyss-policy", 2, NULL);
  sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &out, NULL);
  gegl_node_link_many (src, blur, sink, NULL);
  gegl_node_process (sink);
  gegl_buffer_get (out, GEGL_RECTANGLE (0, 0, w, h), 1.0, babl_format ("Y float"), map,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  g_object_unref (out);
  g_object_unref (root);
  g_object_unref (b);
}

/* The stubble's absorption over the left half (x < w/2). */
static gfloat *
make_stubble (const Stubble *st, int w, int h, guint32 seed)
{
  gfloat *a = g_new0 (gfloat, (gsize) w * h);
  GRand  *rand = g_rand_new_with_seed (seed);
  double  wmm = w / 2 / st->px_per_mm, hmm = h / st->px_per_mm;
  int     n = (int) (st->density / 100.0 * wmm * hmm), k;

  if (st->form == ROUND)
    {
      /* jittered placement, as follicles are quasi-regular */
      double cell = sqrt (100.0 / st->density);
      double x, y;

      for (y = 0; y < hmm; y += cell)
        for (x = 0; x < wmm; x += cell)
          {
            double cx = x + g_rand_double (rand) * cell, cy = y + g_rand_double (rand) * cell;
            double d = st->size_mm * (0.8 + 0.4 * g_rand_double (rand));

            draw_capsule (a, w, h, st->px_per_mm, cx, cy, cx, cy, d,
                          st->darkness * (0.85 + 0.3 * g_rand_double (rand)));
          }
    }
  else
    for (k = 0; k < n; k++)
      {
        double cx = g_rand_double (rand) * wmm, cy = g_rand_double (rand) * hmm;
        double angle = G_PI / 6 + (g_rand_double (rand) - 0.5) * G_PI / 4;
        double len = 0.3 + 0.6 * g_rand_double (rand);
        double ex = cx + len * cos (angle), ey = cy + len * sin (angle);

        /* the shaft's paler continuation under the skin, then the shaft */
        draw_capsule (a, w, h, st->px_per_mm, cx - 0.4 * cos (angle), cy - 0.4 * sin (angle),
                      cx, cy, 1.5 * st->size_mm, 0.3 * st->darkness);
        draw_capsule (a, w, h, st->px_per_mm, cx, cy, ex, ey, st->size_mm,
                      st->darkness * (0.85 + 0.3 * g_rand_double (rand)));
      }
  for (k = 0; k < w * h; k++)
    if (k % w >= w / 2)
      a[k] = 0.0f;
  blur_map (a, w, h, PHOTO_BLUR);
  g_rand_free (rand);
  return a;
}

static gfloat *
luminance (GeglBuffer *b, const GeglRectangle *r)
{
  gfloat *y = g_new (gfloat, (gsize) r->width * r->height);

  gegl_buffer_get (b, r, 1.0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  return y;
}

/* Writes @buffer to @path as a 16-bit PNG. */
static void
save_png (GeglBuffer *buffer, const char *path)
{
  GeglNode *root = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  GeglNode *save = gegl_node_new_child (root, "operation", "gegl:png-save", "path", path,
                                        "bitdepth", 16, NULL);

  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (root);
}

/* Runs the smp-match command on the scene and sets what it prints on
 * @op: the way a user of the command line matches. */
static void
match_with_command (GeglBuffer *photo, GeglBuffer *stubble, GeglBuffer *area,
                    double px_per_mm, GeglNode *op)
{
  gchar  *dir = g_dir_make_tmp ("smp-match-XXXXXX", NULL);
  gchar  *paths[3], *out = NULL, *err = NULL, **words, *scale = g_strdup_printf ("%g", px_per_mm);
  GeglBuffer *buffers[3] = { photo, stubble, area };
  const char *names[3] = { "photo.png", "stubble.png", "area.png" };
  gint    status = -1, k;

  for (k = 0; k < 3; k++)
    {
      paths[k] = g_build_filename (dir, names[k], NULL);
      save_png (buffers[k], paths[k]);
    }
  {
    const gchar *argv[] = { g_getenv ("SMP_MATCH_TOOL"), paths[0], paths[1], paths[2],
                            "--px-per-mm", scale, NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, 0, NULL, NULL, &out, &err,
                                 &status, NULL));
  }
  g_test_message ("smp-match: %s%s", err, out);
  g_assert_cmpint (status, ==, 0);
  words = g_strsplit_set (g_strstrip (out), " ", -1);
  for (k = 0; words[k]; k++)
    {
      gchar **kv = g_strsplit (words[k], "=", 2);

      g_assert_nonnull (kv[1]);
      if (! strcmp (kv[0], "look"))
        gegl_node_set (op, "look", 0, NULL);
      else
        gegl_node_set (op, kv[0], g_ascii_strtod (kv[1], NULL), NULL);
      g_strfreev (kv);
    }
  for (k = 0; k < 3; k++)
    {
      g_unlink (paths[k]);
      g_free (paths[k]);
    }
  g_rmdir (dir);
  g_strfreev (words);
  g_free (dir);
  g_free (scale);
  g_free (out);
  g_free (err);
}

static void
check_case (const Stubble *st, guint32 seed, gboolean command)
{
  const double px = st->px_per_mm;
  const int    w = (int) (100 * px), h = (int) (50 * px);
  GeglRectangle all = { 0, 0, w, h };
  gfloat      *skin = make_skin (w, h, seed), *photo = g_memdup2 (skin, sizeof (gfloat) * w * h * 4);
  gfloat      *a = make_stubble (st, w, h, seed + 1);
  gfloat      *left = g_new (gfloat, (gsize) w * h), *right = g_new (gfloat, (gsize) w * h);
  gfloat      *y_skin, *y_photo, *y_after;
  GeglBuffer  *skin_buf = gegl_buffer_new (&all, babl_format ("RGBA float"));
  GeglBuffer  *photo_buf = gegl_buffer_new (&all, babl_format ("RGBA float"));
  GeglBuffer  *mask = gegl_buffer_new (&all, babl_format ("Y float")), *after;
  GeglColor   *pigment = gegl_color_new (PIGMENT);
  SmpTexture   stubble, bare, bare_skin, treated, stubble_skin;
  SmpMatchTarget target;
  SmpLookInk   look;
  gfloat       pigment_y;
  double       shade, stubble_tone, treated_tone;
  int          i;

  for (i = 0; i < w * h; i++)
    {
      int c;

      for (c = 0; c < 3; c++)
        photo[4 * i + c] *= 1.0f - a[i];
      left[i] = (i % w) < w / 2 ? 1.0f : 0.0f;
      right[i] = 1.0f - left[i];
    }
  gegl_buffer_set (skin_buf, NULL, 0, babl_format ("RGBA float"), skin, GEGL_AUTO_ROWSTRIDE);
  gegl_buffer_set (photo_buf, NULL, 0, babl_format ("RGBA float"), photo, GEGL_AUTO_ROWSTRIDE);
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), right, GEGL_AUTO_ROWSTRIDE);

  /* what the plug-in and smp-match read: the photo alone */
  y_photo = luminance (photo_buf, &all);
  smp_texture_measure (y_photo, left, w, h, px, &stubble);
  smp_texture_measure (y_photo, right, w, h, px, &bare);
  smp_match_target (&stubble, &bare, &target);

  gegl_color_get_pixel (pigment, babl_format ("Y float"), &pigment_y);
  smp_look_ink_init (&look, SMP_LOOK_ID_SHAVED_HEALED, pigment_y);

  {
    GeglNode *root, *op, *sink;
    va_list   none;

    op = smp_test_graph (&root, "smp:stipple", photo_buf, mask, NULL, none);
    gegl_node_set (op, "px-per-mm", px, "seed", seed, NULL);
    if (command)
      {
        GeglBuffer *stubble_mask = gegl_buffer_new (&all, babl_format ("Y float"));

        gegl_buffer_set (stubble_mask, NULL, 0, babl_format ("Y float"), left, GEGL_AUTO_ROWSTRIDE);
        match_with_command (photo_buf, stubble_mask, mask, px, op);
        g_object_unref (stubble_mask);
        gegl_node_get (op, "density", &look.layout.density_per_cm2, "shade", &shade, NULL);
      }
    else
      {
        smp_match_look (&look, &target, px, PHOTO_BLUR, &shade);
        gegl_node_set (op, "look", 0, "density", look.layout.density_per_cm2, "shade", shade,
                       "dot-diameter", look.layout.dot_diameter_mm,
                       "darkness", look.darkness, "softness", look.softness_mm,
                       "halo", look.halo_mm, "photo-blur", PHOTO_BLUR, "pigment", pigment, NULL);
      }
    after = NULL;
    sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &after, NULL);
    gegl_node_link (op, sink);
    gegl_node_process (sink);
    g_object_unref (root);
  }

  /* as a viewer sees it: each half against its own bare skin */
  y_skin = luminance (skin_buf, &all);
  y_after = luminance (after, &all);
  smp_texture_measure (y_skin, left, w, h, px, &stubble_skin);
  smp_texture_measure (y_skin, right, w, h, px, &bare_skin);
  smp_texture_measure (y_after, right, w, h, px, &treated);
  stubble_tone = stubble.mean_y / stubble_skin.mean_y;
  treated_tone = treated.mean_y / bare_skin.mean_y;
  g_test_message ("%s %.0f/cm², %.2f mm, darkness %.2f, %.0f px/mm: stubble tone %.3f grain %.4f; "
                  "matched %.0f/cm² shade %.3f: tone %.3f grain %.4f",
                  st->form == ROUND ? "round" : "shafts", st->density, st->size_mm, st->darkness,
                  px, stubble_tone, stubble.grain, look.layout.density_per_cm2, shade,
                  treated_tone, treated.grain);
  g_assert_cmpfloat (fabs (treated_tone - stubble_tone), <=, 0.03);
  g_assert_cmpfloat (fabs (treated.grain / stubble.grain - 1.0), <=, 0.30);

  g_free (y_skin);
  g_free (y_photo);
  g_free (y_after);
  g_free (skin);
  g_free (photo);
  g_free (a);
  g_free (left);
  g_free (right);
  g_object_unref (pigment);
  g_object_unref (after);
  g_object_unref (mask);
  g_object_unref (photo_buf);
  g_object_unref (skin_buf);
}

static void
test_round (void)
{
  const Stubble cases[] = {
    { ROUND, 60.0, 0.15, 0.7, 5.0 },
    { ROUND, 100.0, 0.10, 0.6, 5.0 },
    { ROUND, 150.0, 0.20, 0.8, 5.0 },
    { ROUND, 200.0, 0.12, 0.9, 5.0 },
    { ROUND, 100.0, 0.15, 0.7, 10.0 },
  };
  guint k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    check_case (&cases[k], 100 + k, FALSE);
}

static void
test_shafts (void)
{
  const Stubble cases[] = {
    { SHAFTS, 60.0, 0.07, 0.8, 5.0 },
    { SHAFTS, 100.0, 0.07, 0.7, 5.0 },
    { SHAFTS, 150.0, 0.07, 0.9, 5.0 },
    { SHAFTS, 200.0, 0.07, 0.6, 5.0 },
    { SHAFTS, 150.0, 0.07, 0.8, 10.0 },
  };
  guint k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    check_case (&cases[k], 200 + k, FALSE);
}

/* The command line: smp-match on the scene's photo and masks as PNG
 * files, its printed properties given to smp:stipple. */
static void
test_command_line (void)
{
  const Stubble st = { SHAFTS, 150.0, 0.07, 0.8, 5.0 };

  check_case (&st, 300, TRUE);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/match/round", test_round);
  g_test_add_func ("/match/shafts", test_shafts);
  g_test_add_func ("/match/command-line", test_command_line);
  return g_test_run ();
}
