/* gimp-smp: the GEGL side of drawing SMP impressions.  See smp-dots.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gmodule.h>
#include <gegl-plugin.h>

#include "smp-dots.h"
#include "smp-look.h"
#include "smp-parallel.h"

const Babl *
smp_dots_input_format (GeglOperation *operation)
{
  const Babl *format = gegl_operation_get_source_format (operation, "input");

  return format ? format : babl_format ("RGBA float");
}

GeglRectangle
smp_dots_input_box (GeglOperation *operation)
{
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  return in ? *in : *GEGL_RECTANGLE (0, 0, 0, 0);
}

GeglRectangle
smp_grow (const GeglRectangle *rect,
          gint                 by)
{
  GeglRectangle grown = *rect;
  gint64        x0 = (gint64) rect->x - by, y0 = (gint64) rect->y - by;
  gint64        x1 = (gint64) rect->x + rect->width + by;
  gint64        y1 = (gint64) rect->y + rect->height + by;

  /* an infinite plane (gegl:color on aux) or a huge one stays what it is:
   * growing it would overflow */
  if (gegl_rectangle_is_infinite_plane (rect) ||
      x0 < G_MININT / 2 || y0 < G_MININT / 2 || x1 > G_MAXINT / 2 || y1 > G_MAXINT / 2)
    return *rect;
  grown.x = (gint) x0;
  grown.y = (gint) y0;
  grown.width = (gint) (x1 - x0);
  grown.height = (gint) (y1 - y0);
  return grown;
}

typedef struct
{
  GeglBuffer          *buffer;
  const GeglRectangle *rect;
  gint                 level;
  const Babl          *format;
  guchar              *dest;
  GeglAbyssPolicy      abyss;
} SmpDotsGetJob;

static void
smp_dots_get_band (void *data,
                   int   band,
                   int   n_bands)
{
  const SmpDotsGetJob *job = data;
  const GeglRectangle *rect = job->rect;
  gsize                row_bytes = (gsize) rect->width * babl_format_get_bytes_per_pixel (job->format);
  long                 begin, end;

  smp_parallel_share (rect->height, band, n_bands, &begin, &end);
  if (end > begin)
    gegl_buffer_get (job->buffer, GEGL_RECTANGLE (rect->x, rect->y + begin, rect->width, end - begin),
                     1.0 / (1 << job->level), job->format, job->dest + begin * row_bytes,
                     GEGL_AUTO_ROWSTRIDE, job->abyss);
}

void
smp_dots_get_bands (GeglBuffer          *buffer,
                    const GeglRectangle *rect,
                    gint                 level,
                    const Babl          *format,
                    gpointer             dest,
                    GeglAbyssPolicy      abyss)
{
  SmpDotsGetJob job = { buffer, rect, level, format, dest, abyss };

  /* a band of less than 64 rows or a quarter megapixel costs more to
   * start than it saves */
  smp_parallel_run (smp_dots_get_band, &job,
                    MIN (smp_parallel_bands ((long) rect->width * rect->height, 1 << 18),
                         MAX (rect->height / 64, 1)));
}

GeglRectangle
smp_rect_at_level (const GeglRectangle *rect,
                   gint                 level)
{
  gint x0 = rect->x >> level, y0 = rect->y >> level;
  gint x1 = (rect->x + rect->width + (1 << level) - 1) >> level;
  gint y1 = (rect->y + rect->height + (1 << level) - 1) >> level;

  return *GEGL_RECTANGLE (x0, y0, x1 - x0, y1 - y0);
}

gint
smp_measure_level (gdouble px_per_mm,
                   gint    level,
                   gdouble least_px_per_mm,
                   gint    levels)
{
  gint measure = MIN (level, levels - 1);

  while (measure > 0 && px_per_mm / (1 << measure) < least_px_per_mm)
    measure--;
  return measure;
}

gboolean
smp_dots_mask_connected (GeglOperation *operation)
{
  return gegl_operation_get_source_node (operation, "aux") != NULL;
}

