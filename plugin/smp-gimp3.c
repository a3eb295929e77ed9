/* gimp-smp plug-in for GIMP 3: registration, argument reading, the run,
 * the dialog and the batch around the shared procedure logic of
 * smp-plugin.c; the image is worked on through smp-host-gimp.c.
 *
 * Every procedure puts its result on a new layer above the source layer,
 * inside one undo group; the source's pixels are never written.
 */
#include "config.h"

#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n.h>

#include "smp-plugin.h"
#include "smp-host-gimp.h"
#include "smp-batch.h"
#include "smp-gtk.h"
#include "smp-look.h"

typedef struct _SmpPlugIn      SmpPlugIn;
typedef struct _SmpPlugInClass SmpPlugInClass;

struct _SmpPlugIn
{
  GimpPlugIn parent_instance;
};

struct _SmpPlugInClass
{
  GimpPlugInClass parent_class;
};

#define SMP_TYPE_PLUG_IN (smp_plug_in_get_type ())

GType                   smp_plug_in_get_type          (void) G_GNUC_CONST;

static GList          * smp_plug_in_query_procedures  (GimpPlugIn           *plug_in);
static GimpProcedure  * smp_plug_in_create_procedure  (GimpPlugIn           *plug_in,
                                                       const gchar          *name);
static gboolean         smp_plug_in_set_i18n          (GimpPlugIn           *plug_in,
                                                       const gchar          *procedure_name,
                                                       gchar               **gettext_domain,
                                                       gchar               **catalog_dir);
static GimpValueArray * smp_plug_in_run               (GimpProcedure        *procedure,
                                                       GimpRunMode           run_mode,
                                                       GimpImage            *image,
                                                       GimpDrawable        **drawables,
                                                       GimpProcedureConfig  *config,
                                                       gpointer              run_data);
static gboolean         smp_plug_in_read_values       (const SmpProcedure   *proc,
                                                       GimpProcedureConfig  *config,
                                                       GimpImage            *interactive_image,
                                                       SmpValues            *values,
                                                       GError              **error);
static GimpValueArray * smp_plug_in_batch             (GimpProcedure        *procedure,
                                                       GimpProcedureConfig  *config,
                                                       gpointer              run_data);
static gboolean         smp_plug_in_dialog            (GimpProcedure        *procedure,
                                                       const SmpProcedure   *proc,
                                                       GimpProcedureConfig  *config,
                                                       const SmpHostGimp    *host);


G_DEFINE_TYPE (SmpPlugIn, smp_plug_in, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (SMP_TYPE_PLUG_IN)


static void
smp_plug_in_class_init (SmpPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = smp_plug_in_query_procedures;
  plug_in_class->create_procedure = smp_plug_in_create_procedure;
  plug_in_class->set_i18n = smp_plug_in_set_i18n;
}

/* No translations yet: English only, and GIMP told so. */
static gboolean
smp_plug_in_set_i18n (GimpPlugIn   *plug_in,
                      const gchar  *procedure_name,
                      gchar       **gettext_domain,
                      gchar       **catalog_dir)
{
  return FALSE;
}

static void
smp_plug_in_init (SmpPlugIn *plug_in)
{
}

static GList *
smp_plug_in_query_procedures (GimpPlugIn *plug_in)
{
  GList *names = NULL;
  gint   i;

  for (i = 0; i < SMP_N_PROCS; i++)
    names = g_list_append (names, g_strdup (smp_procedure_name (i)));
  names = g_list_append (names, g_strdup (SMP_BATCH_PROC));
  return names;
}

/* The PDB argument for @arg: the plug-in's own, or an op property's
 * with the range and default its GParamSpec gave (smp_procedure_get). */
static void
smp_plug_in_add_argument (GimpProcedure *procedure,
                          const SmpArg  *arg)
{
  switch (arg->type)
    {
    case SMP_ARG_DOUBLE:
      gimp_procedure_add_double_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                          arg->min, arg->max, arg->value, G_PARAM_READWRITE);
      break;
    case SMP_ARG_INT:
      gimp_procedure_add_int_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                       (gint) arg->min, (gint) arg->max, (gint) arg->value,
                                       G_PARAM_READWRITE);
      break;
    case SMP_ARG_BOOLEAN:
      gimp_procedure_add_boolean_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                           arg->value != 0.0, G_PARAM_READWRITE);
      break;
    case SMP_ARG_CHOICE:
      {
        GimpChoice *choice = gimp_choice_new ();
        gint        k;

        for (k = 0; arg->choices[k]; k++)
          gimp_choice_add (choice, arg->choices[k], k,
                           arg->choice_labels ? _(arg->choice_labels[k]) : arg->choices[k],
                           NULL);
        gimp_procedure_add_choice_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                            choice, arg->choices[(gint) arg->value],
                                            G_PARAM_READWRITE);
      }
      break;
    case SMP_ARG_COLOR:
      gimp_procedure_add_color_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                         FALSE, arg->color, G_PARAM_READWRITE);
      break;
    case SMP_ARG_PATH:
      gimp_procedure_add_path_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                        TRUE, G_PARAM_READWRITE);
      break;
    case SMP_ARG_CHANNEL:
      gimp_procedure_add_channel_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                           TRUE, G_PARAM_READWRITE);
      break;
    case SMP_ARG_STRING:
      gimp_procedure_add_string_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                          _(arg->text), G_PARAM_READWRITE);
      break;
    case SMP_ARG_FONT:
      /* GIMP's fonts are its resources: the default is the context's,
       * which is "Sans-serif" until the user picks another */
      gimp_procedure_add_font_argument (procedure, arg->name, _(arg->nick), _(arg->blurb),
                                        FALSE, NULL, TRUE, G_PARAM_READWRITE);
      break;
    }
}

