/* gimp-smp tests: the before/after composer's GEGL core (issue "Before/after
 * imagery for marketing", measured point c, the parts without GIMP).
 *
 * The fixtures are photos of seeded noise, the hardest case for a
 * resampler: any difference in crop, scale, position or sampler between the
 * halves shows in every pixel.  The reference for a half is rendered here
 * with its own graph of the nodes smp-compose.h documents, from a plain
 * copy of the layer, not from the composer's view of it.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "smp-test-util.h"
#include "smp-compose.h"

#define IMAGE_W   640
#define IMAGE_H   480
/* the source layer: smaller than the image, at offsets */
#define LAYER_X   37
#define LAYER_Y   23
#define LAYER_W   560
#define LAYER_H   420

static const GeglRectangle test_crop = { 61, 45, 401, 333 };

/* @w × @h opaque "R'G'B'A u8" noise from @seed, at @x, @y. */
static GeglBuffer *
noise (guint32 seed,
       gint    x,
       gint    y,
       gint    w,
       gint    h)
{
  GRand      *rand = g_rand_new_with_seed (seed);
  guchar     *px = g_new (guchar, (gsize) w * h * 4);
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (x, y, w, h), babl_format ("R'G'B'A u8"));
  gsize       i;

  for (i = 0; i < (gsize) w * h; i++)
    {
      px[4 * i] = g_rand_int_range (rand, 0, 256);
      px[4 * i + 1] = g_rand_int_range (rand, 0, 256);
      px[4 * i + 2] = g_rand_int_range (rand, 0, 256);
      px[4 * i + 3] = 255;
    }
  gegl_buffer_set (buffer, NULL, 0, NULL, px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
  g_rand_free (rand);
  return buffer;
}

/* The after: the before's image with every 5th pixel of each 5th row
 * darkened, as dots would. */
static GeglBuffer *
dotted (GeglBuffer *image)
{
  const GeglRectangle *e = gegl_buffer_get_extent (image);
  GeglBuffer          *after = gegl_buffer_dup (image);
  guchar              *px = g_new (guchar, (gsize) e->width * e->height * 4);
  gint                 x, y, c;

  gegl_buffer_get (after, e, 1.0, babl_format ("R'G'B'A u8"), px,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (y = 0; y < e->height; y += 5)
    for (x = 0; x < e->width; x += 5)
      for (c = 0; c < 3; c++)
        px[4 * ((gsize) y * e->width + x) + c] /= 4;
  gegl_buffer_set (after, e, 0, babl_format ("R'G'B'A u8"), px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
  return after;
}

/* The photo the tests compose: an image-size after made from noise, and
 * the source layer (in its own coordinates, as GIMP gives it) that is
 * the same noise where it lies. */
typedef struct
{
  GeglBuffer *image;      /* the untouched photo, image coordinates */
  GeglBuffer *layer;      /* the source layer, layer coordinates */
  GeglBuffer *before;     /* the layer at its offsets (the composer's view) */
  GeglBuffer *placed;     /* a plain copy of it in image coordinates */
  GeglBuffer *after;      /* the visible result */
} Photo;

/* A photo of @image_w × @image_h with its source layer at @layer. */
static void
photo_init_sized (Photo               *p,
                  guint32              seed,
                  gint                 image_w,
                  gint                 image_h,
                  const GeglRectangle *layer)
{
  p->image = noise (seed, 0, 0, image_w, image_h);
  p->layer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, layer->width, layer->height),
                              babl_format ("R'G'B'A u8"));
  p->placed = gegl_buffer_new (layer, babl_format ("R'G'B'A u8"));
  gegl_buffer_copy (p->image, layer, GEGL_ABYSS_NONE, p->layer,
                    GEGL_RECTANGLE (0, 0, layer->width, layer->height));
  gegl_buffer_copy (p->image, layer, GEGL_ABYSS_NONE, p->placed, NULL);
  p->before = smp_compose_at_offsets (p->layer, layer->x, layer->y);
  p->after = dotted (p->image);
}

static void
photo_init (Photo  *p,
            guint32 seed)
{
  photo_init_sized (p, seed, IMAGE_W, IMAGE_H,
                    GEGL_RECTANGLE (LAYER_X, LAYER_Y, LAYER_W, LAYER_H));
}

static void
photo_clear (Photo *p)
{
  g_object_unref (p->image);
  g_object_unref (p->layer);
  g_object_unref (p->before);
  g_object_unref (p->placed);
  g_object_unref (p->after);
}

