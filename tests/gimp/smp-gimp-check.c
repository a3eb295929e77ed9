/* gimp-smp: helper for the GIMP filter test (gimp3-filter.sh).
 *
 *   smp-gimp-check make IN.png WIDTH HEIGHT #RRGGBB
 *       writes a flat skin-coloured 8-bit PNG
 *   smp-gimp-check verify MODULE_DIR IN.png OUT.png PX_PER_MM DENSITY SEED
 *       checks that OUT.png (written by GIMP) is IN.png with smp:stipple
 *       dots: same size, about DENSITY dots per cm², and the same dots as
 *       the op renders here in-process with the same properties
 *
 * It uses GEGL rather than the gegl tool or an image library, because
 * GEGL is the one thing every environment that builds the op has.
 * Exit status 0 means the check passed.
 */
#include <gegl.h>
#include <babl/babl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A dot's core absorbs about 60 % of the skin's light by default; a drop
 * of 12 luma levels is far above PNG rounding yet catches even the faint
 * soft edge of small dots. */
#define DARK_DROP 12

typedef struct
{
  gint    width, height;
  guint8 *rgba;
} Image;

static gboolean
image_load (const gchar *path, Image *image)
{
  GeglNode     *graph = gegl_node_new ();
  GeglNode     *load, *sink;
  GeglBuffer   *buffer = NULL;
  GeglRectangle extent;

  load = gegl_node_new_child (graph, "operation", "gegl:load", "path", path, NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink",
                              "buffer", &buffer, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (graph);
  if (! buffer)
    return FALSE;
  extent = *gegl_buffer_get_extent (buffer);
  image->width = extent.width;
  image->height = extent.height;
  image->rgba = g_malloc ((gsize) extent.width * extent.height * 4);
  gegl_buffer_get (buffer, &extent, 1.0, babl_format ("R'G'B'A u8"),
                   image->rgba, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  return image->width > 0 && image->height > 0;
}

/* The same stipple GIMP was asked for, rendered without GIMP: any
 * property GIMP dropped (seed, scale, density) shows as a mismatch. */
static gboolean
image_reference (const gchar *in_path, gdouble px_per_mm, gdouble density,
                 gint seed, Image *image)
{
  GeglNode     *graph = gegl_node_new ();
  GeglNode     *load, *stipple, *sink;
  GeglBuffer   *buffer = NULL;
  GeglRectangle extent;

  load = gegl_node_new_child (graph, "operation", "gegl:load", "path", in_path, NULL);
  stipple = gegl_node_new_child (graph, "operation", "smp:stipple",
                                 "px-per-mm", px_per_mm,
                                 "density", density,
                                 "seed", seed,
                                 NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink",
                              "buffer", &buffer, NULL);
  gegl_node_link_many (load, stipple, sink, NULL);
  gegl_node_process (sink);
  g_object_unref (graph);
  if (! buffer)
    return FALSE;
  extent = *gegl_buffer_get_extent (buffer);
  image->width = extent.width;
  image->height = extent.height;
  image->rgba = g_malloc ((gsize) extent.width * extent.height * 4);
  gegl_buffer_get (buffer, &extent, 1.0, babl_format ("R'G'B'A u8"),
                   image->rgba, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
  return TRUE;
}

static gint
luma (const guint8 *p)
{
  return (2126 * p[0] + 7152 * p[1] + 722 * p[2]) / 10000;
}

static guint8 *
dark_mask (const Image *image, gint skin_luma, glong *n_dark)
{
  glong   n = (glong) image->width * image->height, i;
  guint8 *mask = g_malloc0 (n);

  *n_dark = 0;
  for (i = 0; i < n; i++)
    if (luma (image->rgba + 4 * i) < skin_luma - DARK_DROP)
      {
        mask[i] = 1;
        (*n_dark)++;
      }
  return mask;
}

/* 8-connected blobs of dark pixels: one per dot, fewer where the dots of a
 * follicular cluster touch. */
static glong
count_blobs (guint8 *mask, gint width, gint height)
{
  gint  *stack = g_new (gint, (gsize) width * height);
  glong  blobs = 0;
  gint   i;

  for (i = 0; i < width * height; i++)
    {
      gint top = 0;

      if (mask[i] != 1)
        continue;
      blobs++;
      mask[i] = 2;
      stack[top++] = i;
      while (top > 0)
        {
          gint p = stack[--top], x = p % width, y = p / width, dx, dy;

          for (dy = -1; dy <= 1; dy++)
            for (dx = -1; dx <= 1; dx++)
              {
                gint nx = x + dx, ny = y + dy, q = ny * width + nx;

                if (nx >= 0 && nx < width && ny >= 0 && ny < height && mask[q] == 1)
                  {
                    mask[q] = 2;
                    stack[top++] = q;
                  }
              }
        }
    }
  g_free (stack);
  return blobs;
}

static int
make_input (const gchar *path, gint width, gint height, const gchar *colour)
{
  GeglNode  *graph = gegl_node_new ();
  GeglColor *color = gegl_color_new (colour);
  GeglNode  *source, *crop, *save;

  source = gegl_node_new_child (graph, "operation", "gegl:color", "value", color, NULL);
  crop = gegl_node_new_child (graph, "operation", "gegl:crop",
                              "x", 0.0, "y", 0.0,
                              "width", (gdouble) width, "height", (gdouble) height,
                              NULL);
  save = gegl_node_new_child (graph, "operation", "gegl:png-save",
                              "path", path, "bitdepth", 8, NULL);
  gegl_node_link_many (source, crop, save, NULL);
  gegl_node_process (save);
  g_object_unref (color);
  g_object_unref (graph);
  return g_file_test (path, G_FILE_TEST_EXISTS) ? 0 : 1;
}

static int
verify (const gchar *module_dir, const gchar *in_path, const gchar *out_path,
        gdouble px_per_mm, gdouble density, gint seed)
{
  Image        in, out, ref;
  gint         skin;
  glong        n_dark, n_ref_dark, blobs, differ = 0, i, n;
  guint8      *mask, *ref_mask;
  gdouble      area_cm2, expected, agreement;
  const gchar *menu;
  int          failed = 0;

  /* a module already in the GEGL path must not be loaded twice */
  if (! gegl_has_operation ("smp:stipple"))
    gegl_load_module_directory (module_dir);
  if (! gegl_has_operation ("smp:stipple"))
    {
      fprintf (stderr, "FAIL: smp:stipple is not in %s\n", module_dir);
      return 1;
    }
  /* GIMP 3 builds its Filters menu from this key */
  menu = gegl_operation_get_key ("smp:stipple", "gimp:menu-path");
  if (! menu || ! g_str_has_prefix (menu, "<Image>/Filters"))
    {
      fprintf (stderr, "FAIL: gimp:menu-path is %s\n", menu ? menu : "unset");
      failed = 1;
    }

  if (! image_load (in_path, &in) || ! image_load (out_path, &out))
    {
      fprintf (stderr, "FAIL: cannot read %s or %s\n", in_path, out_path);
      return 1;
    }
  if (out.width != in.width || out.height != in.height)
    {
      fprintf (stderr, "FAIL: size %dx%d, expected %dx%d\n",
               out.width, out.height, in.width, in.height);
      return 1;
    }

  skin = luma (in.rgba);
  n = (glong) in.width * in.height;
  mask = dark_mask (&out, skin, &n_dark);
  blobs = count_blobs (mask, out.width, out.height);

  area_cm2 = in.width / (px_per_mm * 10.0) * (in.height / (px_per_mm * 10.0));
  expected = density * area_cm2;
  printf ("out: %dx%d, skin luma %d, %ld darkened pixels (%.2f %%), "
          "%ld dots, about %.0f expected\n",
          out.width, out.height, skin, n_dark, 100.0 * n_dark / n, blobs, expected);
  /* touching cluster dots merge into one blob, edge dots are cut: a wide
   * band, but a dropped px-per-mm (default 10, four times the dots) or no
   * filter at all falls far outside it */
  if (blobs < 0.5 * expected || blobs > 1.5 * expected)
    {
      fprintf (stderr, "FAIL: %ld dots, expected about %.0f\n", blobs, expected);
      failed = 1;
    }

  if (! image_reference (in_path, px_per_mm, density, seed, &ref))
    {
      fprintf (stderr, "FAIL: in-process smp:stipple rendered nothing\n");
      return 1;
    }
  ref_mask = dark_mask (&ref, skin, &n_ref_dark);
  for (i = 0; i < n; i++)
    differ += (mask[i] != 0) != (ref_mask[i] != 0);
  /* GIMP may run the op at another precision than this test, so a few
   * edge pixels may land on the other side of the threshold; a different
   * seed moves whole dots, so about twice the dark share would differ */
  agreement = differ / (gdouble) MAX (n_ref_dark, 1);
  printf ("in-process reference: %ld darkened pixels, %ld pixels classified "
          "differently (%.1f %% of the reference's dark pixels)\n",
          n_ref_dark, differ, 100.0 * agreement);
  if (agreement > 0.05)
    {
      fprintf (stderr, "FAIL: GIMP's dots are not the ones smp:stipple renders "
               "with these properties\n");
      failed = 1;
    }

  g_free (in.rgba);
  g_free (out.rgba);
  g_free (ref.rgba);
  g_free (mask);
  g_free (ref_mask);
  return failed;
}

int
main (int argc, char **argv)
{
  int status;

  gegl_init (&argc, &argv);
  if (argc == 6 && ! strcmp (argv[1], "make"))
    status = make_input (argv[2], atoi (argv[3]), atoi (argv[4]), argv[5]);
  else if (argc == 8 && ! strcmp (argv[1], "verify"))
    status = verify (argv[2], argv[3], argv[4],
                     g_ascii_strtod (argv[5], NULL), g_ascii_strtod (argv[6], NULL),
                     atoi (argv[7]));
  else
    {
      fprintf (stderr, "usage: %s make IN.png WIDTH HEIGHT #RRGGBB\n"
                       "       %s verify MODULE_DIR IN.png OUT.png PX_PER_MM DENSITY SEED\n",
               argv[0], argv[0]);
      status = 2;
    }
  gegl_exit ();
  return status;
}