static GimpProcedure *
smp_plug_in_create_procedure (GimpPlugIn  *plug_in,
                              const gchar *name)
{
  const SmpProcedure *proc;
  GimpProcedure      *procedure;
  gint                i;

  /* default colours are GeglColors, and the ops' properties are read
   * from the GEGL module, even while only registering */
  gegl_init (NULL, NULL);
  if (! strcmp (name, SMP_BATCH_PROC))
    {
      /* no image: it opens its own, one photo at a time */
      procedure = gimp_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                      smp_plug_in_batch, NULL, NULL);
      gimp_procedure_set_documentation (procedure,
                                        _("Shaved Look / Density over a folder of photos"),
                                        _("Every photo of the input folder (jpg, jpeg, png, tif; "
                                          "NAME-mask.png beside one: white is treated) through "
                                          "plug-in-smp-density with the settings file's values, "
                                          "written to OUT/NAME-smp.png and, if composites, "
                                          "OUT/NAME-before-after.png.  A photo that cannot be "
                                          "loaded is told by name and skipped."), name);
      gimp_procedure_set_attribution (procedure, "gimp-smp", "gimp-smp authors", "2026");
      gimp_procedure_add_enum_argument (procedure, "run-mode", _("Run mode"), _("The run mode"),
                                        GIMP_TYPE_RUN_MODE, GIMP_RUN_NONINTERACTIVE,
                                        G_PARAM_READWRITE);
      gimp_procedure_add_string_argument (procedure, "in-folder", _("Input folder"),
                                          _("The folder of photos"), "", G_PARAM_READWRITE);
      gimp_procedure_add_string_argument (procedure, "out-folder", _("Output folder"),
                                          _("Where the results go (made if missing)"), "",
                                          G_PARAM_READWRITE);
      gimp_procedure_add_string_argument (procedure, "settings", _("Settings file"),
                                          _("[plug-in-smp-density] keys: its arguments and "
                                            "px-per-mm"), "", G_PARAM_READWRITE);
      gimp_procedure_add_boolean_argument (procedure, "composites", _("Composites"),
                                           _("Also write the before/after layouts"), TRUE,
                                           G_PARAM_READWRITE);
      gimp_procedure_add_int_return_value (procedure, "done", _("Done"),
                                           _("Photos done"), 0, G_MAXINT32, 0, G_PARAM_READWRITE);
      gimp_procedure_add_int_return_value (procedure, "skipped", _("Skipped"),
                                           _("Photos skipped"), 0, G_MAXINT32, 0,
                                           G_PARAM_READWRITE);
      return procedure;
    }
  proc = smp_procedure_lookup (name);
  if (! proc)
    return NULL;

  procedure = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                        smp_plug_in_run, (gpointer) proc, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*");
  gimp_procedure_set_sensitivity_mask (procedure,
                                       proc->operation
                                       ? GIMP_PROCEDURE_SENSITIVE_DRAWABLE | GIMP_PROCEDURE_SENSITIVE_DRAWABLES
                                       : GIMP_PROCEDURE_SENSITIVE_DRAWABLE | GIMP_PROCEDURE_SENSITIVE_DRAWABLES
                                         | GIMP_PROCEDURE_SENSITIVE_NO_DRAWABLES);
  gimp_procedure_set_menu_label (procedure, _(proc->menu_label));
  gimp_procedure_add_menu_path (procedure, SMP_PLUGIN_MENU);
  gimp_procedure_set_documentation (procedure, _(proc->blurb), _(proc->help), name);
  gimp_procedure_set_attribution (procedure, "gimp-smp", "gimp-smp authors", "2026");
  if (proc->kind == SMP_RUN_LAYOUT)
    gimp_procedure_add_image_return_value (procedure, "new-image", _("New image"),
                                           _("The before/after layout"), FALSE,
                                           G_PARAM_READWRITE);

  for (i = 0; i < proc->n_args; i++)
    smp_plug_in_add_argument (procedure, &proc->args[i]);
  return procedure;
}

