/* gimp-smp plug-in: the procedure logic shared by GIMP 3 and GIMP 2.10.
 * See smp-plugin.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "smp-plugin.h"
#include "smp-look.h"
#include "smp-match-read.h"

static const gchar *const smp_look_names[] =
{ "custom", "shaved-healed", "shaved-1-guard", "dusty", "defined", NULL };
static const gchar *const smp_look_labels[] =
{ N_("Custom (the values below)"), N_("Shaved, healed (0-guard buzz cut)"),
  N_("Shaved, 1 guard (denser, darker)"), N_("Dusty (soft, small, light)"),
  N_("Defined (crisp, visible dots)"), NULL };

/* The look arguments every dot procedure takes: the op's own properties,
 * names, ranges and defaults (ops/smp-look-properties.h), but the scale,
 * which comes from the image's resolution. */
#define SMP_LOOK_ARGS \
  { "look", N_("Look"), N_("What the treatment looks like; each look sets the values below, custom keeps them as set"), \
    SMP_ARG_CHOICE, 0, SMP_LOOK_ID_COUNT - 1, SMP_LOOK_ID_SHAVED_HEALED, smp_look_names, NULL, FALSE, \
    smp_look_labels }, \
  { "shade", N_("Shade at a distance"), N_("How much darker than bare skin the treated scalp looks from a distance (0.12 = 12 %); 0: the crisp cores alone"), \
    SMP_ARG_DOUBLE, 0.0, 0.6, 0.12, NULL, NULL, FALSE }, \
  { "density", N_("Density (dots/cm²)"), N_("Impressions per square centimetre where the selection is full"), \
    SMP_ARG_DOUBLE, 5.0, 400.0, 90.0, NULL, NULL, FALSE }, \
  { "dot-diameter", N_("Dot diameter (mm)"), N_("Mean diameter of a healed impression"), \
    SMP_ARG_DOUBLE, 0.03, 1.0, 0.15, NULL, NULL, FALSE }, \
  { "size-variation", N_("Size variation"), N_("Coefficient of variation of the dot diameter"), \
    SMP_ARG_DOUBLE, 0.0, 0.6, 0.25, NULL, NULL, FALSE }, \
  { "darkness", N_("Darkness"), N_("Share of the skin's light a dot's core absorbs"), \
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.7, NULL, NULL, FALSE }, \
  { "darkness-variation", N_("Darkness variation"), N_("Coefficient of variation of each dot's darkness"), \
    SMP_ARG_DOUBLE, 0.0, 0.5, 0.15, NULL, NULL, FALSE }, \
  { "pigment", N_("Pigment"), N_("Colour of the diluted pigment at full strength on white skin"), \
    SMP_ARG_COLOR, 0, 0, 0, NULL, "#3d3e42", FALSE }, \
  { "cool-shift", N_("Cool shift"), N_("Blue-grey tinge of pigment seen through skin"), \
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.25, NULL, NULL, FALSE }, \
  { "softness", N_("Softness (mm)"), N_("Ink diffusion at the dot edge"), \
    SMP_ARG_DOUBLE, 0.0, 0.3, 0.03, NULL, NULL, FALSE }, \
  { "halo", N_("Halo (mm)"), N_("Width of the soft halo of pigment seen through the skin around each core"), \
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.20, NULL, NULL, FALSE }, \
  { "photo-blur", N_("Photo blur (px)"), N_("How soft the photo itself is: dots are drawn no sharper than its finest detail"), \
    SMP_ARG_DOUBLE, 0.0, 5.0, 0.6, NULL, NULL, FALSE }, \
  { "clustering", N_("Clustering"), N_("Share of dots in groups of 2-3, like follicular units"), \
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.3, NULL, NULL, FALSE }, \
  { "regularity", N_("Regularity"), N_("0 random, 0.5 natural SMP spacing, 1 most even"), \
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.5, NULL, NULL, FALSE }, \
  { "seed", N_("Random seed"), N_("Same seed, same dots"), \
    SMP_ARG_INT, 0, G_MAXINT32, 0, NULL, NULL, FALSE }

/* The client's own stubble to match, for the procedures that lay dots on
 * bare scalp. */
#define SMP_STUBBLE_ARG \
  { "stubble", N_("Stubble to match"), N_("A channel (a saved selection) of the client's own stubble on the sides or back: density and shade are matched to it"), \
    SMP_ARG_CHANNEL, 0, 0, 0, NULL, NULL, TRUE }

static const SmpArg density_args[] =
{
  SMP_LOOK_ARGS,
  SMP_STUBBLE_ARG,
};

static const gchar *const hairline_styles[] = { "soft", "broken", "defined", "custom", NULL };

