/* smp-batch-bench: the GEGL side of the batch benchmark (batch-bench.sh).
 *
 *   smp-batch-bench make DIR N WIDTH HEIGHT SEED
 *   smp-batch-bench bare DIR SETTINGS OUT_DIR
 *
 * make: N synthetic photos of a head, DIR/photo-NN.jpg, each with its
 * mask DIR/photo-NN-mask.png (the crown, feathered), from SEED: a skin
 * tone, the light falling off over the dome, a slow mottle, grain and
 * follicle specks, a background around the head.  The same SEED gives the
 * same files.
 *
 * bare: what the batch does to each photo of DIR, without GIMP, with the
 * batch's own code (plugin/smp-batch.c, smp-plugin.c): the photo and its
 * mask read by GEGL, Density rendered with the values of SETTINGS as the
 * batch renders it (smp_plugin_render), laid over the photo and written to
 * OUT_DIR/NAME-smp.png with its metadata.  One line per photo:
 *   bare [K/N] NAME load-s L op-s O write-s W peak-kib P
 * (op: the op alone; peak: this process's peak memory during the photo),
 * then "bare total load-s L op-s O write-s W".  It measures; it asserts
 * nothing about time.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gegl.h>

#include "smp-batch.h"

/* A number in [0, 1) from a pixel and a seed, the same whatever the
 * order the pixels are made in. */
static gdouble
bench_hash (guint32 x,
            guint32 y,
            guint32 seed)
{
  guint32 h = x * 0x9e3779b1u ^ (y + 0x7f4a7c15u) * 0x85ebca6bu ^ seed * 0xc2b2ae35u;

  h ^= h >> 16;
  h *= 0x7feb352du;
  h ^= h >> 15;
  h *= 0x846ca68bu;
  h ^= h >> 16;
  return h / 4294967296.0;
}

/* One photo's look, drawn from its seed. */
typedef struct
{
  guint32 seed;
  gdouble skin[3];         /* sRGB 0..1 */
  gdouble cx, cy, rx, ry;  /* the head, px */
  gdouble wave[3][3];      /* the mottle: x and y frequency, phase */
} BenchPhoto;

static void
bench_photo_init (BenchPhoto *p,
                  guint32     seed,
                  gint        width,
                  gint        height)
{
  static const gdouble skins[][3] =
  { { 0.945, 0.788, 0.647 }, { 0.878, 0.675, 0.549 }, { 0.776, 0.525, 0.259 },
    { 0.627, 0.404, 0.294 }, { 0.553, 0.333, 0.141 } };
  GRand *rand = g_rand_new_with_seed (seed);
  gint   k, i;

  p->seed = seed;
  k = g_rand_int_range (rand, 0, G_N_ELEMENTS (skins));
  for (i = 0; i < 3; i++)
    p->skin[i] = skins[k][i] * g_rand_double_range (rand, 0.95, 1.05);
  p->cx = width * g_rand_double_range (rand, 0.45, 0.55);
  p->cy = height * g_rand_double_range (rand, 0.55, 0.65);
  p->rx = width * g_rand_double_range (rand, 0.30, 0.36);
  p->ry = height * g_rand_double_range (rand, 0.48, 0.56);
  for (k = 0; k < 3; k++)
    {
      /* periods of 200 to 1500 px, as light and skin vary on a head */
      p->wave[k][0] = 2.0 * G_PI / g_rand_double_range (rand, 200.0, 1500.0);
      p->wave[k][1] = 2.0 * G_PI / g_rand_double_range (rand, 200.0, 1500.0);
      p->wave[k][2] = g_rand_double_range (rand, 0.0, 2.0 * G_PI);
    }
  g_rand_free (rand);
}