static GimpValueArray *
smp_plug_in_error (GimpProcedure *procedure,
                   GError        *error)
{
  return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);
}

/* GIMP 3.0 hands a plug-in a colour argument its caller left out
 * (Script-Fu's named arguments) as transparent black, not as the
 * argument's default; our colours have no alpha, so a transparent one is
 * one nobody gave. */
static GeglColor *
smp_plug_in_read_color (GimpProcedureConfig *config,
                        const SmpArg        *arg)
{
  GeglColor *color = NULL;
  gdouble    rgba[4] = { 0.0, 0.0, 0.0, 0.0 };

  g_object_get (config, arg->name, &color, NULL);
  if (color)
    gegl_color_get_pixel (color, babl_format ("R'G'B'A double"), rgba);
  if (rgba[3] == 0.0)
    {
      g_clear_object (&color);
      color = gegl_color_duplicate (arg->color);
    }
  return color;
}

/* The font's name, as GIMP lists it ("Serif Bold"): a Pango font
 * description the composer's text can use. */
static gchar *
smp_plug_in_read_font (GimpProcedureConfig *config,
                       const SmpArg        *arg)
{
  GimpFont *font = NULL;
  gchar    *name;

  g_object_get (config, arg->name, &font, NULL);
  name = font ? gimp_resource_get_name (GIMP_RESOURCE (font)) : g_strdup ("");
  g_clear_object (&font);
  return name;
}

/* The stubble to match: the channel given, or interactively the saved
 * channel named "Stubble", if there is one. */
static GeglBuffer *
smp_plug_in_read_stubble (GimpProcedureConfig *config,
                          const SmpArg        *arg,
                          GimpImage           *interactive_image)
{
  GimpChannel *channel = NULL;
  GeglBuffer  *stubble = NULL;

  g_object_get (config, arg->name, &channel, NULL);
  if (! channel && interactive_image)
    {
      GimpChannel **channels = gimp_image_get_channels (interactive_image);
      gint          k;

      for (k = 0; channels && channels[k] && ! channel; k++)
        if (! g_ascii_strcasecmp (gimp_item_get_name (GIMP_ITEM (channels[k])),
                                  SMP_STUBBLE_CHANNEL))
          channel = g_object_ref (channels[k]);
      g_free (channels);
    }
  if (channel)
    {
      stubble = gimp_drawable_get_buffer (GIMP_DRAWABLE (channel));
      g_object_unref (channel);
    }
  return stubble;
}

/* The path's first stroke: the path given, or (GIMP 3.0's dialogs have
 * no path chooser) interactively the one selected in the Paths dialog.
 * FALSE with @error for a path without a stroke of two points. */
