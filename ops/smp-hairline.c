/* smp:hairline — a natural SMP hairline from a coverage mask.
 *
 * Input: the photo.  Aux: the coverage mask (1 behind the planned
 * hairline, 0 in front); its 0.5 contour is the hairline, so a feathered or
 * jagged freehand selection gives the same line as a clean one.  The dots
 * are those of smp:stipple, thinned by a density field that ramps from
 * sparse single impressions at a wandering front edge to full density
 * behind it, with a few strays ahead.
 */
#include "config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef GEGL_PROPERTIES

#include "smp-look-properties.h"

enum_start (smp_hairline_style)
  enum_value (SMP_STYLE_SOFT,    "soft",    N_("Soft (feathered)"))
  enum_value (SMP_STYLE_BROKEN,  "broken",  N_("Broken"))
  enum_value (SMP_STYLE_DEFINED, "defined", N_("Defined (edged)"))
  enum_value (SMP_STYLE_CUSTOM,  "custom",  N_("Custom"))
enum_end (SmpHairlineStyleEnum)

property_enum (style, _("Style"), SmpHairlineStyleEnum, smp_hairline_style,
               SMP_STYLE_SOFT)
  description (_("A preset of the five properties below; they are used "
                 "as set only with Custom"))

property_double (transition, _("Transition (mm)"), 8.0)
  description (_("Depth over which the density ramps from the edge "
                 "density to full (Custom style)"))
  value_range (1.0, 30.0)

property_double (edge_density, _("Edge density"), 0.35)
  description (_("Density at the hairline as a share of full density "
                 "(Custom style)"))
  value_range (0.0, 1.0)

property_double (irregularity, _("Irregularity (mm)"), 3.0)
  description (_("Largest wander of the drawn line off the mask's edge "
                 "(Custom style)"))
  value_range (0.0, 10.0)

property_double (irregularity_scale, _("Irregularity scale (mm)"), 12.0)
  description (_("Typical length of one wander along the line (Custom "
                 "style)"))
  value_range (2.0, 50.0)

property_double (strays, _("Strays"), 0.03)
  description (_("Density of isolated single impressions ahead of the "
                 "line, as a share of full density (Custom style)"))
  value_range (0.0, 0.2)

enum_start (smp_hairline_output)
  enum_value (SMP_OUTPUT_IMAGE,   "image",   N_("Image"))
  enum_value (SMP_OUTPUT_DENSITY, "density", N_("Density field"))
enum_end (SmpHairlineOutput)

property_enum (output, _("Output"), SmpHairlineOutput, smp_hairline_output,
               SMP_OUTPUT_IMAGE)
  description (_("The photo with dots, or the density field as grey "
                 "(1 = full density) to preview the design"))

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_hairline
#define GEGL_OP_C_SOURCE smp-hairline.c

#include "gegl-op.h"
#include "smp-dots.h"
#include "smp-hairline.h"

static void
smp_hairline_params (GeglOperation     *operation,
                     SmpDotsParams     *dots,
                     SmpHairlineParams *line)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);

  SMP_DOTS_PARAMS_FROM_PROPERTIES (dots, o);
  line->transition_mm = o->transition;
  line->edge_density = o->edge_density;
  line->irregularity_mm = o->irregularity;
  line->irregularity_scale_mm = o->irregularity_scale;
  line->strays = o->strays;
  line->seed = (uint32_t) o->seed;
  if (o->style != SMP_STYLE_CUSTOM)
    smp_hairline_style ((SmpHairlineStyle) o->style, line);
}

static void
prepare (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const Babl     *format = smp_dots_input_format (operation);

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output",
                             o->output == SMP_OUTPUT_DENSITY ? babl_format ("Y float") : format);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  return smp_dots_input_box (operation);
}

/* Pixels (level 0) around a pixel whose mask values its result reads:
 * the field's own reach plus a dot's. */
static gint
smp_hairline_reach (GeglOperation *operation)
{
  SmpDotsParams     dots;
  SmpHairlineParams line;

  smp_hairline_params (operation, &dots, &line);
  return smp_dots_reach_px (&dots)
         + (gint) ceil (smp_hairline_reach_mm (&line, dots.px_per_mm) * dots.px_per_mm) + 2;
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  /* a dot centred outside roi can still reach into it, and the mask is
   * read around its centre */
  return strcmp (input_pad, "aux") ? *roi : smp_grow (roi, smp_hairline_reach (operation));
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  return get_required_for_output (operation, input_pad, input_region);
}

/* The coverage mask over @area (level coordinates).  Outside the mask's
 * extent it is 0 (a mask smaller than the photo covers only itself),
 * except on a side where the mask reaches the photo's edge: there it goes
 * on as it is at that edge, because the border of the image (or of a
 * selection's bounds) is not a hairline.  A chunk GEGL gives no mask
 * buffer for lies wholly outside the mask's extent. */
