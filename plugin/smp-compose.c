/* gimp-smp plug-in: the before/after composer's picture, in GEGL only.
 * See smp-compose.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "smp-compose.h"

const SmpComposePreset smp_compose_presets[SMP_COMPOSE_N_SIZES] =
{
  { SMP_COMPOSE_SIZE_1080_1080, "1080x1080", N_("1080 × 1080 (square post)"), 1080, 1080 },
  { SMP_COMPOSE_SIZE_1080_1350, "1080x1350", N_("1080 × 1350 (portrait post)"), 1080, 1350 },
  { SMP_COMPOSE_SIZE_1920_1080, "1920x1080", N_("1920 × 1080 (widescreen)"), 1920, 1080 },
  { SMP_COMPOSE_SIZE_1200_628, "1200x628", N_("1200 × 628 (link preview)"), 1200, 628 },
  { SMP_COMPOSE_SIZE_FREE, "free", N_("Free (the crop at full size)"), 0, 0 },
};

const gchar *const smp_compose_layout_names[] = { "side-by-side", "stacked", NULL };
const gchar *const smp_compose_place_names[] = { "top", "bottom", NULL };
const gchar *const smp_compose_after_names[] = { "image", "each-result", NULL };
const gchar *const smp_compose_after_labels[] =
{
  N_("The image as it shows"),
  N_("Each simulated layer alone, side by side"),
  NULL
};

/* The disclosure is smaller than the labels, but never so small that it
 * stops being conspicuous. */
#define DISCLOSURE_RATIO   0.6
#define DISCLOSURE_MIN     12.0
/* Room between a label and its picture, and above the disclosure, as a
 * share of their text size: enough that the text reads as belonging to
 * the picture (or to the whole) and not as part of it. */
#define LABEL_PAD          0.3
#define DISCLOSURE_PAD     0.6

#define SMP_COMPOSE_ERROR  (g_quark_from_static_string ("smp-compose-error"))

void
smp_compose_settings_init (SmpComposeSettings *s)
{
  static const gdouble ink[4] = { 0.1, 0.1, 0.1, 1.0 };
  static const gdouble white[4] = { 1.0, 1.0, 1.0, 1.0 };

  memset (s, 0, sizeof (*s));
  s->layout = SMP_COMPOSE_SIDE_BY_SIDE;
  s->size = SMP_COMPOSE_SIZE_1080_1080;
  g_strlcpy (s->before_label, _(SMP_COMPOSE_BEFORE_LABEL), sizeof (s->before_label));
  g_strlcpy (s->after_label, _(SMP_COMPOSE_AFTER_LABEL), sizeof (s->after_label));
  g_strlcpy (s->font, "Sans", sizeof (s->font));
  s->label_size = 36.0;
  memcpy (s->label_color, ink, sizeof (ink));
  s->label_place = SMP_COMPOSE_LABEL_TOP;
  s->gap = 16;
  s->border = 24;
  memcpy (s->background, white, sizeof (white));
  s->disclosure = TRUE;
  g_strlcpy (s->disclosure_text, _(SMP_COMPOSE_DISCLOSURE), sizeof (s->disclosure_text));
  s->sampler = GEGL_SAMPLER_CUBIC;
}

const gchar *
smp_compose_disclosure (const SmpComposeSettings *s)
{
  const gchar *p;

  /* a disclosure of blanks would put nothing in the metadata either */
  for (p = s->disclosure_text; *p; p++)
    if (! g_ascii_isspace (*p))
      return s->disclosure_text;
  return _(SMP_COMPOSE_DISCLOSURE);
}

/* WCAG's relative luminance of an sRGB colour. */
static gdouble
compose_luminance (const gdouble *rgb)
{
  static const gdouble weight[3] = { 0.2126, 0.7152, 0.0722 };
  gdouble              y = 0.0;
  gint                 c;

  for (c = 0; c < 3; c++)
    {
      gdouble v = CLAMP (rgb[c], 0.0, 1.0);

      v = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
      y += weight[c] * v;
    }
  return y;
}