static gboolean
smp_plug_in_read_path (GimpProcedureConfig *config,
                       const SmpArg        *arg,
                       GimpImage           *interactive_image,
                       SmpValues           *values,
                       GError             **error)
{
  GimpPath *path = NULL;
  gsize     n_strokes = 0, n_coords = 0;
  gint     *strokes;
  gboolean  closed;

  g_object_get (config, arg->name, &path, NULL);
  if (! path && interactive_image)
    {
      GimpPath **selected = gimp_image_get_selected_paths (interactive_image);

      if (selected && selected[0])
        path = g_object_ref (selected[0]);
      g_free (selected);
    }
  if (! path)
    return TRUE;
  strokes = gimp_path_get_strokes (path, &n_strokes);
  if (n_strokes > 0)
    values->path_xy = gimp_path_stroke_interpolate (path, strokes[0], 1.0, &n_coords, &closed);
  values->path_points = (gint) (n_coords / 2);
  g_free (strokes);
  g_object_unref (path);
  if (values->path_points < 2)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0, "%s", _(SMP_PLUGIN_PATH_TOO_SHORT));
      return FALSE;
    }
  return TRUE;
}

static gboolean
smp_plug_in_read_values (const SmpProcedure   *proc,
                         GimpProcedureConfig  *config,
                         GimpImage            *interactive_image,
                         SmpValues            *values,
                         GError              **error)
{
  gint i, v;

  smp_values_init (proc, values);
  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];

      switch (arg->type)
        {
        case SMP_ARG_DOUBLE:
          g_object_get (config, arg->name, &values->number[i], NULL);
          break;
        case SMP_ARG_INT:
        case SMP_ARG_BOOLEAN:
          g_object_get (config, arg->name, &v, NULL);
          values->number[i] = v;
          break;
        case SMP_ARG_CHOICE:
          values->number[i] = gimp_procedure_config_get_choice_id (config, arg->name);
          break;
        case SMP_ARG_COLOR:
          g_clear_object (&values->color[i]);
          values->color[i] = smp_plug_in_read_color (config, arg);
          break;
        case SMP_ARG_STRING:
          g_clear_pointer (&values->text[i], g_free);
          g_object_get (config, arg->name, &values->text[i], NULL);
          if (! values->text[i])
            values->text[i] = g_strdup ("");
          break;
        case SMP_ARG_FONT:
          g_clear_pointer (&values->text[i], g_free);
          values->text[i] = smp_plug_in_read_font (config, arg);
          break;
        case SMP_ARG_CHANNEL:
          g_clear_object (&values->stubble);
          values->stubble = smp_plug_in_read_stubble (config, arg, interactive_image);
          break;
        case SMP_ARG_PATH:
          if (! smp_plug_in_read_path (config, arg, interactive_image, values, error))
            return FALSE;
          break;
        }
    }
  return TRUE;
}

/* ---- run ------------------------------------------------------------ */

static GimpValueArray *
smp_plug_in_run (GimpProcedure        *procedure,
                 GimpRunMode           run_mode,
                 GimpImage            *image,
                 GimpDrawable        **drawables,
                 GimpProcedureConfig  *config,
                 gpointer              run_data)
{
  const SmpProcedure *proc = run_data;
  SmpHostGimp         host;
  SmpValues           values;
  SmpHostItem         new_image = NULL;
  GimpValueArray     *return_vals;
  GError             *error = NULL;
  gint                n_drawables;
  gboolean            done;

  gegl_init (NULL, NULL);
  /* GIMP 3's array of the selected drawables ends at NULL */
  for (n_drawables = 0; drawables && drawables[n_drawables]; n_drawables++)
    ;
  smp_host_gimp_init (&host, image, (const SmpHostItem *) drawables, n_drawables,
                      run_mode != GIMP_RUN_NONINTERACTIVE);
  /* registered without the module, a procedure has only the plug-in's
   * own arguments: say what to install before a dialog without them */
  if (! smp_host_check_image (&host.host, &error)
      || (proc->operation && ! smp_plugin_ensure_ops (&error)))
    return smp_plug_in_error (procedure, error);

  if (run_mode == GIMP_RUN_INTERACTIVE
      && ! smp_plug_in_dialog (procedure, proc, config, &host))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);

  if (! smp_plug_in_read_values (proc, config, run_mode == GIMP_RUN_INTERACTIVE ? image : NULL,
                                 &values, &error))
    return smp_plug_in_error (procedure, error);
  done = smp_host_run (&(SmpHostCall) { &host.host, proc, &values }, &new_image, &error);
  smp_values_clear (&values);
  if (! done)
    return smp_plug_in_error (procedure, error);
  return_vals = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  if (proc->kind == SMP_RUN_LAYOUT)
    GIMP_VALUES_SET_IMAGE (return_vals, 1, new_image);
  return return_vals;
}

