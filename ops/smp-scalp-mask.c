/* smp:scalp-mask — where the scalp shows between the hairs.
 *
 * Input: the photo.  Aux (optional): the region to learn the colours
 * from (where it is at least 0.5; the whole photo without it).  Output: a
 * grey mask, 1 on visible scalp and 0 on hair, over the whole photo.  The
 * skin and hair colours are learnt from this photo (ops/engine/smp-scalp.h),
 * so it works for dark hair on light skin, grey or blond hair, and dark
 * hair on dark skin, without fixed thresholds.
 */
#include "config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef GEGL_PROPERTIES

#include "smp-scale-property.h"

property_double (sensitivity, _("Sensitivity"), 0.5)
  description (_("How readily a pixel counts as hair: it does when more "
                 "than 1 - sensitivity of it is hair"))
  value_range (0.05, 0.95)

property_double (smoothing, _("Smoothing (mm)"), 0.03)
  description (_("Smoothing of the hair share before the mask is cut, "
                 "against the photo's grain and JPEG noise"))
  value_range (0.0, 1.0)
  ui_range    (0.0, 0.3)
  ui_digits   (3)

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_scalp_mask
#define GEGL_OP_C_SOURCE smp-scalp-mask.c

#include "gegl-op.h"
#include "smp-dots.h"
#include "smp-scalp-op.h"

static void
prepare (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const Babl     *format = smp_dots_input_format (operation);

  gegl_operation_set_format (operation, "input", babl_format_with_space ("RGBA float", format));
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output", babl_format ("Y float"));
  smp_scalp_cache_reset (&o->user_data);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  return smp_dots_input_box (operation);
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  GeglRectangle   region = smp_scalp_region (operation), result;

  if (! strcmp (input_pad, "aux"))
    return region;
  /* the pixels smoothed into roi, and the region the colours come from */
  result = smp_grow (roi, smp_scalp_reach_px (o->px_per_mm, o->smoothing));
  gegl_rectangle_bounding_box (&result, &result, &region);
  return result;
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  GeglRectangle   region = smp_scalp_region (operation);

  /* a change where the colours are learnt changes the whole mask */
  if (gegl_rectangle_intersect (NULL, &region, input_region))
    return smp_dots_input_box (operation);
  return smp_grow (input_region, smp_scalp_reach_px (o->px_per_mm, o->smoothing));
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
  SmpDotsChunk         chunk = { smp_dots_input_format (operation), input, output, roi, level };
  const SmpScalpModel *model;
  gfloat              *visible;

  if (! input || roi->width <= 0 || roi->height <= 0)
    return TRUE;
  model = smp_scalp_measure (o->user_data, operation, input, aux, o->px_per_mm, level);
  visible = smp_scalp_visibility_at (model, SMP_SCALP_SETTINGS_OF (o), &chunk, FALSE);
  gegl_buffer_set (output, roi, level, babl_format ("Y float"), visible, GEGL_AUTO_ROWSTRIDE);
  g_free (visible);
  return TRUE;
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
  composer_class->aux_description = _("Where to learn the skin and hair colours "
                                       "(at least 0.5); the whole photo without it");

  gegl_operation_class_set_keys (operation_class,
    "name",        "smp:scalp-mask",
    "title",       _("SMP Scalp Mask"),
    "categories",  "render:smp",
    "description", _("Grey mask of the scalp that shows between the hairs "
                     "(1 on scalp, 0 on hair), from the skin and hair colours "
                     "learnt from this photo"),
    NULL);
}

#endif
