/* gimp-smp plug-in: the procedure logic shared by GIMP 3 and GIMP 2.10.
 * See smp-plugin.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "smp-plugin.h"
#include "smp-look.h"
#include "smp-match-read.h"

/* Every procedure with an op takes its properties as arguments, built
 * from the op's GParamSpecs when the plug-in starts (smp_procedure_get),
 * but these: the scale comes from the image's resolution, the session
 * from Session Progression's loop. */
static const gchar *const smp_hide_always[] = { "px-per-mm", "session", NULL };
/* Session Progression's own; the other procedures render the look after
 * the last session, healed. */
static const gchar *const smp_hide_sessions[] = { "sessions", "stage", NULL };
/* hairline's output is a diagnostic view of its density field */
static const gchar *const smp_hide_hairline[] = { "sessions", "stage", "output", NULL };

/* The client's own stubble to match, for the procedures that lay dots on
 * bare scalp. */
#define SMP_STUBBLE_ARG \
  { "stubble", N_("Stubble to match"), N_("A channel (a saved selection) of the client's own stubble on the sides or back: density and shade are matched to it"), \
    SMP_ARG_CHANNEL, 0, 0, 0, NULL, NULL, TRUE }

static const SmpArg density_args[] =
{
  SMP_OP_ARGS,
  SMP_STUBBLE_ARG,
};

static const SmpArg hairline_args[] =
{
  SMP_OP_ARGS,
  SMP_STUBBLE_ARG,
  { "path", N_("Hairline path"), N_("An open path across the forehead; without one, the selection's edge is the hairline"),
    SMP_ARG_PATH, 0, 0, 0, NULL, NULL, TRUE },
  { "flip", N_("Cover below the path"), N_("Cover the side of the path towards the bottom of the image"),
    SMP_ARG_BOOLEAN, 0, 1, 0, NULL, NULL, TRUE },
};

static const SmpArg conceal_scar_args[] =
{
  SMP_OP_ARGS,
};

static const SmpArg thicken_args[] =
{
  SMP_OP_ARGS,
};

