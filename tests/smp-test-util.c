/* gimp-smp tests: shared fixtures and measurements.  See smp-test-util.h. */
#include <math.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "smp-test-util.h"

#include <gegl-plugin.h>

void
smp_test_init (int    *argc,
               char ***argv)
{
  const char *dir = g_getenv ("SMP_MODULE_DIR");

  g_test_init (argc, argv, NULL);
  gegl_init (argc, argv);
  g_assert_nonnull (dir);
  gegl_load_module_directory (dir);
  g_assert_true (gegl_has_operation ("smp:stipple"));
  g_assert_true (gegl_has_operation ("smp:hairline"));
}

GeglBuffer *
smp_test_flat (const char *srgb_hex,
               int         w,
               int         h,
               const char *format)
{
  GeglColor  *color = gegl_color_new (srgb_hex);
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format (format));

  gegl_buffer_set_color (buffer, NULL, color);
  g_object_unref (color);
  return buffer;
}

GeglBuffer *
smp_test_mask (float value,
               int   w,
               int   h)
{
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));

  gegl_buffer_set_color_from_pixel (buffer, NULL, &value, babl_format ("Y float"));
  return buffer;
}

GeglNode *
smp_test_graph (GeglNode  **root,
                const char *operation,
                GeglBuffer *input,
                GeglBuffer *mask,
                const char *first_property,
                va_list     args)
{
  GeglNode *src, *op;

  *root = gegl_node_new ();
  src = gegl_node_new_child (*root, "operation", "gegl:buffer-source", "buffer", input, NULL);
  op = gegl_node_new_child (*root, "operation", operation, NULL);
  /* the tests written for the crisp cores and their layout see them
   * alone, drawn as sharp as the pixels allow; a test of a look asks for
   * it by name, after this */
  if (gegl_operation_find_property (operation, "look"))
    gegl_node_set (op, "look", 0, "shade", 0.0, "photo-blur", 0.0, NULL);
  if (first_property)
    gegl_node_set_valist (op, first_property, args);
  gegl_node_link (src, op);
  if (mask)
    {
      GeglNode *msrc = gegl_node_new_child (*root, "operation", "gegl:buffer-source",
                                            "buffer", mask, NULL);
      gegl_node_connect_to (msrc, "output", op, "aux");
    }
  return op;
}

static GeglBuffer *
render_valist (const char *operation,
               GeglBuffer *input,
               GeglBuffer *mask,
               const char *first_property,
               va_list     args)
{
  GeglNode   *root, *op, *sink;
  GeglBuffer *output = NULL;

  op = smp_test_graph (&root, operation, input, mask, first_property, args);
  sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &output, NULL);
  gegl_node_link (op, sink);
  gegl_node_process (sink);
  g_object_unref (root);
  return output;
}

GeglBuffer *
smp_test_render (GeglBuffer *input,
                 GeglBuffer *mask,
                 const char *first_property,
                 ...)
{
  GeglBuffer *output;
  va_list     args;

  va_start (args, first_property);
  output = render_valist ("smp:stipple", input, mask, first_property, args);
  va_end (args);
  return output;
}

GeglBuffer *
smp_test_render_op (const char *operation,
                    GeglBuffer *input,
                    GeglBuffer *mask,
                    const char *first_property,
                    ...)
{
  GeglBuffer *output;
  va_list     args;

  va_start (args, first_property);
  output = render_valist (operation, input, mask, first_property, args);
  va_end (args);
  return output;
}

