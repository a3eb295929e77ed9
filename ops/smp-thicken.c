/* smp:thicken — the density illusion: SMP dots on the scalp that shows
 * between longer hairs, so the hair reads as thicker.
 *
 * Input: the photo.  Aux: the region to treat (a feather thins the dots,
 * as in smp:stipple).  The dots are smp:stipple's own, placed on the
 * scalp under the hair; each is hidden pixel by pixel where a hair lies
 * over it (smp:scalp-mask's visibility), so a dot half under a strand
 * shows only its uncovered half.  scalp-tone moves the visible scalp's
 * tone part of the way towards the hair's measured tone in linear light,
 * as a per-pixel gain, so the skin's texture stays.
 */
#include "config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef GEGL_PROPERTIES

#include "smp-look-properties.h"

property_double (scalp_tone, _("Scalp tone"), 0.3)
  description (_("How far the visible scalp's tone moves towards the hair's "
                 "measured tone (darker under dark hair, lighter under grey "
                 "or blond hair on darker skin); its texture stays"))
  value_range (0.0, 1.0)

property_double (sensitivity, _("Hair sensitivity"), 0.65)
  description (_("How readily a pixel counts as hair (see smp:scalp-mask)"))
  value_range (0.05, 0.95)

property_double (smoothing, _("Hair mask smoothing (mm)"), 0.03)
  description (_("Smoothing of the hair share before the scalp mask is cut"))
  value_range (0.0, 1.0)
  ui_range    (0.0, 0.3)
  ui_digits   (3)

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_thicken
#define GEGL_OP_C_SOURCE smp-thicken.c

#include "gegl-op.h"
#include "smp-dots.h"
#include "smp-scalp-op.h"

static void
prepare (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const Babl     *format = smp_dots_input_format (operation);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output", format);
  smp_scalp_cache_reset (&o->user_data);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  return smp_dots_input_box (operation);
}

static gint
smp_thicken_reach (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  SmpDotsParams   params;

  SMP_DOTS_PARAMS_FROM_PROPERTIES (&params, o);
  return MAX (smp_dots_reach_px (&params), smp_scalp_reach_px (o->px_per_mm, o->smoothing));
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  GeglRectangle region = smp_scalp_region (operation), result;

  /* the dots and the mask around roi, and the region the colours are
   * learnt from */
  result = smp_grow (roi, smp_thicken_reach (operation));
  gegl_rectangle_bounding_box (&result, &result, &region);
  return result;
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  GeglRectangle region = smp_scalp_region (operation);

  if (gegl_rectangle_intersect (NULL, &region, input_region))
    return smp_dots_input_box (operation);
  return smp_grow (input_region, smp_thicken_reach (operation));
}

/* What each piece of the output needs, before and after its dots. */
typedef struct
{
  const Babl   *format, *linear, *to_linear, *from_linear;
  gint          bpp;
  const gfloat *visible;       /* over roi */
  GeglRectangle roi;
  const gfloat *ramp;          /* the region, over ramp_area (NULL: 1) */
  GeglRectangle ramp_area;
  gboolean      tone;
  gfloat        gain[3];       /* full scalp-tone gain, linear RGB */
  guchar       *saved;         /* the piece before its dots */
  gsize         saved_size;
} ThickenJob;

