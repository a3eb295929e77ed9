/* gimp-smp: the GEGL side of telling scalp from hair.  See smp-scalp-op.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gegl-plugin.h>

#include "smp-dots.h"
#include "smp-scalp-op.h"

/* About this many samples, whatever the region's size. */
#define SMP_SCALP_SAMPLES 40000
/* A model per mipmap level it is learnt at (smp_scalp_measure). */
#define SMP_SCALP_LEVELS 8
/* The least scale (px per mm) a preview's colours are learnt at: hairs
 * 0.05-0.15 mm wide are still a pixel or more wide there, so the samples
 * still hold pure hair and pure skin, not their mix. */
#define SMP_SCALP_MEASURE_PX_PER_MM 10.0

struct SmpScalpCache
{
  GMutex        lock;
  gboolean      measured[SMP_SCALP_LEVELS];
  SmpScalpModel model[SMP_SCALP_LEVELS];
};

void
smp_scalp_cache_reset (gpointer *user_data)
{
  SmpScalpCache *cache = *user_data;

  if (! cache)
    {
      cache = g_new0 (SmpScalpCache, 1);
      g_mutex_init (&cache->lock);
      *user_data = cache;
    }
  g_mutex_lock (&cache->lock);
  memset (cache->measured, 0, sizeof cache->measured);
  memset (cache->model, 0, sizeof cache->model);
  g_mutex_unlock (&cache->lock);
}