static gdouble
compose_contrast (const SmpComposeSettings *s)
{
  gdouble seen[3], a = CLAMP (s->label_color[3], 0.0, 1.0), l1, l2;
  gint    c;

  /* the text as it lands on the background, translucent or not */
  for (c = 0; c < 3; c++)
    seen[c] = s->label_color[c] * a + s->background[c] * (1.0 - a);
  l1 = compose_luminance (seen);
  l2 = compose_luminance (s->background);
  return (MAX (l1, l2) + 0.05) / (MIN (l1, l2) + 0.05);
}

static GeglColor *
compose_color (const gdouble *rgba)
{
  GeglColor *color = gegl_color_new (NULL);

  gegl_color_set_pixel (color, babl_format ("R'G'B'A double"), rgba);
  return color;
}

/* A gegl:text node for @string at @size in @node, wrapped to @room px if
 * it is wider, and its ink in @ink; @node NULL for a text that draws
 * nothing.  FALSE with @error when it cannot fit even wrapped. */
static gboolean
compose_text (GeglNode                 *root,
              const SmpComposeSettings *s,
              const gchar              *string,
              gdouble                   size,
              gint                      room,
              const gchar              *what,
              GeglNode                **node,
              GeglRectangle            *ink,
              GError                  **error)
{
  GeglColor *color;
  GeglNode  *text;

  *node = NULL;
  *ink = *GEGL_RECTANGLE (0, 0, 0, 0);
  if (! string || ! *string)
    return TRUE;

  color = compose_color (s->label_color);
  text = gegl_node_new_child (root, "operation", "gegl:text",
                              "string", string, "font", s->font[0] ? s->font : "Sans",
                              "size", size, "color", color, NULL);
  g_object_unref (color);
  *ink = gegl_node_get_bounding_box (text);
  if (ink->width > room)
    {
      /* centred lines, so a wrapped label still sits over its picture */
      gegl_node_set (text, "wrap", room, "alignment", 1, NULL);
      *ink = gegl_node_get_bounding_box (text);
    }
  if (ink->width > room)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The %s \"%s\" does not fit in %d px even on several lines at %.0f px: "
                     "choose a smaller label size or a larger output."),
                   what, string, room, size);
      return FALSE;
    }
  if (! gegl_rectangle_is_empty (ink))
    *node = text;
  return TRUE;
}

/* Moves @text so its ink's top left lands at @x, @y; returns the node to
 * composite, and the ink's place in @placed. */
static GeglNode *
compose_place (GeglNode            *root,
               GeglNode            *text,
               const GeglRectangle *ink,
               gint                 x,
               gint                 y,
               GeglRectangle       *placed)
{
  GeglNode *shift;

  /* whole pixels: the text moves, it is not resampled */
  shift = gegl_node_new_child (root, "operation", "gegl:translate",
                               "x", (gdouble) (x - ink->x), "y", (gdouble) (y - ink->y),
                               "sampler", GEGL_SAMPLER_NEAREST, NULL);
  gegl_node_link (text, shift);
  *placed = *GEGL_RECTANGLE (x, y, ink->width, ink->height);
  return shift;
}

/* The settings a layout needs before it can be made, or FALSE with
 * @error. */
static gboolean
compose_check_settings (const SmpComposeSettings *s,
                        gint                      n_panels,
                        GError                  **error)
{
  const GeglRectangle *crop = &s->crop;

  if (s->size < 0 || s->size >= SMP_COMPOSE_N_SIZES)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0, _("Unknown output size %d."), s->size);
      return FALSE;
    }
  if (n_panels < 2 || n_panels > SMP_COMPOSE_MAX_PANELS)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("A layout shows the before and 1 to %d afters, not %d."),
                   SMP_COMPOSE_MAX_PANELS - 1, n_panels - 1);
      return FALSE;
    }
  if (crop->width <= 0 || crop->height <= 0)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The crop is empty (%d × %d px): select the area to show, "
                     "or select nothing to use the whole image."),
                   crop->width, crop->height);
      return FALSE;
    }
  if (s->border < 0 || s->gap < 0 || ! (s->label_size >= 1.0))
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The border (%d px) and gap (%d px) cannot be negative, "
                     "and the label size (%g px) must be 1 px or more."),
                   s->border, s->gap, s->label_size);
      return FALSE;
    }
  if ((s->before_label[0] || s->after_label[0] || s->disclosure)
      && compose_contrast (s) < SMP_COMPOSE_MIN_CONTRAST)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The label colour is too close to the background (contrast %.1f:1, "
                     "at least %.0f:1 is needed): the labels and the disclosure must be "
                     "easy to read."),
                   compose_contrast (s), SMP_COMPOSE_MIN_CONTRAST);
      return FALSE;
    }
  return TRUE;
}