gboolean
smp_dots_mask_read (GeglOperation *operation,
                    GeglBuffer    *aux,
                    SmpDotsMask   *mask,
                    gint           level)
{
  gsize   i, n = (gsize) mask->area.width * mask->area.height;
  gfloat *values = g_new0 (gfloat, n);
  gboolean any = FALSE;

  /* GEGL passes no buffer for a chunk the mask's extent does not reach:
   * the mask is 0 there, never "no mask" */
  if (aux)
    gegl_buffer_get (aux, &mask->area, 1.0 / (1 << level), babl_format ("Y float"),
                     values, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n && ! any; i++)
    any = values[i] > 0.0f;
  mask->values = values;
  return any;
}

typedef struct
{
  SmpLookInk ink;
  double     shade;
  double     halo_mm, halo_strength, tone;
} ResolvedShade;

#define SHADE_CACHE 16

void
smp_dots_params_resolve (SmpDotsParams *params)
{
  static GMutex        lock;
  static ResolvedShade cache[SHADE_CACHE];
  static guint         cached, next;
  ResolvedShade        r;
  gfloat               pigment_y = 0.0f;
  guint                i;

  if (params->look != SMP_LOOK_ID_CUSTOM)
    {
      const SmpLook *look = smp_look_preset (params->look);

      params->layout.density_per_cm2 = look->density_per_cm2;
      params->layout.dot_diameter_mm = look->dot_diameter_mm;
      params->layout.size_variation = look->size_variation;
      params->layout.darkness_variation = look->darkness_variation;
      params->darkness = look->darkness;
      params->softness_mm = look->softness_mm;
      params->halo_mm = look->halo_mm;
      params->shade = look->shade;
    }
  {
    SmpLookValues v = { params->layout.density_per_cm2, params->layout.dot_diameter_mm,
                        params->darkness, params->shade, params->halo_mm,
                        params->cool_shift, 0.0 };

    smp_look_for_session (&v, params->session, params->sessions);
    smp_look_for_stage (&v, params->stage);
    params->layout.density_per_cm2 = v.density_per_cm2;
    params->layout.dot_diameter_mm = v.dot_diameter_mm;
    params->darkness = v.darkness;
    params->shade = v.shade;
    params->halo_mm = v.halo_mm;
    params->cool_shift = v.cool_shift;
    params->redness = v.redness;
  }
  if (params->pigment)
    gegl_color_get_pixel (params->pigment, babl_format ("Y float"), &pigment_y);

  memset (&r, 0, sizeof r);
  /* field by field: a struct copy would bring padding bytes along, and
   * the cache compares bytes */
  r.ink.layout.density_per_cm2 = params->layout.density_per_cm2;
  r.ink.layout.regularity = params->layout.regularity;
  r.ink.layout.clustering = params->layout.clustering;
  r.ink.layout.dot_diameter_mm = params->layout.dot_diameter_mm;
  r.ink.layout.size_variation = params->layout.size_variation;
  r.ink.layout.darkness_variation = params->layout.darkness_variation;
  r.ink.darkness = params->darkness;
  r.ink.softness_mm = params->softness_mm;
  r.ink.halo_mm = params->halo_mm;
  r.ink.pigment_luminance = pigment_y;
  r.shade = params->shade;

  g_mutex_lock (&lock);
  for (i = 0; i < cached; i++)
    if (! memcmp (&cache[i].ink, &r.ink, sizeof r.ink) && cache[i].shade == r.shade)
      break;
  if (i == cached)
    {
      SmpLookInk ink = r.ink;

      if (r.shade > 0.0)
        r.halo_strength = smp_look_halo_for_shade (&ink, r.shade, &r.tone);
      else
        r.tone = smp_look_tone (&ink, 0.0);
      r.halo_mm = ink.halo_mm;
      i = next;
      cache[i] = r;
      next = (next + 1) % SHADE_CACHE;
      cached = MAX (cached, next == 0 ? SHADE_CACHE : next);
    }
  params->halo_mm = cache[i].halo_mm;
  params->halo_strength = cache[i].halo_strength;
  params->tone = cache[i].tone;
  g_mutex_unlock (&lock);
}

