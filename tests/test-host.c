/* gimp-smp: the plug-in's one run of every procedure (plugin/smp-host.c)
 * against a host of the test's own, an image in memory with no GIMP:
 * what the procedures change and what they refuse, whichever GIMP calls
 * them.  Both GIMPs fill the interface with the same code
 * (smp-host-gimp.c); the `plugin` tests run it for real.
 */
#include "config.h"

#include <string.h>
#include <gegl.h>

#include "smp-host.h"
#include "smp-plugin.h"

#define SMP_TEST_W      400
#define SMP_TEST_H      300
#define SMP_TEST_MAX    8

typedef struct
{
  gchar        *name;
  GeglBuffer   *buffer;     /* layer coordinates */
  GeglRectangle place;
  gboolean      visible, pixels;
  GBytes       *look;
} SmpFakeLayer;

typedef struct
{
  SmpHost       host;
  SmpHostItem   source;
  gboolean      rgb;
  gdouble       ppi;
  GeglBuffer   *selection;  /* NULL: none */
  GeglRectangle selected;
  SmpFakeLayer *stack[SMP_TEST_MAX]; /* top first */
  gint          n_layers;
  gint          undo_open, undo_groups, views, views_done, images;
  gchar        *scale_note;
  GeglRectangle layout;
} SmpFakeImage;

#define FAKE(host) ((SmpFakeImage *) (host))

static gboolean
fake_is_rgb (const SmpHost *host)
{
  return FAKE (host)->rgb;
}

static gdouble
fake_resolution (const SmpHost *host)
{
  return FAKE (host)->ppi;
}

static void
fake_size (const SmpHost *host,
           gint          *width,
           gint          *height)
{
  *width = SMP_TEST_W;
  *height = SMP_TEST_H;
}

static gboolean
fake_selection (const SmpHost *host,
                GeglRectangle *bounds)
{
  if (! FAKE (host)->selection)
    return FALSE;
  *bounds = FAKE (host)->selected;
  return TRUE;
}

static GeglBuffer *
fake_selection_buffer (const SmpHost *host)
{
  return g_object_ref (FAKE (host)->selection);
}

static gboolean
fake_is_layer (const SmpHost *host,
               SmpHostItem    item)
{
  return ((SmpFakeLayer *) item)->pixels;
}

static gchar *
fake_name (const SmpHost *host,
           SmpHostItem    item)
{
  return g_strdup (((SmpFakeLayer *) item)->name);
}

static GeglBuffer *
fake_buffer (const SmpHost *host,
             SmpHostItem    item,
             GeglRectangle *place)
{
  if (place)
    *place = ((SmpFakeLayer *) item)->place;
  return g_object_ref (((SmpFakeLayer *) item)->buffer);
}

static gint
fake_position (SmpFakeImage *image,
               SmpHostItem   item)
{
  gint k;

  for (k = 0; k < image->n_layers; k++)
    if (image->stack[k] == item)
      return k;
  g_assert_not_reached ();
  return -1;
}

static SmpFakeLayer *
fake_layer_new (const gchar         *name,
                const GeglRectangle *place)
{
  SmpFakeLayer *layer = g_new0 (SmpFakeLayer, 1);

  layer->name = g_strdup (name);
  layer->place = *place;
  layer->buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, place->width, place->height),
                                   babl_format ("R'G'B'A u8"));
  layer->visible = layer->pixels = TRUE;
  return layer;
}

static SmpHostItem
fake_add_layer (const SmpHost *host,
                SmpHostItem    like,
                SmpHostItem    below,
                const gchar   *name)
{
  SmpFakeImage *image = FAKE (host);
  SmpFakeLayer *layer = fake_layer_new (name, &((SmpFakeLayer *) like)->place);
  gint          at = fake_position (image, below);

  g_assert_cmpint (image->undo_open, ==, 1);
  g_assert_cmpint (image->n_layers, <, SMP_TEST_MAX);
  memmove (&image->stack[at + 1], &image->stack[at], (image->n_layers - at) * sizeof (gpointer));
  image->stack[at] = layer;
  image->n_layers++;
  return layer;
}