void
smp_scalp_op_finalize (GObject  *object,
                       gpointer *user_data,
                       gpointer  parent_class)
{
  SmpScalpCache *cache = *user_data;

  if (cache)
    {
      g_mutex_clear (&cache->lock);
      g_free (cache);
      *user_data = NULL;
    }
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

GeglRectangle
smp_scalp_region (GeglOperation *operation)
{
  const GeglRectangle *aux = gegl_operation_source_get_bounding_box (operation, "aux");
  GeglRectangle        input = smp_dots_input_box (operation), region = input;

  if (aux && ! gegl_rectangle_intersect (&region, aux, &input))
    region = input;
  return region;
}

/* G_MESSAGES_DEBUG=all shows what was learnt, at which mipmap level and
 * over which region (in that level's pixels). */
static void
smp_scalp_report (const SmpScalpModel *model,
                  gint                 level,
                  const GeglRectangle *region,
                  gint                 step)
{
  g_debug ("smp scalp model: learnt at level %d over %dx%d px; "
           "%ld samples (every %d px), %s; scalp L*a*b* %.1f %.1f %.1f, "
           "hair %.1f %.1f %.1f, hair share %.2f, interior scalp %.3f hair %.3f%s",
           level, region->width, region->height,
           model->samples, step, model->valid ? "valid" : "not valid",
           model->skin_lab[0], model->skin_lab[1], model->skin_lab[2],
           model->hair_lab[0], model->hair_lab[1], model->hair_lab[2],
           model->hair_share, model->interior[0], model->interior[1],
           model->by_chroma ? " (too close: hair by its lower chroma)" : "");
}

const SmpScalpModel *
smp_scalp_measure (gpointer       user_data,
                   GeglOperation *operation,
                   GeglBuffer    *input,
                   GeglBuffer    *aux,
                   gdouble        px_per_mm,
                   gint           level)
{
  SmpScalpCache *cache = user_data;
  gint           at = smp_measure_level (px_per_mm, level, SMP_SCALP_MEASURE_PX_PER_MM,
                                         SMP_SCALP_LEVELS);
  gdouble        scale = 1.0 / (1 << at);
  const Babl    *format = smp_dots_input_format (operation);
  const Babl    *linear = babl_format_with_space ("RGBA float", format);
  const Babl    *to_lab = babl_fish (babl_format_with_space ("RGB float", format),
                                     babl_format ("CIE Lab float"));
  GeglRectangle  full = smp_scalp_region (operation);
  GeglRectangle  region = smp_rect_at_level (&full, at);
  SmpScalpModel *model = &cache->model[at];
  GArray        *patches, *lab;
  gfloat        *rows, *mask;
  gint           step, y, x, j, k;

  g_mutex_lock (&cache->lock);
  if (cache->measured[at])
    {
      g_mutex_unlock (&cache->lock);
      return model;
    }
  cache->measured[at] = TRUE;
  if (region.width < 3 || region.height < 3)
    {
      g_mutex_unlock (&cache->lock);
      return model;
    }
  step = MAX (2, (gint) ceil (sqrt ((double) region.width * region.height / SMP_SCALP_SAMPLES)));
  patches = g_array_new (FALSE, FALSE, sizeof (gfloat) * 75);
  lab = g_array_new (FALSE, FALSE, sizeof (gfloat) * 3);
  rows = g_new (gfloat, (gsize) region.width * 5 * 4);
  mask = g_new (gfloat, region.width);
  for (y = region.y + 2; y < region.y + region.height - 2; y += step)
    {
      GeglRectangle strip = { region.x, y - 2, region.width, 5 };
      GeglRectangle line = { region.x, y, region.width, 1 };

      gegl_buffer_get (input, &strip, scale, linear, rows, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
      if (aux)
        gegl_buffer_get (aux, &line, scale, babl_format ("Y float"), mask,
                         GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (x = 2; x < region.width - 2; x += step)
        {
          gfloat patch[75], centre[3];

          if (aux && ! (mask[x] >= 0.5f))
            continue;
          for (j = 0; j < 5; j++)
            for (k = 0; k < 5; k++)
              memcpy (patch + (j * 5 + k) * 3,
                      rows + ((gsize) j * region.width + x - 2 + k) * 4, sizeof (gfloat) * 3);
          babl_process (to_lab, patch + 36, centre, 1);
          g_array_append_val (patches, patch);
          g_array_append_val (lab, centre);
        }
    }
  smp_scalp_learn ((const float *) patches->data, (const float *) lab->data,
                   patches->len, model);
  smp_scalp_report (model, at, &region, step);
  g_array_free (patches, TRUE);
  g_array_free (lab, TRUE);
  g_free (rows);
  g_free (mask);
  g_mutex_unlock (&cache->lock);
  return model;
}

gint
smp_scalp_reach_px (gdouble px_per_mm,
                    gdouble smoothing_mm)
{
  return smp_scalp_reach (smoothing_mm * px_per_mm) + 1;
}

gfloat *
smp_scalp_visibility_at (const SmpScalpModel    *model,
                         const SmpScalpSettings *settings,
                         const SmpDotsChunk     *chunk,
                         gboolean                by_light)
{
  const Babl          *linear = babl_format_with_space ("RGBA float", chunk->format);
  const GeglRectangle *area = chunk->roi;
  /* hairs are 1-2 px wide at full size: a zoomed-out preview cannot
   * resolve them, so the mask is made up to two levels finer and
   * averaged down (exactly the full size's mask at levels 1 and 2) */
  gint                 base = MAX (chunk->level - 2, 0), f = 1 << (chunk->level - base);
  gint                 x, y, a, b;
  GeglRectangle        fine = { area->x * f, area->y * f, area->width * f, area->height * f };
  SmpScalpReading      reading = { model, settings->smoothing_mm * settings->px_per_mm / (1 << base),
                                   settings->sensitivity };
  gint                 r = smp_scalp_reach (reading.sigma_px);
  GeglRectangle        grown = smp_grow (&fine, r);
  gfloat              *out = g_new (gfloat, (gsize) area->width * area->height);
  gfloat              *rgba, *visible;

  if (! model->valid)
    {
      gsize i;

      for (i = 0; i < (gsize) area->width * area->height; i++)
        out[i] = 1.0f;
      return out;
    }
  rgba = g_new (gfloat, (gsize) grown.width * grown.height * 4);
  gegl_buffer_get (chunk->input, &grown, 1.0 / (1 << base), linear, rgba,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  visible = f == 1 ? out : g_new (gfloat, (gsize) fine.width * fine.height);
  /* grown is fine with reach r on every side: the output is fine */
  smp_scalp_visibility (&reading, rgba, grown.width, grown.height, visible);
  if (f > 1)
    {
      double lum[3];

      babl_space_get_rgb_luminance (babl_format_get_space (linear), &lum[0], &lum[1], &lum[2]);
      for (y = 0; y < area->height; y++)
        for (x = 0; x < area->width; x++)
          {
            gfloat sum = 0.0f, weight = 0.0f;

            for (b = 0; b < f; b++)
              for (a = 0; a < f; a++)
                {
                  const gfloat *p = rgba + ((gsize) (y * f + b + r) * grown.width + x * f + a + r) * 4;
                  gfloat        w = by_light ? (gfloat) (lum[0] * p[0] + lum[1] * p[1] + lum[2] * p[2]) : 1.0f;

                  w = MAX (w, 1e-6f);
                  sum += w * visible[(gsize) (y * f + b) * fine.width + x * f + a];
                  weight += w;
                }
            out[(gsize) y * area->width + x] = sum / weight;
          }
      g_free (visible);
    }
  g_free (rgba);
  return out;
}