/* The texts of a layout as they are measured, then placed. */
typedef struct
{
  gint          n;                       /* panels */
  gchar        *labels[SMP_COMPOSE_MAX_PANELS];
  GeglNode     *label_node[SMP_COMPOSE_MAX_PANELS], *disc_node;
  GeglRectangle label_ink[SMP_COMPOSE_MAX_PANELS], disc_ink;
  gint          top, strip, label_pad;   /* one strip for all labels */
  gint          disc_h, disc_pad;
} ComposeTexts;

static void
compose_texts_clear (ComposeTexts *t)
{
  gint i;

  for (i = 0; i < t->n; i++)
    g_free (t->labels[i]);
}

/* Each after's label: the after label, and the after's own name when
 * there are several ("After: digital simulation (session 2)"). */
static void
compose_label_texts (const SmpComposeSettings *s,
                     const gchar *const       *names,
                     ComposeTexts             *t)
{
  gint i;

  t->labels[0] = g_strdup (s->before_label);
  for (i = 1; i < t->n; i++)
    t->labels[i] = t->n > 2 && s->after_label[0] && names && names[i - 1] && names[i - 1][0]
                   ? g_strdup_printf ("%s (%s)", s->after_label, names[i - 1])
                   : g_strdup (s->after_label);
}

/* Measures the labels (wrapped to @cell_w) and the disclosure (to the
 * output's width inside the border). */
static gboolean
compose_measure_texts (const SmpComposeSettings *s,
                       GeglNode                 *root,
                       const SmpComposeGeometry *g,
                       gint                      cell_w,
                       ComposeTexts             *t,
                       GError                  **error)
{
  gint bottom = G_MININT, i;

  t->top = G_MAXINT;
  for (i = 0; i < t->n; i++)
    {
      if (! compose_text (root, s, t->labels[i], s->label_size, cell_w, _("label"),
                          &t->label_node[i], &t->label_ink[i], error))
        return FALSE;
      if (t->label_node[i])
        {
          t->top = MIN (t->top, t->label_ink[i].y);
          bottom = MAX (bottom, t->label_ink[i].y + t->label_ink[i].height);
        }
    }
  if (bottom > G_MININT)
    {
      /* one strip for all, so the pictures stay level */
      t->strip = bottom - t->top;
      t->label_pad = (gint) ceil (s->label_size * LABEL_PAD);
    }
  if (! s->disclosure)
    return TRUE;
  if (! compose_text (root, s, smp_compose_disclosure (s), g->disclosure_size,
                      g->width - 2 * s->border, _("disclosure"), &t->disc_node, &t->disc_ink,
                      error))
    return FALSE;
  if (! t->disc_node)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The disclosure draws nothing in the font \"%s\"."), s->font);
      return FALSE;
    }
  t->disc_h = t->disc_ink.height;
  t->disc_pad = (gint) ceil (g->disclosure_size * DISCLOSURE_PAD);
  return TRUE;
}

/* The pictures' size: the crop fitted into @cell_w × @room_h keeping its
 * shape, rounded to whole pixels so the crop's edges fall on pixel edges
 * (the x and y factors then differ by less than half a pixel over it);
 * at the free size, the crop's own. */
