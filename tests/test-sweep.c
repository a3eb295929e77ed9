/* gimp-smp tests: a property sweep over all five ops (issue "Hardening").
 *
 * Cases made from one seed (SMP_SWEEP_SEED, default 13): image sizes from
 * 1×1 to 2000×2000 in 8- and 16-bit RGB, RGBA, grey and grey-alpha; no
 * mask, or one smaller than, larger than, offset from or entirely outside
 * the image, all zero or not; every property at its ends, its soft (UI)
 * ends, a random value or its default, and in some cases one value beyond
 * its range or NaN, which GObject must refuse with its warning and the op
 * must survive.  Each case asserts:
 *
 * - no crash and no critical or warning (the GLib test setup makes them
 *   fatal, but for the one expected refusal);
 * - the output has the input's size;
 * - the output is byte-identical with 1 thread and with 2 threads in small
 *   chunks;
 * - where the mask is 0 (inside its extent or outside it), beyond a dot's
 *   reach from where it is not, the photo's bytes are unchanged.
 *
 * The number of cases is fixed (SMP_SWEEP_CASES, default 400), and each is
 * kept cheap: the dots a case can generate are bounded by raising the
 * scale on large images.  A time limit (SMP_SWEEP_SECONDS, default 150)
 * stops the sweep early on a very slow machine (a sanitizer build), saying
 * how many cases ran.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gegl-paramspecs.h>

#include "smp-test-util.h"

static const char *const operations[] =
{ "smp:stipple", "smp:hairline", "smp:scar-conceal", "smp:thicken", "smp:scalp-mask" };

static const char *const formats[] =
{ "R'G'B' u8", "R'G'B'A u8", "Y' u8", "Y'A u8",
  "R'G'B' u16", "R'G'B'A u16", "Y' u16", "Y'A u16" };

/* at most this many dots (density × area) in one case */
#define MAX_DOTS 60000.0

typedef enum
{
  MASK_NONE,
  MASK_SMALLER,
  MASK_LARGER,
  MASK_OFFSET,
  MASK_OUTSIDE,
  MASK_KINDS
} MaskKind;

/* how many cases checked the pixels where the mask is 0, and how many of
 * those pixels they compared */
static int  n_checked;
static long n_compared;

static const char *const mask_names[] =
{ "none", "smaller", "larger", "offset", "outside" };

typedef struct
{
  int           index;
  const char   *operation;
  const char   *format;
  int           w, h;
  MaskKind      mask_kind;
  GeglRectangle mask_box;   /* the mask's extent, image coordinates */
  GeglRectangle lit;        /* where it is above 0 (empty: nowhere) */
  float         value;      /* its value there */
  double        px_per_mm;
  GString      *what;       /* the properties set, for the log */
} Case;

static int
pick (GRand *rand,
      int    lo,
      int    hi)
{
  return g_rand_int_range (rand, lo, hi + 1);
}

/* a size: mostly small, some medium, the odd very large one */
static int
pick_side (GRand *rand,
           int    index)
{
  double u = g_rand_double (rand);

  if (u < 0.12)
    return 1;
  if (u < 0.55)
    return pick (rand, 2, 64);
  if (u < 0.95)
    return pick (rand, 65, 400);
  return pick (rand, 401, 2000);
}

/* An image of skin with dark strands and noise, so that thicken and
 * scalp-mask find hair and scalp, in @format. */
static GeglBuffer *
make_image (GRand      *rand,
            int         w,
            int         h,
            const char *format)
{
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format (format));
  guchar     *rgb = g_malloc ((gsize) w * h * 3);
  int         base[3] = { pick (rand, 90, 240), pick (rand, 60, 200), pick (rand, 40, 170) };
  int         x, y, c, period = pick (rand, 3, 40);

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        gboolean strand = (x + y / 3) % period == 0;

        for (c = 0; c < 3; c++)
          {
            int v = strand ? 30 + g_rand_int_range (rand, 0, 20)
                           : base[c] + g_rand_int_range (rand, -12, 13);

            rgb[((gsize) y * w + x) * 3 + c] = (guchar) CLAMP (v, 0, 255);
          }
      }
  gegl_buffer_set (buffer, NULL, 0, babl_format ("R'G'B' u8"), rgb, GEGL_AUTO_ROWSTRIDE);
  g_free (rgb);
  return buffer;
}