static const SmpArg hairline_args[] =
{
  SMP_LOOK_ARGS,
  { "style", N_("Style"), N_("soft, broken or defined presets; custom uses the values below"),
    SMP_ARG_CHOICE, 0, 3, 0, hairline_styles, NULL, FALSE },
  { "transition", N_("Transition (mm)"), N_("Depth of the ramp from edge density to full (custom)"),
    SMP_ARG_DOUBLE, 1.0, 30.0, 8.0, NULL, NULL, FALSE },
  { "edge-density", N_("Edge density"), N_("Density at the line as a share of full (custom)"),
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.35, NULL, NULL, FALSE },
  { "irregularity", N_("Irregularity (mm)"), N_("Largest wander of the line off the planned one (custom)"),
    SMP_ARG_DOUBLE, 0.0, 10.0, 3.0, NULL, NULL, FALSE },
  { "irregularity-scale", N_("Irregularity scale (mm)"), N_("Typical length of one wander (custom)"),
    SMP_ARG_DOUBLE, 2.0, 50.0, 12.0, NULL, NULL, FALSE },
  { "strays", N_("Strays"), N_("Density of single impressions ahead of the line, share of full (custom)"),
    SMP_ARG_DOUBLE, 0.0, 0.2, 0.03, NULL, NULL, FALSE },
  SMP_STUBBLE_ARG,
  { "path", N_("Hairline path"), N_("An open path across the forehead; without one, the selection's edge is the hairline"),
    SMP_ARG_PATH, 0, 0, 0, NULL, NULL, TRUE },
  { "flip", N_("Cover below the path"), N_("Cover the side of the path towards the bottom of the image"),
    SMP_ARG_BOOLEAN, 0, 1, 0, NULL, NULL, TRUE },
};

static const SmpArg conceal_scar_args[] =
{
  SMP_LOOK_ARGS,
  { "match-surroundings", N_("Match surroundings"), N_("Measure density, dot size and darkness in a ring around the scar and use them"),
    SMP_ARG_BOOLEAN, 0, 1, 1, NULL, NULL, FALSE },
  { "sample-width", N_("Sample width (mm)"), N_("Width of the measured ring around the scar"),
    SMP_ARG_DOUBLE, 1.0, 20.0, 4.0, NULL, NULL, FALSE },
  { "uptake", N_("Uptake"), N_("How well scar tissue takes pigment (1 = like normal skin)"),
    SMP_ARG_DOUBLE, 0.3, 1.0, 0.85, NULL, NULL, FALSE },
  { "tone-blend", N_("Tone blend"), N_("Optional pull of the scar's tone towards the skin around it: a retouch, not SMP"),
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.0, NULL, NULL, FALSE },
  { "blend-width", N_("Blend width (mm)"), N_("Distance over which density and tone ramp across the border"),
    SMP_ARG_DOUBLE, 0.0, 10.0, 2.0, NULL, NULL, FALSE },
};

static const SmpArg thicken_args[] =
{
  SMP_LOOK_ARGS,
  { "scalp-tone", N_("Scalp tone"), N_("How far the visible scalp's tone moves towards the hair's"),
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.3, NULL, NULL, FALSE },
  { "sensitivity", N_("Hair sensitivity"), N_("Higher finds more of the image to be hair"),
    SMP_ARG_DOUBLE, 0.05, 0.95, 0.65, NULL, NULL, FALSE },
  { "smoothing", N_("Hair mask smoothing (mm)"), N_("Smoothing of the scalp/hair mask"),
    SMP_ARG_DOUBLE, 0.0, 1.0, 0.03, NULL, NULL, FALSE },
};

static const gchar *const smp_stage_names[] = { "healed", "fresh", "faded", NULL };
static const gchar *const smp_stage_labels[] =
{ N_("Healed"), N_("Fresh (the first days)"), N_("Faded (years on)"), NULL };

static const SmpArg sessions_args[] =
{
  SMP_LOOK_ARGS,
  SMP_STUBBLE_ARG,
  { "sessions", N_("Sessions"), N_("How many sessions the treatment takes: one new layer for each"),
    SMP_ARG_INT, 1, 4, 3, NULL, NULL, FALSE },
  { "stage", N_("Stage"), N_("Healed (the look as set), fresh (right after a session) or faded (years on)"),
    SMP_ARG_CHOICE, 0, 2, 0, smp_stage_names, NULL, FALSE, smp_stage_labels },
};

static const gchar *const before_after_sizes[] =
{ "1080x1080", "1080x1350", "1920x1080", "1200x628", "free", NULL };