static inline gfloat
ramp_at (const ThickenJob *job,
         gint              x,
         gint              y)
{
  gfloat v;

  if (! job->ramp)
    return 1.0f;
  v = job->ramp[(gsize) (y - job->ramp_area.y) * job->ramp_area.width + (x - job->ramp_area.x)];
  return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

static inline gfloat
visible_at (const ThickenJob *job,
            gint              x,
            gint              y)
{
  return job->visible[(gsize) (y - job->roi.y) * job->roi.width + (x - job->roi.x)];
}

/* Scalp tone, then a copy of the piece to hide the dots under hair. */
static void
before_dots (gpointer             data,
             guchar              *pixels,
             const GeglRectangle *piece)
{
  ThickenJob *job = data;
  gsize       n = (gsize) piece->width * piece->height, i;
  gint        x, y;

  if (job->tone)
    {
      gfloat  *amount = g_new (gfloat, n);
      gboolean any = FALSE;

      for (y = 0; y < piece->height; y++)
        for (x = 0; x < piece->width; x++)
          {
            gfloat a = ramp_at (job, piece->x + x, piece->y + y)
                     * visible_at (job, piece->x + x, piece->y + y);

            amount[(gsize) y * piece->width + x] = a;
            any |= a > 0.0f;
          }
      if (any)
        {
          gfloat *rgba = g_new (gfloat, n * 4);
          guchar *native = g_malloc (n * job->bpp);

          babl_process (job->to_linear, pixels, rgba, (long) n);
          for (i = 0; i < n; i++)
            if (amount[i] > 0.0f)
              {
                gint c;

                for (c = 0; c < 3; c++)
                  rgba[i * 4 + c] *= 1.0f + amount[i] * (job->gain[c] - 1.0f);
              }
          babl_process (job->from_linear, rgba, native, (long) n);
          /* only the pixels toned: the rest keep their bytes */
          for (i = 0; i < n; i++)
            if (amount[i] > 0.0f)
              memcpy (pixels + i * job->bpp, native + i * job->bpp, job->bpp);
          g_free (rgba);
          g_free (native);
        }
      g_free (amount);
    }
  if (job->saved_size < n * job->bpp)
    {
      g_free (job->saved);
      job->saved_size = n * job->bpp;
      job->saved = g_malloc (job->saved_size);
    }
  memcpy (job->saved, pixels, n * job->bpp);
}

/* Pigment under hair does not show: each dotted pixel keeps only the
 * scalp's visible share of its dot. */
static void
after_dots (gpointer             data,
            guchar              *pixels,
            const GeglRectangle *piece)
{
  ThickenJob *job = data;
  gsize       n = (gsize) piece->width * piece->height, i, m = 0, k;
  gint        bpp = job->bpp, c;
  gsize      *which = NULL;
  gfloat     *share = NULL;

  for (i = 0; i < n; i++)
    {
      guchar *p = pixels + i * bpp, *s = job->saved + i * bpp;
      gfloat  v;

      if (! memcmp (p, s, bpp))
        continue;
      v = visible_at (job, piece->x + (gint) (i % piece->width), piece->y + (gint) (i / piece->width));
      if (v >= 1.0f)
        continue;
      if (v <= 0.0f)
        {
          memcpy (p, s, bpp);
          continue;
        }
      if (! which)
        {
          which = g_new (gsize, n);
          share = g_new (gfloat, n);
        }
      which[m] = i;
      share[m++] = v;
    }
  if (m > 0)
    {
      guchar *dotted = g_malloc (m * bpp), *plain = g_malloc (m * bpp);
      gfloat *fd = g_new (gfloat, m * 4), *fp = g_new (gfloat, m * 4);

      for (k = 0; k < m; k++)
        {
          memcpy (dotted + k * bpp, pixels + which[k] * bpp, bpp);
          memcpy (plain + k * bpp, job->saved + which[k] * bpp, bpp);
        }
      babl_process (job->to_linear, dotted, fd, (long) m);
      babl_process (job->to_linear, plain, fp, (long) m);
      for (k = 0; k < m; k++)
        for (c = 0; c < 3; c++)
          fd[k * 4 + c] = fp[k * 4 + c] + share[k] * (fd[k * 4 + c] - fp[k * 4 + c]);
      babl_process (job->from_linear, fd, dotted, (long) m);
      for (k = 0; k < m; k++)
        memcpy (pixels + which[k] * bpp, dotted + k * bpp, bpp);
      g_free (dotted);
      g_free (plain);
      g_free (fd);
      g_free (fp);
    }
  g_free (which);
  g_free (share);
}

/* The gain that moves the scalp's tone @amount of the way to the hair's,
 * in CIELAB, as a ratio in linear RGB. */
static gboolean
tone_gain (const SmpScalpModel *model,
           const Babl          *format,
           gdouble              amount,
           gfloat               gain[3])
{
  const Babl *fish = babl_fish (babl_format ("CIE Lab float"),
                                babl_format_with_space ("RGB float", format));
  gfloat      lab[2][3], rgb[2][3];
  gint        c;

  if (! model->valid || amount <= 0.0)
    return FALSE;
  for (c = 0; c < 3; c++)
    {
      lab[0][c] = (gfloat) model->skin_lab[c];
      lab[1][c] = (gfloat) (model->skin_lab[c] + amount * (model->hair_lab[c] - model->skin_lab[c]));
    }
  babl_process (fish, lab, rgb, 2);
  for (c = 0; c < 3; c++)
    gain[c] = rgb[0][c] > 1e-6f ? MAX (rgb[1][c], 0.0f) / rgb[0][c] : 1.0f;
  return TRUE;
}

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties      *o = GEGL_PROPERTIES (operation);
  const Babl          *format = smp_dots_input_format (operation);
  SmpDotsChunk         chunk = { format, input, output, roi, level };
  const SmpScalpModel *model;
  SmpDotsParams        params;
  SmpDotsMask          mask = { NULL };
  SmpDotsExtras        extras = { NULL };
  ThickenJob           job = { NULL };
  gfloat              *visible;
  gboolean             done;

  if (! input || roi->width <= 0 || roi->height <= 0)
    return TRUE;
  SMP_DOTS_PARAMS_FROM_PROPERTIES (&params, o);
  if (smp_dots_mask_connected (operation))
    {
      mask.area = smp_dots_area (&params, roi, level);
      /* far from the region, or outside the mask's extent, the photo as
       * it is */
      if (! smp_dots_mask_read (operation, aux, &mask, level))
        {
          smp_dots_copy (&chunk);
          g_free ((gfloat *) mask.values);
          return TRUE;
        }
    }
  model = smp_scalp_measure (o->user_data, operation, input, aux, o->px_per_mm, level);
  visible = smp_scalp_visibility_at (model, SMP_SCALP_SETTINGS_OF (o), &chunk, TRUE);

  job.format = format;
  job.linear = babl_format_with_space ("RGBA float", format);
  job.to_linear = babl_fish (format, job.linear);
  job.from_linear = babl_fish (job.linear, format);
  job.bpp = babl_format_get_bytes_per_pixel (format);
  job.visible = visible;
  job.roi = *roi;
  job.ramp = aux ? mask.values : NULL;
  job.ramp_area = mask.area;
  job.tone = tone_gain (model, format, o->scalp_tone, job.gain);
  extras.before_dots = before_dots;
  extras.after_dots = after_dots;
  extras.data = &job;
  done = smp_dots_process (&params, &chunk, aux ? &mask : NULL, &extras);
  g_free (job.saved);
  g_free (visible);
  g_free ((gfloat *) mask.values);
  return done;
}

static void
finalize (GObject *object)
{
  smp_scalp_op_finalize (object, &GEGL_PROPERTIES (object)->user_data, gegl_op_parent_class);
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GObjectClass               *object_class = G_OBJECT_CLASS (klass);
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);

  object_class->finalize = finalize;
  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_invalidated_by_change = get_invalidated_by_change;
  operation_class->threaded = TRUE;
  composer_class->process = process;
  composer_class->aux_label = _("Region");
  composer_class->aux_description = _("The thinning area to treat (a feather "
                                       "thins the dots towards its edge)");

  gegl_operation_class_set_keys (operation_class,
    "name",            "smp:thicken",
    "title",           _("SMP Thicken (density illusion)"),
    "categories",      "render:smp",
    "gimp:menu-path",  "<Image>/Filters/Scalp Micropigmentation",
    "gimp:menu-label", _("SMP Thicken (thinning hair)..."),
    "description",     _("Simulated scalp micro-pigmentation between longer "
                         "hairs: dots on the visible scalp only, hidden where "
                         "a hair lies over them, and the scalp's tone moved "
                         "towards the hair's, so the hair reads as thicker"),
    NULL);
}

#endif