static void
fake_update (const SmpHost *host,
             SmpHostItem    layer)
{
}

static void
fake_attach_text (const SmpHost *host,
                  SmpHostItem    item,
                  const gchar   *parasite,
                  const gchar   *text)
{
  g_assert_cmpint (FAKE (host)->undo_open, ==, 1);
  if (item)
    {
      g_assert_cmpstr (parasite, ==, SMP_LOOK_PARASITE);
      ((SmpFakeLayer *) item)->look = g_bytes_new (text, strlen (text) + 1);
    }
  else
    {
      g_assert_cmpstr (parasite, ==, SMP_SCALE_PARASITE);
      FAKE (host)->scale_note = g_strdup (text);
    }
}

static GBytes *
fake_get_parasite (const SmpHost *host,
                   SmpHostItem    item,
                   const gchar   *parasite)
{
  GBytes *look = item ? ((SmpFakeLayer *) item)->look : NULL;

  return look ? g_bytes_ref (look) : NULL;
}

static void
fake_set_resolution (const SmpHost *host,
                     gdouble        ppi)
{
  g_assert_cmpint (FAKE (host)->undo_open, ==, 1);
  FAKE (host)->ppi = ppi;
}

static void
fake_undo_group (const SmpHost *host,
                 gboolean       start)
{
  SmpFakeImage *image = FAKE (host);

  image->undo_open += start ? 1 : -1;
  g_assert_cmpint (image->undo_open, >=, 0);
  g_assert_cmpint (image->undo_open, <=, 1);
  image->undo_groups += start;
}

static void
fake_progress_start (const SmpHost *host,
                     const gchar   *text)
{
}

static void
fake_progress (gdouble  fraction,
               gpointer data)
{
  g_assert_true (fraction >= 0.0 && fraction <= 1.0);
}

static void
fake_flush (const SmpHost *host)
{
}

static SmpHostItem *
fake_layers (const SmpHost *host,
             gint          *n)
{
  *n = FAKE (host)->n_layers;
  return g_memdup2 (FAKE (host)->stack, MAX (*n, 1) * sizeof (gpointer));
}

static gboolean
fake_is_visible (const SmpHost *host,
                 SmpHostItem    item)
{
  return ((SmpFakeLayer *) item)->visible;
}

/* What the image shows: its top visible layer that is not hidden (the
 * layers here are opaque where they matter). */
static void
fake_view (const SmpHost *host,
           const gint    *hidden,
           gint           n_hidden,
           SmpAfter      *after,
           gpointer      *keep)
{
  SmpFakeImage *image = FAKE (host);
  gint          k, j;

  for (k = 0; k < image->n_layers; k++)
    {
      gboolean shown = image->stack[k]->visible;

      for (j = 0; j < n_hidden; j++)
        shown = shown && hidden[j] != k;
      if (shown)
        break;
    }
  g_assert_cmpint (k, <, image->n_layers);
  after->buffer = g_object_ref (image->stack[k]->buffer);
  after->x = image->stack[k]->place.x;
  after->y = image->stack[k]->place.y;
  after->name = NULL;
  *keep = image;
  image->views++;
}

static void
fake_view_done (const SmpHost *host,
                gpointer       keep)
{
  g_assert_true (keep == host);
  FAKE (host)->views_done++;
}

static SmpHostItem
fake_new_image (const SmpHost *host,
                GeglBuffer    *layout,
                const gchar   *description,
                const gchar   *xml,
                GError       **error)
{
  g_assert_nonnull (strstr (description, "Digital simulation"));
  FAKE (host)->layout = *gegl_buffer_get_extent (layout);
  FAKE (host)->images++;
  return GINT_TO_POINTER (FAKE (host)->images);
}

/* An image of a photo (a skin tone with noise from @seed) at 10 px/mm,
 * its layer at offsets (10, 20), and a selection over part of it. */