static const SmpArg before_after_args[] =
{
  { "layout", N_("Layout"), N_("The before and the after side by side or stacked"),
    SMP_ARG_CHOICE, 0, 1, 0, smp_compose_layout_names, NULL, FALSE },
  { "size", N_("Size"), N_("Square or portrait posts, a wide banner, a link preview, or the crop at full size"),
    SMP_ARG_CHOICE, 0, SMP_COMPOSE_N_SIZES - 1, 0, before_after_sizes, NULL, FALSE },
  { "before-label", N_("Before label"), N_("The text over the untouched photo; empty for none"),
    SMP_ARG_STRING, 0, 0, 0, NULL, SMP_COMPOSE_BEFORE_LABEL, FALSE },
  { "after-label", N_("After label"), N_("The text over the simulated result; empty for none (the disclosure still says it is a simulation)"),
    SMP_ARG_STRING, 0, 0, 0, NULL, SMP_COMPOSE_AFTER_LABEL, FALSE },
  { "font", N_("Font"), N_("The font of the labels and the disclosure line"),
    SMP_ARG_FONT, 0, 0, 0, NULL, "Sans-serif", FALSE },
  { "label-size", N_("Label size (px)"), N_("Height of the labels' text"),
    SMP_ARG_DOUBLE, 8.0, 200.0, 36.0, NULL, NULL, FALSE },
  { "label-color", N_("Label colour"), N_("The colour of the labels and the disclosure line, on the white background"),
    SMP_ARG_COLOR, 0, 0, 0, NULL, "#1a1a1a", FALSE },
  { "label-place", N_("Labels"), N_("The labels above or below each picture"),
    SMP_ARG_CHOICE, 0, 1, 0, smp_compose_place_names, NULL, FALSE },
  { "gap", N_("Gap (px)"), N_("Space between the two pictures"),
    SMP_ARG_INT, 0, 400, 16, NULL, NULL, FALSE },
  { "border", N_("Border (px)"), N_("Margin around the layout"),
    SMP_ARG_INT, 0, 400, 24, NULL, NULL, FALSE },
  { "disclosure", N_("Disclosure line"), N_("\"Digital simulation, not an actual treatment result\" under the pictures; the metadata says so either way"),
    SMP_ARG_BOOLEAN, 0, 1, 1, NULL, NULL, FALSE },
  { "afters", N_("After"), N_("The image as it shows, or each visible simulated layer alone beside the before (up to 3: sessions 1 to 3, or looks to compare)"),
    SMP_ARG_CHOICE, 0, 1, 0, smp_compose_after_names, NULL, FALSE, smp_compose_after_labels },
};

static const SmpArg set_scale_args[] =
{
  { "path", N_("Measured path"), N_("A path whose two ends span a known length, e.g. across the head at the temples"),
    SMP_ARG_PATH, 0, 0, 0, NULL, NULL, TRUE },
  { "length-mm", N_("Real length (mm)"), N_("The real length between the path's ends (an adult head is about 150 mm wide at the temples)"),
    SMP_ARG_DOUBLE, 1.0, 2000.0, 150.0, NULL, NULL, TRUE },
};

const SmpProcedure smp_procedures[SMP_N_PROCS] =
{
  { SMP_PROC_DENSITY, "plug-in-smp-density", "smp:stipple",
    N_("Shaved Look / _Density..."),
    N_("Simulated SMP dots at the photo's real scale, on a new layer"),
    N_("Puts simulated scalp micro-pigmentation on a new layer above the layer, "
       "in the selection (its feather becomes a density falloff) or over the "
       "whole layer.  The scale comes from the image resolution."),
    N_("SMP density (simulated)"),
    density_args, G_N_ELEMENTS (density_args) },
  { SMP_PROC_HAIRLINE, "plug-in-smp-hairline", "smp:hairline",
    N_("_Hairline..."),
    N_("A simulated SMP hairline on a new layer"),
    N_("The selection's edge, or an open path drawn across the forehead, is "
       "the planned hairline; the dots ramp from sparse single impressions at "
       "a soft, irregular front to full density behind it."),
    N_("SMP hairline (simulated)"),
    hairline_args, G_N_ELEMENTS (hairline_args) },
  { SMP_PROC_CONCEAL_SCAR, "plug-in-smp-conceal-scar", "smp:scar-conceal",
    N_("Conceal _Scar..."),
    N_("Simulated SMP over a scar, matched to the scalp around it, on a new layer"),
    N_("Select the scar loosely.  The dots and stubble in a ring around it are "
       "measured, and dots are added in the scar (and across its border) only "
       "where the scalp has fewer than that; the scar's own texture stays."),
    N_("SMP scar concealment (simulated)"),
    conceal_scar_args, G_N_ELEMENTS (conceal_scar_args) },
  { SMP_PROC_THICKEN, "plug-in-smp-thicken", "smp:thicken",
    N_("_Thicken Thinning Hair..."),
    N_("Simulated SMP on the scalp between the hairs, on a new layer"),
    N_("Select the thinning area.  Dots go on the visible scalp only, hidden "
       "pixel by pixel under the hair, and the scalp's tone moves part way "
       "towards the hair's, so the hair reads thicker."),
    N_("SMP thickening (simulated)"),
    thicken_args, G_N_ELEMENTS (thicken_args) },
  { SMP_PROC_SET_SCALE, "plug-in-smp-set-scale", NULL,
    N_("Set _Scale..."),
    N_("Set the image resolution from a measured path"),
    N_("Draw a path whose two ends span a known length (a ruler in the photo, "
       "or the head's width at the temples) and give that length: the image "
       "resolution becomes what makes it true, so every mm in the SMP "
       "procedures is a real mm."),
    NULL,
    set_scale_args, G_N_ELEMENTS (set_scale_args) },
  { SMP_PROC_SESSIONS, "plug-in-smp-sessions", "smp:stipple",
    N_("Session _Progression..."),
    N_("The shaved look after each SMP session, one new layer per session"),
    N_("Puts the simulated result after session 1, 2, 3 ... on new layers above "
       "the layer, in the selection or over the whole layer.  Session 1 is light "
       "and sparse; each later one keeps every dot of the earlier ones, adds dots "
       "between them and goes darker, up to the chosen look after the last."),
    N_("SMP session %d (simulated)"),
    sessions_args, G_N_ELEMENTS (sessions_args), TRUE },
  { SMP_PROC_BEFORE_AFTER, "plug-in-smp-before-after", NULL,
    N_("_Before/After Layout..."),
    N_("A new image with the untouched photo and the simulated result, framed alike"),
    N_("Builds a new image from the layer (the before, never altered) and what "
       "the image shows (the after), with the same crop (the selection's bounds "
       "or the whole image), scale and position, labels, and the disclosure "
       "'Digital simulation, not an actual treatment result', which also goes "
       "into the image's comment.  The photo's own image is not changed."),
    N_("Before/after (digital simulation)"),
    before_after_args, G_N_ELEMENTS (before_after_args) },
};