static void
bench_photo_pixel (const BenchPhoto *p,
                   gint              x,
                   gint              y,
                   guchar           *rgb)
{
  gdouble dx = (x - p->cx) / p->rx, dy = (y - p->cy) / p->ry;
  gdouble r2 = dx * dx + dy * dy, light, grain, c[3];
  gint    i;

  grain = (bench_hash (x, y, p->seed) - 0.5) * 0.035;
  if (r2 > 1.0)
    {
      /* a studio backdrop, lighter at the top */
      for (i = 0; i < 3; i++)
        c[i] = (0.42 + 0.08 * i) * (1.1 - 0.3 * y / (2.0 * p->cy)) + grain * 0.5;
    }
  else
    {
      /* the dome lit from above and the front, darker to its edge */
      light = 0.72 + 0.33 * sqrt (1.0 - r2) - 0.08 * dy;
      for (i = 0; i < 3; i++)
        light += 0.012 * sin (p->wave[i][0] * x + p->wave[i][1] * y + p->wave[i][2]);
      /* a follicle now and then */
      if (bench_hash (y, x, p->seed + 1) < 0.002)
        light *= 0.7;
      for (i = 0; i < 3; i++)
        c[i] = p->skin[i] * light + grain;
    }
  for (i = 0; i < 3; i++)
    rgb[i] = (guchar) CLAMP (c[i] * 255.0 + 0.5, 0.0, 255.0);
}

/* The crown: 1 inside, a smooth fall to 0 over 3 % of the width. */
static guchar
bench_mask_pixel (const BenchPhoto *p,
                  gint              x,
                  gint              y)
{
  gdouble cy = p->cy - 0.35 * p->ry, rx = 0.6 * p->rx, ry = 0.45 * p->ry;
  gdouble d = sqrt (((x - p->cx) / rx) * ((x - p->cx) / rx) + ((y - cy) / ry) * ((y - cy) / ry));
  gdouble t = CLAMP ((1.0 - d) * rx / (0.03 * 2.0 * p->cx) + 0.5, 0.0, 1.0);

  return (guchar) (255.0 * t * t * (3.0 - 2.0 * t) + 0.5);
}

static gboolean
bench_save (GeglBuffer  *buffer,
            const gchar *operation,
            const gchar *path)
{
  GeglNode *graph = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                       "buffer", buffer, NULL);
  GeglNode *save = gegl_node_new_child (graph, "operation", operation, "path", path, NULL);

  if (! strcmp (operation, "gegl:jpg-save"))
    gegl_node_set (save, "quality", 92, NULL);
  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (graph);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gint
bench_make (const gchar *dir,
            gint         n,
            gint         width,
            gint         height,
            guint32      seed)
{
  GeglRectangle extent = { 0, 0, width, height };
  gint          k;

  g_mkdir_with_parents (dir, 0755);
  for (k = 1; k <= n; k++)
    {
      GeglBuffer         *photo = gegl_buffer_new (&extent, babl_format ("R'G'B' u8"));
      GeglBuffer         *mask = gegl_buffer_new (&extent, babl_format ("Y' u8"));
      GeglBufferIterator *it;
      BenchPhoto          p;
      gchar              *path;
      gboolean            ok;

      bench_photo_init (&p, seed * 1000u + k, width, height);
      it = gegl_buffer_iterator_new (photo, &extent, 0, babl_format ("R'G'B' u8"),
                                     GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 2);
      gegl_buffer_iterator_add (it, mask, &extent, 0, babl_format ("Y' u8"),
                                GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE);
      while (gegl_buffer_iterator_next (it))
        {
          const GeglRectangle *roi = &it->items[0].roi;
          guchar              *rgb = it->items[0].data, *y = it->items[1].data;
          gint                 i;

          for (i = 0; i < it->length; i++)
            {
              gint px = roi->x + i % roi->width, py = roi->y + i / roi->width;

              bench_photo_pixel (&p, px, py, rgb + 3 * i);
              y[i] = bench_mask_pixel (&p, px, py);
            }
        }
      path = g_strdup_printf ("%s/photo-%02d.jpg", dir, k);
      ok = bench_save (photo, "gegl:jpg-save", path);
      g_free (path);
      path = g_strdup_printf ("%s/photo-%02d%s.png", dir, k, SMP_BATCH_MASK_SUFFIX);
      ok = ok && bench_save (mask, "gegl:png-save", path);
      g_free (path);
      g_object_unref (photo);
      g_object_unref (mask);
      if (! ok)
        {
          g_printerr ("photo %d could not be written in %s\n", k, dir);
          return 1;
        }
    }
  return 0;
}

