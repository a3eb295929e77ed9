/* bench-preview: how long a dialog's preview takes to update after a
 * slider moves, for each dot procedure (Shaved Look / Density, Hairline,
 * Conceal Scar, Thicken), on a 24-megapixel photo with a selection over a
 * third of it, at the zoom the preview opens at.
 *
 * It renders what the plug-in's preview renders (smp_plugin_render_scaled,
 * the plug-in's own code, with the procedure's default values), once to
 * open the dialog, then after each change of the density slider, and
 * reports the median update time against the target of 0.3 s and against
 * gegl:gaussian-blur rendered into the same preview in the same run (a
 * time on another machine is only comparable as that ratio).  This is a
 * benchmark, not a test: it reports, it never fails on a time.
 *
 *   bench-preview [--size WxH] [--seed N] [--runs N] [--view N] [--px-per-mm X]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gegl.h>

#include "bench-photo.h"
#include "smp-plugin.h"

/* The target for a preview's update after a slider change. */
#define TARGET_SECONDS 0.3

static gchar   *opt_size = NULL;
static gint     opt_seed = 1;
static gint     opt_runs = 5;
static gint     opt_view = SMP_PREVIEW_SIZE;
static gdouble  opt_px_per_mm = 10.0;

static GOptionEntry options[] =
{
  { "size", 0, 0, G_OPTION_ARG_STRING, &opt_size, "Image size (default 6000x4000)", "WxH" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Seed of the generated photo (default 1)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs,
    "Slider changes timed per procedure; the median is reported (default 5)", "N" },
  { "view", 0, 0, G_OPTION_ARG_INT, &opt_view,
    "The preview's longer side in px at its opening zoom (default GIMP's, 200)", "N" },
  { "px-per-mm", 0, 0, G_OPTION_ARG_DOUBLE, &opt_px_per_mm, "The photo's scale (default 10)", "X" },
  { NULL }
};

/* The selection: a rectangle over a third of the image, centred, with a
 * 2 % feather, as a user selects the scalp to treat. */