/* The mask for the case: its extent by kind, 0 over it but for @c->lit. */
static GeglBuffer *
make_mask (GRand *rand,
           Case  *c)
{
  GeglBuffer   *mask;
  GeglRectangle lit;
  float         zero = 0.0f;
  int           w = c->w, h = c->h;

  switch (c->mask_kind)
    {
    case MASK_NONE:
      return NULL;
    case MASK_SMALLER:
      c->mask_box.width = pick (rand, 1, MAX (1, w / 2));
      c->mask_box.height = pick (rand, 1, MAX (1, h / 2));
      c->mask_box.x = pick (rand, 0, w - c->mask_box.width);
      c->mask_box.y = pick (rand, 0, h - c->mask_box.height);
      break;
    case MASK_LARGER:
      c->mask_box.x = -pick (rand, 1, 300);
      c->mask_box.y = -pick (rand, 1, 300);
      c->mask_box.width = w - c->mask_box.x + pick (rand, 1, 300);
      c->mask_box.height = h - c->mask_box.y + pick (rand, 1, 300);
      break;
    case MASK_OFFSET:
      c->mask_box.width = pick (rand, 1, w + 50);
      c->mask_box.height = pick (rand, 1, h + 50);
      c->mask_box.x = pick (rand, -c->mask_box.width + 1, w - 1);
      c->mask_box.y = pick (rand, -c->mask_box.height + 1, h - 1);
      break;
    default:
      c->mask_box.width = pick (rand, 1, 200);
      c->mask_box.height = pick (rand, 1, 200);
      c->mask_box.x = g_rand_boolean (rand) ? w + pick (rand, 0, 100) : -c->mask_box.width - pick (rand, 0, 100);
      c->mask_box.y = pick (rand, -100, h + 100);
      break;
    }
  mask = gegl_buffer_new (&c->mask_box, babl_format ("Y float"));
  gegl_buffer_set_color_from_pixel (mask, NULL, &zero, babl_format ("Y float"));

  /* a quarter of the masks are all zero; the others are lit over a part */
  if (g_rand_double (rand) < 0.25)
    {
      c->lit = (GeglRectangle) { 0, 0, 0, 0 };
      c->value = 0.0f;
      return mask;
    }
  lit.width = pick (rand, 1, c->mask_box.width);
  lit.height = pick (rand, 1, c->mask_box.height);
  lit.x = c->mask_box.x + pick (rand, 0, c->mask_box.width - lit.width);
  lit.y = c->mask_box.y + pick (rand, 0, c->mask_box.height - lit.height);
  c->value = g_rand_boolean (rand) ? 1.0f : (float) g_rand_double_range (rand, 0.05, 1.0);
  gegl_buffer_set_color_from_pixel (mask, &lit, &c->value, babl_format ("Y float"));
  c->lit = lit;
  return mask;
}

/* A numeric value for @pspec: an end, a soft end, the default or random. */
static double
pick_number (GRand      *rand,
             GParamSpec *pspec,
             double      lo,
             double      hi,
             double      def)
{
  double ui_lo = lo, ui_hi = hi;

  if (GEGL_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      ui_lo = GEGL_PARAM_SPEC_DOUBLE (pspec)->ui_minimum;
      ui_hi = GEGL_PARAM_SPEC_DOUBLE (pspec)->ui_maximum;
    }
  else if (GEGL_IS_PARAM_SPEC_INT (pspec))
    {
      ui_lo = GEGL_PARAM_SPEC_INT (pspec)->ui_minimum;
      ui_hi = GEGL_PARAM_SPEC_INT (pspec)->ui_maximum;
    }
  switch (pick (rand, 0, 6))
    {
    case 0: return lo;
    case 1: return hi;
    case 2: return ui_lo;
    case 3: return ui_hi;
    case 4: return def;
    default: return g_rand_double_range (rand, lo, hi);
    }
}

/* Sets the op's properties for the case; returns the (effective)
 * px-per-mm, after bounding the dots the case can make. */