static gboolean
compose_picture_size (const SmpComposeSettings *s,
                      gint                      cell_w,
                      gint                      room_h,
                      gint                     *pic_w,
                      gint                     *pic_h,
                      GError                  **error)
{
  const GeglRectangle *crop = &s->crop;

  if (s->size == SMP_COMPOSE_SIZE_FREE)
    {
      *pic_w = crop->width;
      *pic_h = crop->height;
    }
  else
    {
      gdouble f = MIN ((gdouble) cell_w / crop->width, (gdouble) room_h / crop->height);

      *pic_w = CLAMP ((gint) floor (crop->width * f + 0.5), 1, cell_w);
      *pic_h = CLAMP ((gint) floor (crop->height * f + 0.5), 1, room_h);
    }
  if (*pic_w < SMP_COMPOSE_MIN_PICTURE || *pic_h < SMP_COMPOSE_MIN_PICTURE)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The crop (%d × %d px) would be only %d × %d px in its %d × %d px cell: "
                     "select an area closer to the output's shape."),
                   crop->width, crop->height, *pic_w, *pic_h, cell_w, room_h);
      return FALSE;
    }
  return TRUE;
}

/* The cells, the pictures in them and the labels over (or under) them,
 * the label and its picture as one block centred in its cell: the same
 * offsets in every cell.  Then the disclosure along the bottom. */
static void
compose_place_all (const SmpComposeSettings *s,
                   GeglNode                 *root,
                   SmpComposeGeometry       *g,
                   ComposeTexts             *t,
                   gint                      cell_w,
                   gint                      cell_h,
                   gint                      pic_w,
                   gint                      pic_h,
                   GeglNode                **texts)
{
  gboolean stacked = s->layout == SMP_COMPOSE_STACKED;
  gint     b = s->border, block = t->strip + t->label_pad + pic_h, i;

  for (i = 0; i < t->n; i++)
    {
      GeglRectangle *cell = &g->cell[i];
      gint           block_y, label_y;

      *cell = stacked ? *GEGL_RECTANGLE (b, b + i * (cell_h + s->gap), cell_w, cell_h)
                      : *GEGL_RECTANGLE (b + i * (cell_w + s->gap), b, cell_w, cell_h);
      block_y = cell->y + (cell->height - block) / 2;
      g->picture[i] = *GEGL_RECTANGLE (cell->x + (cell->width - pic_w) / 2, 0, pic_w, pic_h);
      if (s->label_place == SMP_COMPOSE_LABEL_BOTTOM)
        {
          g->picture[i].y = block_y;
          label_y = block_y + pic_h + t->label_pad;
        }
      else
        {
          label_y = block_y;
          g->picture[i].y = block_y + t->strip + t->label_pad;
        }
      if (t->label_node[i])
        /* every label's top measured from one line: level baselines */
        texts[i] = compose_place (root, t->label_node[i], &t->label_ink[i],
                                  cell->x + (cell->width - t->label_ink[i].width) / 2,
                                  label_y + t->label_ink[i].y - t->top, &g->label[i]);
    }
  if (t->disc_node)
    texts[t->n] = compose_place (root, t->disc_node, &t->disc_ink,
                                 (g->width - t->disc_ink.width) / 2, g->height - b - t->disc_h,
                                 &g->disclosure);
}

/* The layout of @n_panels pictures (the before, then the afters named
 * @names), with the text nodes made in @root and placed (@texts: the
 * labels, then the disclosure; NULL where none). */
