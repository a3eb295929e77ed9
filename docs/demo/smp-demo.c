/* gimp-smp demo: the bundled sample photo through the smp: operations.
 *
 * Renders docs/data/sample-scalp.jpg at the photo's scale through smp:stipple
 * (the shaved look, its density fading out over a feathered mask) and
 * smp:hairline (a soft, irregular hairline on a planned arc), and
 * smp:scar-conceal (a scar drawn across the scalp, inside simulated SMP),
 * and smp:thicken (on a synthetic crown of thinning hair: no photo of
 * thinning hair is bundled), and writes for each a labelled before/after
 * pair and a 4× detail.
 *
 *   smp-demo MODULE_DIR SAMPLE OUTPUT_DIR
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gegl.h>

/* The sample's head is about 720 px across the temples of a head about
 * 150 mm wide: 4.8 px per mm. */
#define SAMPLE_PX_PER_MM 4.8
/* The planned hairline (in sample pixels from the top) and how many mm
 * the density takes to fade out below it. */
#define HAIRLINE_Y       150.0
#define HAIRLINE_FADE_MM 6.0
#define SIMULATION_LABEL "Digital simulation - not an actual treatment result"
#define CREDIT           "Photo: NASA/Norah Moran (public domain). Simulated SMP: gimp-smp %s, defaults."

/* Coverage mask a designer would select: the scalp above the hairline,
 * feathered, and nothing on the black background. */
static GeglBuffer *
demo_mask (GeglBuffer *photo)
{
  const GeglRectangle *r = gegl_buffer_get_extent (photo);
  gfloat     *y = g_new (gfloat, (gsize) r->width * r->height);
  GeglBuffer *mask = gegl_buffer_new (r, babl_format ("Y float"));
  double      fade = HAIRLINE_FADE_MM * SAMPLE_PX_PER_MM;
  int         i;

  gegl_buffer_get (photo, r, 1.0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < r->width * r->height; i++)
    {
      double row = i / r->width + 0.5;
      double skin = CLAMP ((y[i] - 0.004) / 0.012, 0.0, 1.0);
      double above = CLAMP ((HAIRLINE_Y + 0.5 * fade - row) / fade, 0.0, 1.0);

      y[i] = (gfloat) (skin * above);
    }
  gegl_buffer_set (mask, r, 0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE);
  g_free (y);
  return mask;
}

/* A planned hairline for smp:hairline: everything above an arc that
 * dips towards the temples is covered, with a hard-edged selection as a
 * designer would draw it (the op makes the soft transition itself). */