static gfloat *
smp_hairline_read_mask (GeglOperation       *operation,
                        GeglBuffer          *aux,
                        const GeglRectangle *area,
                        gint                 level)
{
  const GeglRectangle *aux_box = gegl_operation_source_get_bounding_box (operation, "aux");
  GeglRectangle        in_box = smp_dots_input_box (operation);
  gsize                n = (gsize) area->width * area->height;
  gfloat              *mask = g_new0 (gfloat, n);
  gint                 x0, y0, x1, y1, x, y;

  if (! aux || ! aux_box || gegl_rectangle_is_empty (aux_box))
    return mask;
  gegl_buffer_get (aux, area, 1.0 / (1 << level), babl_format ("Y float"),
                   mask, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  if (gegl_rectangle_is_infinite_plane (aux_box))
    return mask;

  /* the mask's extent at this level, open on the sides that reach the
   * photo's edge */
  x0 = aux_box->x > in_box.x ? aux_box->x >> level : G_MININT;
  y0 = aux_box->y > in_box.y ? aux_box->y >> level : G_MININT;
  x1 = aux_box->x + aux_box->width < in_box.x + in_box.width
       ? (aux_box->x + aux_box->width + (1 << level) - 1) >> level : G_MAXINT;
  y1 = aux_box->y + aux_box->height < in_box.y + in_box.height
       ? (aux_box->y + aux_box->height + (1 << level) - 1) >> level : G_MAXINT;
  for (y = 0; y < area->height; y++)
    for (x = 0; x < area->width; x++)
      {
        gint ax = area->x + x, ay = area->y + y;

        if (ax < x0 || ax >= x1 || ay < y0 || ay >= y1)
          mask[(gsize) y * area->width + x] = 0.0f;
      }
  return mask;
}

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties   *o = GEGL_PROPERTIES (operation);
  SmpDotsChunk      chunk = { smp_dots_input_format (operation), input, output, roi, level };
  SmpDotsParams     dots;
  SmpHairlineParams line;
  SmpDotsMask       field;
  GeglRectangle     area, mask_area;
  gfloat           *mask, *density;
  double            scale;
  gint              grow;
  gsize             i, n;
  gboolean          done = TRUE;

  if (roi->width <= 0 || roi->height <= 0)
    return TRUE;
  smp_hairline_params (operation, &dots, &line);
  scale = dots.px_per_mm / (1 << level);

  /* the field at every dot centre that can reach roi, from the mask
   * around it */
  area = o->output == SMP_OUTPUT_DENSITY ? *roi : smp_dots_area (&dots, roi, level);
  grow = (gint) ceil (smp_hairline_reach_mm (&line, scale) * scale) + 2;
  mask_area = area;
  mask_area.x -= grow;
  mask_area.y -= grow;
  mask_area.width += 2 * grow;
  mask_area.height += 2 * grow;

  mask = smp_hairline_read_mask (operation, aux, &mask_area, level);
  /* nothing planned within reach (a mask of zeros, or a chunk outside
   * it): the photo as it is, without generating a dot */
  for (i = 0, n = (gsize) mask_area.width * mask_area.height; i < n; i++)
    if (mask[i] > 0.0f)
      break;
  if (i == n && o->output != SMP_OUTPUT_DENSITY)
    {
      g_free (mask);
      if (input)
        smp_dots_copy (&chunk);
      return TRUE;
    }
  density = g_new (gfloat, (gsize) area.width * area.height);
  {
    SmpRect from = { mask_area.x, mask_area.y, mask_area.width, mask_area.height };
    SmpRect to = { area.x, area.y, area.width, area.height };

    smp_hairline_density (&line, scale, mask, &from, &to, density, NULL);
  }
  g_free (mask);

  if (o->output == SMP_OUTPUT_DENSITY)
    gegl_buffer_set (output, roi, level, babl_format ("Y float"), density,
                     GEGL_AUTO_ROWSTRIDE);
  else if (input)
    {
      field.values = density;
      field.area = area;
      done = smp_dots_process (&dots, &chunk, &field, NULL);
    }
  g_free (density);
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
  composer_class->aux_label = _("Coverage mask");
  composer_class->aux_description = _("1 behind the planned hairline, 0 in "
                                       "front; its 0.5 contour is the line");

  gegl_operation_class_set_keys (operation_class,
    "name",            "smp:hairline",
    "title",           _("SMP Hairline"),
    "categories",      "render:smp",
    "gimp:menu-path",  "<Image>/Filters/Scalp Micropigmentation",
    "gimp:menu-label", _("SMP Hairline..."),
    "description",     _("Simulated scalp micro-pigmentation along a planned "
                         "hairline: a soft, irregular transition from sparse "
                         "single impressions to full density, with stray dots "
                         "ahead of the line"),
    NULL);
}

#endif