gfloat *
smp_test_darkening (GeglBuffer *before,
                    GeglBuffer *after)
{
  const GeglRectangle *r = gegl_buffer_get_extent (before);
  gsize   n = (gsize) r->width * r->height, i;
  gfloat *a = g_new (gfloat, n), *b = g_new (gfloat, n);

  gegl_buffer_get (before, r, 1.0, babl_format ("Y float"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (after, r, 1.0, babl_format ("Y float"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n; i++)
    a[i] = a[i] > 0.0f ? 1.0f - b[i] / a[i] : 0.0f;
  g_free (b);
  return a;
}

GArray *
smp_test_blobs (const gfloat *d,
                int           w,
                int           h,
                double        threshold,
                double        window)
{
  GArray *blobs = g_array_new (FALSE, TRUE, sizeof (SmpBlob));
  gint   *label = g_new0 (gint, (gsize) w * h);
  gint   *stack = g_new (gint, (gsize) w * h);
  int     i, x, y, k;

  for (i = 0; i < w * h; i++)
    {
      SmpBlob blob = { 0 };
      double  sw = 0.0;
      int     top = 0;

      if (label[i] || d[i] <= threshold)
        continue;
      label[i] = 1;
      stack[top++] = i;
      while (top)
        {
          int p = stack[--top], px = p % w, py = p / w, dx, dy;

          blob.x += d[p] * (px + 0.5);
          blob.y += d[p] * (py + 0.5);
          sw += d[p];
          blob.area++;
          for (dy = -1; dy <= 1; dy++)
            for (dx = -1; dx <= 1; dx++)
              {
                int qx = px + dx, qy = py + dy, q = qy * w + qx;

                if (qx < 0 || qy < 0 || qx >= w || qy >= h || label[q] || d[q] <= threshold)
                  continue;
                label[q] = 1;
                stack[top++] = q;
              }
        }
      blob.x /= sw;
      blob.y /= sw;
      k = (int) ceil (window);
      for (y = (int) blob.y - k; y <= (int) blob.y + k; y++)
        for (x = (int) blob.x - k; x <= (int) blob.x + k; x++)
          if (x >= 0 && y >= 0 && x < w && y < h
              && hypot (x + 0.5 - blob.x, y + 0.5 - blob.y) <= window)
            blob.mass += d[y * w + x];
      g_array_append_val (blobs, blob);
    }
  g_free (label);
  g_free (stack);
  return blobs;
}

double
smp_test_luminance (const char *srgb_hex)
{
  GeglColor *color = gegl_color_new (srgb_hex);
  gfloat     y;

  gegl_color_get_pixel (color, babl_format ("Y float"), &y);
  g_object_unref (color);
  return y;
}

gboolean
smp_test_identical (GeglBuffer          *a,
                    GeglBuffer          *b,
                    const GeglRectangle *rect,
                    const char          *format)
{
  const Babl *f = babl_format (format);
  gsize       n = (gsize) rect->width * rect->height * babl_format_get_bytes_per_pixel (f);
  guchar     *pa = g_malloc (n), *pb = g_malloc (n);
  gboolean    same;

  gegl_buffer_get (a, rect, 1.0, f, pa, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (b, rect, 1.0, f, pb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  same = memcmp (pa, pb, n) == 0;
  g_free (pa);
  g_free (pb);
  return same;
}

double
smp_test_correlation (const double *a,
                      const double *b,
                      int           n,
                      double       *ratio)
{
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  int    i;

  for (i = 0; i < n; i++)
    {
      sx += a[i]; sy += b[i]; sxx += a[i] * a[i]; syy += b[i] * b[i]; sxy += a[i] * b[i];
    }
  *ratio = sy / sx;
  return (n * sxy - sx * sy) / sqrt ((n * sxx - sx * sx) * (n * syy - sy * sy));
}

double
smp_test_tone (GeglBuffer          *before,
               GeglBuffer          *after,
               const GeglRectangle *rect)
{
  gsize   n = (gsize) rect->width * rect->height, i;
  gfloat *a = g_new (gfloat, n), *b = g_new (gfloat, n);
  double  sa = 0.0, sb = 0.0;

  gegl_buffer_get (before, rect, 1.0, babl_format ("Y float"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (after, rect, 1.0, babl_format ("Y float"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n; i++)
    {
      sa += a[i];
      sb += b[i];
    }
  g_free (a);
  g_free (b);
  return sa > 0.0 ? sb / sa : 1.0;
}

static int
descending (const void *a,
            const void *b)
{
  float p = *(const float *) a, q = *(const float *) b;

  return (p < q) - (p > q);
}

double
smp_test_concentration (GeglBuffer          *before,
                        GeglBuffer          *after,
                        const GeglRectangle *rect)
{
  gsize   n = (gsize) rect->width * rect->height, i, top = n / 10;
  gfloat *a = g_new (gfloat, n), *b = g_new (gfloat, n);
  double  all = 0.0, most = 0.0;

  gegl_buffer_get (before, rect, 1.0, babl_format ("Y float"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (after, rect, 1.0, babl_format ("Y float"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n; i++)
    a[i] = a[i] > 0.0f ? 1.0f - b[i] / a[i] : 0.0f;
  qsort (a, n, sizeof (gfloat), descending);
  for (i = 0; i < n; i++)
    {
      all += a[i];
      if (i < top)
        most += a[i];
    }
  g_free (a);
  g_free (b);
  return all > 0.0 ? most / all : 0.0;
}

/* ---- the level an op renders at ------------------------------------------ */

/* A pass-through filter put in front of an op: GEGL asks it for
 * its output at the mipmap level the op itself renders at, so a test can
 * tell a zoomed-out preview rendered at a reduced level from a full
 * render downscaled afterwards, with nothing in the module just for it. */
typedef struct
{
  GeglOperationFilter parent_instance;
} SmpTestProbe;

typedef struct
{
  GeglOperationFilterClass parent_class;
} SmpTestProbeClass;

static GType smp_test_probe_get_type (void);
G_DEFINE_TYPE (SmpTestProbe, smp_test_probe, GEGL_TYPE_OPERATION_FILTER)

static gint smp_test_probe_deepest;

static void
smp_test_probe_prepare (GeglOperation *operation)
{
  gegl_operation_set_format (operation, "input", babl_format ("RGBA float"));
  gegl_operation_set_format (operation, "output", babl_format ("RGBA float"));
}

/* Hands its input on as its output, as gegl:nop does: a copy written at
 * a reduced level trips a GEGL 0.4.42 check (gegl_tile_dup: damage) in
 * any op after it, GEGL's own blurs included. */
static gboolean
smp_test_probe_process (GeglOperation        *operation,
                        GeglOperationContext *context,
                        const gchar          *output_pad,
                        const GeglRectangle  *roi,
                        gint                  level)
{
  GObject *input = gegl_operation_context_dup_object (context, "input");

  gegl_operation_context_take_object (context, "output", input);
  if (level > g_atomic_int_get (&smp_test_probe_deepest))
    g_atomic_int_set (&smp_test_probe_deepest, level);
  return TRUE;
}

static void
smp_test_probe_class_init (SmpTestProbeClass *klass)
{
  GeglOperationClass *operation_class = GEGL_OPERATION_CLASS (klass);

  operation_class->prepare = smp_test_probe_prepare;
  operation_class->process = smp_test_probe_process;
  gegl_operation_class_set_keys (operation_class,
                                 "name", "smp-test:level-probe",
                                 "description", "Passes its input on; remembers the deepest level asked for",
                                 NULL);
}

static void
smp_test_probe_init (SmpTestProbe *self)
{
}

GeglNode *
smp_test_probe_before (GeglNode *op)
{
  GeglNode *source = gegl_node_get_producer (op, "input", NULL);
  GeglNode *probe;

  g_type_class_unref (g_type_class_ref (smp_test_probe_get_type ()));
  probe = gegl_node_new_child (gegl_node_get_parent (op), "operation", "smp-test:level-probe", NULL);
  gegl_node_link_many (source, probe, op, NULL);
  g_atomic_int_set (&smp_test_probe_deepest, 0);
  return probe;
}

gint
smp_test_probe_deepest_level (void)
{
  return g_atomic_int_get (&smp_test_probe_deepest);
}

GeglBuffer *
smp_test_scaled_up (GeglBuffer *buffer,
                    int         f)
{
  const GeglRectangle *e = gegl_buffer_get_extent (buffer);
  GeglNode            *root = gegl_node_new ();
  GeglNode            *src = gegl_node_new_child (root, "operation", "gegl:buffer-source",
                                                  "buffer", buffer, NULL);
  GeglNode            *scale = gegl_node_new_child (root, "operation", "gegl:scale-ratio",
                                                    "x", (double) f, "y", (double) f,
                                                    "sampler", GEGL_SAMPLER_LINEAR, NULL);
  GeglNode            *crop = gegl_node_new_child (root, "operation", "gegl:crop",
                                                   "x", 0.0, "y", 0.0,
                                                   "width", (double) e->width * f,
                                                   "height", (double) e->height * f, NULL);
  GeglBuffer          *out = NULL;
  GeglNode            *sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink",
                                                   "buffer", &out, NULL);

  gegl_node_link_many (src, scale, crop, sink, NULL);
  gegl_node_process (sink);
  g_object_unref (root);
  return out;
}

static int      smp_test_measured = -1, smp_test_measured_width = -1;
static GLogFunc smp_test_measured_before;

static void
smp_test_catch_measurement (const gchar    *domain,
                            GLogLevelFlags  flags,
                            const gchar    *message,
                            gpointer        data)
{
  const char *at = strstr (message, " at level ");
  int         level, width, height;

  if (at && sscanf (at, " at level %d over %dx%d", &level, &width, &height) == 3)
    {
      g_atomic_int_set (&smp_test_measured, level);
      g_atomic_int_set (&smp_test_measured_width, width);
      return;
    }
  g_log_default_handler (domain, flags, message, data);
}

void
smp_test_measured_start (void)
{
  smp_test_measured = smp_test_measured_width = -1;
  smp_test_measured_before = g_log_set_default_handler (smp_test_catch_measurement, NULL);
}

void
smp_test_measured_stop (void)
{
  g_log_set_default_handler (smp_test_measured_before, NULL);
}

int
smp_test_measured_level (int *width)
{
  if (width)
    *width = g_atomic_int_get (&smp_test_measured_width);
  return g_atomic_int_get (&smp_test_measured);
}