/* Batch: GIMP's loaders read each file; the image they make is gone
 * before the next, the pixels kept in a buffer of the plug-in's own. */
static GeglBuffer *
smp_plug_in_batch_load (const gchar  *path,
                        gpointer      data,
                        GError      **error)
{
  GFile      *file = g_file_new_for_path (path);
  GimpImage  *image = gimp_file_load (GIMP_RUN_NONINTERACTIVE, file);
  GimpLayer  *merged;
  GeglBuffer *buffer, *copy = NULL;

  g_object_unref (file);
  if (! image)
    {
      const gchar *why = gimp_pdb_get_last_error (gimp_get_pdb ());

      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("GIMP's loader refused it (%s)"), why && *why ? why : _("no reason given"));
      return NULL;
    }
  merged = gimp_image_merge_visible_layers (image, GIMP_CLIP_TO_IMAGE);
  if (merged)
    {
      buffer = gimp_drawable_get_buffer (GIMP_DRAWABLE (merged));
      copy = gegl_buffer_dup (buffer);
      g_object_unref (buffer);
    }
  else
    g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0, _("it has no visible layer"));
  gimp_image_delete (image);
  return copy;
}

static void
smp_plug_in_batch_progress (const gchar *text,
                            gdouble      fraction,
                            gpointer     data)
{
  gimp_progress_set_text (text);
  gimp_progress_update (fraction);
}

static GimpValueArray *
smp_plug_in_batch (GimpProcedure       *procedure,
                   GimpProcedureConfig *config,
                   gpointer             run_data)
{
  GimpValueArray *return_vals;
  GError         *error = NULL;
  gchar          *in_dir = NULL, *out_dir = NULL, *settings = NULL;
  gboolean        composites = TRUE, ran;
  gint            done = 0, skipped = 0;

  gegl_init (NULL, NULL);
  g_object_get (config, "in-folder", &in_dir, "out-folder", &out_dir, "settings", &settings,
                "composites", &composites, NULL);
  gimp_progress_init (_("SMP batch"));
  ran = smp_batch_run (&(SmpBatchJob) { in_dir ? in_dir : "", out_dir ? out_dir : "",
                                        settings ? settings : "", composites,
                                        smp_plug_in_batch_load, smp_plug_in_batch_progress,
                                        NULL },
                       &done, &skipped, &error);
  g_free (in_dir);
  g_free (out_dir);
  g_free (settings);
  if (! ran)
    return smp_plug_in_error (procedure, error);
  return_vals = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  GIMP_VALUES_SET_INT (return_vals, 1, done);
  GIMP_VALUES_SET_INT (return_vals, 2, skipped);
  return return_vals;
}

/* ---- dialog --------------------------------------------------------- */

typedef struct
{
  const SmpProcedure  *proc;
  GimpProcedureConfig *config;
  const SmpHost       *host;
  GimpImage           *image;
  GimpDrawable        *drawable;  /* the first selected layer, or NULL */
  GtkWidget           *tone;      /* "At a distance: ..." */
  gboolean             applying;  /* a look is moving the sliders */
} SmpPreview;

/* The preview renders what a run would put on the new layer (smp-host.c
 * chooses the mask and matches the stubble as the run does). */
static void
smp_plug_in_preview (GimpPreview *preview,
                     SmpPreview  *data)
{
  SmpValues      values, matched;
  SmpRenderInput in;
  GeglRectangle  extents;

  if (! smp_plug_in_read_values (data->proc, data->config, data->image, &values, NULL))
    return;
  if (smp_host_preview_input (&(SmpHostCall) { data->host, data->proc, &values },
                              &matched, &in, &extents))
    {
      smp_gtk_preview_draw (GTK_WIDGET (preview),
                            gimp_zoom_preview_get_factor (GIMP_ZOOM_PREVIEW (preview)),
                            &extents, &in);
      smp_host_preview_done (&in);
    }
  smp_values_clear (&values);
}

static void
smp_plug_in_tone_update (SmpPreview *data)
{
  SmpValues values;
  gchar    *text;

  if (! data->tone || ! smp_plug_in_read_values (data->proc, data->config, data->image,
                                                  &values, NULL))
    return;
  text = smp_host_tone_text (&(SmpHostCall) { data->host, data->proc, &values });
  gtk_label_set_text (GTK_LABEL (data->tone), text);
  g_free (text);
  smp_values_clear (&values);
}