static gboolean
compose_layout (const SmpComposeSettings *s,
                gint                      n_panels,
                const gchar *const       *names,
                GeglNode                 *root,
                SmpComposeGeometry       *g,
                GeglNode                **texts,
                GError                  **error)
{
  const GeglRectangle *crop = &s->crop;
  gboolean             stacked = s->layout == SMP_COMPOSE_STACKED;
  gboolean             free_size = s->size == SMP_COMPOSE_SIZE_FREE;
  gint                 b = s->border, gap = s->gap, n = n_panels;
  gint                 cell_w, cell_h, pic_w, pic_h, room_h;
  ComposeTexts         t = { n_panels };
  gboolean             ok = FALSE;

  memset (g, 0, sizeof (*g));
  memset (texts, 0, sizeof (GeglNode *) * (SMP_COMPOSE_MAX_PANELS + 1));
  if (! compose_check_settings (s, n_panels, error))
    return FALSE;
  g->n_panels = n;
  g->label_size = s->label_size;
  g->disclosure_size = MAX (DISCLOSURE_MIN, s->label_size * DISCLOSURE_RATIO);

  /* the widths first: they follow from the output's width alone, and the
   * texts wrap to them */
  g->width = ! free_size ? smp_compose_presets[s->size].width
             : stacked ? 2 * b + crop->width : 2 * b + (n - 1) * gap + n * crop->width;
  cell_w = stacked ? g->width - 2 * b : (g->width - 2 * b - (n - 1) * gap) / n;
  if (cell_w < SMP_COMPOSE_MIN_PICTURE)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The border (%d px) and gap (%d px) leave no room for %d pictures "
                     "in %d px of width."),
                   b, gap, n, g->width);
      return FALSE;
    }
  compose_label_texts (s, names, &t);
  if (! compose_measure_texts (s, root, g, cell_w, &t, error))
    goto done;

  /* then the heights: the free size grows around the crop, a preset
   * leaves the pictures what is left */
  if (free_size)
    {
      cell_h = crop->height + t.strip + t.label_pad;
      g->height = 2 * b + t.disc_pad + t.disc_h + (stacked ? n * cell_h + (n - 1) * gap : cell_h);
    }
  else
    {
      g->height = smp_compose_presets[s->size].height;
      room_h = g->height - 2 * b - t.disc_pad - t.disc_h;
      cell_h = stacked ? (room_h - (n - 1) * gap) / n : room_h;
    }
  room_h = cell_h - t.strip - t.label_pad;
  if (room_h < SMP_COMPOSE_MIN_PICTURE)
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The border (%d px), gap (%d px), labels and disclosure leave %d px "
                     "of height for the pictures in %d px: at least %d px are needed."),
                   b, gap, MAX (room_h, 0), g->height, SMP_COMPOSE_MIN_PICTURE);
      goto done;
    }
  if (! compose_picture_size (s, cell_w, room_h, &pic_w, &pic_h, error))
    goto done;
  g->scale_x = (gdouble) pic_w / crop->width;
  g->scale_y = (gdouble) pic_h / crop->height;
  compose_place_all (s, root, g, &t, cell_w, cell_h, pic_w, pic_h, texts);
  ok = TRUE;

done:
  compose_texts_clear (&t);
  return ok;
}

gboolean
smp_compose_geometry (const SmpComposeSettings *s,
                      SmpComposeGeometry       *geometry,
                      GError                  **error)
{
  GeglNode *root = gegl_node_new ();
  GeglNode *texts[SMP_COMPOSE_MAX_PANELS + 1];
  gboolean  ok = compose_layout (s, 2, NULL, root, geometry, texts, error);

  g_object_unref (root);
  return ok;
}

/* How many times a panel's crop is halved before it is resampled: the
 * most that leaves the resampler a scale of more than 1/2 (0 above 1/2).  GEGL's samplers take at most a few samples a side of what an
 * output pixel covers, so a 6000-px photo sampled straight down to a
 * 500-px panel cost some 2.5 s of CPU a panel; halved three times first,
 * 0.1 s, and every source pixel counts, not a few per output pixel. */
static gint
compose_halvings (const SmpComposeGeometry *g)
{
  gdouble scale = MAX (g->scale_x, g->scale_y);
  gint    k = 0;

  while (k < 16 && scale * (2 << k) <= 1.0)
    k++;
  return k;
}

/* The crop of @buffer averaged over blocks of 2^@k × 2^@k source pixels
 * (GEGL's mipmap), the blocks aligned on the crop's top left: pixel
 * (0, 0) is the block at the crop's origin.  A margin of the source around the crop, where there is one, comes along,
 * so that the resampler sees the same neighbours at the crop's edges as
 * it would in the whole picture. */