static SmpFakeImage *
fake_image_new (guint32  seed,
                gboolean selected)
{
  static const SmpHost calls =
  {
    .is_rgb = fake_is_rgb, .resolution = fake_resolution, .size = fake_size,
    .selection = fake_selection, .selection_buffer = fake_selection_buffer,
    .is_layer = fake_is_layer, .name = fake_name, .buffer = fake_buffer,
    .add_layer = fake_add_layer, .update = fake_update, .attach_text = fake_attach_text,
    .get_parasite = fake_get_parasite, .set_resolution = fake_set_resolution,
    .undo_group = fake_undo_group, .progress_start = fake_progress_start,
    .progress = fake_progress, .flush = fake_flush, .layers = fake_layers,
    .is_visible = fake_is_visible, .view = fake_view, .view_done = fake_view_done,
    .new_image = fake_new_image,
  };
  SmpFakeImage *image = g_new0 (SmpFakeImage, 1);
  SmpFakeLayer *photo = fake_layer_new ("photo", GEGL_RECTANGLE (10, 20, 360, 260));
  GRand        *rand = g_rand_new_with_seed (seed);
  guchar       *pixels = g_malloc (360 * 260 * 4);
  gint          i;

  for (i = 0; i < 360 * 260; i++)
    {
      gint n = g_rand_int_range (rand, -12, 13);

      pixels[4 * i + 0] = 196 + n;
      pixels[4 * i + 1] = 150 + n;
      pixels[4 * i + 2] = 128 + n;
      pixels[4 * i + 3] = 255;
    }
  gegl_buffer_set (photo->buffer, NULL, 0, babl_format ("R'G'B'A u8"), pixels,
                   GEGL_AUTO_ROWSTRIDE);
  g_free (pixels);
  g_rand_free (rand);

  image->host = calls;
  image->rgb = TRUE;
  image->ppi = 254.0;
  image->stack[0] = photo;
  image->n_layers = 1;
  image->source = photo;
  image->host.sources = &image->source;
  image->host.n_sources = 1;
  if (selected)
    {
      image->selected = *GEGL_RECTANGLE (100, 80, 200, 120);
      image->selection = gegl_buffer_new (GEGL_RECTANGLE (0, 0, SMP_TEST_W, SMP_TEST_H),
                                          babl_format ("Y float"));
      gegl_buffer_set_color_from_pixel (image->selection, &image->selected,
                                        (const gfloat[]) { 1.0f }, babl_format ("Y float"));
    }
  return image;
}

static void
fake_image_free (SmpFakeImage *image)
{
  gint k;

  for (k = 0; k < image->n_layers; k++)
    {
      g_object_unref (image->stack[k]->buffer);
      g_clear_pointer (&image->stack[k]->look, g_bytes_unref);
      g_free (image->stack[k]->name);
      g_free (image->stack[k]);
    }
  g_clear_object (&image->selection);
  g_free (image->scale_note);
  g_free (image);
}