const SmpProcedure *
smp_procedure_lookup (const gchar *name)
{
  gint i;

  for (i = 0; i < SMP_N_PROCS; i++)
    if (! strcmp (smp_procedures[i].name, name))
      return &smp_procedures[i];
  return NULL;
}

gint
smp_procedure_arg (const SmpProcedure *proc,
                   const gchar        *name)
{
  gint i;

  for (i = 0; i < proc->n_args; i++)
    if (! strcmp (proc->args[i].name, name))
      return i;
  return -1;
}

void
smp_values_init (const SmpProcedure *proc,
                 SmpValues          *values)
{
  gint i;

  memset (values, 0, sizeof (*values));
  for (i = 0; i < proc->n_args; i++)
    {
      values->number[i] = proc->args[i].value;
      if (proc->args[i].type == SMP_ARG_COLOR)
        values->color[i] = gegl_color_new (proc->args[i].text);
      else if (proc->args[i].type == SMP_ARG_STRING || proc->args[i].type == SMP_ARG_FONT)
        values->text[i] = g_strdup (_(proc->args[i].text));
    }
}

void
smp_values_clear (SmpValues *values)
{
  gint i;

  for (i = 0; i < SMP_MAX_ARGS; i++)
    {
      g_clear_object (&values->color[i]);
      g_clear_pointer (&values->text[i], g_free);
    }
  g_clear_pointer (&values->path_xy, g_free);
  values->path_points = 0;
  g_clear_object (&values->stubble);
}

gboolean
smp_plugin_ensure_ops (GError **error)
{
  if (! gegl_has_operation ("smp:stipple"))
    gegl_load_module_directory (SMP_GEGL_MODULE_DIR);
  if (! gegl_has_operation ("smp:stipple") || ! gegl_has_operation ("smp:hairline")
      || ! gegl_has_operation ("smp:scar-conceal") || ! gegl_has_operation ("smp:thicken"))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("The gimp-smp GEGL module is not installed: build it and run "
                     "'meson install' (see the README), then restart GIMP."));
      return FALSE;
    }
  return TRUE;
}

gboolean
smp_plugin_scale (gdouble   ppi,
                  gdouble  *px_per_mm,
                  GError  **error)
{
  /* the op takes 1-200 px/mm: 25.4-5080 ppi */
  if (! (ppi >= 25.4 && ppi <= 5080.0))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The image resolution (%.1f ppi) is no real scale for a photo "
                     "of a scalp: it must be 25.4-5080 ppi (1-200 px per mm). "
                     "Use Filters > Scalp Micropigmentation > Set Scale."), ppi);
      return FALSE;
    }
  *px_per_mm = ppi / 25.4;
  return TRUE;
}

gchar *
smp_plugin_title (const gchar *menu_label)
{
  GString *title = g_string_new (NULL);
  const gchar *c;

  for (c = menu_label; *c; c++)
    if (*c != '_')
      g_string_append_c (title, *c);
  if (g_str_has_suffix (title->str, "..."))
    g_string_truncate (title, title->len - 3);
  return g_string_free (title, FALSE);
}

gboolean
smp_plugin_check_arg (const SmpProcedure *proc,
                      gint                i,
                      gint                position,
                      gdouble             value,
                      GError            **error)
{
  const SmpArg *arg = &proc->args[i];

  if (arg->type == SMP_ARG_COLOR || arg->type == SMP_ARG_PATH || arg->type == SMP_ARG_CHANNEL
      || arg->type == SMP_ARG_STRING || arg->type == SMP_ARG_FONT)
    return TRUE;
  if (! isnan (value) && value >= arg->min && value <= arg->max)
    return TRUE;
  /* not translated: GIMP 3 says it so, in English */
  if (arg->type == SMP_ARG_DOUBLE)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "argument %d in call to %s has value %f out of range: %f to %f",
                 position, proc->name, value, arg->min, arg->max);
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "argument %d in call to %s has value %.0f out of range: %.0f to %.0f",
                 position, proc->name, value, arg->min, arg->max);
  return FALSE;
}

gdouble
smp_plugin_path_span (const gdouble *xy,
                      gint           n_points)
{
  if (n_points < 2)
    return 0.0;
  return hypot (xy[2 * (n_points - 1)] - xy[0], xy[2 * (n_points - 1) + 1] - xy[1]);
}