static GeglBuffer *
compose_reduce (GeglBuffer          *buffer,
                const GeglRectangle *crop,
                gint                 k)
{
  const GeglRectangle *extent = gegl_buffer_get_extent (buffer);
  const Babl          *format = gegl_buffer_get_format (buffer);
  gint                 block = 1 << k, margin = 4 * block;
  GeglRectangle        wide = { crop->x - margin, crop->y - margin,
                                crop->width + 2 * margin, crop->height + 2 * margin };
  GeglRectangle        reduced;
  GeglBuffer          *aligned, *out;
  gpointer             px;

  gegl_rectangle_intersect (&wide, &wide, extent);
  /* a copy with the crop's origin at (0, 0), so that the mipmap's blocks,
   * which start at the buffer's (0, 0), start at the crop's corner */
  aligned = gegl_buffer_new (GEGL_RECTANGLE (wide.x - crop->x, wide.y - crop->y,
                                             wide.width, wide.height), format);
  gegl_buffer_copy (buffer, &wide, GEGL_ABYSS_NONE, aligned,
                    GEGL_RECTANGLE (wide.x - crop->x, wide.y - crop->y, 0, 0));
  /* the blocks wholly or partly in the copy: floor and ceiling */
  reduced.x = -((crop->x - wide.x + block - 1) >> k);
  reduced.y = -((crop->y - wide.y + block - 1) >> k);
  reduced.width = ((wide.x + wide.width - crop->x + block - 1) >> k) - reduced.x;
  reduced.height = ((wide.y + wide.height - crop->y + block - 1) >> k) - reduced.y;
  out = gegl_buffer_new (&reduced, format);
  px = g_malloc ((gsize) reduced.width * reduced.height * babl_format_get_bytes_per_pixel (format));
  gegl_buffer_get (aligned, &reduced, 1.0 / block, format, px, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  gegl_buffer_set (out, &reduced, 0, format, px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
  g_object_unref (aligned);
  return out;
}

/* One panel: the crop scaled about its top left, moved by whole pixels
 * into its cell, and cut to its picture.  The same nodes for every panel.
 * Below half size the crop is first reduced by halving (compose_reduce),
 * its origin at (0, 0), and the resampler does the rest of the scale. */
static GeglNode *
compose_panel (GeglNode                 *root,
               const SmpComposeSettings *s,
               const SmpComposeGeometry *g,
               gint                      panel,
               GeglBuffer               *buffer)
{
  const GeglRectangle *pic = &g->picture[panel];
  GeglNode            *src, *scale, *shift, *cut;
  gint                 k = compose_halvings (g);
  gdouble              x0 = s->crop.x, y0 = s->crop.y;

  if (k > 0)
    {
      buffer = compose_reduce (buffer, &s->crop, k);
      x0 = y0 = 0.0;
    }
  src = gegl_node_new_child (root, "operation", "gegl:buffer-source", "buffer", buffer, NULL);
  if (k > 0)
    g_object_unref (buffer);
  scale = gegl_node_new_child (root, "operation", "gegl:scale-ratio",
                               "x", g->scale_x * (1 << k), "y", g->scale_y * (1 << k),
                               "origin-x", x0, "origin-y", y0,
                               "sampler", s->sampler, NULL);
  shift = gegl_node_new_child (root, "operation", "gegl:translate",
                               "x", pic->x - x0, "y", pic->y - y0,
                               "sampler", s->sampler, NULL);
  cut = gegl_node_new_child (root, "operation", "gegl:crop",
                             "x", (gdouble) pic->x, "y", (gdouble) pic->y,
                             "width", (gdouble) pic->width, "height", (gdouble) pic->height,
                             NULL);
  gegl_node_link_many (src, scale, shift, cut, NULL);
  return cut;
}

/* @buffer holds the whole crop, or FALSE with @error. */
static gboolean
compose_check_buffer (GeglBuffer          *buffer,
                      const GeglRectangle *crop,
                      const gchar         *what,
                      GError             **error)
{
  const GeglRectangle *extent;
  GeglRectangle        inside;

  if (! GEGL_IS_BUFFER (buffer))
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0, _("There is no %s picture to compose."), what);
      return FALSE;
    }
  extent = gegl_buffer_get_extent (buffer);
  if (! gegl_rectangle_intersect (&inside, extent, crop)
      || ! gegl_rectangle_equal (&inside, crop))
    {
      g_set_error (error, SMP_COMPOSE_ERROR, 0,
                   _("The crop (%d × %d px at %d, %d) reaches outside the %s picture "
                     "(%d × %d px at %d, %d): both pictures must hold all of it."),
                   crop->width, crop->height, crop->x, crop->y, what,
                   extent->width, extent->height, extent->x, extent->y);
      return FALSE;
    }
  return TRUE;
}