static const SmpArg sessions_args[] =
{
  SMP_OP_ARGS,
  SMP_STUBBLE_ARG,
  SMP_OP_ARG ("sessions"),
  SMP_OP_ARG ("stage"),
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

static SmpProcedure smp_procedures[SMP_N_PROCS] =
{
  { SMP_PROC_DENSITY, "plug-in-smp-density", "smp:stipple",
    N_("Shaved Look / _Density..."),
    N_("Simulated SMP dots at the photo's real scale, on a new layer"),
    N_("Puts simulated scalp micro-pigmentation on a new layer above the layer, "
       "in the selection (its feather becomes a density falloff) or over the "
       "whole layer.  The scale comes from the image resolution."),
    N_("SMP density (simulated)"),
    density_args, G_N_ELEMENTS (density_args), FALSE, smp_hide_sessions,
    SMP_RUN_LAYERS, SMP_MASK_ANY, NULL, TRUE },
  { SMP_PROC_HAIRLINE, "plug-in-smp-hairline", "smp:hairline",
    N_("_Hairline..."),
    N_("A simulated SMP hairline on a new layer"),
    N_("The selection's edge, or an open path drawn across the forehead, is "
       "the planned hairline; the dots ramp from sparse single impressions at "
       "a soft, irregular front to full density behind it."),
    N_("SMP hairline (simulated)"),
    hairline_args, G_N_ELEMENTS (hairline_args), FALSE, smp_hide_hairline,
    SMP_RUN_LAYERS, SMP_MASK_PATH,
    N_("Select the area behind the planned hairline (its edge is the line), or give an "
       "open path drawn across the forehead.") },
  { SMP_PROC_CONCEAL_SCAR, "plug-in-smp-conceal-scar", "smp:scar-conceal",
    N_("Conceal _Scar..."),
    N_("Simulated SMP over a scar, matched to the scalp around it, on a new layer"),
    N_("Select the scar loosely.  The dots and stubble in a ring around it are "
       "measured, and dots are added in the scar (and across its border) only "
       "where the scalp has fewer than that; the scar's own texture stays."),
    N_("SMP scar concealment (simulated)"),
    conceal_scar_args, G_N_ELEMENTS (conceal_scar_args), FALSE, smp_hide_sessions,
    SMP_RUN_LAYERS, SMP_MASK_SELECTION, N_("Select the scar first: the selection is empty.") },
  { SMP_PROC_THICKEN, "plug-in-smp-thicken", "smp:thicken",
    N_("_Thicken Thinning Hair..."),
    N_("Simulated SMP on the scalp between the hairs, on a new layer"),
    N_("Select the thinning area.  Dots go on the visible scalp only, hidden "
       "pixel by pixel under the hair, and the scalp's tone moves part way "
       "towards the hair's, so the hair reads thicker."),
    N_("SMP thickening (simulated)"),
    thicken_args, G_N_ELEMENTS (thicken_args), FALSE, smp_hide_sessions,
    SMP_RUN_LAYERS, SMP_MASK_SELECTION,
    N_("Select the thinning area first: the selection is empty.") },
  { SMP_PROC_SET_SCALE, "plug-in-smp-set-scale", NULL,
    N_("Set _Scale..."),
    N_("Set the image resolution from a measured path"),
    N_("Draw a path whose two ends span a known length (a ruler in the photo, "
       "or the head's width at the temples) and give that length: the image "
       "resolution becomes what makes it true, so every mm in the SMP "
       "procedures is a real mm."),
    NULL,
    set_scale_args, G_N_ELEMENTS (set_scale_args), FALSE, NULL, SMP_RUN_SET_SCALE },
  { SMP_PROC_SESSIONS, "plug-in-smp-sessions", "smp:stipple",
    N_("Session _Progression..."),
    N_("The shaved look after each SMP session, one new layer per session"),
    N_("Puts the simulated result after session 1, 2, 3 ... on new layers above "
       "the layer, in the selection or over the whole layer.  Session 1 is light "
       "and sparse; each later one keeps every dot of the earlier ones, adds dots "
       "between them and goes darker, up to the chosen look after the last."),
    N_("SMP session %d (simulated)"),
    sessions_args, G_N_ELEMENTS (sessions_args), TRUE, NULL, SMP_RUN_LAYERS, SMP_MASK_ANY },
  { SMP_PROC_BEFORE_AFTER, "plug-in-smp-before-after", NULL,
    N_("_Before/After Layout..."),
    N_("A new image with the untouched photo and the simulated result, framed alike"),
    N_("Builds a new image from the layer (the before, never altered) and what "
       "the image shows (the after), with the same crop (the selection's bounds "
       "or the whole image), scale and position, labels, and the disclosure "
       "'Digital simulation, not an actual treatment result', which also goes "
       "into the image's comment.  The photo's own image is not changed."),
    N_("Before/after (digital simulation)"),
    before_after_args, G_N_ELEMENTS (before_after_args), FALSE, NULL, SMP_RUN_LAYOUT },
};

/* The names of the arguments the plug-in's own code reads (SmpArgId). */
static const gchar *const smp_arg_id_names[SMP_N_ARG_IDS] =
{
  [SMP_ARG_ID_LOOK] = "look",
  [SMP_ARG_ID_SHADE] = "shade",
  [SMP_ARG_ID_DENSITY] = "density",
  [SMP_ARG_ID_DOT_DIAMETER] = "dot-diameter",
  [SMP_ARG_ID_SIZE_VARIATION] = "size-variation",
  [SMP_ARG_ID_DARKNESS] = "darkness",
  [SMP_ARG_ID_DARKNESS_VARIATION] = "darkness-variation",
  [SMP_ARG_ID_SOFTNESS] = "softness",
  [SMP_ARG_ID_HALO] = "halo",
  [SMP_ARG_ID_PHOTO_BLUR] = "photo-blur",
  [SMP_ARG_ID_CLUSTERING] = "clustering",
  [SMP_ARG_ID_REGULARITY] = "regularity",
  [SMP_ARG_ID_PIGMENT] = "pigment",
  [SMP_ARG_ID_SESSIONS] = "sessions",
  [SMP_ARG_ID_STUBBLE] = "stubble",
  [SMP_ARG_ID_PATH] = "path",
  [SMP_ARG_ID_FLIP] = "flip",
  [SMP_ARG_ID_LENGTH_MM] = "length-mm",
  [SMP_ARG_ID_LAYOUT] = "layout",
  [SMP_ARG_ID_SIZE] = "size",
  [SMP_ARG_ID_BEFORE_LABEL] = "before-label",
  [SMP_ARG_ID_AFTER_LABEL] = "after-label",
  [SMP_ARG_ID_FONT] = "font",
  [SMP_ARG_ID_LABEL_SIZE] = "label-size",
  [SMP_ARG_ID_LABEL_COLOR] = "label-color",
  [SMP_ARG_ID_LABEL_PLACE] = "label-place",
  [SMP_ARG_ID_GAP] = "gap",
  [SMP_ARG_ID_BORDER] = "border",
  [SMP_ARG_ID_DISCLOSURE] = "disclosure",
  [SMP_ARG_ID_AFTERS] = "afters",
};

/* Loads the installed GEGL module unless GEGL found it already (in its own
 * folder, or the user's); whether every op is there. */
static gboolean
smp_plugin_load_ops (void)
{
  if (! gegl_has_operation ("smp:stipple"))
    gegl_load_module_directory (SMP_GEGL_MODULE_DIR);
  return gegl_has_operation ("smp:stipple") && gegl_has_operation ("smp:hairline")
         && gegl_has_operation ("smp:scar-conceal") && gegl_has_operation ("smp:thicken");
}

/* An enum property's values as choices: the nicks are what a call passes,
 * the names (GEGL's enum_value labels) what a menu shows; a choice's id is
 * its place in the enum. */
static void
smp_arg_from_enum (SmpArg         *arg,
                   GParamSpecEnum *spec)
{
  GEnumClass *klass = spec->enum_class;
  gchar     **nicks = g_new0 (gchar *, klass->n_values + 1);
  gchar     **labels = g_new0 (gchar *, klass->n_values + 1);
  guint       k;

  arg->type = SMP_ARG_CHOICE;
  arg->max = klass->n_values - 1;
  for (k = 0; k < klass->n_values; k++)
    {
      nicks[k] = (gchar *) klass->values[k].value_nick;
      labels[k] = (gchar *) klass->values[k].value_name;
      if (klass->values[k].value == spec->default_value)
        arg->value = k;
    }
  /* kept for the plug-in's life, as the static tables are */
  arg->choices = (const gchar *const *) nicks;
  arg->choice_labels = (const gchar *const *) labels;
}

/* A unit the spec carries (GEGL's "unit" key) goes into the label, as the
 * labels that name their unit themselves do: "Radius (px)". */
static const gchar *
smp_arg_nick (GParamSpec *pspec)
{
  const gchar *nick = g_param_spec_get_nick (pspec);
  const gchar *unit = gegl_param_spec_get_property_key (pspec, "unit");

  if (! unit || strchr (nick, '('))
    return nick;
  if (! strcmp (unit, "pixel-distance") || ! strcmp (unit, "pixel-coordinate"))
    return g_intern_string (g_strdup_printf ("%s (px)", nick));
  if (! strcmp (unit, "degree"))
    return g_intern_string (g_strdup_printf ("%s (°)", nick));
  return nick;
}

/* The argument for an op's property: its name, nick, blurb, range and
 * default as the op declares them.  FALSE for a type no argument takes. */
static gboolean
smp_arg_from_pspec (GParamSpec *pspec,
                    SmpArg     *arg)
{
  memset (arg, 0, sizeof (*arg));
  arg->name = pspec->name;
  arg->nick = smp_arg_nick (pspec);
  arg->blurb = g_param_spec_get_blurb (pspec) ? g_param_spec_get_blurb (pspec) : arg->nick;
  arg->source = SMP_SOURCE_OP;
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GParamSpecDouble *d = G_PARAM_SPEC_DOUBLE (pspec);

      arg->type = SMP_ARG_DOUBLE;
      arg->min = d->minimum, arg->max = d->maximum, arg->value = d->default_value;
    }
  else if (G_IS_PARAM_SPEC_INT (pspec))
    {
      GParamSpecInt *i = G_PARAM_SPEC_INT (pspec);

      arg->type = SMP_ARG_INT;
      arg->min = i->minimum, arg->max = i->maximum, arg->value = i->default_value;
    }
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      GParamSpecUInt *u = G_PARAM_SPEC_UINT (pspec);

      /* a seed: the PDB's integers are signed, so its range ends at
       * G_MAXINT */
      arg->type = SMP_ARG_INT;
      arg->min = u->minimum, arg->max = MIN (u->maximum, G_MAXINT), arg->value = u->default_value;
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      arg->type = SMP_ARG_BOOLEAN;
      arg->max = 1.0, arg->value = G_PARAM_SPEC_BOOLEAN (pspec)->default_value;
    }
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    smp_arg_from_enum (arg, G_PARAM_SPEC_ENUM (pspec));
  else if (GEGL_IS_PARAM_SPEC_COLOR (pspec))
    {
      arg->type = SMP_ARG_COLOR;
      arg->color = gegl_color_duplicate (gegl_param_spec_color_get_default (pspec));
    }
  else
    return FALSE;
  return TRUE;
}