gint
smp_dots_reach_px (const SmpDotsParams *params)
{
  GeglRectangle point = { 0, 0, 0, 0 };

  return -smp_dots_area (params, &point, 0).x;
}

/* Dots drawn in one global order, so that a pixel two dots overlap gets
 * the same result whichever tile draws it. */
static int
dot_order (const void *a,
           const void *b)
{
  const SmpDot *p = a, *q = b;

  if (p->y_mm != q->y_mm)
    return p->y_mm < q->y_mm ? -1 : 1;
  if (p->x_mm != q->x_mm)
    return p->x_mm < q->x_mm ? -1 : 1;
  return 0;
}

/* The mask's value at a dot's centre, 0..1 (0 outside the mask's area). */
static double
mask_at (const SmpDotsMask *mask,
         const SmpDot      *dot,
         double             px_per_mm)
{
  gint   x = (gint) floor (dot->x_mm * px_per_mm) - mask->area.x;
  gint   y = (gint) floor (dot->y_mm * px_per_mm) - mask->area.y;
  double value = 0.0;

  if (x >= 0 && y >= 0 && x < mask->area.width && y < mask->area.height)
    value = mask->values[(gsize) y * mask->area.width + x];
  if (! (value > 0.0))
    value = 0.0;          /* also NaN */
  return value > 1.0 ? 1.0 : value;
}

/* Keeps the dots that the mask lets through at this density, each as
 * dark as @strength says at its centre. */
static void
thin_by_mask (SmpDotArray       *dots,
              double             density,
              const SmpDotsMask *mask,
              const SmpDotsMask *strength,
              double             px_per_mm)
{
  size_t i, kept = 0;

  for (i = 0; i < dots->n; i++)
    {
      SmpDot *dot = &dots->dots[i];
      double  value = mask ? mask_at (mask, dot, px_per_mm) : 1.0;

      if (dot->appears_at < density * value)
        {
          if (strength)
            dot->strength *= mask_at (strength, dot, px_per_mm);
          dots->dots[kept++] = *dot;
        }
    }
  dots->n = kept;
}

/* The ink of @params at @level.  Without a @format, only its reach is
 * right: no pigment colour or luminance. */
static void
dots_ink_init (const SmpDotsParams *params,
               const Babl          *format,
               gint                 level,
               SmpInk              *ink)
{
  double luminance[3] = { 0, 0, 0 };
  float  pigment[3] = { 0, 0, 0 };

  if (format)
    {
      babl_space_get_rgb_luminance (babl_format_get_space (format),
                                    &luminance[0], &luminance[1], &luminance[2]);
      gegl_color_get_pixel (params->pigment,
                            babl_format_with_space ("RGB float", format), pigment);
    }
  smp_ink_init (ink, params->px_per_mm / (1 << level), params->darkness, params->softness_mm,
                pigment, format ? params->cool_shift : 0.0, luminance);
  smp_ink_set_halo (ink, params->halo_mm, params->halo_strength);
  smp_ink_set_photo_blur (ink, params->photo_blur_px / (1 << level));
  smp_ink_set_redness (ink, params->redness);
}

GeglRectangle
smp_dots_area (const SmpDotsParams *params,
               const GeglRectangle *roi,
               gint                 level)
{
  SmpLayout layout;
  SmpInk    ink;

  smp_layout_init (&layout, &params->layout);
  dots_ink_init (params, NULL, level, &ink);
  return smp_grow (roi, (gint) ceil (smp_ink_reach_px (&ink, layout.max_diameter_mm)) + 1);
}

/* The side of the square blocks the output is drawn in, px. */
#define DOTS_BLOCK 256