GeglBuffer *
smp_compose_panels (const SmpComposeSettings *s,
                    GeglBuffer               *before,
                    GeglBuffer *const        *afters,
                    const gchar *const       *names,
                    gint                      n_afters,
                    SmpComposeGeometry       *geometry,
                    GError                  **error)
{
  SmpComposeGeometry g;
  GeglNode          *root, *node, *texts[SMP_COMPOSE_MAX_PANELS + 1];
  GeglColor         *background;
  GeglBuffer        *out;
  const Babl        *format;
  gboolean           ok;
  gint               i;

  if (geometry)
    memset (geometry, 0, sizeof (*geometry));
  /* the settings first: an empty crop is that, not a crop outside */
  root = gegl_node_new ();
  ok = compose_layout (s, n_afters + 1, names, root, &g, texts, error)
       && compose_check_buffer (before, &s->crop, _("before"), error);
  for (i = 0; ok && i < n_afters; i++)
    ok = compose_check_buffer (afters[i], &s->crop, _("after"), error);
  if (! ok)
    {
      g_object_unref (root);
      return NULL;
    }

  background = compose_color (s->background);
  node = gegl_node_new_child (root, "operation", "gegl:color", "value", background, NULL);
  g_object_unref (background);

  /* the background and the texts first: they never reach the pictures */
  for (i = 0; i <= g.n_panels; i++)
    if (texts[i])
      {
        GeglNode *over = gegl_node_new_child (root, "operation", "gegl:over", NULL);

        gegl_node_link (node, over);
        gegl_node_connect_to (texts[i], "output", over, "aux");
        node = over;
      }

  /* float keeps every value a u8 or u16 source had; the before's space
   * keeps its colours where its profile put them */
  format = babl_format_with_space ("R'G'B'A float",
                                   babl_format_get_space (gegl_buffer_get_format (before)));
  out = gegl_buffer_new (GEGL_RECTANGLE (0, 0, g.width, g.height), format);
  gegl_node_blit_buffer (node, out, NULL, 0, GEGL_ABYSS_NONE);

  /* then each picture written in place, not composited: a resampled
   * pixel lands as it came out of the resampler, so the before is the
   * source's pixels and nothing else (a transparent part stays so) */
  for (i = 0; i < g.n_panels; i++)
    gegl_node_blit_buffer (compose_panel (root, s, &g, i, i == 0 ? before : afters[i - 1]),
                           out, &g.picture[i], 0, GEGL_ABYSS_NONE);
  g_object_unref (root);

  if (geometry)
    *geometry = g;
  return out;
}

GeglBuffer *
smp_compose_full (const SmpComposeSettings *s,
                  GeglBuffer               *before,
                  GeglBuffer               *after,
                  SmpComposeGeometry       *geometry,
                  GError                  **error)
{
  return smp_compose_panels (s, before, &after, NULL, 1, geometry, error);
}

GeglBuffer *
smp_compose_at_offsets (GeglBuffer *layer,
                        gint        off_x,
                        gint        off_y)
{
  /* a shifted view: its extent moves with it, the pixels stay shared */
  return g_object_new (GEGL_TYPE_BUFFER, "source", layer,
                       "shift-x", -off_x, "shift-y", -off_y, NULL);
}

static const gchar *
compose_sampler_name (GeglSamplerType sampler)
{
  switch (sampler)
    {
    case GEGL_SAMPLER_NEAREST:
      return "nearest";
    case GEGL_SAMPLER_LINEAR:
      return "linear";
    case GEGL_SAMPLER_CUBIC:
      return "cubic";
    case GEGL_SAMPLER_NOHALO:
      return "nohalo";
    case GEGL_SAMPLER_LOHALO:
      return "lohalo";
    }
  return "?";
}

