/* gimp-smp: the GEGL side of drawing SMP impressions.  See smp-dots.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gmodule.h>

#include "smp-dots.h"

/* The deepest mipmap level any process() call has been asked to render.
 * Only read by tests, to show that zoomed-out previews really reach the
 * op at a reduced level instead of being downscaled afterwards. */
G_MODULE_EXPORT gint smp_dots_deepest_level = 0;

gint
smp_dots_reach_px (const SmpDotsParams *params)
{
  SmpLayout layout;
  SmpInk    ink;
  float     pigment[3] = { 0, 0, 0 };
  double    luminance[3] = { 0, 0, 0 };

  smp_layout_init (&layout, &params->layout);
  smp_ink_init (&ink, params->px_per_mm, params->darkness, params->softness_mm,
                pigment, 0.0, luminance);
  return (gint) ceil (smp_ink_reach_px (&ink, layout.max_diameter_mm)) + 1;
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

/* Keeps the dots that the mask lets through at this density. */
static void
thin_by_mask (SmpDotArray         *dots,
              double               density,
              GeglBuffer          *mask,
              const GeglRectangle *area,
              gint                 level,
              double               px_per_mm)
{
  gfloat *m = NULL;
  size_t  i, kept = 0;

  if (mask)
    {
      m = g_new (gfloat, (gsize) area->width * area->height);
      gegl_buffer_get (mask, area, 1.0 / (1 << level), babl_format ("Y float"),
                       m, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    }
  for (i = 0; i < dots->n; i++)
    {
      const SmpDot *dot = &dots->dots[i];
      double        value = 1.0;

      if (m)
        {
          gint x = (gint) floor (dot->x_mm * px_per_mm) - area->x;
          gint y = (gint) floor (dot->y_mm * px_per_mm) - area->y;

          value = 0.0;
          if (x >= 0 && y >= 0 && x < area->width && y < area->height)
            value = m[(gsize) y * area->width + x];
          if (! (value > 0.0))
            value = 0.0;          /* also NaN */
          if (value > 1.0)
            value = 1.0;
        }
      if (dot->appears_at < density * value)
        dots->dots[kept++] = *dot;
    }
  dots->n = kept;
  g_free (m);
}

gboolean
smp_dots_process (const SmpDotsParams *params,
                  const Babl          *format,
                  GeglBuffer          *input,
                  GeglBuffer          *mask,
                  GeglBuffer          *output,
                  const GeglRectangle *roi,
                  gint                 level)
{
  const Babl   *linear = babl_format_with_space ("RGBA float", format);
  const Babl   *to_linear = babl_fish (format, linear);
  const Babl   *from_linear = babl_fish (linear, format);
  gint          bpp = babl_format_get_bytes_per_pixel (format);
  double        scale = params->px_per_mm / (1 << level);
  double        luminance[3];
  gfloat        pigment[3];
  SmpLayout     layout;
  SmpInk        ink;
  SmpDotArray   dots = { 0 };
  GeglRectangle area;
  guchar       *pixels, *native, *converted;
  gfloat       *patch;
  guint8       *touched;
  gint          grow;
  size_t        i;

  if (level > g_atomic_int_get (&smp_dots_deepest_level))
    g_atomic_int_set (&smp_dots_deepest_level, level);

  smp_layout_init (&layout, &params->layout);
  babl_space_get_rgb_luminance (babl_format_get_space (format),
                                &luminance[0], &luminance[1], &luminance[2]);
  gegl_color_get_pixel (params->pigment,
                        babl_format_with_space ("RGB float", format), pigment);
  smp_ink_init (&ink, scale, params->darkness, params->softness_mm,
                pigment, params->cool_shift, luminance);

  /* every dot that can reach a pixel of roi has its centre in area */
  grow = (gint) ceil (smp_ink_reach_px (&ink, layout.max_diameter_mm)) + 1;
  area = *roi;
  area.x -= grow;
  area.y -= grow;
  area.width += 2 * grow;
  area.height += 2 * grow;

  smp_layout_collect (&layout, area.x / scale, area.y / scale,
                      (area.x + area.width) / scale, (area.y + area.height) / scale,
                      params->layout.density_per_cm2, &dots);
  thin_by_mask (&dots, params->layout.density_per_cm2, mask, &area, level, scale);

  if (dots.n == 0 && level == 0)
    {
      gegl_buffer_copy (input, roi, GEGL_ABYSS_NONE, output, roi);
      smp_dot_array_free (&dots);
      return TRUE;
    }

  qsort (dots.dots, dots.n, sizeof (SmpDot), dot_order);
  pixels = g_malloc ((gsize) roi->width * roi->height * bpp);
  gegl_buffer_get (input, roi, 1.0 / (1 << level), format, pixels,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);

  /* scratch for the largest dot patch */
  {
    gint side = 2 * grow + 2;

    native = g_malloc ((gsize) side * side * bpp);
    converted = g_malloc ((gsize) side * side * bpp);
    patch = g_new (gfloat, (gsize) side * side * 4);
    touched = g_malloc ((gsize) side * side);
  }

  for (i = 0; i < dots.n; i++)
    {
      const SmpDot *dot = &dots.dots[i];
      double        reach = smp_ink_reach_px (&ink, dot->diameter_mm);
      double        cx = dot->x_mm * scale, cy = dot->y_mm * scale;
      gint          x0 = MAX ((gint) floor (cx - reach), roi->x);
      gint          y0 = MAX ((gint) floor (cy - reach), roi->y);
      gint          x1 = MIN ((gint) ceil (cx + reach), roi->x + roi->width);
      gint          y1 = MIN ((gint) ceil (cy + reach), roi->y + roi->height);
      gint          w = x1 - x0, h = y1 - y0, row, k;

      if (w <= 0 || h <= 0)
        continue;
      /* convert only the dot's own patch, and write back only the pixels
       * it reached: everything else keeps its exact bytes */
      for (row = 0; row < h; row++)
        memcpy (native + (gsize) row * w * bpp,
                pixels + ((gsize) (y0 - roi->y + row) * roi->width + (x0 - roi->x)) * bpp,
                (gsize) w * bpp);
      babl_process (to_linear, native, patch, w * h);
      memset (touched, 0, (gsize) w * h);
      if (! smp_ink_apply_dot (&ink, dot, patch, 4 * w, x0, y0, w, h, touched))
        continue;
      babl_process (from_linear, patch, converted, w * h);
      for (k = 0; k < w * h; k++)
        if (touched[k])
          memcpy (pixels + ((gsize) (y0 - roi->y + k / w) * roi->width + (x0 - roi->x + k % w)) * bpp,
                  converted + (gsize) k * bpp, bpp);
    }

  gegl_buffer_set (output, roi, level, format, pixels, GEGL_AUTO_ROWSTRIDE);

  g_free (pixels);
  g_free (native);
  g_free (converted);
  g_free (patch);
  g_free (touched);
  smp_dot_array_free (&dots);
  return TRUE;
}