static void
smp_procedure_add (SmpProcedure *proc,
                   const SmpArg *arg)
{
  if (proc->n_args >= SMP_MAX_ARGS)
    {
      g_warning ("%s takes at most %d arguments: %s is left out (raise SMP_MAX_ARGS)",
                 proc->name, SMP_MAX_ARGS, arg->name);
      return;
    }
  proc->args[proc->n_args++] = *arg;
}

/* Whether the op's property @name has a place of its own in @proc's
 * table, or none at all. */
static gboolean
smp_procedure_places (const SmpProcedure *proc,
                      const gchar        *name)
{
  gint i;

  if (g_strv_contains (smp_hide_always, name) || (proc->hidden && g_strv_contains (proc->hidden, name)))
    return TRUE;
  for (i = 0; i < proc->n_places; i++)
    if (proc->places[i].source == SMP_SOURCE_OP && proc->places[i].name
        && ! strcmp (proc->places[i].name, name))
      return TRUE;
  return FALSE;
}

static gint
smp_pspec_compare (gconstpointer a,
                   gconstpointer b)
{
  const GParamSpec *pa = *(GParamSpec *const *) a, *pb = *(GParamSpec *const *) b;

  /* GEGL numbers the properties in the order the op declares them */
  return (pa->param_id > pb->param_id) - (pa->param_id < pb->param_id);
}