GeglBuffer *
smp_plugin_path_mask (const gdouble *xy,
                      gint           n_points,
                      gboolean       flip,
                      gint           width,
                      gint           height,
                      GError       **error)
{
  const gdouble far = 4.0 * (width + height) + 1e4;
  GeglBuffer   *mask;
  gdouble      *poly, *cross;
  gfloat       *row;
  gint          n, i, y;

  if (n_points < 2 || smp_plugin_path_span (xy, n_points) < 2.0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The hairline path needs at least two points, drawn across the forehead."));
      return NULL;
    }

  /* the path left to right, carried on sideways past its ends, then
   * closed round the covered side */
  n = n_points + 4;
  poly = g_new (gdouble, 2 * n);
  for (i = 0; i < n_points; i++)
    {
      gint k = xy[0] <= xy[2 * (n_points - 1)] ? i : n_points - 1 - i;

      poly[2 * (i + 1)] = xy[2 * k];
      poly[2 * (i + 1) + 1] = xy[2 * k + 1];
    }
  poly[0] = -far;
  poly[1] = poly[3];
  poly[2 * (n_points + 1)] = far;
  poly[2 * (n_points + 1) + 1] = poly[2 * n_points + 1];
  poly[2 * (n_points + 2)] = far;
  poly[2 * (n_points + 2) + 1] = flip ? far : -far;
  poly[2 * (n_points + 3)] = -far;
  poly[2 * (n_points + 3) + 1] = flip ? far : -far;

  mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, width, height), babl_format ("Y float"));
  row = g_new (gfloat, width);
  cross = g_new (gdouble, n);
  for (y = 0; y < height; y++)
    {
      gdouble cy = y + 0.5;
      gint    nc = 0, a, b, x;

      /* even-odd fill at pixel centres: the op smooths the edge itself */
      for (a = 0; a < n; a++)
        {
          gdouble x0 = poly[2 * a], y0 = poly[2 * a + 1];
          gdouble x1 = poly[2 * ((a + 1) % n)], y1 = poly[2 * ((a + 1) % n) + 1];

          if ((y0 <= cy) != (y1 <= cy))
            cross[nc++] = x0 + (cy - y0) / (y1 - y0) * (x1 - x0);
        }
      for (a = 1; a < nc; a++)
        for (b = a; b > 0 && cross[b - 1] > cross[b]; b--)
          {
            gdouble t = cross[b];
            cross[b] = cross[b - 1];
            cross[b - 1] = t;
          }
      memset (row, 0, sizeof (gfloat) * width);
      for (a = 0; a + 1 < nc; a += 2)
        for (x = MAX (0, (gint) ceil (cross[a] - 0.5)); x < width && x + 0.5 < cross[a + 1]; x++)
          row[x] = 1.0f;
      gegl_buffer_set (mask, GEGL_RECTANGLE (0, y, width, 1), 0, babl_format ("Y float"),
                       row, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (row);
  g_free (cross);
  g_free (poly);
  return mask;
}

/* Sets the op's properties from the values. */
static void
smp_plugin_configure (GeglNode           *op,
                      const SmpProcedure *proc,
                      const SmpValues    *values,
                      gdouble             px_per_mm)
{
  gint i;

  gegl_node_set (op, "px-per-mm", px_per_mm, NULL);
  if (values->session > 0)
    gegl_node_set (op, "session", values->session, NULL);
  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];

      if (arg->plugin_only)
        continue;
      switch (arg->type)
        {
        case SMP_ARG_DOUBLE:
          gegl_node_set (op, arg->name, values->number[i], NULL);
          break;
        case SMP_ARG_INT:
        case SMP_ARG_BOOLEAN:
          gegl_node_set (op, arg->name, (gint) values->number[i], NULL);
          break;
        case SMP_ARG_CHOICE:
          {
            GValue value = G_VALUE_INIT;

            g_value_init (&value, G_TYPE_STRING);
            g_value_set_string (&value, arg->choices[(gint) values->number[i]]);
            gegl_node_set_property (op, arg->name, &value);
            g_value_unset (&value);
          }
          break;
        case SMP_ARG_COLOR:
          gegl_node_set (op, arg->name, values->color[i], NULL);
          break;
        case SMP_ARG_PATH:
        case SMP_ARG_CHANNEL:
        case SMP_ARG_STRING:
        case SMP_ARG_FONT:
          break;
        }
    }
}

gboolean
smp_plugin_render (const SmpProcedure  *proc,
                   const SmpValues     *values,
                   gdouble              px_per_mm,
                   GeglBuffer          *source,
                   gint                 off_x,
                   gint                 off_y,
                   GeglBuffer          *mask,
                   const GeglRectangle *rect,
                   GeglBuffer          *dest,
                   const Babl          *format,
                   gpointer             pixels,
                   GError             **error)
{
  GeglNode *graph, *src, *op;

  if (! smp_plugin_ensure_ops (error))
    return FALSE;

  graph = gegl_node_new ();
  src = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", source, NULL);
  op = gegl_node_new_child (graph, "operation", proc->operation, NULL);
  smp_plugin_configure (op, proc, values, px_per_mm);
  gegl_node_link (src, op);
  if (mask)
    {
      /* the mask is in image coordinates, the layer's pixels in its own */
      GeglNode *msrc = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                            "buffer", mask, NULL);
      GeglNode *shift = gegl_node_new_child (graph, "operation", "gegl:translate",
                                             "x", (gdouble) -off_x, "y", (gdouble) -off_y,
                                             "sampler", GEGL_SAMPLER_NEAREST, NULL);

      gegl_node_link (msrc, shift);
      gegl_node_connect_to (shift, "output", op, "aux");
    }

  if (dest)
    {
      GeglNode *sink = gegl_node_new_child (graph, "operation", "gegl:write-buffer",
                                            "buffer", dest, NULL);
      GeglNode *crop = gegl_node_new_child (graph, "operation", "gegl:crop",
                                            "x", (gdouble) rect->x, "y", (gdouble) rect->y,
                                            "width", (gdouble) rect->width,
                                            "height", (gdouble) rect->height, NULL);

      gegl_node_link_many (op, crop, sink, NULL);
      gegl_node_process (sink);
    }
  else
    gegl_node_blit (op, 1.0, rect, format, pixels, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);

  g_object_unref (graph);
  return TRUE;
}

