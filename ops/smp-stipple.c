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

property_double (px_per_mm, _("Image scale (px/mm)"), 10.0)
  description (_("Pixels per millimetre of scalp in the photo "
                 "(the image resolution in ppi / 25.4)"))
  value_range (1.0, 200.0)
  ui_range    (2.0, 60.0)
  ui_gamma    (2.0)

property_double (density, _("Density (dots/cm²)"), 90.0)
  description (_("Impressions per square centimetre where the mask is "
                 "white; natural scalps hold 65-110 follicular units/cm²"))
  value_range (5.0, 250.0)
  ui_range    (10.0, 200.0)

property_double (dot_diameter, _("Dot diameter (mm)"), 0.15)
  description (_("Mean diameter of a healed impression; above 0.4 mm a "
                 "dot reads as a blow-out"))
  value_range (0.03, 1.0)
  ui_range    (0.05, 0.5)
  ui_digits   (3)

property_double (size_variation, _("Size variation"), 0.25)
  description (_("Coefficient of variation of the dot diameter; equal "
                 "dots look printed"))
  value_range (0.0, 0.6)

property_double (darkness, _("Darkness"), 0.7)
  description (_("Share of the skin's light a dot's core absorbs: the "
                 "default puts a healed dot about 25 L* below light skin"))
  value_range (0.0, 1.0)

property_double (darkness_variation, _("Darkness variation"), 0.15)
  description (_("Coefficient of variation of each dot's darkness"))
  value_range (0.0, 0.5)

property_color  (pigment, _("Pigment"), "#3d3e42")
  description (_("Colour of the diluted carbon pigment at full strength "
                 "on white skin: a charcoal, not pure black"))

property_double (cool_shift, _("Cool shift"), 0.25)
  description (_("Blue-grey tinge of pigment seen through skin (Tyndall "
                 "effect); high values look like pigment placed too deep"))
  value_range (0.0, 1.0)

property_double (softness, _("Softness (mm)"), 0.03)
  description (_("Ink diffusion at the dot edge"))
  value_range (0.0, 0.3)
  ui_digits   (3)

property_double (clustering, _("Clustering"), 0.3)
  description (_("Share of dots placed in groups of 2-3, like follicular "
                 "units"))
  value_range (0.0, 1.0)

property_double (regularity, _("Regularity"), 0.5)
  description (_("Spacing: 0 is random (Poisson), 0.5 the quasi-regular "
                 "spacing of natural SMP (Clark-Evans R about 1.5), 1 the "
                 "most even"))
  value_range (0.0, 1.0)

property_seed   (seed, _("Random seed"), rand)

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_stipple
#define GEGL_OP_C_SOURCE smp-stipple.c

#include "gegl-op.h"
#include "smp-dots.h"

static void
smp_stipple_params (GeglOperation *operation,
                    SmpDotsParams *params)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);

  params->layout.density_per_cm2 = o->density;
  params->layout.regularity = o->regularity;
  params->layout.clustering = o->clustering;
  params->layout.dot_diameter_mm = o->dot_diameter;
  params->layout.size_variation = o->size_variation;
  params->layout.darkness_variation = o->darkness_variation;
  params->layout.seed = (uint32_t) o->seed;
  params->px_per_mm = o->px_per_mm;
  params->darkness = o->darkness;
  params->softness_mm = o->softness;
  params->cool_shift = o->cool_shift;
  params->pigment = o->pigment;
}

static const Babl *
smp_stipple_input_format (GeglOperation *operation)
{
  const Babl *format = gegl_operation_get_source_format (operation, "input");

  return format ? format : babl_format ("RGBA float");
}

static void
prepare (GeglOperation *operation)
{
  const Babl *format = smp_stipple_input_format (operation);

  /* the output keeps the input's own format, so untouched pixels are
   * copied, never converted */
  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output", format);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  const GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  /* never the union with aux: an infinite mask must not make the output
   * infinite */
  return in ? *in : *GEGL_RECTANGLE (0, 0, 0, 0);
}

static gint
smp_stipple_reach (GeglOperation *operation)
{
  SmpDotsParams params;

  smp_stipple_params (operation, &params);
  return smp_dots_reach_px (&params);
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  GeglRectangle region = *roi;

  /* a dot centred outside roi can still reach into it, and its mask
   * value is read at its centre */
  if (! strcmp (input_pad, "aux"))
    {
      gint grow = smp_stipple_reach (operation);

      region.x -= grow;
      region.y -= grow;
      region.width += 2 * grow;
      region.height += 2 * grow;
    }
  return region;
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
  SmpDotsParams params;

  if (! input || roi->width <= 0 || roi->height <= 0)
    return TRUE;
  smp_stipple_params (operation, &params);
  return smp_dots_process (&params, smp_stipple_input_format (operation),
                           input, aux, output, roi, level);
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