/* A look moves the sliders it sets; moving one of them by hand makes the
 * look custom.  Any change updates what the values give at a distance. */
static void
smp_plug_in_look_notify (GimpProcedureConfig *config,
                         GParamSpec          *pspec,
                         SmpPreview          *data)
{
  if (data->applying)
    return;
  if (! strcmp (pspec->name, smp_arg_id_name (SMP_ARG_ID_LOOK)))
    {
      gint look = gimp_procedure_config_get_choice_id (config,
                                                      smp_arg_id_name (SMP_ARG_ID_LOOK));
      gint i;

      if (look != SMP_LOOK_ID_CUSTOM)
        {
          data->applying = TRUE;
          for (i = 0; i < data->proc->n_args; i++)
            if (smp_plugin_look_sets (data->proc->args[i].name))
              g_object_set (config, data->proc->args[i].name,
                            smp_plugin_look_value (look, data->proc->args[i].name), NULL);
          data->applying = FALSE;
        }
    }
  else if (smp_plugin_look_sets (pspec->name))
    {
      data->applying = TRUE;
      g_object_set (config, smp_arg_id_name (SMP_ARG_ID_LOOK), "custom", NULL);
      data->applying = FALSE;
    }
  smp_plug_in_tone_update (data);
}

/* Save Settings: the dialog's values as the batch's settings file
 * (smp_batch_write_settings), the image's scale as its px-per-mm. */
static void
smp_plug_in_save_settings (GtkWidget  *button,
                           SmpPreview *data)
{
  SmpValues values;
  GError   *error = NULL;
  gdouble   xres, yres;

  if (! smp_plug_in_read_values (data->proc, data->config, data->image, &values, &error))
    {
      g_message (_("The settings were not saved: %s"), error->message);
      g_clear_error (&error);
      return;
    }
  gimp_image_get_resolution (data->image, &xres, &yres);
  smp_gtk_save_settings (button, &values, xres);
  smp_values_clear (&values);
}

/* The zoomable preview with its "Show original" toggle, at the top of
 * the dialog, opening on the whole selection (GimpZoomPreview's zoom 1
 * shows its box); the procedure dialog's own preview only scrolls. */
static GtkWidget *
smp_plug_in_add_preview (GtkWidget  *dialog,
                         SmpPreview *data)
{
  GtkWidget *preview = gimp_zoom_preview_new_from_drawable (data->drawable);
  GtkWidget *box = smp_gtk_preview_box (preview);
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (dialog));

  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_box_pack_start (GTK_BOX (content), box, TRUE, TRUE, 0);
  gtk_box_reorder_child (GTK_BOX (content), box, 0);
  g_signal_connect (preview, "invalidated", G_CALLBACK (smp_plug_in_preview), data);
  g_signal_connect_swapped (data->config, "notify", G_CALLBACK (gimp_preview_invalidate), preview);
  return preview;
}

/* The label of the path a procedure reads: the one selected in the Paths
 * dialog, or what happens without one. */
static void
smp_plug_in_add_path_label (GtkWidget           *dialog,
                            const SmpProcedure  *proc,
                            GimpImage           *image)
{
  GimpPath **selected = gimp_image_get_selected_paths (image);
  gchar     *text = smp_host_path_text (proc, selected && selected[0]
                                              ? gimp_item_get_name (GIMP_ITEM (selected[0]))
                                              : NULL);

  gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-path", text, FALSE, FALSE);
  g_free (text);
  g_free (selected);
}

/* The arguments' rows, appended to @ids: the look, shade, density, dot
 * size and pigment in view, what a look sets under an "Advanced"
 * expander. */