/* One photo as the batch does it, timed; FALSE with @error if it fails. */
static gboolean
bench_bare_photo (const gchar     *dir,
                  const gchar     *name,
                  const gchar     *out_dir,
                  const SmpValues *values,
                  gdouble          px_per_mm,
                  gdouble         *seconds,
                  GError         **error)
{
  gchar              *path = g_build_filename (dir, name, NULL);
  gchar              *stem = g_strndup (name, strrchr (name, '.') - name);
  gchar              *out = g_strdup_printf ("%s/%s-smp.png", out_dir, stem);
  gint64              t0 = g_get_monotonic_time ();
  GeglBuffer         *source = smp_batch_gegl_load (path, NULL, error), *mask = NULL;
  GeglBuffer         *layer = NULL, *after;
  gboolean            ok = source != NULL;

  if (ok)
    mask = smp_batch_mask (dir, stem, gegl_buffer_get_extent (source), error);
  ok = ok && (mask || ! *error);
  seconds[0] = (g_get_monotonic_time () - t0) / 1e6;
  if (ok)
    {
      t0 = g_get_monotonic_time ();
      layer = smp_batch_render (values, px_per_mm, source, mask, error);
      g_clear_object (&mask);
      seconds[1] = (g_get_monotonic_time () - t0) / 1e6;
    }
  if (layer)
    {
      t0 = g_get_monotonic_time ();
      after = smp_batch_after (source, layer);
      g_object_unref (layer);
      ok = smp_batch_save_png (after, out, name, "the bare benchmark's render", error);
      g_object_unref (after);
      seconds[2] = (g_get_monotonic_time () - t0) / 1e6;
    }
  else
    ok = FALSE;
  g_clear_object (&source);
  g_free (out);
  g_free (stem);
  g_free (path);
  return ok;
}

static gint
bench_bare (const gchar *dir,
            const gchar *settings,
            const gchar *out_dir)
{
  SmpValues    values;
  gdouble      px_per_mm, total[3] = { 0.0, 0.0, 0.0 };
  GError      *error = NULL;
  GPtrArray   *names = NULL;
  const gchar *name;
  guint        k;

  /* the photos the batch does, in its order */
  if (! smp_batch_read_settings (settings, &values, &px_per_mm, &error)
      || ! smp_plugin_ensure_ops (&error) || ! (names = smp_batch_photos (dir, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_mkdir_with_parents (out_dir, 0755);
  for (k = 0; k < names->len; k++)
    {
      gdouble seconds[3] = { 0.0, 0.0, 0.0 };
      glong   peak = -1, rss = -1;
      gint    i;

      name = g_ptr_array_index (names, k);
      smp_batch_memory_reset ();
      if (! bench_bare_photo (dir, name, out_dir, &values, px_per_mm, seconds, &error))
        {
          g_printerr ("%s: %s\n", name, error ? error->message : "failed");
          return 1;
        }
      smp_batch_memory_read (&peak, &rss);
      printf ("bare [%u/%u] %s load-s %.2f op-s %.2f write-s %.2f peak-kib %ld\n",
              k + 1, names->len, name, seconds[0], seconds[1], seconds[2], peak);
      fflush (stdout);
      for (i = 0; i < 3; i++)
        total[i] += seconds[i];
    }
  printf ("bare total load-s %.2f op-s %.2f write-s %.2f\n", total[0], total[1], total[2]);
  g_ptr_array_free (names, TRUE);
  smp_values_clear (&values);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  gint status = 2;

  gegl_init (&argc, &argv);
  if (argc == 7 && ! strcmp (argv[1], "make"))
    status = bench_make (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]),
                         (guint32) strtoul (argv[6], NULL, 10));
  else if (argc == 5 && ! strcmp (argv[1], "bare"))
    status = bench_bare (argv[2], argv[3], argv[4]);
  else
    g_printerr ("usage: %s make DIR N WIDTH HEIGHT SEED | bare DIR SETTINGS OUT_DIR\n", argv[0]);
  gegl_exit ();
  return status;
}