/* Scratch for converting a piece of the output at a time. */
typedef struct
{
  const Babl *to_linear, *from_linear;
  gint        bpp;
  gsize       size;        /* pixels the buffers below hold */
  guchar     *converted;
  gfloat     *patch;
  gfloat     *halo;
  guint8     *touched;
  SmpDot     *near;        /* the dots that reach the piece */
  gsize       near_size;
} DotScratch;

static void
scratch_reserve (DotScratch *s,
                 gsize       pixels)
{
  if (pixels <= s->size)
    return;
  s->size = pixels;
  s->converted = g_realloc (s->converted, pixels * s->bpp);
  s->patch = g_realloc (s->patch, pixels * 4 * sizeof (gfloat));
  s->halo = g_realloc (s->halo, pixels * sizeof (gfloat));
  s->touched = g_realloc (s->touched, pixels);
}

/* Draws @dots (sorted by dot_order) onto @pixels, the native-format
 * bytes of @area.  The piece is converted to linear light once (with
 * halos, most pixels are reached by some dot), and only the pixels a dot
 * reached are written back: everything else keeps its exact bytes. */
static void
draw_dots (const SmpInk        *ink,
           const SmpDotArray   *dots,
           double               scale,
           double               max_reach,
           DotScratch          *s,
           guchar              *pixels,
           const GeglRectangle *area)
{
  gint        bpp = s->bpp;
  gsize       n = (gsize) area->width * area->height, k;
  size_t      lo = 0, hi = dots->n, i, near = 0;
  SmpInkPatch patch;

  /* the dots are sorted by y: those from lo to end can reach the area */
  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;

      if (dots->dots[mid].y_mm * scale + max_reach < area->y)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (i = lo; i < dots->n; i++)
    {
      const SmpDot *dot = &dots->dots[i];
      double        cx = dot->x_mm * scale;

      if (dot->y_mm * scale - max_reach >= area->y + area->height)
        break;
      if (cx + max_reach < area->x || cx - max_reach >= area->x + area->width)
        continue;
      if (near == s->near_size)
        {
          s->near_size = MAX (2 * s->near_size, 64);
          s->near = g_renew (SmpDot, s->near, s->near_size);
        }
      s->near[near++] = *dot;
    }
  if (near == 0)
    return;

  scratch_reserve (s, n);
  babl_process (s->to_linear, pixels, s->patch, n);
  memset (s->touched, 0, n);
  patch.rgba = s->patch;
  patch.area = *SMP_RECT_OF (area);
  patch.touched = s->touched;
  if (smp_ink_draw_dots (ink, s->near, near, &patch, s->halo) == 0)
    return;
  babl_process (s->from_linear, s->patch, s->converted, n);
  /* a copy the compiler can inline for the common pixel sizes */
  switch (bpp)
    {
    case 4:
      for (k = 0; k < n; k++)
        if (s->touched[k])
          memcpy (pixels + k * 4, s->converted + k * 4, 4);
      break;
    case 8:
      for (k = 0; k < n; k++)
        if (s->touched[k])
          memcpy (pixels + k * 8, s->converted + k * 8, 8);
      break;
    case 16:
      for (k = 0; k < n; k++)
        if (s->touched[k])
          memcpy (pixels + k * 16, s->converted + k * 16, 16);
      break;
    default:
      for (k = 0; k < n; k++)
        if (s->touched[k])
          memcpy (pixels + k * bpp, s->converted + k * bpp, bpp);
    }
}

void
smp_dots_copy (const SmpDotsChunk *chunk)
{
  const Babl          *format = chunk->format;
  const GeglRectangle *roi = chunk->roi;
  GeglBuffer          *input = chunk->input, *output = chunk->output;
  gint                 level = chunk->level;
  GeglBufferIterator  *iter;

  if (level == 0)
    {
      gegl_buffer_copy (input, roi, GEGL_ABYSS_NONE, output, roi);
      return;
    }
  iter = gegl_buffer_iterator_new (output, roi, level, format,
                                   GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 2);
  gegl_buffer_iterator_add (iter, input, roi, level, format,
                            GEGL_ACCESS_READ, GEGL_ABYSS_NONE);
  while (gegl_buffer_iterator_next (iter))
    memcpy (iter->items[0].data, iter->items[1].data,
            (gsize) iter->length * babl_format_get_bytes_per_pixel (format));
}