/* The look's arguments a preset sets, in the order of SmpLook's fields. */
static const gchar *const smp_look_fields[] =
{ "density", "dot-diameter", "size-variation", "darkness", "darkness-variation",
  "softness", "halo", "shade", NULL };

gboolean
smp_plugin_look_sets (const gchar *name)
{
  return g_strv_contains (smp_look_fields, name);
}

gdouble
smp_plugin_look_value (gint         look,
                       const gchar *name)
{
  const SmpLook *preset = smp_look_preset (look);
  const gdouble  values[] = { preset->density_per_cm2, preset->dot_diameter_mm,
                              preset->size_variation, preset->darkness,
                              preset->darkness_variation, preset->softness_mm,
                              preset->halo_mm, preset->shade };
  gint           i;

  for (i = 0; smp_look_fields[i]; i++)
    if (! strcmp (smp_look_fields[i], name))
      return values[i];
  return 0.0;
}

gchar *
smp_plugin_tone_text (const SmpProcedure *proc,
                      const SmpValues    *values)
{
  SmpLookInk ink = { { 0 } };
  gint       look = (gint) values->number[smp_procedure_arg (proc, "look")];
  gdouble    shade, tone;
  gfloat     pigment_y = 0.0f;

#define SMP_VALUE(name) (look != SMP_LOOK_ID_CUSTOM && smp_plugin_look_sets (name) \
                         ? smp_plugin_look_value (look, name)                         \
                         : values->number[smp_procedure_arg (proc, name)])
  ink.layout.density_per_cm2 = SMP_VALUE ("density");
  ink.layout.dot_diameter_mm = SMP_VALUE ("dot-diameter");
  ink.layout.size_variation = SMP_VALUE ("size-variation");
  ink.layout.darkness_variation = SMP_VALUE ("darkness-variation");
  ink.layout.regularity = values->number[smp_procedure_arg (proc, "regularity")];
  ink.layout.clustering = values->number[smp_procedure_arg (proc, "clustering")];
  ink.darkness = SMP_VALUE ("darkness");
  ink.softness_mm = SMP_VALUE ("softness");
  ink.halo_mm = SMP_VALUE ("halo");
  shade = SMP_VALUE ("shade");
#undef SMP_VALUE
  gegl_color_get_pixel (values->color[smp_procedure_arg (proc, "pigment")],
                        babl_format ("Y float"), &pigment_y);
  ink.pigment_luminance = pigment_y;
  if (shade > 0.0)
    smp_look_halo_for_shade (&ink, shade, &tone);
  else
    tone = smp_look_tone (&ink, 0.0);
  if (shade > 0.0 && fabs ((1.0 - tone) - shade) > 0.01)
    return g_strdup_printf (_("At a distance: %.0f %% darker than bare skin (the cores alone "
                              "give more than the %.0f %% asked for)"),
                            100.0 * (1.0 - tone), 100.0 * shade);
  return g_strdup_printf (_("At a distance: %.0f %% darker than bare skin, at %.0f dots/cm²"),
                          100.0 * (1.0 - tone), ink.layout.density_per_cm2);
}

gboolean
smp_plugin_match (const SmpProcedure *proc,
                  SmpValues          *values,
                  gdouble             px_per_mm,
                  GeglBuffer         *source,
                  gint                off_x,
                  gint                off_y,
                  GeglBuffer         *mask,
                  GError            **error)
{
  gint        look_arg = smp_procedure_arg (proc, "look");
  gint        look, i;
  GeglBuffer *photo;
  SmpMatch    match;
  gboolean    done;

  if (! values->stubble)
    return TRUE;
  if (! mask)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Select the bare scalp to treat: matching compares it with the stubble."));
      return FALSE;
    }
  /* the layer's pixels seen in image coordinates, as the masks are */
  photo = g_object_new (GEGL_TYPE_BUFFER, "source", source,
                        "shift-x", -off_x, "shift-y", -off_y, NULL);
  look = (gint) values->number[look_arg];
  done = smp_match_buffers (photo, values->stubble, mask, px_per_mm,
                            look, values->number[smp_procedure_arg (proc, "photo-blur")],
                            &match, error);
  g_object_unref (photo);
  if (! done)
    return FALSE;
  for (i = 0; i < proc->n_args; i++)
    if (look != SMP_LOOK_ID_CUSTOM && smp_plugin_look_sets (proc->args[i].name))
      values->number[i] = smp_plugin_look_value (look, proc->args[i].name);
  values->number[look_arg] = SMP_LOOK_ID_CUSTOM;
  values->number[smp_procedure_arg (proc, "density")] = match.density_per_cm2;
  values->number[smp_procedure_arg (proc, "shade")] = match.shade;
  values->number[smp_procedure_arg (proc, "darkness")] = match.darkness;
  return TRUE;
}