/* Adds the op's property @only, or (@only NULL) every one not placed
 * otherwise, in the op's order. */
static void
smp_procedure_add_op_args (SmpProcedure *proc,
                           const gchar  *only)
{
  guint        n, k;
  GParamSpec **pspecs = gegl_operation_list_properties (proc->operation, &n);

  qsort (pspecs, n, sizeof (GParamSpec *), smp_pspec_compare);
  for (k = 0; k < n; k++)
    {
      SmpArg arg;

      if (only ? strcmp (pspecs[k]->name, only) != 0 : smp_procedure_places (proc, pspecs[k]->name))
        continue;
      if (smp_arg_from_pspec (pspecs[k], &arg))
        smp_procedure_add (proc, &arg);
    }
  g_free (pspecs);
}

static void
smp_procedure_build (SmpProcedure *proc,
                     gboolean      have_ops)
{
  gint i;

  proc->args = g_new0 (SmpArg, SMP_MAX_ARGS);
  for (i = 0; i < proc->n_places; i++)
    {
      SmpArg arg = proc->places[i];

      if (arg.source == SMP_SOURCE_OP)
        {
          /* without the module, only the plug-in's own: it still registers */
          if (have_ops && proc->operation)
            smp_procedure_add_op_args (proc, arg.name);
          continue;
        }
      if (arg.type == SMP_ARG_COLOR)
        arg.color = gegl_color_new (arg.text);
      smp_procedure_add (proc, &arg);
    }
  for (i = 0; i < SMP_N_ARG_IDS; i++)
    proc->index[i] = smp_procedure_arg (proc, smp_arg_id_names[i]);
}

const SmpProcedure *
smp_procedure_get (SmpProcId id)
{
  static gsize built = 0;

  g_return_val_if_fail (id >= 0 && id < SMP_N_PROCS, NULL);
  if (g_once_init_enter (&built))
    {
      gboolean have_ops = smp_plugin_load_ops ();
      gint     i;

      for (i = 0; i < SMP_N_PROCS; i++)
        smp_procedure_build (&smp_procedures[i], have_ops);
      g_once_init_leave (&built, 1);
    }
  return &smp_procedures[id];
}

const gchar *
smp_procedure_name (SmpProcId id)
{
  g_return_val_if_fail (id >= 0 && id < SMP_N_PROCS, NULL);
  return smp_procedures[id].name;
}