static GeglBuffer *
demo_hairline_mask (const GeglRectangle *r)
{
  gfloat     *m = g_new (gfloat, (gsize) r->width * r->height);
  GeglBuffer *mask = gegl_buffer_new (r, babl_format ("Y float"));
  int         x, y;

  for (y = 0; y < r->height; y++)
    for (x = 0; x < r->width; x++)
      {
        double arc = HAIRLINE_Y + 0.0004 * (x - 0.5 * r->width) * (x - 0.5 * r->width);

        m[(gsize) y * r->width + x] = y + 0.5 < arc ? 1.0f : 0.0f;
      }
  gegl_buffer_set (mask, r, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  g_free (m);
  return mask;
}

static GeglBuffer *demo_render (const char *operation, GeglBuffer *photo, GeglBuffer *mask);

/* A scar for smp:scar-conceal, drawn across the crown like a healed
 * surgical scar: its centre line, in sample pixels. */
#define SCAR_WIDTH_MM 3.5

static double
demo_scar_centre (double x)
{
  return 95.0 + 0.00035 * (x - 430.0) * (x - 430.0) + 6.0 * sin (x / 37.0);
}

/* The scar's coverage, antialiased, from x = 260 to 600 with rounded ends. */
static GeglBuffer *
demo_scar_mask (const GeglRectangle *r)
{
  gfloat     *m = g_new (gfloat, (gsize) r->width * r->height);
  GeglBuffer *mask = gegl_buffer_new (r, babl_format ("Y float"));
  double      half = 0.5 * SCAR_WIDTH_MM * SAMPLE_PX_PER_MM;
  int         x, y;

  for (y = 0; y < r->height; y++)
    for (x = 0; x < r->width; x++)
      {
        double px = CLAMP (x + 0.5, 260.0, 600.0);
        double d = hypot (x + 0.5 - px, y + 0.5 - demo_scar_centre (px));

        m[(gsize) y * r->width + x] = (gfloat) CLAMP (half + 0.5 - d, 0.0, 1.0);
      }
  gegl_buffer_set (mask, r, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  g_free (m);
  return mask;
}

/* The client's scalp before scar concealment: earlier SMP (smp:stipple at
 * its defaults) everywhere but on the scar, and the scar itself lighter
 * (hypopigmented), a little paler in colour and smoother than the skin. */
static GeglBuffer *
demo_scarred (GeglBuffer *photo,
              GeglBuffer *scalp_mask,
              GeglBuffer *scar)
{
  const GeglRectangle *r = gegl_buffer_get_extent (photo);
  gsize       n = (gsize) r->width * r->height, i;
  gfloat     *m = g_new (gfloat, n), *c = g_new (gfloat, n), *px = g_new (gfloat, n * 4);
  gfloat     *smooth = g_new (gfloat, n * 4);
  GeglBuffer *smp_mask = gegl_buffer_new (r, babl_format ("Y float"));
  GeglBuffer *before;
  int         x, y, k, j, i2;

  gegl_buffer_get (scalp_mask, r, 1.0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (scar, r, 1.0, babl_format ("Y float"), c, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n; i++)
    m[i] *= 1.0f - c[i];
  gegl_buffer_set (smp_mask, r, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  before = demo_render ("smp:stipple", photo, smp_mask);

  gegl_buffer_get (before, r, 1.0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  memcpy (smooth, px, sizeof (gfloat) * n * 4);
  for (y = 2; y < r->height - 2; y++)
    for (x = 2; x < r->width - 2; x++)
      if (c[(gsize) y * r->width + x] > 0.0f)
        for (k = 0; k < 3; k++)
          {
            double sum = 0.0;

            for (j = -2; j <= 2; j++)
              for (i2 = -2; i2 <= 2; i2++)
                sum += px[((gsize) (y + j) * r->width + x + i2) * 4 + k];
            smooth[((gsize) y * r->width + x) * 4 + k] = (gfloat) (sum / 25.0);
          }
  for (i = 0; i < n; i++)
    if (c[i] > 0.0f)
      {
        gfloat *p = px + 4 * i, *s = smooth + 4 * i;
        double  lum = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];

        for (k = 0; k < 3; k++)
          {
            /* about 10 L* lighter on this skin, greyer, and only a third of
             * the skin's fine texture */
            double scar_c = 1.45 * (0.75 * (0.35 * p[k] + 0.65 * s[k]) + 0.25 * lum);

            p[k] = (gfloat) ((1.0 - c[i]) * p[k] + c[i] * scar_c);
          }
      }
  gegl_buffer_set (before, r, 0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE);
  g_free (m);
  g_free (c);
  g_free (px);
  g_free (smooth);
  g_object_unref (smp_mask);
  return before;
}

/* Draws @text at (x, y) over @canvas. */
static void
demo_label (GeglBuffer *canvas,
            const char *text,
            double      size,
            int         x,
            int         y)
{
  GeglNode  *root = gegl_node_new ();
  GeglColor *white = gegl_color_new ("#f2f2f2");
  GeglNode  *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", canvas, NULL);
  GeglNode  *label = gegl_node_new_child (root, "operation", "gegl:text", "string", text,
                                          "size", size, "color", white, NULL);
  GeglNode  *move = gegl_node_new_child (root, "operation", "gegl:translate",
                                         "x", (double) x, "y", (double) y, NULL);
  GeglNode  *over = gegl_node_new_child (root, "operation", "gegl:over", NULL);
  GeglNode  *sink = gegl_node_new_child (root, "operation", "gegl:write-buffer", "buffer", canvas, NULL);

  gegl_node_link_many (label, move, NULL);
  gegl_node_link_many (src, over, sink, NULL);
  gegl_node_connect_to (move, "output", over, "aux");
  gegl_node_process (sink);
  g_object_unref (white);
  g_object_unref (root);
}

static void
demo_save (GeglBuffer *buffer,
           const char *path)
{
  GeglNode *root = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  GeglNode *save = gegl_node_new_child (root, "operation", "gegl:png-save", "path", path,
                                        "bitdepth", 8, NULL);

  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (root);
}

/* Copies @rect of @from to (x, y) of @to, enlarged @zoom times with
 * nearest-neighbour pixels, as GIMP shows them at zoom × 100 %. */
static void
demo_paste_zoomed (GeglBuffer          *from,
                   const GeglRectangle *rect,
                   GeglBuffer          *to,
                   int                  x,
                   int                  y,
                   int                  zoom)
{
  const Babl *format = babl_format ("R'G'B'A u8");
  guint8     *src = g_malloc ((gsize) rect->width * rect->height * 4);
  guint8     *dst = g_malloc ((gsize) rect->width * rect->height * 4 * zoom * zoom);
  int         i, j, w = rect->width * zoom;

  gegl_buffer_get (from, rect, 1.0, format, src, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (j = 0; j < rect->height * zoom; j++)
    for (i = 0; i < w; i++)
      memcpy (dst + ((gsize) j * w + i) * 4,
              src + ((gsize) (j / zoom) * rect->width + i / zoom) * 4, 4);
  gegl_buffer_set (to, GEGL_RECTANGLE (x, y, w, rect->height * zoom), 0, format, dst,
                   GEGL_AUTO_ROWSTRIDE);
  g_free (src);
  g_free (dst);
}

/* @photo through @operation with @mask on aux. */
static GeglBuffer *
demo_render (const char *operation,
             GeglBuffer *photo,
             GeglBuffer *mask)
{
  GeglNode   *root = gegl_node_new ();
  GeglNode   *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", photo, NULL);
  GeglNode   *msrc = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", mask, NULL);
  GeglNode   *op = gegl_node_new_child (root, "operation", operation,
                                        "px-per-mm", SAMPLE_PX_PER_MM, "seed", 2026, NULL);
  GeglBuffer *after = NULL;
  GeglNode   *sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &after, NULL);

  gegl_node_link_many (src, op, sink, NULL);
  gegl_node_connect_to (msrc, "output", op, "aux");
  gegl_node_process (sink);
  g_object_unref (root);
  return after;
}

/* Writes NAME-before-after.png and NAME-detail-400.png into @dir, with
 * @credit_format (a printf format taking the operation) under each. */
static void
demo_pair_credited (const char          *dir,
                    const char          *name,
                    const char          *operation,
                    const char          *before_label,
                    const char          *credit_format,
                    GeglBuffer          *photo,
                    GeglBuffer          *after,
                    const GeglRectangle *detail)
{
  const int            gap = 16, caption = 56, zoom = 4;
  const GeglRectangle *r = gegl_buffer_get_extent (photo);
  GeglColor           *black = gegl_color_new ("black");
  GeglBuffer          *pair, *zoomed;
  gchar               *credit = g_strdup_printf (credit_format, operation);
  gchar               *file, *path;

  /* before | after, captions below, on black like the portrait */
  pair = gegl_buffer_new (GEGL_RECTANGLE (0, 0, 2 * r->width + gap, r->height + caption),
                          babl_format ("R'G'B'A u8"));
  gegl_buffer_set_color (pair, NULL, black);
  gegl_buffer_copy (photo, r, GEGL_ABYSS_NONE, pair, GEGL_RECTANGLE (0, 0, 0, 0));
  gegl_buffer_copy (after, r, GEGL_ABYSS_NONE, pair, GEGL_RECTANGLE (r->width + gap, 0, 0, 0));
  demo_label (pair, before_label, 20, 12, r->height + 6);
  demo_label (pair, "After: " SIMULATION_LABEL, 20, r->width + gap + 12, r->height + 6);
  demo_label (pair, credit, 13, 12, r->height + 34);
  file = g_strdup_printf ("%s-before-after.png", name);
  path = g_build_filename (dir, file, NULL);
  demo_save (pair, path);
  printf ("%s before/after: %s\n", operation, path);
  g_free (file);
  g_free (path);

  /* the same patch of scalp at 400 %, before and after */
  zoomed = gegl_buffer_new (GEGL_RECTANGLE (0, 0, 2 * detail->width * zoom + gap,
                                            detail->height * zoom + caption),
                            babl_format ("R'G'B'A u8"));
  gegl_buffer_set_color (zoomed, NULL, black);
  demo_paste_zoomed (photo, detail, zoomed, 0, 0, zoom);
  demo_paste_zoomed (after, detail, zoomed, detail->width * zoom + gap, 0, zoom);
  demo_label (zoomed, "Before, 400 %", 20, 12, detail->height * zoom + 6);
  demo_label (zoomed, "After, 400 %: " SIMULATION_LABEL, 20,
              detail->width * zoom + gap + 12, detail->height * zoom + 6);
  demo_label (zoomed, credit, 13, 12, detail->height * zoom + 34);
  file = g_strdup_printf ("%s-detail-400.png", name);
  path = g_build_filename (dir, file, NULL);
  demo_save (zoomed, path);
  printf ("%s 400 %% detail: %s\n", operation, path);
  g_free (file);
  g_free (path);

  g_free (credit);
  g_object_unref (black);
  g_object_unref (zoomed);
  g_object_unref (pair);
}

static void
demo_pair (const char          *dir,
           const char          *name,
           const char          *operation,
           const char          *before_label,
           GeglBuffer          *photo,
           GeglBuffer          *after,
           const GeglRectangle *detail)
{
  demo_pair_credited (dir, name, operation, before_label, CREDIT, photo, after, detail);
}

/* A synthetic crown of diffuse thinning at 10 px/mm (64 × 42 mm): medium
 * skin lit across a dome, with grain, under combed dark-brown strands
 * 0.1-0.2 mm wide that flow from a whorl, sparser in the middle (about
 * 45 % of it under hair) than at the edges. */
#define THIN_PX_PER_MM 10.0

static GeglBuffer *
demo_thinning (int w, int h)
{
  GRand      *rand = g_rand_new_with_seed (2026);
  gfloat     *share = g_new0 (gfloat, (gsize) w * h), *rgba = g_new (gfloat, (gsize) w * h * 4);
  gfloat      skin[3] = { 0.745f, 0.418f, 0.141f }, hair[3] = { 0.045f, 0.027f, 0.017f };
  double      wx = 0.55 * w, wy = 0.35 * h;
  GeglBuffer *buffer;
  int         i, x, y, c;

  for (i = 0; i < 1500; i++)
    {
      double px = g_rand_double_range (rand, -60, w + 60), py = g_rand_double_range (rand, -60, h + 60);
      double centre = hypot ((px - 0.5 * w) / w, (py - 0.5 * h) / h);
      double half = 0.5 * g_rand_double_range (rand, 1.0, 2.0), turn = 0, angle;
      int    s, steps = g_rand_int_range (rand, 150, 450);

      /* fewer strands towards the middle of the crown */
      if (g_rand_double (rand) > 0.35 + 1.6 * centre)
        continue;
      /* combed: along the swirl round the whorl, with some spread */
      angle = atan2 (py - wy, px - wx) + 1.2 + g_rand_double_range (rand, -0.35, 0.35);
      for (s = 0; s < steps; s++)
        {
          double nx, ny;

          turn = 0.92 * turn + g_rand_double_range (rand, -0.015, 0.015);
          angle += turn;
          nx = px + cos (angle);
          ny = py + sin (angle);
          for (y = MAX ((int) (MIN (py, ny) - 3), 0); y <= MIN ((int) (MAX (py, ny) + 3), h - 1); y++)
            for (x = MAX ((int) (MIN (px, nx) - 3), 0); x <= MIN ((int) (MAX (px, nx) + 3), w - 1); x++)
              {
                double dx = nx - px, dy = ny - py;
                double t = CLAMP (((x + 0.5 - px) * dx + (y + 0.5 - py) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
                double d = hypot (x + 0.5 - px - t * dx, y + 0.5 - py - t * dy);
                float  a = (float) CLAMP (half + 0.5 - d, 0.0, 1.0);

                share[(gsize) y * w + x] = MAX (share[(gsize) y * w + x], a);
              }
          px = nx;
          py = ny;
        }
    }
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        gsize  p = (gsize) y * w + x;
        double u = (x - 0.45 * w) / (0.9 * w), v = (y - 0.4 * h) / (0.9 * h);
        double light = 0.55 + 0.5 * sqrt (MAX (1.0 - u * u - v * v, 0.0)) - 0.25 * u;
        double grain = 1.0 + g_rand_double_range (rand, -0.04, 0.04);

        for (c = 0; c < 3; c++)
          rgba[p * 4 + c] = (float) (light * (share[p] * hair[c] * (1.0 + 0.6 * share[p] * (c == 0))
                                             + (1 - share[p]) * skin[c] * grain));
        rgba[p * 4 + 3] = 1.0f;
      }
  buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("R'G'B'A u8"));
  gegl_buffer_set (buffer, NULL, 0, babl_format ("RGBA float"), rgba, GEGL_AUTO_ROWSTRIDE);
  g_free (share);
  g_free (rgba);
  g_rand_free (rand);
  return buffer;
}

/* The thinning area a designer would select: an ellipse, feathered 3 mm. */
static GeglBuffer *
demo_thinning_region (int w, int h)
{
  GeglBuffer *mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));
  gfloat     *m = g_new (gfloat, (gsize) w * h);
  int         x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        double e = hypot ((x - 0.5 * w) / (0.36 * w), (y - 0.5 * h) / (0.36 * h));

        m[(gsize) y * w + x] = (float) CLAMP ((1.0 - e) * 0.36 * MIN (w, h) / (3.0 * THIN_PX_PER_MM) + 0.5, 0.0, 1.0);
      }
  gegl_buffer_set (mask, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  g_free (m);
  return mask;
}

int
main (int argc, char **argv)
{
  GeglNode            *root, *load, *sink;
  GeglBuffer          *photo = NULL, *mask, *after;
  const GeglRectangle *r;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s MODULE_DIR SAMPLE OUTPUT_DIR\n", argv[0]);
      return 2;
    }
  gegl_init (&argc, &argv);
  gegl_load_module_directory (argv[1]);
  if (! gegl_has_operation ("smp:stipple") || ! gegl_has_operation ("smp:hairline")
      || ! gegl_has_operation ("smp:scar-conceal") || ! gegl_has_operation ("smp:thicken"))
    {
      fprintf (stderr, "the smp: operations are not in %s\n", argv[1]);
      return 1;
    }
  g_mkdir_with_parents (argv[3], 0755);

  root = gegl_node_new ();
  load = gegl_node_new_child (root, "operation", "gegl:load", "path", argv[2], NULL);
  sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &photo, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (root);
  if (! photo)
    {
      fprintf (stderr, "cannot load %s\n", argv[2]);
      return 1;
    }
  r = gegl_buffer_get_extent (photo);

  mask = demo_mask (photo);
  after = demo_render ("smp:stipple", photo, mask);
  demo_pair (argv[3], "stipple", "smp:stipple", "Before: photo", photo, after, GEGL_RECTANGLE (300, 60, 180, 120));
  g_object_unref (after);
  g_object_unref (mask);

  mask = demo_hairline_mask (r);
  after = demo_render ("smp:hairline", photo, mask);
  demo_pair (argv[3], "hairline", "smp:hairline", "Before: photo", photo, after, GEGL_RECTANGLE (300, 90, 180, 120));
  g_object_unref (after);
  /* the design itself: the density field the dots follow (white = full) */
  {
    GeglNode   *graph = gegl_node_new ();
    GeglNode   *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", photo, NULL);
    GeglNode   *msrc = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", mask, NULL);
    GeglNode   *op = gegl_node_new_child (graph, "operation", "smp:hairline", "px-per-mm", SAMPLE_PX_PER_MM,
                                          "seed", 2026, "output", 1, NULL);
    GeglNode   *save = gegl_node_new_child (graph, "operation", "gegl:png-save", "bitdepth", 8, NULL);
    gchar      *path = g_build_filename (argv[3], "hairline-density.png", NULL);

    gegl_node_set (save, "path", path, NULL);
    gegl_node_link_many (src, op, save, NULL);
    gegl_node_connect_to (msrc, "output", op, "aux");
    gegl_node_process (save);
    printf ("smp:hairline density field: %s\n", path);
    g_free (path);
    g_object_unref (graph);
  }
  g_object_unref (mask);

  /* a scar inside earlier SMP, concealed */
  {
    GeglBuffer *scar = demo_scar_mask (r), *scalp = demo_mask (photo), *before;

    before = demo_scarred (photo, scalp, scar);
    /* the op at its defaults: it reads the SMP around the scar by its
     * look at a distance and builds the lighter scar up to it */
    {
      GeglNode *root = gegl_node_new ();
      GeglNode *src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", before, NULL);
      GeglNode *msrc = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", scar, NULL);
      GeglNode *op = gegl_node_new_child (root, "operation", "smp:scar-conceal",
                                          "px-per-mm", SAMPLE_PX_PER_MM, "seed", 2027, NULL);
      GeglNode *sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &after, NULL);

      gegl_node_link_many (src, op, sink, NULL);
      gegl_node_connect_to (msrc, "output", op, "aux");
      gegl_node_process (sink);
      g_object_unref (root);
    }
    demo_pair_credited (argv[3], "scar", "smp:scar-conceal",
                        "Before: photo + drawn scar + simulated SMP",
                        "Photo: NASA/Norah Moran (public domain). Simulated SMP: gimp-smp %s, "
                        "defaults (tone blend off).",
                        before, after, GEGL_RECTANGLE (330, 60, 180, 120));
    g_object_unref (after);
    g_object_unref (before);
    g_object_unref (scalp);
    g_object_unref (scar);
  }

  /* the density illusion on synthetic thinning hair, at its defaults */
  {
    GeglBuffer *crown = demo_thinning (640, 420), *region = demo_thinning_region (640, 420);
    GeglNode   *graph = gegl_node_new ();
    GeglNode   *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", crown, NULL);
    GeglNode   *msrc = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", region, NULL);
    GeglNode   *op = gegl_node_new_child (graph, "operation", "smp:thicken",
                                          "px-per-mm", THIN_PX_PER_MM, "seed", 2026, NULL);
    GeglNode   *sink = gegl_node_new_child (graph, "operation", "gegl:buffer-sink", "buffer", &after, NULL);

    gegl_node_link_many (src, op, sink, NULL);
    gegl_node_connect_to (msrc, "output", op, "aux");
    gegl_node_process (sink);
    g_object_unref (graph);
    demo_pair_credited (argv[3], "thicken", "smp:thicken", "Before: synthetic thinning hair",
                        "Synthetic image (no photo of thinning hair is bundled). "
                        "Simulated SMP: gimp-smp %s, defaults.",
                        crown, after, GEGL_RECTANGLE (240, 150, 180, 120));
    g_object_unref (after);
    g_object_unref (region);
    g_object_unref (crown);
  }

  g_object_unref (photo);
  gegl_exit ();
  return 0;
}