gchar *
smp_plugin_match_text (const SmpProcedure *proc,
                       const SmpValues    *values,
                       gdouble             px_per_mm,
                       GeglBuffer         *source,
                       gint                off_x,
                       gint                off_y,
                       GeglBuffer         *mask)
{
  SmpValues matched = *values;
  GError   *error = NULL;
  gchar    *text;

  if (! smp_plugin_match (proc, &matched, px_per_mm, source, off_x, off_y, mask, &error))
    {
      text = g_strdup (error->message);
      g_error_free (error);
      return text;
    }
  return g_strdup_printf (_("At a distance: %.0f %% darker than bare skin, as the client's "
                            "stubble (channel '%s'), at %.0f dots/cm²; the look's dots are kept"),
                          100.0 * matched.number[smp_procedure_arg (proc, "shade")],
                          SMP_STUBBLE_CHANNEL,
                          matched.number[smp_procedure_arg (proc, "density")]);
}

gchar *
smp_plugin_look_text (const SmpProcedure *proc,
                      const SmpValues    *values)
{
  GString *text = g_string_new (proc->name);
  gint     look = smp_procedure_arg (proc, "look"), i;
  gint     chosen = look >= 0 ? (gint) values->number[look] : SMP_LOOK_ID_CUSTOM;

  g_string_append_c (text, ':');
  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];
      gdouble       v = values->number[i];

      if (arg->plugin_only)
        continue;
      /* the op takes a chosen look's own values, not the sliders' */
      if (chosen != SMP_LOOK_ID_CUSTOM && smp_plugin_look_sets (arg->name))
        v = smp_plugin_look_value (chosen, arg->name);
      g_string_append_printf (text, "%s %s ", i ? "," : "", arg->name);
      switch (arg->type)
        {
        case SMP_ARG_DOUBLE:
          g_string_append_printf (text, "%g", v);
          break;
        case SMP_ARG_INT:
        case SMP_ARG_BOOLEAN:
          g_string_append_printf (text, "%d", (gint) v);
          break;
        case SMP_ARG_CHOICE:
          g_string_append (text, arg->choices[(gint) v]);
          break;
        case SMP_ARG_COLOR:
          {
            gdouble rgb[4] = { 0.0, 0.0, 0.0, 1.0 };

            gegl_color_get_pixel (values->color[i], babl_format ("R'G'B'A double"), rgb);
            g_string_append_printf (text, "#%02x%02x%02x",
                                    (guint) CLAMP (rgb[0] * 255.0 + 0.5, 0, 255),
                                    (guint) CLAMP (rgb[1] * 255.0 + 0.5, 0, 255),
                                    (guint) CLAMP (rgb[2] * 255.0 + 0.5, 0, 255));
          }
          break;
        case SMP_ARG_STRING:
        case SMP_ARG_FONT:
          g_string_append_printf (text, "\"%s\"", values->text[i] ? values->text[i] : "");
          break;
        case SMP_ARG_PATH:
        case SMP_ARG_CHANNEL:
          break;
        }
    }
  if (values->stubble)
    g_string_append (text, _(", matched to the client's own stubble"));
  if (values->session > 0)
    g_string_append_printf (text, _(", session %d"), values->session);
  return g_string_free (text, FALSE);
}

gchar *
smp_plugin_layer_summary (const gchar   *name,
                          gconstpointer  look,
                          gsize          size)
{
  const gchar *text = look;

  /* a parasite is bytes: only a whole, valid text is told */
  if (text && size > 1 && text[size - 1] == '\0' && g_utf8_validate (text, size - 1, NULL))
    return g_strdup_printf (_("%s, made by %s"), name, text);
  return g_strdup (name);
}

gint
smp_plugin_layer_count (const SmpProcedure *proc,
                        const SmpValues    *values)
{
  gint sessions = smp_procedure_arg (proc, "sessions");

  return proc->per_session && sessions >= 0 ? (gint) values->number[sessions] : 1;
}

gchar *
smp_plugin_layer_name (const SmpProcedure *proc,
                       gint                k)
{
  return proc->per_session ? g_strdup_printf (_(proc->layer_name), k)
                           : g_strdup (_(proc->layer_name));
}