static GeglBuffer *
selection_third (const GeglRectangle *image,
                 GeglRectangle       *box)
{
  GeglBuffer *mask = gegl_buffer_new (image, babl_format ("Y float"));
  gfloat     *row = g_new (gfloat, image->width);
  gdouble     feather = 0.02 * image->width;
  gint        x, y;

  *box = *GEGL_RECTANGLE ((gint) (image->width * (1.0 - 1.0 / sqrt (3.0)) / 2.0),
                          (gint) (image->height * (1.0 - 1.0 / sqrt (3.0)) / 2.0),
                          (gint) (image->width / sqrt (3.0)), (gint) (image->height / sqrt (3.0)));
  for (y = 0; y < image->height; y++)
    {
      for (x = 0; x < image->width; x++)
        {
          gdouble inside = MIN (MIN (x - box->x, box->x + box->width - x),
                                MIN (y - box->y, box->y + box->height - y));

          row[x] = (gfloat) CLAMP (inside / feather, 0.0, 1.0);
        }
      gegl_buffer_set (mask, GEGL_RECTANGLE (0, y, image->width, 1), 0, babl_format ("Y float"),
                       row, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (row);
  return mask;
}

/* The preview at its opening zoom (GimpZoomPreview's zoom 1: the
 * selection's box fits in a view of opt_view px on its longer side). */
static gdouble
preview_view (const GeglRectangle *box,
              GeglRectangle       *roi)
{
  gint    view_w = box->width >= box->height ? opt_view
                   : (gint) ((gdouble) box->width * opt_view / box->height);
  gdouble scale = smp_plugin_preview_scale (1.0, view_w, box->width);

  *roi = *GEGL_RECTANGLE ((gint) floor (box->x * scale), (gint) floor (box->y * scale), view_w,
                          (gint) (box->height * scale));
  return scale;
}

static gdouble
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* gegl:gaussian-blur (std-dev 2) of the photo into the same preview, the
 * yardstick of this run. */
static gdouble
blur_preview (GeglBuffer          *photo,
              gdouble              scale,
              const GeglRectangle *roi,
              gpointer             pixels)
{
  GeglNode *graph = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", photo,
                                       NULL);
  GeglNode *blur = gegl_node_new_child (graph, "operation", "gegl:gaussian-blur",
                                        "std-dev-x", 2.0, "std-dev-y", 2.0, NULL);
  gint64    start = g_get_monotonic_time ();
  gdouble   seconds;

  gegl_node_link (src, blur);
  /* at the preview's mipmap level, as smp_plugin_render_scaled renders */
  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  gegl_node_blit (blur, scale, roi, babl_format (BENCH_PHOTO_FORMAT), pixels,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_set (gegl_config (), "mipmap-rendering", FALSE, NULL);
  seconds = seconds_since (start);
  g_object_unref (graph);
  return seconds;
}

static gint
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

static gdouble
median (gdouble *t,
        gint     n)
{
  qsort (t, n, sizeof (gdouble), compare_doubles);
  return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* Opens @id's preview, then moves its density slider opt_runs times;
 * returns the median update time and sets @open to the opening's. */
static gdouble
time_updates (SmpProcId            id,
              GeglBuffer          *photo,
              GeglBuffer          *selection,
              gdouble              scale,
              const GeglRectangle *roi,
              gpointer             pixels,
              gdouble             *open)
{
  const SmpProcedure *proc = smp_procedure_get (id);
  SmpValues           values;
  SmpRenderInput      in = { proc, &values, opt_px_per_mm, photo, 0, 0, selection };
  gdouble            *t = g_new (gdouble, opt_runs);
  gdouble             density, result;
  gint64              start;
  gint                run;

  smp_values_init (proc, &values);
  density = smp_values_get_double (&values, SMP_ARG_ID_DENSITY);
  start = g_get_monotonic_time ();
  smp_plugin_render_scaled (&in, scale, roi, FALSE, babl_format (BENCH_PHOTO_FORMAT), pixels,
                            NULL);
  *open = seconds_since (start);
  for (run = 0; run < opt_runs; run++)
    {
      /* a slider moved by a few steps: every update a new value */
      smp_values_set_double (&values, SMP_ARG_ID_DENSITY, density + 5.0 * (run + 1));
      start = g_get_monotonic_time ();
      smp_plugin_render_scaled (&in, scale, roi, FALSE, babl_format (BENCH_PHOTO_FORMAT),
                                pixels, NULL);
      t[run] = seconds_since (start);
    }
  result = median (t, opt_runs);
  smp_values_clear (&values);
  g_free (t);
  return result;
}

int
main (int    argc,
      char **argv)
{
  static const SmpProcId ids[] = { SMP_PROC_DENSITY, SMP_PROC_HAIRLINE, SMP_PROC_CONCEAL_SCAR,
                                   SMP_PROC_THICKEN };
  GOptionContext *context = g_option_context_new ("- time a dialog's preview update");
  GeglRectangle   image = { 0, 0, 6000, 4000 }, box, roi;
  GeglBuffer     *photo, *selection;
  GError         *error = NULL;
  gdouble         scale, blur[3], blur_median, open, update;
  gpointer        pixels;
  guint           k;

  g_option_context_add_main_entries (context, options, NULL);
  if (! g_option_context_parse (context, &argc, &argv, &error)
      || (opt_size && sscanf (opt_size, "%dx%d", &image.width, &image.height) != 2)
      || opt_runs < 1 || opt_view < 16)
    {
      g_printerr ("bench-preview: %s\n", error ? error->message : "bad --size, --runs or --view");
      return 2;
    }
  gegl_init (&argc, &argv);
  /* GEGL as GIMP sets it for its plug-ins: a tile cache of GIMP's default
   * size, half the machine's memory (the scar's preview keeps what it
   * measured within a quarter of it) */
  g_object_set (gegl_config (), "tile-cache-size",
                (guint64) sysconf (_SC_PHYS_PAGES) * (guint64) sysconf (_SC_PAGESIZE) / 2, NULL);
  if (g_getenv ("SMP_MODULE_DIR"))
    gegl_load_module_directory (g_getenv ("SMP_MODULE_DIR"));
  if (! smp_plugin_ensure_ops (&error))
    {
      g_printerr ("bench-preview: %s\n", error->message);
      return 2;
    }

  photo = make_photo (image.width, image.height, (guint32) opt_seed);
  selection = selection_third (&image, &box);
  scale = preview_view (&box, &roi);
  pixels = g_malloc ((gsize) roi.width * roi.height * 4);
  for (k = 0; k < G_N_ELEMENTS (blur); k++)
    blur[k] = blur_preview (photo, scale, &roi, pixels);
  blur_median = median (blur, G_N_ELEMENTS (blur));

  printf ("bench-preview: %dx%d photo at %.1f px/mm, selection %dx%d at %d,%d (a third);\n"
          "the preview opens %dx%d px at scale %.4f (mipmap level %d); median of %d slider "
          "changes\n", image.width, image.height, opt_px_per_mm, box.width, box.height, box.x,
          box.y, roi.width, roi.height, scale, (gint) floor (log2 (1.0 / scale) + 1e-9), opt_runs);
  printf ("  %-14s %9s %9s %9s %12s\n", "procedure", "open s", "update s", "target", "/ blur");
  for (k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      GeglBuffer *input = ids[k] == SMP_PROC_THICKEN ? hair_over (photo) : photo;

      update = time_updates (ids[k], input, selection, scale, &roi, pixels, &open);
      printf ("  %-14s %9.3f %9.3f %9s %12.1f\n", smp_procedure_name (ids[k]) + strlen ("plug-in-smp-"),
              open, update, update < TARGET_SECONDS ? "< 0.3 s" : "> 0.3 s", update / blur_median);
    }
  printf ("  gegl:gaussian-blur (std-dev 2) into the same preview: %.4f s\n", blur_median);

  hair_over (NULL);
  g_free (pixels);
  g_object_unref (selection);
  g_object_unref (photo);
  g_option_context_free (context);
  gegl_exit ();
  return 0;
}