static gpointer
read_rect (GeglBuffer          *buffer,
           const GeglRectangle *rect,
           const Babl          *format)
{
  gpointer px = g_malloc ((gsize) rect->width * rect->height * babl_format_get_bytes_per_pixel (format));

  gegl_buffer_get (buffer, rect, 1.0, format, px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  return px;
}

/* The header's halving below half size: how many times, and the crop
 * (with up to 4 · 2^k px around it) averaged over 2^k blocks from its
 * top left, which lands at (0, 0). */
static gint
reference_halvings (const SmpComposeGeometry *g)
{
  /* exact at the powers of 2 themselves: 1/2 is halved once */
  return MAX (0, (gint) floor (-log2 (MAX (g->scale_x, g->scale_y))));
}

static GeglBuffer *
reference_halved (GeglBuffer          *buffer,
                  const GeglRectangle *crop,
                  gint                 k)
{
  const Babl         *format = gegl_buffer_get_format (buffer);
  gint                n = 1 << k;
  GeglRectangle       around = { crop->x - 4 * n, crop->y - 4 * n,
                                 crop->width + 8 * n, crop->height + 8 * n };
  GeglRectangle       half, moved_extent;
  GeglNode           *root = gegl_node_new (), *src, *cut, *move;
  GeglBuffer         *moved, *out;
  GeglBufferIterator *it;

  gegl_rectangle_intersect (&around, &around, gegl_buffer_get_extent (buffer));
  moved_extent = around;
  moved_extent.x -= crop->x;
  moved_extent.y -= crop->y;
  /* the crop's surroundings moved by whole pixels: its corner to (0, 0) */
  moved = gegl_buffer_new (&moved_extent, format);
  src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  cut = gegl_node_new_child (root, "operation", "gegl:crop", "x", (gdouble) around.x,
                             "y", (gdouble) around.y, "width", (gdouble) around.width,
                             "height", (gdouble) around.height, NULL);
  move = gegl_node_new_child (root, "operation", "gegl:translate", "x", (gdouble) -crop->x,
                              "y", (gdouble) -crop->y, NULL);
  gegl_node_link_many (src, cut, move, NULL);
  gegl_node_blit_buffer (move, moved, &moved_extent, 0, GEGL_ABYSS_NONE);
  g_object_unref (root);
  /* every block the copy reaches into, each the mean of its pixels */
  half.x = (gint) floor ((gdouble) moved_extent.x / n);
  half.y = (gint) floor ((gdouble) moved_extent.y / n);
  half.width = (gint) ceil ((gdouble) (moved_extent.x + moved_extent.width) / n) - half.x;
  half.height = (gint) ceil ((gdouble) (moved_extent.y + moved_extent.height) / n) - half.y;
  out = gegl_buffer_new (&half, format);
  it = gegl_buffer_iterator_new (out, &half, 0, format, GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 1);
  while (gegl_buffer_iterator_next (it))
    gegl_buffer_get (moved, &it->items[0].roi, 1.0 / n, format, it->items[0].data,
                     GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (moved);
  return out;
}

/* One half rendered here, with the nodes the header documents, into
 * @format over its picture. */
static gpointer
reference_half (const SmpComposeSettings *s,
                const SmpComposeGeometry *g,
                gint                      half,
                GeglBuffer               *buffer,
                const Babl               *format)
{
  const GeglRectangle *pic = &g->picture[half];
  GeglNode            *root = gegl_node_new ();
  GeglNode            *src, *scale, *shift, *cut;
  gint                 k = reference_halvings (g);
  gdouble              ox = k ? 0.0 : s->crop.x, oy = k ? 0.0 : s->crop.y;
  GeglBuffer          *halved = k ? reference_halved (buffer, &s->crop, k) : g_object_ref (buffer);
  gpointer             px = g_malloc ((gsize) pic->width * pic->height
                                      * babl_format_get_bytes_per_pixel (format));

  src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", halved, NULL);
  scale = gegl_node_new_child (root, "operation", "gegl:scale-ratio",
                               "x", g->scale_x * pow (2.0, k), "y", g->scale_y * pow (2.0, k),
                               "origin-x", ox, "origin-y", oy,
                               "sampler", s->sampler, NULL);
  shift = gegl_node_new_child (root, "operation", "gegl:translate",
                               "x", pic->x - ox, "y", pic->y - oy,
                               "sampler", s->sampler, NULL);
  cut = gegl_node_new_child (root, "operation", "gegl:crop",
                             "x", (gdouble) pic->x, "y", (gdouble) pic->y,
                             "width", (gdouble) pic->width, "height", (gdouble) pic->height, NULL);
  gegl_node_link_many (src, scale, shift, cut, NULL);
  gegl_node_blit (cut, 1.0, pic, format, px, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_unref (root);
  g_object_unref (halved);
  return px;
}

/* Bytes of @a and @b that differ, over @n pixels of @bpp. */
static gsize
count_different (gconstpointer a,
                 gconstpointer b,
                 gsize         n,
                 gint          bpp)
{
  gsize i, count = 0;

  for (i = 0; i < n; i++)
    if (memcmp ((const guchar *) a + i * bpp, (const guchar *) b + i * bpp, bpp))
      count++;
  return count;
}

static GeglBuffer *
compose_ok (const SmpComposeSettings *s,
            GeglBuffer               *before,
            GeglBuffer               *after,
            SmpComposeGeometry       *g)
{
  GError     *error = NULL;
  GeglBuffer *out = smp_compose_full (s, before, after, g, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

/* How a half's picture in @out compares with its reference, in float
 * (the composer's output) and in u8 (what an 8-bit image keeps; the
 * reference converted by babl, as reading the output in u8 does). */
static void
assert_half_identical (const SmpComposeSettings *s,
                       const SmpComposeGeometry *g,
                       GeglBuffer               *out,
                       gint                      half,
                       GeglBuffer               *source)
{
  const Babl          *formats[2] = { babl_format ("R'G'B'A float"), babl_format ("R'G'B'A u8") };
  const GeglRectangle *pic = &g->picture[half];
  gsize                n = (gsize) pic->width * pic->height;
  gpointer             ref[2];
  gint                 k;

  ref[0] = reference_half (s, g, half, source, formats[0]);
  ref[1] = g_malloc (n * 4);
  babl_process (babl_fish (formats[0], formats[1]), ref[0], ref[1], n);
  for (k = 0; k < 2; k++)
    {
      gpointer got = read_rect (out, pic, formats[k]);
      gsize    diff = count_different (ref[k], got, n, babl_format_get_bytes_per_pixel (formats[k]));

      g_test_message ("%s, %s, %s half %d×%d at %d,%d (scale %.4f × %.4f): "
                      "%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " pixels differ in %s",
                      smp_compose_presets[s->size].name, smp_compose_layout_names[s->layout],
                      half ? "after" : "before", pic->width, pic->height, pic->x, pic->y,
                      g->scale_x, g->scale_y, diff, n, babl_get_name (formats[k]));
      g_assert_cmpuint (diff, ==, 0);
      g_free (got);
    }
  g_free (ref[0]);
  g_free (ref[1]);
}

/* c. The before half is bit-identical to the source layer's pixels over
 * the crop, resampled by the same nodes: at every size and in both
 * layouts, in float and in u8.  At the free size the pictures are the
 * crop's own pixels.  The same call twice gives the same bytes. */
static void
test_before_identical (void)
{
  SmpComposeSettings s;
  Photo              p;
  gint               size, layout;

  photo_init (&p, 11);
  smp_compose_settings_init (&s);
  s.crop = test_crop;
  for (layout = SMP_COMPOSE_SIDE_BY_SIDE; layout <= SMP_COMPOSE_STACKED; layout++)
    for (size = 0; size < SMP_COMPOSE_N_SIZES; size++)
      {
        SmpComposeGeometry g;
        GeglBuffer        *out;

        s.layout = layout;
        s.size = size;
        out = compose_ok (&s, p.before, p.after, &g);
        assert_half_identical (&s, &g, out, 0, p.placed);

        if (size == SMP_COMPOSE_SIZE_FREE)
          {
            const Babl *u8 = babl_format ("R'G'B'A u8");
            gpointer    src = read_rect (p.placed, &s.crop, u8);
            gpointer    got = read_rect (out, &g.picture[0], u8);

            g_assert_cmpfloat (g.scale_x, ==, 1.0);
            g_assert_cmpfloat (g.scale_y, ==, 1.0);
            g_assert_cmpmem (src, (gsize) s.crop.width * s.crop.height * 4,
                             got, (gsize) g.picture[0].width * g.picture[0].height * 4);
            g_free (src);
            g_free (got);
          }
        if (size == SMP_COMPOSE_SIZE_1080_1350)
          {
            GeglBuffer *again = compose_ok (&s, p.before, p.after, NULL);

            g_assert_true (smp_test_identical (out, again, gegl_buffer_get_extent (out),
                                               "R'G'B'A float"));
            g_object_unref (again);
          }
        g_object_unref (out);
      }
  photo_clear (&p);
}

/* c. Below half size (a photo's crop in a preset) the pictures are the
 * crop halved first, as the header says: both halves bit-identical to
 * their sources through those nodes, in both layouts. */
static void
test_halved (void)
{
  /* the layouts and presets a photo is laid out in most */
  static const struct { SmpComposeLayout layout; SmpComposeSize size; } cases[] =
  {
    { SMP_COMPOSE_SIDE_BY_SIDE, SMP_COMPOSE_SIZE_1080_1080 },
    { SMP_COMPOSE_SIDE_BY_SIDE, SMP_COMPOSE_SIZE_1920_1080 },
    { SMP_COMPOSE_STACKED, SMP_COMPOSE_SIZE_1080_1350 },
    { SMP_COMPOSE_STACKED, SMP_COMPOSE_SIZE_1200_628 },
  };
  SmpComposeSettings s;
  Photo              p;
  guint              i;

  photo_init_sized (&p, 15, 2600, 1900, GEGL_RECTANGLE (37, 23, 2500, 1800));
  smp_compose_settings_init (&s);
  /* a corner on no multiple of 2, 4 or 8 in the layer or the image */
  s.crop = *GEGL_RECTANGLE (61, 45, 2201, 1651);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmpComposeGeometry g;
      GeglBuffer        *out;

      s.layout = cases[i].layout;
      s.size = cases[i].size;
      out = compose_ok (&s, p.before, p.after, &g);
      g_test_message ("%s, %s: scale %.4f, halved %d times",
                      smp_compose_presets[s.size].name, smp_compose_layout_names[s.layout],
                      g.scale_x, reference_halvings (&g));
      /* the case this test is for */
      g_assert_cmpint (reference_halvings (&g), >=, 1);
      assert_half_identical (&s, &g, out, 0, p.placed);
      assert_half_identical (&s, &g, out, 1, p.after);
      g_object_unref (out);
    }
  photo_clear (&p);
}

/* c. The output has exactly the preset's size, for each preset, both
 * layouts and both label places; at the free size, the crop at scale 1
 * plus the border, gap, labels and disclosure.  Both halves are framed
 * alike: the same picture size and the same offset in their cell. */
static void
test_sizes (void)
{
  SmpComposeSettings s;
  Photo              p;
  gint               size, layout, place, i;

  photo_init (&p, 12);
  smp_compose_settings_init (&s);
  s.crop = test_crop;
  for (layout = SMP_COMPOSE_SIDE_BY_SIDE; layout <= SMP_COMPOSE_STACKED; layout++)
    for (place = SMP_COMPOSE_LABEL_TOP; place <= SMP_COMPOSE_LABEL_BOTTOM; place++)
      for (size = 0; size < SMP_COMPOSE_N_SIZES; size++)
        {
          SmpComposeGeometry   g, measured;
          GeglBuffer          *out;
          const GeglRectangle *e;
          GError              *error = NULL;

          s.layout = layout;
          s.label_place = place;
          s.size = size;
          out = compose_ok (&s, p.before, p.after, &g);
          e = gegl_buffer_get_extent (out);
          g_test_message ("%s, %s, labels %s: %d × %d, pictures %d × %d",
                          smp_compose_presets[size].name, smp_compose_layout_names[layout],
                          smp_compose_place_names[place], e->width, e->height,
                          g.picture[0].width, g.picture[0].height);
          g_assert_cmpint (e->x, ==, 0);
          g_assert_cmpint (e->y, ==, 0);
          g_assert_cmpint (e->width, ==, g.width);
          g_assert_cmpint (e->height, ==, g.height);
          if (size != SMP_COMPOSE_SIZE_FREE)
            {
              g_assert_cmpint (e->width, ==, smp_compose_presets[size].width);
              g_assert_cmpint (e->height, ==, smp_compose_presets[size].height);
              /* fitted: the crop fills its cell's width, or would be too
               * tall for the cell if it did */
              gint tall = (gint) floor (s.crop.height * (gdouble) g.cell[0].width
                                        / s.crop.width + 0.5);

              g_assert_true (g.picture[0].width == g.cell[0].width
                             || tall > g.cell[0].height - g.label[0].height);
            }
          else
            {
              gint labels = g.cell[0].height - s.crop.height;

              g_assert_cmpint (g.picture[0].width, ==, s.crop.width);
              g_assert_cmpint (g.picture[0].height, ==, s.crop.height);
              g_assert_cmpint (e->width, ==, layout == SMP_COMPOSE_STACKED
                                             ? 2 * s.border + s.crop.width
                                             : 2 * s.border + s.gap + 2 * s.crop.width);
              g_assert_cmpint (labels, >=, (gint) (s.label_size * 0.5));
              /* "After: digital simulation" takes two lines in 401 px */
              g_assert_cmpint (labels, <=, (gint) (s.label_size * 3.0));
            }
          /* the geometry alone says the same, before any pixel */
          g_assert_true (smp_compose_geometry (&s, &measured, &error));
          g_assert_no_error (error);
          g_assert_cmpmem (&measured, sizeof (measured), &g, sizeof (g));

          /* framed alike */
          g_assert_cmpfloat (fabs (g.scale_x / g.scale_y - 1.0), <=, 0.5 / MIN (s.crop.width, s.crop.height));
          g_assert_cmpint (g.picture[0].width, ==, g.picture[1].width);
          g_assert_cmpint (g.picture[0].height, ==, g.picture[1].height);
          g_assert_cmpint (g.picture[0].x - g.cell[0].x, ==, g.picture[1].x - g.cell[1].x);
          g_assert_cmpint (g.picture[0].y - g.cell[0].y, ==, g.picture[1].y - g.cell[1].y);
          for (i = 0; i < 2; i++)
            {
              GeglRectangle overlap;

              g_assert_true (gegl_rectangle_contains (&g.cell[i], &g.picture[i]));
              g_assert_true (gegl_rectangle_contains (&g.cell[i], &g.label[i]));
              g_assert_false (gegl_rectangle_intersect (&overlap, &g.label[i], &g.picture[i]));
              g_assert_false (gegl_rectangle_intersect (&overlap, &g.disclosure, &g.cell[i]));
              if (place == SMP_COMPOSE_LABEL_TOP)
                g_assert_cmpint (g.label[i].y + g.label[i].height, <=, g.picture[i].y);
              else
                g_assert_cmpint (g.label[i].y, >=, g.picture[i].y + g.picture[i].height);
            }
          g_assert_true (gegl_rectangle_contains (e, &g.disclosure));
          g_object_unref (out);
        }
  photo_clear (&p);
}

/* Pixels of @rect in @px (the whole output, @w wide, "R'G'B'A float") that
 * differ from @bg by more than 0.1 in a channel. */
static gint
count_ink (const gfloat        *px,
           gint                 w,
           const GeglRectangle *rect,
           const gfloat        *bg)
{
  gint x, y, c, count = 0;

  for (y = rect->y; y < rect->y + rect->height; y++)
    for (x = rect->x; x < rect->x + rect->width; x++)
      for (c = 0; c < 3; c++)
        if (fabsf (px[4 * ((gsize) y * w + x) + c] - bg[c]) > 0.1f)
          {
            count++;
            break;
          }
  return count;
}

/* Pixels outside the pictures and the given text rectangles (grown by one
 * pixel for antialiasing) that are not exactly the background. */
static gint
count_stray (const gfloat             *px,
             const SmpComposeGeometry *g,
             const gfloat             *bg)
{
  const GeglRectangle *keep[5] = { &g->picture[0], &g->picture[1], &g->label[0],
                                   &g->label[1], &g->disclosure };
  gint                 x, y, k, count = 0;

  for (y = 0; y < g->height; y++)
    for (x = 0; x < g->width; x++)
      {
        gboolean kept = FALSE;

        for (k = 0; k < 5 && ! kept; k++)
          kept = keep[k]->width > 0
                 && x >= keep[k]->x - 1 && x <= keep[k]->x + keep[k]->width
                 && y >= keep[k]->y - 1 && y <= keep[k]->y + keep[k]->height;
        if (! kept && memcmp (px + 4 * ((gsize) y * g->width + x), bg, 4 * sizeof (gfloat)))
          count++;
      }
  return count;
}

/* c. The label and disclosure pixels are present where placed: 5 % or
 * more of each one's ink rectangle differs from the background by more
 * than 0.1, and nothing else outside the pictures does.  With the line
 * switched off there is no disclosure: no rectangle for it, and nothing
 * but the background outside the pictures and labels. */
static void
test_labels (void)
{
  SmpComposeSettings s;
  Photo              p;
  gint               on, layout;

  photo_init (&p, 13);
  smp_compose_settings_init (&s);
  s.crop = test_crop;
  for (layout = SMP_COMPOSE_SIDE_BY_SIDE; layout <= SMP_COMPOSE_STACKED; layout++)
    for (on = 1; on >= 0; on--)
      {
        SmpComposeGeometry g;
        GeglBuffer        *out;
        gfloat            *px, bg[4];
        gint               i, stray;

        s.layout = layout;
        s.disclosure = on;
        out = compose_ok (&s, p.before, p.after, &g);
        px = read_rect (out, gegl_buffer_get_extent (out), babl_format ("R'G'B'A float"));
        /* the border's corner is background */
        memcpy (bg, px, sizeof (bg));
        g_assert_cmpfloat (fabsf (bg[0] - 1.0f), <, 1e-4);
        for (i = 0; i < 3; i++)
          {
            const GeglRectangle *rect = i < 2 ? &g.label[i] : &g.disclosure;
            gint                 ink;

            if (i == 2 && ! on)
              {
                g_assert_true (gegl_rectangle_is_empty (rect));
                continue;
              }
            ink = count_ink (px, g.width, rect, bg);
            g_test_message ("%s, disclosure %s: %s at %d,%d %d×%d, %d px of ink (%.1f %%)",
                            smp_compose_layout_names[layout], on ? "on" : "off",
                            i == 0 ? "before label" : i == 1 ? "after label" : "disclosure",
                            rect->x, rect->y, rect->width, rect->height, ink,
                            100.0 * ink / (rect->width * rect->height));
            g_assert_cmpint (rect->width, >, 0);
            g_assert_cmpint (ink, >=, rect->width * rect->height / 20);
          }
        stray = count_stray (px, &g, bg);
        g_test_message ("pixels neither background nor placed: %d", stray);
        g_assert_cmpint (stray, ==, 0);
        g_free (px);
        g_object_unref (out);
      }
  photo_clear (&p);
}

/* c. The after half shows the after's pixels, resampled as the before:
 * bit-identical to its own reference, and not the before's (every 25th
 * pixel of the after was darkened; the halves differ by a mean of 0.01 or
 * more in a channel at a preset, and at the free size in every darkened
 * pixel and nowhere else). */
static void
test_after_half (void)
{
  SmpComposeSettings s;
  Photo              p;
  gint               size;

  photo_init (&p, 14);
  smp_compose_settings_init (&s);
  s.crop = test_crop;
  for (size = 0; size < SMP_COMPOSE_N_SIZES; size++)
    {
      SmpComposeGeometry g;
      GeglBuffer        *out;
      gfloat            *half[2];
      gsize              n, i;
      gdouble            sum = 0.0;

      s.size = size;
      out = compose_ok (&s, p.before, p.after, &g);
      assert_half_identical (&s, &g, out, 1, p.after);
      n = (gsize) g.picture[0].width * g.picture[0].height;
      half[0] = read_rect (out, &g.picture[0], babl_format ("R'G'B'A float"));
      half[1] = read_rect (out, &g.picture[1], babl_format ("R'G'B'A float"));
      for (i = 0; i < 4 * n; i++)
        sum += fabsf (half[0][i] - half[1][i]);
      g_test_message ("%s: mean |after - before| per channel %.4f",
                      smp_compose_presets[size].name, sum / (3.0 * n));
      g_assert_cmpfloat (sum / (3.0 * n), >=, 0.01);

      if (size == SMP_COMPOSE_SIZE_FREE)
        {
          gint x, y, wrong = 0;

          for (y = 0; y < s.crop.height; y++)
            for (x = 0; x < s.crop.width; x++)
              {
                gboolean dot = (s.crop.x + x) % 5 == 0 && (s.crop.y + y) % 5 == 0;
                gsize    k = 4 * ((gsize) y * s.crop.width + x);
                gboolean same = ! memcmp (half[0] + k, half[1] + k, 4 * sizeof (gfloat));

                /* a black noise pixel stays black when darkened */
                if (dot == same && ! (dot && half[0][k] + half[0][k + 1] + half[0][k + 2] == 0.0f))
                  wrong++;
              }
          g_assert_cmpint (wrong, ==, 0);
        }
      g_free (half[0]);
      g_free (half[1]);
      g_object_unref (out);
    }
  photo_clear (&p);
}

typedef void (*Spoil) (SmpComposeSettings *s, GeglBuffer **before, GeglBuffer **after);

static void spoil_empty (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { s->crop.width = 0; }
static void spoil_negative (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { s->crop.height = -5; }
static void spoil_off_layer (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { s->crop.x = 10; }
static void spoil_off_image (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a)
{
  s->crop = *GEGL_RECTANGLE (400, 300, 300, 200);
}
static void spoil_no_before (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { *b = NULL; }
static void spoil_no_after (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { *a = NULL; }
static void spoil_border (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { s->border = 600; }
static void spoil_gap (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a) { s->gap = 1100; }
static void spoil_height (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a)
{
  s->size = SMP_COMPOSE_SIZE_1200_628;
  s->border = 280;
}
static void spoil_sliver (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a)
{
  s->crop = *GEGL_RECTANGLE (40, 40, 540, 2);
}
static void spoil_huge_label (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a)
{
  s->label_size = 400.0;
}
static void spoil_contrast (SmpComposeSettings *s, GeglBuffer **b, GeglBuffer **a)
{
  memcpy (s->label_color, s->background, sizeof (s->label_color));
  s->label_color[0] = 0.9;
}

/* c, e. Refusals: an empty or negative crop, a crop outside the layer or
 * the image, a missing before or after, a border, gap or label that
 * leaves a cell no room, a crop that would shrink to a sliver, and labels
 * the eye cannot tell from the background.  Each gives NULL and a clear
 * message; the geometry alone refuses the same where it needs no pixels. */
static void
test_refusals (void)
{
  static const struct { const gchar *name; Spoil spoil; gboolean pixels; } cases[] =
  {
    { "empty crop", spoil_empty, FALSE },
    { "negative crop", spoil_negative, FALSE },
    { "crop outside the layer", spoil_off_layer, TRUE },
    { "crop outside the image", spoil_off_image, TRUE },
    { "no before", spoil_no_before, TRUE },
    { "no after", spoil_no_after, TRUE },
    { "border", spoil_border, FALSE },
    { "gap", spoil_gap, FALSE },
    { "no height left", spoil_height, FALSE },
    { "sliver", spoil_sliver, FALSE },
    { "huge label", spoil_huge_label, FALSE },
    { "label colour", spoil_contrast, FALSE },
  };
  Photo p;
  guint k;

  photo_init (&p, 15);
  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      SmpComposeSettings s;
      SmpComposeGeometry g;
      GeglBuffer        *before = p.before, *after = p.after, *out;
      GError            *error = NULL;

      smp_compose_settings_init (&s);
      s.crop = test_crop;
      cases[k].spoil (&s, &before, &after);
      /* the image-size photo as the before: the crop must leave the image */
      if (cases[k].spoil == spoil_off_image)
        before = p.image;
      out = smp_compose_full (&s, before, after, &g, &error);
      g_test_message ("%s: %s", cases[k].name, error ? error->message : "(no error)");
      g_assert_null (out);
      g_assert_nonnull (error);
      g_assert_cmpuint (strlen (error->message), >, 20);
      g_assert_cmpint (g.width, ==, 0);
      g_clear_error (&error);
      if (! cases[k].pixels)
        {
          g_assert_false (smp_compose_geometry (&s, &g, &error));
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
    }
  photo_clear (&p);
}

/* c. What the image comment and XMP get: the disclosure (first, whole, and
 * also with the visible line off, and the default when its text is
 * blank), the tool's name and version, the layout and the look. */
static void
test_description (void)
{
  SmpComposeSettings s;
  gchar             *text;

  smp_compose_settings_init (&s);
  s.crop = test_crop;
  text = smp_compose_description (&s, "shaved, healed look, 90 dots/cm²");
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, SMP_COMPOSE_DISCLOSURE));
  g_assert_nonnull (strstr (text, "gimp-smp " SMP_VERSION));
  g_assert_nonnull (strstr (text, "side by side"));
  g_assert_nonnull (strstr (text, "1080 × 1080"));
  g_assert_nonnull (strstr (text, "shaved, healed look, 90 dots/cm²"));
  g_assert_nonnull (strstr (text, "\"Sans\" at 36 px"));
  g_assert_nonnull (strstr (text, "background #ffffff"));
  g_free (text);

  s.disclosure = FALSE;
  s.layout = SMP_COMPOSE_STACKED;
  g_strlcpy (s.disclosure_text, "  ", sizeof (s.disclosure_text));
  text = smp_compose_description (&s, NULL);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, SMP_COMPOSE_DISCLOSURE));
  g_assert_nonnull (strstr (text, "stacked"));
  g_assert_nonnull (strstr (text, "disclosure line off"));
  g_free (text);
}

static void
test_metadata_text (GMarkupParseContext *context,
                    const gchar         *text,
                    gsize                size,
                    gpointer             data,
                    GError             **error)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  if (! strcmp (stack->data, "tag"))
    g_string_append_len (data, text, size);
}

static void
test_metadata_start (GMarkupParseContext *context,
                     const gchar         *element,
                     const gchar        **names,
                     const gchar        **values,
                     gpointer             data,
                     GError             **error)
{
  GString *tags = data;

  if (! strcmp (element, "tag"))
    g_string_append_printf (tags, "\n%s=", values[0]);
}

/* c. The XMP for the new image: GIMP's metadata XML, well-formed, with the
 * whole description (markup in it escaped) in Instructions and
 * dc:description, the tool and its version, the digital source type. */
static void
test_metadata (void)
{
  static const GMarkupParser parser = { test_metadata_start, NULL, test_metadata_text, NULL, NULL };
  const gchar               *description = SMP_COMPOSE_DISCLOSURE ".\nLabels \"A & B\" <i>";
  gchar                     *xml = smp_compose_metadata (description), *want;
  GString                   *tags = g_string_new (NULL);
  GMarkupParseContext       *context = g_markup_parse_context_new (&parser, 0, tags, NULL);

  g_test_message ("%s", xml);
  g_assert_true (g_markup_parse_context_parse (context, xml, -1, NULL));
  g_assert_true (g_markup_parse_context_end_parse (context, NULL));
  want = g_strdup_printf ("\nXmp.photoshop.Instructions=%s"
                          "\nXmp.dc.description=lang=\"x-default\" %s"
                          "\nXmp.xmp.CreatorTool=gimp-smp " SMP_VERSION
                          "\nXmp.iptcExt.DigitalSourceType=" SMP_COMPOSE_SOURCE_TYPE,
                          description, description);
  g_assert_cmpstr (tags->str, ==, want);
  g_free (want);
  g_markup_parse_context_free (context);
  g_string_free (tags, TRUE);
  g_free (xml);
}

/* Several looks side by side: the before and three afters (sessions 1
 * to 3, say), each framed exactly as the before is (every picture
 * bit-identical to its source resampled by the same nodes, the same size
 * and the same place in its cell), at a preset size and at the free size,
 * in both layouts; each after's label carries its name; more than three
 * afters, or none, is refused with a message. */
static void
test_panels (void)
{
  const gchar       *names[] = { "session 1", "session 2", "session 3" };
  SmpComposeSettings s;
  Photo              p;
  GeglBuffer        *afters[4];
  gint               layout, size, i;

  photo_init (&p, 21);
  afters[0] = p.after;
  afters[1] = noise (22, 0, 0, IMAGE_W, IMAGE_H);
  afters[2] = noise (23, 0, 0, IMAGE_W, IMAGE_H);
  afters[3] = p.after;
  smp_compose_settings_init (&s);
  s.crop = test_crop;
  for (layout = SMP_COMPOSE_SIDE_BY_SIDE; layout <= SMP_COMPOSE_STACKED; layout++)
    for (size = SMP_COMPOSE_SIZE_1920_1080; size <= SMP_COMPOSE_SIZE_FREE;
         size += SMP_COMPOSE_SIZE_FREE - SMP_COMPOSE_SIZE_1920_1080)
      {
        SmpComposeGeometry g, two;
        GError            *error = NULL;
        GeglBuffer        *out;
        gint               n_free = layout == SMP_COMPOSE_STACKED ? s.crop.height : s.crop.width;

        s.layout = layout;
        s.size = size;
        out = smp_compose_panels (&s, p.before, afters, names, 3, &g, &error);
        g_assert_no_error (error);
        g_assert_cmpint (g.n_panels, ==, 4);
        g_assert_cmpint (gegl_buffer_get_extent (out)->width, ==, g.width);
        g_assert_cmpint (gegl_buffer_get_extent (out)->height, ==, g.height);
        if (size != SMP_COMPOSE_SIZE_FREE)
          {
            g_assert_cmpint (g.width, ==, smp_compose_presets[size].width);
            g_assert_cmpint (g.height, ==, smp_compose_presets[size].height);
          }
        else if (layout == SMP_COMPOSE_SIDE_BY_SIDE)
          g_assert_cmpint (g.width, ==, 2 * s.border + 3 * s.gap + 4 * n_free);
        g_test_message ("%s, %s: %d × %d, pictures %d × %d",
                        smp_compose_presets[size].name, smp_compose_layout_names[layout],
                        g.width, g.height, g.picture[0].width, g.picture[0].height);
        for (i = 0; i < 4; i++)
          {
            GeglRectangle overlap;

            assert_half_identical (&s, &g, out, i, i == 0 ? p.placed : afters[i - 1]);
            g_assert_cmpint (g.picture[i].width, ==, g.picture[0].width);
            g_assert_cmpint (g.picture[i].height, ==, g.picture[0].height);
            g_assert_cmpint (g.picture[i].x - g.cell[i].x, ==, g.picture[0].x - g.cell[0].x);
            g_assert_cmpint (g.picture[i].y - g.cell[i].y, ==, g.picture[0].y - g.cell[0].y);
            g_assert_true (gegl_rectangle_contains (&g.cell[i], &g.label[i]));
            g_assert_false (gegl_rectangle_is_empty (&g.label[i]));
            if (i > 0)
              g_assert_false (gegl_rectangle_intersect (&overlap, &g.cell[i], &g.cell[i - 1]));
          }
        /* the names make the afters' labels more ink than the plain one
         * (wider, or wrapped on more lines) */
        g_object_unref (smp_compose_panels (&s, p.before, afters, NULL, 1, &two, &error));
        g_assert_no_error (error);
        g_assert_cmpint (g.label[2].width * g.label[2].height, >,
                         two.label[1].width * two.label[1].height);
        g_object_unref (out);
      }
  for (i = 0; i <= 4; i += 4)
    {
      GError *error = NULL;

      g_assert_null (smp_compose_panels (&s, p.before, afters, names, i, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%d afters: %s", i, error->message);
      g_error_free (error);
    }
  g_object_unref (afters[1]);
  g_object_unref (afters[2]);
  photo_clear (&p);
}

int
main (int    argc,
      char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/compose/before-identical", test_before_identical);
  g_test_add_func ("/compose/sizes", test_sizes);
  g_test_add_func ("/compose/labels", test_labels);
  g_test_add_func ("/compose/after-half", test_after_half);
  g_test_add_func ("/compose/refusals", test_refusals);
  g_test_add_func ("/compose/description", test_description);
  g_test_add_func ("/compose/metadata", test_metadata);
  g_test_add_func ("/compose/panels", test_panels);
  g_test_add_func ("/compose/halved", test_halved);
  return g_test_run ();
}