void
smp_plugin_compose_settings (const SmpProcedure  *proc,
                             const SmpValues     *values,
                             const GeglRectangle *crop,
                             SmpComposeSettings  *s)
{
  smp_compose_settings_init (s);
  s->crop = *crop;
  s->layout = (SmpComposeLayout) values->number[smp_procedure_arg (proc, "layout")];
  s->size = (SmpComposeSize) values->number[smp_procedure_arg (proc, "size")];
  s->label_place = (SmpComposeLabelPlace) values->number[smp_procedure_arg (proc, "label-place")];
  s->label_size = values->number[smp_procedure_arg (proc, "label-size")];
  s->gap = (gint) values->number[smp_procedure_arg (proc, "gap")];
  s->border = (gint) values->number[smp_procedure_arg (proc, "border")];
  s->disclosure = values->number[smp_procedure_arg (proc, "disclosure")] != 0.0;
  /* the texts were checked to fit (smp_plugin_check_texts) */
  g_strlcpy (s->before_label, values->text[smp_procedure_arg (proc, "before-label")],
             sizeof (s->before_label));
  g_strlcpy (s->after_label, values->text[smp_procedure_arg (proc, "after-label")],
             sizeof (s->after_label));
  g_strlcpy (s->font, values->text[smp_procedure_arg (proc, "font")], sizeof (s->font));
  gegl_color_get_pixel (values->color[smp_procedure_arg (proc, "label-color")],
                        babl_format ("R'G'B'A double"), s->label_color);
}

gboolean
smp_plugin_check_texts (const SmpProcedure *proc,
                        const SmpValues    *values,
                        GError            **error)
{
  gint i;

  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];
      const gchar  *text = values->text[i];

      if (arg->type != SMP_ARG_STRING && arg->type != SMP_ARG_FONT)
        continue;
      if (! text || ! g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("The %s is not UTF-8 text."), _(arg->nick));
          return FALSE;
        }
      /* the composer keeps each text in SMP_COMPOSE_TEXT_MAX bytes */
      if (strlen (text) >= SMP_COMPOSE_TEXT_MAX)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("The %s is too long: %d bytes, at most %d."), _(arg->nick),
                       (gint) strlen (text), SMP_COMPOSE_TEXT_MAX - 1);
          return FALSE;
        }
      if (arg->type == SMP_ARG_FONT && ! *text)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("Choose a font for the labels: the font name is empty."));
          return FALSE;
        }
    }
  return TRUE;
}

/* The length of @layer_name without the " #2" GIMP adds to a copy's or a
 * second run's name. */
static gsize
smp_plugin_name_length (const gchar *layer_name)
{
  const gchar *hash = strrchr (layer_name, '#');
  gsize        n = strlen (layer_name);

  if (hash && hash > layer_name && hash[-1] == ' ' && hash[1]
      && strspn (hash + 1, "0123456789") == strlen (hash + 1))
    n = hash - 1 - layer_name;
  return n;
}

gboolean
smp_plugin_is_result_name (const gchar *layer_name)
{
  const gchar *suffix = "(simulated)";
  gsize        n, m = strlen (suffix);

  if (! layer_name)
    return FALSE;
  n = smp_plugin_name_length (layer_name);
  return n >= m && ! strncmp (layer_name + n - m, suffix, m);
}

gchar *
smp_plugin_after_name (const gchar *layer_name)
{
  const gchar *suffix = " (simulated)";
  const gchar *copy = layer_name + smp_plugin_name_length (layer_name);
  gsize        n = copy - layer_name, m = strlen (suffix);
  gchar       *name;

  if (g_str_has_prefix (layer_name, "SMP "))
    {
      layer_name += 4;
      n -= 4;
    }
  if (n >= m && ! strncmp (layer_name + n - m, suffix, m))
    n -= m;
  /* a copy keeps its number: two "session 1" panels would be no help */
  name = g_strndup (layer_name, n);
  if (*copy)
    {
      gchar *numbered = g_strconcat (name, copy, NULL);

      g_free (name);
      name = numbered;
    }
  return name;
}

GeglBuffer *
smp_plugin_before_after (const SmpProcedure  *proc,
                         const SmpValues     *values,
                         const GeglRectangle *crop,
                         GeglBuffer          *source,
                         gint                 off_x,
                         gint                 off_y,
                         const SmpAfter      *afters,
                         gint                 n_afters,
                         const gchar         *summary,
                         gchar              **description,
                         gchar              **metadata,
                         GError             **error)
{
  SmpComposeSettings settings;
  GeglBuffer        *before, *after[SMP_COMPOSE_MAX_PANELS], *result;
  const gchar       *names[SMP_COMPOSE_MAX_PANELS];
  gint               k;

  if (! smp_plugin_check_texts (proc, values, error))
    return NULL;
  if (n_afters < 1 || n_afters >= SMP_COMPOSE_MAX_PANELS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%d simulated layers are visible: a layout shows at most %d beside the "
                     "before. Hide the ones to leave out."),
                   n_afters, SMP_COMPOSE_MAX_PANELS - 1);
      return NULL;
    }
  before = smp_compose_at_offsets (source, off_x, off_y);
  for (k = 0; k < n_afters; k++)
    {
      after[k] = smp_compose_at_offsets (afters[k].buffer, afters[k].x, afters[k].y);
      names[k] = afters[k].name;
    }
  smp_plugin_compose_settings (proc, values, crop, &settings);
  result = smp_compose_panels (&settings, before, after, names, n_afters, NULL, error);
  for (k = 0; k < n_afters; k++)
    g_object_unref (after[k]);
  g_object_unref (before);
  if (result)
    {
      *description = smp_compose_description (&settings, summary);
      *metadata = smp_compose_metadata (*description);
    }
  return result;
}