static void
set_properties (GRand    *rand,
                GeglNode *op,
                Case     *c)
{
  guint        n = 0, i;
  GParamSpec **specs = gegl_operation_list_properties (c->operation, &n);
  double       density = 90.0, ppm;
  gint         look = 0;

  for (i = 0; i < n; i++)
    {
      GParamSpec *p = specs[i];
      const char *name = g_param_spec_get_name (p);

      if (! strcmp (name, "px-per-mm") || g_rand_double (rand) < 0.35)
        continue;
      if (G_IS_PARAM_SPEC_DOUBLE (p))
        {
          GParamSpecDouble *d = G_PARAM_SPEC_DOUBLE (p);
          double            v = pick_number (rand, p, d->minimum, d->maximum, d->default_value);

          gegl_node_set (op, name, v, NULL);
          g_string_append_printf (c->what, " %s=%g", name, v);
        }
      else if (G_IS_PARAM_SPEC_INT (p))
        {
          GParamSpecInt *d = G_PARAM_SPEC_INT (p);
          gint           v = (gint) pick_number (rand, p, d->minimum, d->maximum, d->default_value);

          gegl_node_set (op, name, v, NULL);
          g_string_append_printf (c->what, " %s=%d", name, v);
        }
      else if (G_IS_PARAM_SPEC_ENUM (p))
        {
          GEnumClass *e = G_PARAM_SPEC_ENUM (p)->enum_class;
          gint        v = e->values[pick (rand, 0, e->n_values - 1)].value;

          gegl_node_set (op, name, v, NULL);
          g_string_append_printf (c->what, " %s=%d", name, v);
        }
      else if (G_IS_PARAM_SPEC_BOOLEAN (p))
        {
          gboolean v = g_rand_boolean (rand);

          gegl_node_set (op, name, v, NULL);
          g_string_append_printf (c->what, " %s=%d", name, v);
        }
      else if (GEGL_IS_PARAM_SPEC_COLOR (p) || G_PARAM_SPEC_VALUE_TYPE (p) == GEGL_TYPE_COLOR)
        {
          gchar     *hex = g_strdup_printf ("#%06x", g_rand_int_range (rand, 0, 0x1000000));
          GeglColor *color = gegl_color_new (hex);

          gegl_node_set (op, name, color, NULL);
          g_string_append_printf (c->what, " %s=%s", name, hex);
          g_object_unref (color);
          g_free (hex);
        }
    }

  /* one value beyond its range, or NaN: GObject refuses it (its warning
   * is expected), and the op keeps the value it had */
  if (g_rand_double (rand) < 0.3)
    {
      GParamSpecDouble *d = NULL;
      const char       *name;
      double            v;

      while (! d)
        {
          GParamSpec *p = specs[pick (rand, 0, n - 1)];

          if (G_IS_PARAM_SPEC_DOUBLE (p))
            d = G_PARAM_SPEC_DOUBLE (p);
        }
      name = g_param_spec_get_name (G_PARAM_SPEC (d));
      switch (pick (rand, 0, 3))
        {
        case 0: v = d->minimum - 1.0; break;
        case 1: v = d->maximum * 10.0 + 1.0; break;
        case 2: v = NAN; break;
        default: v = -INFINITY; break;
        }
      /* a warning in GLib 2.74 (Debian 12), a critical in 2.84 (13) */
      g_test_expect_message ("GLib-GObject",
                             glib_check_version (2, 76, 0) ? G_LOG_LEVEL_WARNING
                                                           : G_LOG_LEVEL_CRITICAL,
                             "*out of range*");
      gegl_node_set (op, name, v, NULL);
      g_test_assert_expected_messages ();
      g_string_append_printf (c->what, " (refused %s=%g)", name, v);
    }
  g_free (specs);

  /* the scale last: at the ends or between, then raised until the case
   * makes few enough dots to stay cheap */
  ppm = exp (g_rand_double_range (rand, log (1.0), log (200.0)));
  if (g_rand_double (rand) < 0.2)
    ppm = g_rand_boolean (rand) ? 1.0 : 200.0;
  if (gegl_operation_find_property (c->operation, "density"))
    gegl_node_get (op, "density", &density, "look", &look, NULL);
  if (look != 0)
    density = MAX (density, 200.0);
  ppm = MAX (ppm, sqrt (density * c->w * c->h / 100.0 / MAX_DOTS));
  ppm = MIN (ppm, 200.0);
  gegl_node_set (op, "px-per-mm", ppm, NULL);
  c->px_per_mm = ppm;
  g_string_append_printf (c->what, " px-per-mm=%g", ppm);
}