/* Draws @dots over @roi of @output, from @input, block by block: a dot
 * is drawn once for every block it reaches, and blocks larger than
 * GEGL's tiles repeat fewer of them. */
static void
draw_blocks (const SmpInk        *ink,
             const SmpDotArray   *dots,
             double               scale,
             gint                 grow,
             const SmpDotsChunk  *chunk,
             const SmpDotsExtras *extras)
{
  const Babl          *format = chunk->format;
  const Babl          *linear = babl_format_with_space ("RGBA float", format);
  const GeglRectangle *roi = chunk->roi;
  gint                 level = chunk->level;
  DotScratch           scratch;
  GeglRectangle        block;
  guchar              *native;

  memset (&scratch, 0, sizeof scratch);
  scratch.to_linear = babl_fish (format, linear);
  scratch.from_linear = babl_fish (linear, format);
  scratch.bpp = babl_format_get_bytes_per_pixel (format);
  native = g_malloc ((gsize) DOTS_BLOCK * DOTS_BLOCK * scratch.bpp);
  for (block.y = roi->y; block.y < roi->y + roi->height; block.y += DOTS_BLOCK)
    for (block.x = roi->x; block.x < roi->x + roi->width; block.x += DOTS_BLOCK)
      {
        block.width = MIN (DOTS_BLOCK, roi->x + roi->width - block.x);
        block.height = MIN (DOTS_BLOCK, roi->y + roi->height - block.y);
        gegl_buffer_get (chunk->input, &block, 1.0 / (1 << level), format, native,
                         GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
        if (extras && extras->before_dots)
          extras->before_dots (extras->data, native, &block);
        draw_dots (ink, dots, scale, grow, &scratch, native, &block);
        if (extras && extras->after_dots)
          extras->after_dots (extras->data, native, &block);
        gegl_buffer_set (chunk->output, &block, level, format, native, GEGL_AUTO_ROWSTRIDE);
      }
  g_free (native);
  g_free (scratch.converted);
  g_free (scratch.patch);
  g_free (scratch.halo);
  g_free (scratch.near);
  g_free (scratch.touched);
}

gboolean
smp_dots_process (const SmpDotsParams *params,
                  const SmpDotsChunk  *chunk,
                  const SmpDotsMask   *mask,
                  const SmpDotsExtras *extras)
{
  const GeglRectangle *roi = chunk->roi;
  gint                 level = chunk->level;
  double               scale = params->px_per_mm / (1 << level);
  SmpLayout            layout;
  SmpInk               ink;
  SmpDotArray          dots = { 0 };
  GeglRectangle        area;
  SmpBoxMm             box;

  smp_layout_init (&layout, &params->layout);
  dots_ink_init (params, chunk->format, level, &ink);

  /* every dot that can reach a pixel of roi has its centre in area */
  area = smp_dots_area (params, roi, level);
  box = (SmpBoxMm) { area.x / scale, area.y / scale,
                     (area.x + area.width) / scale, (area.y + area.height) / scale };
  smp_layout_collect (&layout, &box, params->layout.density_per_cm2, &dots);
  thin_by_mask (&dots, params->layout.density_per_cm2, mask,
                extras ? extras->strength : NULL, scale);

  if (dots.n == 0 && level == 0 && ! (extras && (extras->before_dots || extras->after_dots)))
    gegl_buffer_copy (chunk->input, roi, GEGL_ABYSS_NONE, chunk->output, roi);
  else
    {
      if (dots.n > 1)
        qsort (dots.dots, dots.n, sizeof (SmpDot), dot_order);
      draw_blocks (&ink, &dots, scale, roi->x - area.x, chunk, extras);
    }
  smp_dot_array_free (&dots);
  return TRUE;
}
