/* smp:stipple — simulated scalp micro-pigmentation dots at the photo's
 * real scale.
 *
 * Input: the photo.  Aux (optional): a grey density mask, 0..1, that thins
 * the dots (density × mask, read at each dot's centre); it never fades
 * them.  Every size is in mm and the density in dots per cm²; px-per-mm
 * turns them into pixels.
 */
#include "config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef GEGL_PROPERTIES

#include "smp-look-properties.h"

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_stipple
#define GEGL_OP_C_SOURCE smp-stipple.c

#include "gegl-op.h"
#include "smp-dots.h"

static void
prepare (GeglOperation *operation)
{
  const Babl *format = smp_dots_input_format (operation);

  /* the output keeps the input's own format, so untouched pixels are
   * copied, never converted */
  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output", format);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  return smp_dots_input_box (operation);
}

static gint
smp_stipple_reach (GeglOperation *operation)
{
  SmpDotsParams params;

  SMP_DOTS_PARAMS_FROM_PROPERTIES (&params, GEGL_PROPERTIES (operation));
  return smp_dots_reach_px (&params);
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  /* a dot centred outside roi can still reach into it, and the mask is
   * read around its centre */
  return strcmp (input_pad, "aux") ? *roi : smp_grow (roi, smp_stipple_reach (operation));
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  return get_required_for_output (operation, input_pad, input_region);
}

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *roi,
         gint                 level)
{
  SmpDotsChunk  chunk = { smp_dots_input_format (operation), input, output, roi, level };
  SmpDotsParams params;
  SmpDotsMask   mask;
  gboolean      done;

  if (! input || roi->width <= 0 || roi->height <= 0)
    return TRUE;
  SMP_DOTS_PARAMS_FROM_PROPERTIES (&params, GEGL_PROPERTIES (operation));
  if (! smp_dots_mask_connected (operation))
    return smp_dots_process (&params, &chunk, NULL, NULL);

  /* the mask at every dot centre that can reach roi, at this level; where
   * it is 0 throughout, no dot is even generated */
  mask.area = smp_dots_area (&params, roi, level);
  if (smp_dots_mask_read (operation, aux, &mask, level))
    done = smp_dots_process (&params, &chunk, &mask, NULL);
  else
    {
      smp_dots_copy (&chunk);
      done = TRUE;
    }
  g_free ((gfloat *) mask.values);
  return done;
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);

  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_invalidated_by_change = get_invalidated_by_change;
  operation_class->threaded = TRUE;
  composer_class->process = process;
  composer_class->aux_label = _("Density mask");
  composer_class->aux_description = _("Grey mask that thins the dots: "
                                       "density × mask, read at each dot's centre");

  gegl_operation_class_set_keys (operation_class,
    "name",            "smp:stipple",
    "title",           _("SMP Stipple"),
    "categories",      "render:smp",
    "gimp:menu-path",  "<Image>/Filters/Scalp Micropigmentation",
    "gimp:menu-label", _("SMP Stipple (shaved look)..."),
    "description",     _("Simulated scalp micro-pigmentation: healed pigment "
                         "dots at the photo's real scale, with a quasi-regular "
                         "follicle-like layout, composited as an absorption "
                         "under the skin"),
    NULL);
}

#endif