static guchar *
fake_pixels (SmpFakeLayer *layer)
{
  guchar *pixels = g_malloc ((gsize) layer->place.width * layer->place.height * 4);

  gegl_buffer_get (layer->buffer, GEGL_RECTANGLE (0, 0, layer->place.width, layer->place.height),
                   1.0, babl_format ("R'G'B'A u8"), pixels, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  return pixels;
}

/* Refused: FALSE, the message expected, and the image as it was (no
 * layer, no undo step, the photo's bytes). */
static void
assert_refused (SmpProcId    id,
                SmpFakeImage *image,
                SmpValues    *values,
                const gchar  *words)
{
  guchar  *before = fake_pixels (image->stack[image->n_layers - 1]), *after;
  gint     n_layers = image->n_layers;
  gdouble  ppi = image->ppi;
  GError  *error = NULL;
  gpointer out = NULL;

  g_assert_false (smp_host_run (&(SmpHostCall) { &image->host, smp_procedure_get (id), values },
                                &out, &error));
  g_assert_nonnull (error);
  g_test_message ("%s: %s", smp_procedure_name (id), error->message);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_null (out);
  g_assert_cmpint (image->n_layers, ==, n_layers);
  g_assert_cmpint (image->undo_groups, ==, 0);
  g_assert_cmpint (image->images, ==, 0);
  g_assert_cmpint (image->views, ==, image->views_done);
  g_assert_cmpfloat (image->ppi, ==, ppi);
  after = fake_pixels (image->stack[image->n_layers - 1]);
  g_assert_cmpmem (before, 360 * 260 * 4, after, 360 * 260 * 4);
  g_free (before);
  g_free (after);
  g_error_free (error);
}

/* Every procedure's refusals come from its table entry and the shared
 * checks: the host's image is left exactly as it was. */
static void
test_refusals (void)
{
  static const struct { SmpProcId id; gboolean selected, rgb, layer; gdouble ppi; const gchar *words; } cases[] =
  {
    { SMP_PROC_CONCEAL_SCAR, FALSE, TRUE, TRUE, 254, "Select the scar first" },
    { SMP_PROC_THICKEN, FALSE, TRUE, TRUE, 254, "Select the thinning area first" },
    { SMP_PROC_HAIRLINE, FALSE, TRUE, TRUE, 254, "Select the area behind the planned hairline" },
    { SMP_PROC_DENSITY, TRUE, FALSE, TRUE, 254, "RGB images" },
    { SMP_PROC_DENSITY, TRUE, TRUE, TRUE, 72.0 / 25.4 * 0.5, "no real scale" },
    { SMP_PROC_SESSIONS, TRUE, TRUE, FALSE, 254, "'photo' is not a pixel layer" },
    { SMP_PROC_BEFORE_AFTER, TRUE, TRUE, TRUE, 254, "no simulated result" },
    { SMP_PROC_BEFORE_AFTER, TRUE, TRUE, FALSE, 254, "Select the photo's layer" },
    { SMP_PROC_SET_SCALE, FALSE, TRUE, TRUE, 254, "Draw a path" },
  };
  gint i;

  for (i = 0; i < (gint) G_N_ELEMENTS (cases); i++)
    {
      SmpFakeImage *image = fake_image_new (i + 1, cases[i].selected);
      SmpValues     values;

      image->rgb = cases[i].rgb;
      image->ppi = cases[i].ppi;
      image->stack[0]->pixels = cases[i].layer;
      smp_values_init (smp_procedure_get (cases[i].id), &values);
      assert_refused (cases[i].id, image, &values, cases[i].words);
      smp_values_clear (&values);
      fake_image_free (image);
    }
}

/* Session Progression: one layer per session, each just above the one
 * before, in one undo group, with its look; beyond a dot's reach from
 * the selection (1.5 mm, as tests/test-mask.c allows) every layer holds the photo's own
 * bytes, inside it the dots; the photo is not written. */
static void
test_session_layers (void)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_SESSIONS);
  SmpFakeImage       *image = fake_image_new (7, TRUE);
  guchar             *photo = fake_pixels (image->stack[0]), *layer, *again;
  SmpValues           values;
  GError             *error = NULL;
  GeglRectangle       reach = image->selected;
  gint                k, x, y, changed;

  reach.x -= 15;
  reach.y -= 15;
  reach.width += 30;
  reach.height += 30;
  smp_values_init (proc, &values);
  smp_values_set_double (&values, SMP_ARG_ID_SESSIONS, 3);
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, proc, &values }, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (image->n_layers, ==, 4);
  g_assert_cmpint (image->undo_groups, ==, 1);
  g_assert_cmpint (image->undo_open, ==, 0);
  g_assert_true (image->stack[3] == image->source);
  for (k = 1; k <= 3; k++)
    {
      SmpFakeLayer *made = image->stack[3 - k];
      gchar        *name = smp_plugin_layer_name (proc, k);

      g_assert_cmpstr (made->name, ==, name);
      g_assert_nonnull (made->look);
      g_assert_nonnull (strstr (g_bytes_get_data (made->look, NULL), "plug-in-smp-sessions"));
      g_assert_true (gegl_rectangle_equal (&made->place, &image->stack[3]->place));
      layer = fake_pixels (made);
      changed = 0;
      for (y = 0; y < 260; y++)
        for (x = 0; x < 360; x++)
          {
            gint     i = 4 * (y * 360 + x);
            gboolean inside = gegl_rectangle_contains (&image->selected,
                                                       GEGL_RECTANGLE (x + 10, y + 20, 1, 1));

            if (! gegl_rectangle_contains (&reach, GEGL_RECTANGLE (x + 10, y + 20, 1, 1)))
              g_assert_cmpmem (&layer[i], 4, &photo[i], 4);
            changed += inside && memcmp (&layer[i], &photo[i], 4) != 0;
          }
      g_test_message ("session %d: %d pixels of the selection's %d changed", k, changed,
                      image->selected.width * image->selected.height);
      g_assert_cmpint (changed, >, 0);
      g_free (layer);
      g_free (name);
    }
  again = fake_pixels (image->stack[3]);
  g_assert_cmpmem (again, 360 * 260 * 4, photo, 360 * 260 * 4);
  g_free (again);
  g_free (photo);
  smp_values_clear (&values);
  fake_image_free (image);
}