static GList *
smp_plug_in_add_rows (GtkWidget          *dialog,
                      const SmpProcedure *proc,
                      GList              *ids)
{
  GList *advanced = NULL;
  gint   i;

  for (i = 0; i < proc->n_args; i++)
    {
      if (proc->args[i].type == SMP_ARG_PATH || proc->args[i].type == SMP_ARG_CHANNEL)
        continue;
      /* sliders for the continuous values, as GIMP's own filters have */
      if (proc->args[i].type == SMP_ARG_DOUBLE)
        gimp_procedure_dialog_get_scale_entry (GIMP_PROCEDURE_DIALOG (dialog),
                                               proc->args[i].name, 1.0);
      if (smp_plugin_is_advanced (proc->args[i].name))
        advanced = g_list_append (advanced, (gpointer) proc->args[i].name);
      else
        ids = g_list_append (ids, (gpointer) proc->args[i].name);
    }
  if (advanced)
    {
      gimp_procedure_dialog_fill_box_list (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced-box",
                                           advanced);
      gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced-title",
                                       _("Advanced"), FALSE, FALSE);
      gimp_procedure_dialog_fill_expander (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced",
                                           "smp-advanced-title", FALSE, "smp-advanced-box");
      ids = g_list_append (ids, "smp-advanced");
      g_list_free (advanced);
    }
  return ids;
}

/* What the look gives at a distance, right under the look, where the eye
 * is when choosing one; returns @ids with it. */
static GList *
smp_plug_in_add_tone (GtkWidget  *dialog,
                      SmpPreview *data,
                      GList      *ids)
{
  GList *look = g_list_find_custom (ids, smp_arg_id_name (SMP_ARG_ID_LOOK),
                                   (GCompareFunc) strcmp);

  data->tone = gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-tone",
                                                "", FALSE, FALSE);
  ids = g_list_insert_before (ids, look ? look->next : NULL, "smp-tone");
  g_signal_connect (data->config, "notify", G_CALLBACK (smp_plug_in_look_notify), data);
  smp_plug_in_tone_update (data);
  return ids;
}

/* The batch reads Density's values from a file: this button writes it. */
static void
smp_plug_in_add_save_settings (GtkWidget  *dialog,
                               SmpPreview *data)
{
  GtkWidget *save = gtk_button_new_with_mnemonic (_("Save Settings for _Batch..."));

  g_signal_connect (save, "clicked", G_CALLBACK (smp_plug_in_save_settings), data);
  gtk_box_pack_end (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), save,
                    FALSE, FALSE, 0);
  gtk_widget_show (save);
}

static gboolean
smp_plug_in_dialog (GimpProcedure       *procedure,
                    const SmpProcedure  *proc,
                    GimpProcedureConfig *config,
                    const SmpHostGimp   *host)
{
  GimpImage    *image = host->image;
  GimpDrawable *drawable = host->host.n_sources ? host->host.sources[0] : NULL;
  GtkWidget    *dialog, *preview = NULL;
  GList        *ids = NULL;
  SmpPreview    data = { proc, config, &host->host, image, drawable, NULL, FALSE };
  GimpParasite *measured = gimp_image_get_parasite (image, SMP_SCALE_PARASITE);
  gdouble     xres, yres;
  gchar      *scale_text, *title;
  gboolean    run;

  gimp_ui_init (SMP_PLUGIN_BINARY);
  title = smp_plugin_title (_(proc->menu_label));
  dialog = gimp_procedure_dialog_new (procedure, config, title);

  gimp_image_get_resolution (image, &xres, &yres);
  scale_text = smp_plugin_scale_text (proc, xres, measured != NULL);
  gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-scale", scale_text,
                                   FALSE, FALSE);
  ids = g_list_append (ids, "smp-scale");
  if (smp_procedure_has (proc, SMP_ARG_ID_PATH))
    {
      smp_plug_in_add_path_label (dialog, proc, image);
      ids = g_list_append (ids, "smp-path");
    }
  ids = smp_plug_in_add_rows (dialog, proc, ids);
  if (smp_procedure_has (proc, SMP_ARG_ID_LOOK))
    ids = smp_plug_in_add_tone (dialog, &data, ids);
  gimp_procedure_dialog_fill_list (GIMP_PROCEDURE_DIALOG (dialog), ids);
  if (drawable && proc->operation)
    preview = smp_plug_in_add_preview (dialog, &data);
  if (proc->batch_settings)
    smp_plug_in_add_save_settings (dialog, &data);
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));
  if (data.tone)
    g_signal_handlers_disconnect_by_func (config, smp_plug_in_look_notify, &data);
  if (preview)
    g_signal_handlers_disconnect_by_func (config, gimp_preview_invalidate, preview);
  gtk_widget_destroy (dialog);
  g_list_free (ids);
  g_free (scale_text);
  g_free (title);
  if (measured)
    gimp_parasite_free (measured);
  return run;
}