/* How far (px) the op can change the photo from where its mask is lit:
 * generous, as it is a bound, not a measurement. */
static int
reach_px (GeglNode   *op,
          const Case *c)
{
  double mm = 1.0 + 2.0 * 3.0 * 1.0 + 4.0 * 0.3;   /* a dot: core, halo (widened), edge */
  double blur = 0.0, extra = 0.0;

  if (gegl_operation_find_property (c->operation, "photo-blur"))
    gegl_node_get (op, "photo-blur", &blur, NULL);
  if (! strcmp (c->operation, "smp:hairline"))
    {
      gegl_node_get (op, "irregularity", &extra, NULL);
      extra = MAX (extra, 10.0) + 3.0;        /* strays ahead, at any style */
    }
  else if (! strcmp (c->operation, "smp:scar-conceal"))
    gegl_node_get (op, "blend-width", &extra, NULL);
  else if (! strcmp (c->operation, "smp:thicken"))
    {
      gegl_node_get (op, "smoothing", &extra, NULL);
      extra *= 4.0;
    }
  return (int) ceil ((mm + extra) * c->px_per_mm + 3.0 * blur) + 2;
}

static guchar *
render (GeglNode            *op,
        const GeglRectangle *box,
        const Babl          *format,
        int                  threads,
        int                  chunk)
{
  guchar *pixels = g_malloc0 ((gsize) MAX (1, box->width) * MAX (1, box->height)
                              * babl_format_get_bytes_per_pixel (format));

  g_object_set (gegl_config (), "threads", threads, "chunk-size", chunk, NULL);
  gegl_node_blit (op, 1.0, box, format, pixels, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  return pixels;
}

static void
run_case (GRand *rand,
          int    index)
{
  Case           c = { 0 };
  GeglBuffer    *image, *mask;
  GeglNode      *root, *src, *op, *msrc;
  GeglRectangle  box, full;
  const Babl    *format;
  guchar        *one, *two, *before;
  gsize          bpp, size;
  gint           graph_look_custom = 0;

  c.index = index;
  c.operation = operations[index % G_N_ELEMENTS (operations)];
  c.format = formats[pick (rand, 0, G_N_ELEMENTS (formats) - 1)];
  c.w = pick_side (rand, index);
  c.h = g_rand_double (rand) < 0.3 ? c.w : pick_side (rand, index);
  /* two cases of each op at the largest size */
  if (index / G_N_ELEMENTS (operations) == 3 || index / G_N_ELEMENTS (operations) == 57)
    c.w = c.h = 2000;
  c.mask_kind = (MaskKind) pick (rand, 0, MASK_KINDS - 1);
  c.what = g_string_new (NULL);
  format = babl_format (c.format);
  bpp = babl_format_get_bytes_per_pixel (format);
  full = (GeglRectangle) { 0, 0, c.w, c.h };
  size = (gsize) c.w * c.h * bpp;

  image = make_image (rand, c.w, c.h, c.format);
  mask = make_mask (rand, &c);

  root = gegl_node_new ();
  src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", image, NULL);
  op = gegl_node_new_child (root, "operation", c.operation, NULL);
  /* most cases custom, as the tests of the layout see the dots; the
   * look, when the sweep picks one, overrides that */
  if (gegl_operation_find_property (c.operation, "look"))
    gegl_node_set (op, "look", graph_look_custom, NULL);
  gegl_node_link (src, op);
  if (mask)
    {
      msrc = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", mask, NULL);
      gegl_node_connect_to (msrc, "output", op, "aux");
    }
  set_properties (rand, op, &c);

  g_test_message ("case %d: %s %dx%d %s, mask %s (%d,%d %dx%d, lit %dx%d at %g):%s",
                  index, c.operation, c.w, c.h, c.format, mask_names[c.mask_kind],
                  c.mask_box.x, c.mask_box.y, c.mask_box.width, c.mask_box.height,
                  c.lit.width, c.lit.height, c.value, c.what->str);

  /* the output has the input's size */
  box = gegl_node_get_bounding_box (op);
  if (! gegl_rectangle_equal (&box, &full))
    g_error ("case %d: %s gives %d,%d %dx%d for a %dx%d image", index, c.operation,
             box.x, box.y, box.width, box.height, c.w, c.h);

  /* the same bytes on 1 thread and on 2 in small chunks */
  one = render (op, &full, format, 1, 1 << 22);
  two = render (op, &full, format, 2, 64 * 64);
  if (memcmp (one, two, size))
    g_error ("case %d: %s differs between 1 and 2 threads", index, c.operation);

  /* nothing changed where the mask is 0, beyond a dot's reach */
  if (mask && strcmp (c.operation, "smp:scalp-mask"))
    {
      gint          output = 0;
      int           reach = reach_px (op, &c);
      GeglRectangle near = c.lit;
      long          changed = 0;
      int           x, y;

      if (! strcmp (c.operation, "smp:hairline"))
        gegl_node_get (op, "output", &output, NULL);
      if (output == 0)
        {
          before = g_malloc (size);
          gegl_buffer_get (image, &full, 1.0, format, before, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
          if (near.width > 0)
            near = (GeglRectangle) { near.x - reach, near.y - reach,
                                     near.width + 2 * reach, near.height + 2 * reach };
          for (y = 0; y < c.h; y++)
            for (x = 0; x < c.w; x++)
              {
                gsize i = ((gsize) y * c.w + x) * bpp;

                if (near.width > 0 && x >= near.x && x < near.x + near.width
                    && y >= near.y && y < near.y + near.height)
                  continue;
                n_compared++;
                if (memcmp (one + i, before + i, bpp))
                  changed++;
              }
          n_checked++;
          g_free (before);
          if (changed)
            g_error ("case %d: %s changed %ld pixels where the mask is 0, beyond %d px "
                     "of where it is not", index, c.operation, changed, reach);
        }
    }

  g_free (one);
  g_free (two);
  g_object_unref (root);
  g_object_unref (image);
  g_clear_object (&mask);
  g_string_free (c.what, TRUE);
}

static void
test_sweep (void)
{
  const char *seed_text = g_getenv ("SMP_SWEEP_SEED");
  const char *cases_text = g_getenv ("SMP_SWEEP_CASES");
  const char *seconds_text = g_getenv ("SMP_SWEEP_SECONDS");
  guint32     seed = seed_text ? (guint32) strtoul (seed_text, NULL, 10) : 13;
  int         cases = cases_text ? atoi (cases_text) : 400;
  double      seconds = seconds_text ? atof (seconds_text) : 150.0;
  GTimer     *timer = g_timer_new ();
  int         k, per_op[G_N_ELEMENTS (operations)] = { 0 };

  for (k = 0; k < cases && g_timer_elapsed (timer, NULL) < seconds; k++)
    {
      /* each case from a seed of its own: one can be run again alone */
      GRand *rand = g_rand_new_with_seed (seed * 100003u + (guint32) k);

      double start = g_timer_elapsed (timer, NULL);

      run_case (rand, k);
      g_test_message ("case %d: %.2f s", k, g_timer_elapsed (timer, NULL) - start);
      per_op[k % G_N_ELEMENTS (operations)]++;
      g_rand_free (rand);
    }
  printf ("# sweep: %d of %d cases (seed %u) in %.1f s; %d checked unchanged where "
          "the mask is 0 (%ld pixels)\n", k, cases, seed, g_timer_elapsed (timer, NULL),
          n_checked, n_compared);
  g_object_set (gegl_config (), "threads", 1, "chunk-size", 1 << 22, NULL);
  g_timer_destroy (timer);
  /* every op swept, at least its one case at 2000×2000 */
  for (k = 0; k < (int) G_N_ELEMENTS (operations); k++)
    g_assert_cmpint (per_op[k], >=, MIN (4, cases / (int) G_N_ELEMENTS (operations)));
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_assert_true (gegl_has_operation ("smp:scar-conceal"));
  g_assert_true (gegl_has_operation ("smp:thicken"));
  g_assert_true (gegl_has_operation ("smp:scalp-mask"));
  g_test_add_func ("/sweep/all", test_sweep);
  return g_test_run ();
}