/* #rrggbb, or #rrggbbaa when translucent. */
static void
compose_hex (const gdouble *rgba,
             gchar         *hex)
{
  guint c[4];
  gint  i;

  for (i = 0; i < 4; i++)
    c[i] = (guint) floor (CLAMP (rgba[i], 0.0, 1.0) * 255.0 + 0.5);
  if (c[3] == 255)
    g_snprintf (hex, 10, "#%02x%02x%02x", c[0], c[1], c[2]);
  else
    g_snprintf (hex, 10, "#%02x%02x%02x%02x", c[0], c[1], c[2], c[3]);
}

gchar *
smp_compose_description (const SmpComposeSettings *s,
                         const gchar              *look_summary)
{
  const gchar *disclosure = smp_compose_disclosure (s);
  GString     *text = g_string_new (disclosure);
  gchar       *size, label_hex[10], background_hex[10];

  compose_hex (s->label_color, label_hex);
  compose_hex (s->background, background_hex);
  /* the disclosure first, whole: a reader of the metadata that shows one
   * line shows this one */
  if (! g_str_has_suffix (disclosure, "."))
    g_string_append_c (text, '.');
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Before/after composite made with gimp-smp %s "
                                  "(scalp micropigmentation simulation for GIMP)."),
                          SMP_VERSION);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Before: the untouched photo. After: %s."),
                          look_summary && *look_summary ? look_summary
                                                        : _("the simulated result"));
  g_string_append_c (text, '\n');
  if (s->size >= 0 && s->size < SMP_COMPOSE_SIZE_FREE)
    size = g_strdup_printf ("%d × %d px", smp_compose_presets[s->size].width,
                            smp_compose_presets[s->size].height);
  else
    size = g_strdup (_("free size (the crop at full size)"));
  g_string_append_printf (text,
                          _("Layout: %s, %s; the same crop (%d × %d px at %d, %d), scale, "
                            "position and resampling (%s) for both halves; labels \"%s\" "
                            "and \"%s\"; visible disclosure line %s."),
                          s->layout == SMP_COMPOSE_STACKED ? _("stacked") : _("side by side"),
                          size, s->crop.width, s->crop.height, s->crop.x, s->crop.y,
                          compose_sampler_name (s->sampler), s->before_label, s->after_label,
                          s->disclosure ? _("on") : _("off"));
  g_string_append_c (text, '\n');
  g_string_append_printf (text,
                          _("Settings: font \"%s\" at %.0f px, labels %s, label colour %s, "
                            "background %s, gap %d px, border %d px."),
                          s->font, s->label_size,
                          s->label_place == SMP_COMPOSE_LABEL_BOTTOM ? _("below") : _("above"),
                          label_hex, background_hex, s->gap, s->border);
  g_free (size);
  return g_string_free (text, FALSE);
}

/* One <tag> of GIMP's metadata XML. */
static void
compose_tag (GString     *xml,
             const gchar *name,
             const gchar *prefix,
             const gchar *value)
{
  gchar *text = g_markup_escape_text (value, -1);

  g_string_append_printf (xml, "  <tag name=\"%s\">%s%s</tag>\n", name, prefix, text);
  g_free (text);
}

gchar *
smp_compose_metadata (const gchar *description)
{
  GString *xml = g_string_new ("<?xml version='1.0' encoding='UTF-8'?>\n<metadata>\n");
  gchar   *tool = g_strdup_printf ("gimp-smp %s", SMP_VERSION);

  compose_tag (xml, "Xmp.photoshop.Instructions", "", description);
  /* "x-default" is the alternative a reader shows when it knows none of
   * the user's languages: the text as written */
  compose_tag (xml, "Xmp.dc.description", "lang=\"x-default\" ", description);
  compose_tag (xml, "Xmp.xmp.CreatorTool", "", tool);
  compose_tag (xml, "Xmp.iptcExt.DigitalSourceType", "", SMP_COMPOSE_SOURCE_TYPE);
  g_string_append (xml, "</metadata>\n");
  g_free (tool);
  return g_string_free (xml, FALSE);
}