const SmpProcedure *
smp_procedure_lookup (const gchar *name)
{
  gint i;

  for (i = 0; i < SMP_N_PROCS; i++)
    if (! strcmp (smp_procedures[i].name, name))
      return smp_procedure_get (i);
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

const gchar *
smp_arg_id_name (SmpArgId id)
{
  return smp_arg_id_names[id];
}

gboolean
smp_procedure_has (const SmpProcedure *proc,
                   SmpArgId            id)
{
  return proc->index[id] >= 0;
}

void
smp_values_init (const SmpProcedure *proc,
                 SmpValues          *values)
{
  gint i;

  memset (values, 0, sizeof (*values));
  values->proc = proc;
  for (i = 0; i < proc->n_args; i++)
    {
      values->number[i] = proc->args[i].value;
      if (proc->args[i].type == SMP_ARG_COLOR)
        values->color[i] = gegl_color_duplicate (proc->args[i].color);
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

/* The place of @id in the values, or -1 (and a critical: the plug-in's
 * code asked a procedure for an argument it does not take). */
static gint
smp_values_index (const SmpValues *values,
                  SmpArgId         id)
{
  gint i = values->proc->index[id];

  if (i < 0)
    g_critical ("%s has no argument %s", values->proc->name, smp_arg_id_names[id]);
  return i;
}

gdouble
smp_values_get_double (const SmpValues *values,
                       SmpArgId         id)
{
  gint i = smp_values_index (values, id);

  return i >= 0 ? values->number[i] : 0.0;
}

gint
smp_values_get_int (const SmpValues *values,
                    SmpArgId         id)
{
  return (gint) smp_values_get_double (values, id);
}

gboolean
smp_values_get_boolean (const SmpValues *values,
                        SmpArgId         id)
{
  return smp_values_get_double (values, id) != 0.0;
}

GeglColor *
smp_values_get_color (const SmpValues *values,
                      SmpArgId         id)
{
  gint i = smp_values_index (values, id);

  return i >= 0 ? values->color[i] : NULL;
}

const gchar *
smp_values_get_text (const SmpValues *values,
                     SmpArgId         id)
{
  gint i = smp_values_index (values, id);

  return i >= 0 && values->text[i] ? values->text[i] : "";
}

void
smp_values_set_double (SmpValues *values,
                       SmpArgId   id,
                       gdouble    value)
{
  gint i = smp_values_index (values, id);

  if (i >= 0)
    values->number[i] = value;
}

gboolean
smp_plugin_ensure_ops (GError **error)
{
  if (! smp_plugin_load_ops ())
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

/* The progress hook of the final renders (smp_plugin_set_progress). */
static SmpProgressFunc smp_plugin_progress_func;
static gpointer        smp_plugin_progress_data;

void
smp_plugin_set_progress (SmpProgressFunc func,
                         gpointer        data)
{
  smp_plugin_progress_func = func;
  smp_plugin_progress_data = data;
}

/* Renders @sink, telling the progress hook how far it is, if there is
 * one: the same pixels either way, in the same chunks GEGL would take. */
static void
smp_plugin_process (GeglNode *sink)
{
  GeglProcessor *processor;
  gdouble        done = 0.0;

  if (! smp_plugin_progress_func)
    {
      gegl_node_process (sink);
      return;
    }
  processor = gegl_node_new_processor (sink, NULL);
  while (gegl_processor_work (processor, &done))
    smp_plugin_progress_func (done, smp_plugin_progress_data);
  smp_plugin_progress_func (1.0, smp_plugin_progress_data);
  g_object_unref (processor);
}

/* The graph of @in's op in a new parent node @graph; returns the op's
 * node and sets @src to the photo's. */
static GeglNode *
smp_plugin_graph (const SmpRenderInput *in,
                  GeglNode            **graph,
                  GeglNode            **src)
{
  GeglNode *op;

  *graph = gegl_node_new ();
  *src = gegl_node_new_child (*graph, "operation", "gegl:buffer-source", "buffer", in->source,
                              NULL);
  op = gegl_node_new_child (*graph, "operation", in->proc->operation, NULL);
  smp_plugin_configure (op, in->proc, in->values, in->px_per_mm);
  gegl_node_link (*src, op);
  if (in->mask)
    {
      /* the mask is in image coordinates, the layer's pixels in its own */
      GeglNode *msrc = gegl_node_new_child (*graph, "operation", "gegl:buffer-source",
                                            "buffer", in->mask, NULL);
      GeglNode *shift = gegl_node_new_child (*graph, "operation", "gegl:translate",
                                             "x", (gdouble) -in->off_x, "y", (gdouble) -in->off_y,
                                             "sampler", GEGL_SAMPLER_NEAREST, NULL);

      gegl_node_link (msrc, shift);
      gegl_node_connect_to (shift, "output", op, "aux");
    }
  return op;
}

gboolean
smp_plugin_render (const SmpRenderInput *in,
                   const GeglRectangle  *rect,
                   GeglBuffer           *dest,
                   GError              **error)
{
  GeglNode *graph, *src, *op, *crop, *sink;

  if (! smp_plugin_ensure_ops (error))
    return FALSE;

  op = smp_plugin_graph (in, &graph, &src);
  sink = gegl_node_new_child (graph, "operation", "gegl:write-buffer", "buffer", dest, NULL);
  crop = gegl_node_new_child (graph, "operation", "gegl:crop",
                              "x", (gdouble) rect->x, "y", (gdouble) rect->y,
                              "width", (gdouble) rect->width,
                              "height", (gdouble) rect->height, NULL);
  gegl_node_link_many (op, crop, sink, NULL);
  smp_plugin_process (sink);
  g_object_unref (graph);
  return TRUE;
}

gboolean
smp_plugin_render_scaled (const SmpRenderInput *in,
                          gdouble               scale,
                          const GeglRectangle  *roi,
                          gboolean              original,
                          const Babl           *format,
                          gpointer              pixels,
                          GError              **error)
{
  GeglNode *graph, *src, *op;
  gboolean  mipmaps;

  if (! smp_plugin_ensure_ops (error))
    return FALSE;

  op = smp_plugin_graph (in, &graph, &src);
  /* with mipmap rendering GEGL picks the mipmap level for @scale and the
   * ops render at it, so a zoomed-out preview costs what it shows;
   * without (GEGL's default) it renders the whole area at full
   * resolution and scales it down */
  g_object_get (gegl_config (), "mipmap-rendering", &mipmaps, NULL);
  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  gegl_node_blit (original ? src : op, scale, roi, format, pixels, GEGL_AUTO_ROWSTRIDE,
                  GEGL_BLIT_DEFAULT);
  g_object_set (gegl_config (), "mipmap-rendering", mipmaps, NULL);
  g_object_unref (graph);
  return TRUE;
}

/* The look's arguments a preset sets, in the order of SmpLook's fields. */
static const SmpArgId smp_look_fields[] =
{ SMP_ARG_ID_DENSITY, SMP_ARG_ID_DOT_DIAMETER, SMP_ARG_ID_SIZE_VARIATION, SMP_ARG_ID_DARKNESS,
  SMP_ARG_ID_DARKNESS_VARIATION, SMP_ARG_ID_SOFTNESS, SMP_ARG_ID_HALO, SMP_ARG_ID_SHADE };

/* @name's place in smp_look_fields, or -1 */
static gint
smp_plugin_look_field (const gchar *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (smp_look_fields); i++)
    if (! strcmp (smp_arg_id_names[smp_look_fields[i]], name))
      return i;
  return -1;
}

gboolean
smp_plugin_look_sets (const gchar *name)
{
  return smp_plugin_look_field (name) >= 0;
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
  gint           i = smp_plugin_look_field (name);

  return i >= 0 ? values[i] : 0.0;
}

/* The value the op uses: the chosen look's own, or the argument's under
 * the custom look. */
static gdouble
smp_plugin_look_or_value (const SmpValues *values,
                          gint             look,
                          SmpArgId         id)
{
  const gchar *name = smp_arg_id_names[id];

  if (look != SMP_LOOK_ID_CUSTOM && smp_plugin_look_sets (name))
    return smp_plugin_look_value (look, name);
  return smp_values_get_double (values, id);
}

gchar *
smp_plugin_tone_text (const SmpProcedure *proc,
                      const SmpValues    *values)
{
  SmpLookInk ink = { { 0 } };
  gint       look = smp_values_get_int (values, SMP_ARG_ID_LOOK);
  gdouble    shade, tone;
  gfloat     pigment_y = 0.0f;

  ink.layout.density_per_cm2 = smp_plugin_look_or_value (values, look, SMP_ARG_ID_DENSITY);
  ink.layout.dot_diameter_mm = smp_plugin_look_or_value (values, look, SMP_ARG_ID_DOT_DIAMETER);
  ink.layout.size_variation = smp_plugin_look_or_value (values, look, SMP_ARG_ID_SIZE_VARIATION);
  ink.layout.darkness_variation = smp_plugin_look_or_value (values, look,
                                                            SMP_ARG_ID_DARKNESS_VARIATION);
  ink.layout.regularity = smp_values_get_double (values, SMP_ARG_ID_REGULARITY);
  ink.layout.clustering = smp_values_get_double (values, SMP_ARG_ID_CLUSTERING);
  ink.darkness = smp_plugin_look_or_value (values, look, SMP_ARG_ID_DARKNESS);
  ink.softness_mm = smp_plugin_look_or_value (values, look, SMP_ARG_ID_SOFTNESS);
  ink.halo_mm = smp_plugin_look_or_value (values, look, SMP_ARG_ID_HALO);
  shade = smp_plugin_look_or_value (values, look, SMP_ARG_ID_SHADE);
  gegl_color_get_pixel (smp_values_get_color (values, SMP_ARG_ID_PIGMENT),
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
smp_plugin_match (const SmpRenderInput *in,
                  SmpValues            *matched,
                  GError              **error)
{
  gint        look, i;
  GeglBuffer *photo;
  SmpMatch    match;
  gboolean    done;

  *matched = *in->values;
  if (! matched->stubble)
    return TRUE;
  if (! in->mask)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Select the bare scalp to treat: matching compares it with the stubble."));
      return FALSE;
    }
  /* the layer's pixels seen in image coordinates, as the masks are */
  photo = g_object_new (GEGL_TYPE_BUFFER, "source", in->source,
                        "shift-x", -in->off_x, "shift-y", -in->off_y, NULL);
  look = smp_values_get_int (matched, SMP_ARG_ID_LOOK);
  done = smp_match_buffers (photo, matched->stubble, in->mask, in->px_per_mm,
                            look, smp_values_get_double (matched, SMP_ARG_ID_PHOTO_BLUR),
                            &match, error);
  g_object_unref (photo);
  if (! done)
    return FALSE;
  for (i = 0; i < in->proc->n_args; i++)
    if (look != SMP_LOOK_ID_CUSTOM && smp_plugin_look_sets (in->proc->args[i].name))
      matched->number[i] = smp_plugin_look_value (look, in->proc->args[i].name);
  smp_values_set_double (matched, SMP_ARG_ID_LOOK, SMP_LOOK_ID_CUSTOM);
  smp_values_set_double (matched, SMP_ARG_ID_DENSITY, match.density_per_cm2);
  smp_values_set_double (matched, SMP_ARG_ID_SHADE, match.shade);
  smp_values_set_double (matched, SMP_ARG_ID_DARKNESS, match.darkness);
  return TRUE;
}

gchar *
smp_plugin_match_text (const SmpRenderInput *in)
{
  SmpValues matched;
  GError   *error = NULL;
  gchar    *text;

  if (! smp_plugin_match (in, &matched, &error))
    {
      text = g_strdup (error->message);
      g_error_free (error);
      return text;
    }
  return g_strdup_printf (_("At a distance: %.0f %% darker than bare skin, as the client's "
                            "stubble (channel '%s'), at %.0f dots/cm²; the look's dots are kept"),
                          100.0 * smp_values_get_double (&matched, SMP_ARG_ID_SHADE),
                          SMP_STUBBLE_CHANNEL,
                          smp_values_get_double (&matched, SMP_ARG_ID_DENSITY));
}

gchar *
smp_plugin_look_text (const SmpProcedure *proc,
                      const SmpValues    *values)
{
  GString *text = g_string_new (proc->name);
  gint     chosen = smp_procedure_has (proc, SMP_ARG_ID_LOOK)
                    ? smp_values_get_int (values, SMP_ARG_ID_LOOK) : SMP_LOOK_ID_CUSTOM;
  gint     i;

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
  return proc->per_session ? smp_values_get_int (values, SMP_ARG_ID_SESSIONS) : 1;
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
  s->layout = (SmpComposeLayout) smp_values_get_int (values, SMP_ARG_ID_LAYOUT);
  s->size = (SmpComposeSize) smp_values_get_int (values, SMP_ARG_ID_SIZE);
  s->label_place = (SmpComposeLabelPlace) smp_values_get_int (values, SMP_ARG_ID_LABEL_PLACE);
  s->label_size = smp_values_get_double (values, SMP_ARG_ID_LABEL_SIZE);
  s->gap = smp_values_get_int (values, SMP_ARG_ID_GAP);
  s->border = smp_values_get_int (values, SMP_ARG_ID_BORDER);
  s->disclosure = smp_values_get_boolean (values, SMP_ARG_ID_DISCLOSURE);
  /* the texts were checked to fit (smp_plugin_check_texts) */
  g_strlcpy (s->before_label, smp_values_get_text (values, SMP_ARG_ID_BEFORE_LABEL),
             sizeof (s->before_label));
  g_strlcpy (s->after_label, smp_values_get_text (values, SMP_ARG_ID_AFTER_LABEL),
             sizeof (s->after_label));
  g_strlcpy (s->font, smp_values_get_text (values, SMP_ARG_ID_FONT), sizeof (s->font));
  gegl_color_get_pixel (smp_values_get_color (values, SMP_ARG_ID_LABEL_COLOR),
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
smp_plugin_before_after (const SmpLayoutRequest *request,
                         gchar                 **description,
                         gchar                 **metadata,
                         GError                **error)
{
  const SmpLayoutRequest *r = request;
  const SmpAfter         *afters = r->afters;
  gint                    n_afters = r->n_afters, k;
  SmpComposeSettings      settings;
  GeglBuffer             *before, *after[SMP_COMPOSE_MAX_PANELS], *result;
  const gchar            *names[SMP_COMPOSE_MAX_PANELS];

  if (! smp_plugin_check_texts (r->proc, r->values, error))
    return NULL;
  if (n_afters < 1 || n_afters >= SMP_COMPOSE_MAX_PANELS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%d simulated layers are visible: a layout shows at most %d beside the "
                     "before. Hide the ones to leave out."),
                   n_afters, SMP_COMPOSE_MAX_PANELS - 1);
      return NULL;
    }
  before = smp_compose_at_offsets (r->before.buffer, r->before.x, r->before.y);
  for (k = 0; k < n_afters; k++)
    {
      after[k] = smp_compose_at_offsets (afters[k].buffer, afters[k].x, afters[k].y);
      names[k] = afters[k].name;
    }
  smp_plugin_compose_settings (r->proc, r->values, r->crop, &settings);
  result = smp_compose_panels (&settings, before, after, names, n_afters, NULL, error);
  for (k = 0; k < n_afters; k++)
    g_object_unref (after[k]);
  g_object_unref (before);
  if (result)
    {
      *description = smp_compose_description (&settings, r->summary);
      *metadata = smp_compose_metadata (*description);
    }
  return result;
}

gchar *
smp_plugin_scale_text (const SmpProcedure *proc,
                       gdouble             ppi,
                       gboolean            measured)
{
  if (proc->kind == SMP_RUN_SET_SCALE)
    return g_strdup_printf (_("Now %.0f ppi (%.2f px per mm)."), ppi, ppi / 25.4);
  if (! measured && (ppi == SMP_DEFAULT_PPI_A || ppi == SMP_DEFAULT_PPI_B))
    return g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi) looks like a default, not a "
                              "measurement: sizes in mm will be wrong. Use Scalp "
                              "Micropigmentation > Set Scale first."), ppi / 25.4, ppi);
  return g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi): a 0.15 mm dot is %.1f px wide."),
                          ppi / 25.4, ppi, 0.15 * ppi / 25.4);
}

gdouble
smp_plugin_preview_scale (gdouble zoom,
                          gint    view_w,
                          gint    extents_w)
{
  return zoom * view_w / MAX (extents_w, 1);
}

gboolean
smp_plugin_is_advanced (const gchar *name)
{
  /* what a look sets and few change by hand; the look, shade, density,
   * dot size and pigment stay in view, as do each procedure's own */
  static const SmpArgId advanced[] =
  {
    SMP_ARG_ID_SIZE_VARIATION, SMP_ARG_ID_DARKNESS, SMP_ARG_ID_DARKNESS_VARIATION,
    SMP_ARG_ID_SOFTNESS, SMP_ARG_ID_HALO, SMP_ARG_ID_PHOTO_BLUR, SMP_ARG_ID_CLUSTERING,
    SMP_ARG_ID_REGULARITY,
  };
  guint k;

  for (k = 0; k < G_N_ELEMENTS (advanced); k++)
    if (! strcmp (name, smp_arg_id_name (advanced[k])))
      return TRUE;
  return ! strcmp (name, "cool-shift") || ! strcmp (name, "seed");
}