/* Set Scale: the resolution that makes the path's span the length
 * given, with its note, in one undo group. */
static void
test_set_scale (void)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_SET_SCALE);
  SmpFakeImage       *image = fake_image_new (3, FALSE);
  SmpValues           values;
  GError             *error = NULL;

  smp_values_init (proc, &values);
  values.path_points = 2;
  values.path_xy = g_new (gdouble, 4);
  memcpy (values.path_xy, (const gdouble[]) { 20, 50, 320, 50 }, 4 * sizeof (gdouble));
  smp_values_set_double (&values, SMP_ARG_ID_LENGTH_MM, 150.0);
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, proc, &values }, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (image->ppi, 300.0 / 150.0 * 25.4, 1e-9);
  g_assert_cmpstr (image->scale_note, ==, "300.0 px over 150.0 mm");
  g_assert_cmpint (image->undo_groups, ==, 1);
  g_assert_cmpint (image->undo_open, ==, 0);
  smp_values_clear (&values);
  fake_image_free (image);
}

/* Before/After Layout over a Density result: a new image of the preset's
 * size, every view of the image released, no undo step in it; with two
 * results each alone, two views. */
static void
test_layout (void)
{
  const SmpProcedure *density = smp_procedure_get (SMP_PROC_DENSITY);
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  SmpFakeImage       *image = fake_image_new (5, TRUE);
  SmpValues           values, layout;
  GError             *error = NULL;
  gpointer            out = NULL;
  gint                undo;

  smp_values_init (density, &values);
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, density, &values }, NULL, &error));
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, density, &values }, NULL, &error));
  g_assert_no_error (error);
  undo = image->undo_groups;
  smp_values_init (proc, &layout);
  smp_values_set_double (&layout, SMP_ARG_ID_SIZE, 2);          /* 1920x1080 */
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, proc, &layout }, &out, &error));
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_cmpint (image->layout.width, ==, 1920);
  g_assert_cmpint (image->layout.height, ==, 1080);
  g_assert_cmpint (image->views, ==, 1);
  g_assert_cmpint (image->views_done, ==, 1);
  g_assert_cmpint (image->undo_groups, ==, undo);

  smp_values_set_double (&layout, SMP_ARG_ID_AFTERS, SMP_COMPOSE_AFTER_EACH_RESULT);
  g_assert_true (smp_host_run (&(SmpHostCall) { &image->host, proc, &layout }, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (image->images, ==, 2);
  g_assert_cmpint (image->views, ==, 3);
  g_assert_cmpint (image->views_done, ==, 3);
  g_assert_cmpint (image->undo_groups, ==, undo);
  smp_values_clear (&layout);
  smp_values_clear (&values);
  fake_image_free (image);
}

int
main (int    argc,
      char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  gegl_init (&argc, &argv);
  gegl_load_module_directory (g_getenv ("SMP_MODULE_DIR"));
  g_test_add_func ("/host/refusals", test_refusals);
  g_test_add_func ("/host/session-layers", test_session_layers);
  g_test_add_func ("/host/set-scale", test_set_scale);
  g_test_add_func ("/host/layout", test_layout);
  status = g_test_run ();
  gegl_exit ();
  return status;
}
