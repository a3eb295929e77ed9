/* gimp-smp plug-in for GIMP 3: registration, dialogs and drawable handles
 * around the shared procedure logic of smp-plugin.c.
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
static GimpValueArray * smp_plug_in_before_after      (GimpProcedure        *procedure,
                                                       GimpRunMode           run_mode,
                                                       GimpImage            *image,
                                                       GimpDrawable         *drawable,
                                                       const SmpValues      *values);
static GimpValueArray * smp_plug_in_set_scale         (GimpProcedure        *procedure,
                                                       GimpImage            *image,
                                                       const SmpValues      *values);
static GimpValueArray * smp_plug_in_batch             (GimpProcedure        *procedure,
                                                       GimpProcedureConfig  *config,
                                                       gpointer              run_data);
static gboolean         smp_plug_in_dialog            (GimpProcedure        *procedure,
                                                       const SmpProcedure   *proc,
                                                       GimpProcedureConfig  *config,
                                                       GimpImage            *image,
                                                       GimpDrawable         *drawable);


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
  if (proc->id == SMP_PROC_BEFORE_AFTER)
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

/* The look goes with the layer (and its XCF), for a layout made later to
 * tell; undoable, so it is part of the run's one undo step. */
static void
smp_plug_in_attach_look (GimpItem           *layer,
                         const SmpProcedure *proc,
                         const SmpValues    *values)
{
  gchar        *look = smp_plugin_look_text (proc, values);
  GimpParasite *parasite = gimp_parasite_new (SMP_LOOK_PARASITE,
                                              GIMP_PARASITE_PERSISTENT | GIMP_PARASITE_UNDOABLE,
                                              strlen (look) + 1, look);

  gimp_item_attach_parasite (layer, parasite);
  gimp_parasite_free (parasite);
  g_free (look);
}

/* The layer's name and look, for the layout's metadata. */
static gchar *
smp_plug_in_layer_summary (GimpItem *layer)
{
  GimpParasite *parasite = gimp_item_get_parasite (layer, SMP_LOOK_PARASITE);
  guint32       size = 0;
  gconstpointer look = parasite ? gimp_parasite_get_data (parasite, &size) : NULL;
  gchar        *summary = smp_plugin_layer_summary (gimp_item_get_name (layer), look, size);

  if (parasite)
    gimp_parasite_free (parasite);
  return summary;
}

/* A final render's progress, on GIMP's progress bar. */
static void
smp_plug_in_progress (gdouble  fraction,
                      gpointer data)
{
  gimp_progress_update (fraction);
}

static GimpValueArray *
smp_plug_in_run (GimpProcedure        *procedure,
                 GimpRunMode           run_mode,
                 GimpImage            *image,
                 GimpDrawable        **drawables,
                 GimpProcedureConfig  *config,
                 gpointer              run_data)
{
  const SmpProcedure *proc = run_data;
  SmpValues           values;
  GeglBuffer         *mask = NULL;
  GError             *error = NULL;
  gdouble             xres, yres, px_per_mm;
  gint                n = 0, i;

  gegl_init (NULL, NULL);

  if (gimp_image_get_base_type (image) != GIMP_RGB)
    return smp_plug_in_error (procedure,
                              g_error_new_literal (GIMP_PLUG_IN_ERROR, 0,
                                                   _("The SMP procedures work on RGB images: "
                                                     "convert with Image > Mode > RGB first.")));
  while (drawables && drawables[n])
    n++;
  /* registered without the module, a procedure has only the plug-in's
   * own arguments: say what to install before a dialog without them */
  if (proc->operation && ! smp_plugin_ensure_ops (&error))
    return smp_plug_in_error (procedure, error);

  if (run_mode == GIMP_RUN_INTERACTIVE
      && ! smp_plug_in_dialog (procedure, proc, config, image, n ? drawables[0] : NULL))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);

  if (! smp_plug_in_read_values (proc, config, run_mode == GIMP_RUN_INTERACTIVE ? image : NULL,
                                 &values, &error))
    return smp_plug_in_error (procedure, error);

  if (proc->id == SMP_PROC_SET_SCALE || proc->id == SMP_PROC_BEFORE_AFTER)
    {
      GimpValueArray *result = proc->id == SMP_PROC_SET_SCALE
                               ? smp_plug_in_set_scale (procedure, image, &values)
                               : smp_plug_in_before_after (procedure, run_mode, image,
                                                           n ? drawables[0] : NULL, &values);

      smp_values_clear (&values);
      return result;
    }

  /* everything is checked before anything is changed */
  gimp_image_get_resolution (image, &xres, &yres);
  if (! smp_plugin_scale (xres, &px_per_mm, &error) || ! smp_plugin_ensure_ops (&error))
    goto fail;
  if (n == 0)
    {
      error = g_error_new_literal (GIMP_PLUG_IN_ERROR, 0, _("Select the layer to work on."));
      goto fail;
    }
  for (i = 0; i < n; i++)
    if (! GIMP_IS_LAYER (drawables[i]) || gimp_item_is_group (GIMP_ITEM (drawables[i])))
      {
        error = g_error_new (GIMP_PLUG_IN_ERROR, 0,
                             _("'%s' is not a pixel layer (a channel, mask or group): "
                               "select the photo's layer."),
                             gimp_item_get_name (GIMP_ITEM (drawables[i])));
        goto fail;
      }

  if (proc->id == SMP_PROC_HAIRLINE && values.path_points > 0)
    {
      mask = smp_plugin_path_mask (values.path_xy, values.path_points,
                                   smp_values_get_boolean (&values, SMP_ARG_ID_FLIP),
                                   gimp_image_get_width (image), gimp_image_get_height (image),
                                   &error);
      if (! mask)
        goto fail;
    }
  else if (! gimp_selection_is_empty (image))
    mask = gimp_drawable_get_buffer (GIMP_DRAWABLE (gimp_image_get_selection (image)));
  else if (proc->id == SMP_PROC_HAIRLINE)
    {
      error = g_error_new_literal (GIMP_PLUG_IN_ERROR, 0,
                                   _("Select the area behind the planned hairline (its edge is the "
                                     "line), or give an open path drawn across the forehead."));
      goto fail;
    }
  else if (proc->id == SMP_PROC_CONCEAL_SCAR || proc->id == SMP_PROC_THICKEN)
    {
      error = g_error_new_literal (GIMP_PLUG_IN_ERROR, 0,
                                   proc->id == SMP_PROC_THICKEN
                                   ? _("Select the thinning area first: the selection is empty.")
                                   : _("Select the scar first: the selection is empty."));
      goto fail;
    }

  /* matched to the client's stubble as the first layer shows it */
  {
    GeglBuffer *first = gimp_drawable_get_buffer (drawables[0]);
    gint        off_x, off_y;
    gboolean    matched;

    gimp_drawable_get_offsets (drawables[0], &off_x, &off_y);
    matched = smp_plugin_match (proc, &values, px_per_mm, first, off_x, off_y, mask, &error);
    g_object_unref (first);
    if (! matched)
      goto fail;
  }

  gimp_image_undo_group_start (image);
  for (i = 0; i < n; i++)
    {
      GimpDrawable *drawable = drawables[i];
      gint          w = gimp_drawable_get_width (drawable), h = gimp_drawable_get_height (drawable);
      gint          off_x, off_y, k, layers = smp_plugin_layer_count (proc, &values);
      GeglBuffer   *source = gimp_drawable_get_buffer (drawable);
      GimpItem     *below = GIMP_ITEM (drawable);

      gimp_drawable_get_offsets (drawable, &off_x, &off_y);
      /* one layer per session, each above the one before */
      for (k = 1; k <= layers; k++)
        {
          gchar      *name = smp_plugin_layer_name (proc, k);
          GimpLayer  *layer = gimp_layer_new (image, name, w, h,
                                              gimp_drawable_type_with_alpha (drawable), 100.0,
                                              GIMP_LAYER_MODE_NORMAL);
          GeglBuffer *dest;

          gimp_image_insert_layer (image, layer,
                                   GIMP_LAYER (gimp_item_get_parent (GIMP_ITEM (drawable))),
                                   gimp_image_get_item_position (image, below));
          below = GIMP_ITEM (layer);
          gimp_layer_set_offsets (layer, off_x, off_y);
          values.session = proc->per_session ? k : 0;
          dest = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));
          gimp_progress_init_printf ("%s", name);
          smp_plugin_set_progress (smp_plug_in_progress, NULL);
          smp_plugin_render (proc, &values, px_per_mm, source, off_x, off_y, mask,
                             GEGL_RECTANGLE (0, 0, w, h), dest, NULL, NULL, NULL);
          smp_plugin_set_progress (NULL, NULL);
          g_object_unref (dest);
          gimp_drawable_update (GIMP_DRAWABLE (layer), 0, 0, w, h);
          smp_plug_in_attach_look (GIMP_ITEM (layer), proc, &values);
          g_free (name);
        }
      g_object_unref (source);
    }
  gimp_image_undo_group_end (image);

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  g_clear_object (&mask);
  smp_values_clear (&values);
  return gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);

fail:
  g_clear_object (&mask);
  smp_values_clear (&values);
  return smp_plug_in_error (procedure, error);
}

static gboolean
smp_plug_in_read_values (const SmpProcedure   *proc,
                         GimpProcedureConfig  *config,
                         GimpImage            *interactive_image,
                         SmpValues            *values,
                         GError              **error)
{
  gint i;

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
          {
            gint v;

            g_object_get (config, arg->name, &v, NULL);
            values->number[i] = v;
          }
          break;
        case SMP_ARG_CHOICE:
          values->number[i] = gimp_procedure_config_get_choice_id (config, arg->name);
          break;
        case SMP_ARG_COLOR:
          {
            gdouble rgba[4] = { 0.0, 0.0, 0.0, 0.0 };

            g_clear_object (&values->color[i]);
            g_object_get (config, arg->name, &values->color[i], NULL);
            if (values->color[i])
              gegl_color_get_pixel (values->color[i], babl_format ("R'G'B'A double"), rgba);
            /* GIMP 3.0 hands a plug-in a colour argument its caller left
             * out (Script-Fu's named arguments) as transparent black, not
             * as the argument's default; our colours have no alpha, so a
             * transparent one is one nobody gave */
            if (rgba[3] == 0.0)
              {
                g_clear_object (&values->color[i]);
                values->color[i] = gegl_color_duplicate (arg->color);
              }
          }
          break;
        case SMP_ARG_STRING:
          g_clear_pointer (&values->text[i], g_free);
          g_object_get (config, arg->name, &values->text[i], NULL);
          if (! values->text[i])
            values->text[i] = g_strdup ("");
          break;
        case SMP_ARG_FONT:
          {
            GimpFont *font = NULL;

            /* the font's name, as GIMP lists it ("Serif Bold"), is a Pango
             * font description the composer's text can use */
            g_object_get (config, arg->name, &font, NULL);
            g_clear_pointer (&values->text[i], g_free);
            values->text[i] = font ? gimp_resource_get_name (GIMP_RESOURCE (font)) : g_strdup ("");
            g_clear_object (&font);
          }
          break;
        case SMP_ARG_CHANNEL:
          {
            GimpChannel *channel = NULL;

            g_object_get (config, arg->name, &channel, NULL);
            /* interactively, the saved channel named "Stubble" */
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
            g_clear_object (&values->stubble);
            if (channel)
              {
                values->stubble = gimp_drawable_get_buffer (GIMP_DRAWABLE (channel));
                g_object_unref (channel);
              }
          }
          break;
        case SMP_ARG_PATH:
          {
            GimpPath *path = NULL;

            g_object_get (config, arg->name, &path, NULL);
            /* GIMP 3.0's dialogs have no path chooser: interactively, the
             * path is the one selected in the Paths dialog */
            if (! path && interactive_image)
              {
                GimpPath **selected = gimp_image_get_selected_paths (interactive_image);

                if (selected && selected[0])
                  path = g_object_ref (selected[0]);
                g_free (selected);
              }
            if (path)
              {
                gsize     n_strokes = 0, n_coords = 0;
                gint     *strokes = gimp_path_get_strokes (path, &n_strokes);
                gboolean  closed;

                if (n_strokes > 0)
                  values->path_xy = gimp_path_stroke_interpolate (path, strokes[0], 1.0,
                                                                  &n_coords, &closed);
                values->path_points = (gint) (n_coords / 2);
                g_free (strokes);
                g_object_unref (path);
                if (values->path_points < 2)
                  {
                    g_set_error (error, GIMP_PLUG_IN_ERROR, 0, "%s",
                                 _(SMP_PLUGIN_PATH_TOO_SHORT));
                    return FALSE;
                  }
              }
          }
          break;
        }
    }
  return TRUE;
}

/* The layout's new image: its one layer, the disclosure as the comment
 * (PNG text, JPEG COM) and as XMP, whatever is drawn.  The metadata comes
 * first: if it cannot be made, no image is. */
static GimpImage *
smp_plug_in_layout_image (GeglBuffer   *result,
                          const gchar  *description,
                          const gchar  *xml,
                          GError      **error)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  GimpMetadata       *metadata = gimp_metadata_deserialize (xml);
  GimpParasite       *parasite;
  GimpImage          *out;
  GimpLayer          *layer;
  GeglBuffer         *dest;
  gint                w, h;

  if (! metadata)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("The layout's metadata could not be made: this GIMP has no XMP "
                             "support."));
      return NULL;
    }
  w = gegl_buffer_get_extent (result)->width;
  h = gegl_buffer_get_extent (result)->height;
  out = gimp_image_new (w, h, GIMP_RGB);
  gimp_image_undo_disable (out);
  layer = gimp_layer_new (out, _(proc->layer_name), w, h, GIMP_RGBA_IMAGE, 100.0,
                          GIMP_LAYER_MODE_NORMAL);
  gimp_image_insert_layer (out, layer, NULL, 0);
  dest = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));
  gegl_buffer_copy (result, NULL, GEGL_ABYSS_NONE, dest, GEGL_RECTANGLE (0, 0, w, h));
  g_object_unref (dest);
  gimp_drawable_update (GIMP_DRAWABLE (layer), 0, 0, w, h);

  parasite = gimp_parasite_new ("gimp-comment", GIMP_PARASITE_PERSISTENT,
                                strlen (description) + 1, description);
  gimp_image_attach_parasite (out, parasite);
  gimp_parasite_free (parasite);
  gimp_image_set_metadata (out, metadata);
  g_object_unref (metadata);
  gimp_image_undo_enable (out);
  return out;
}

/* What @image shows, from a duplicate (the image itself gets no undo
 * step), with only the simulated layer @only of @results visible among
 * them (-1: as they are).  The buffer reads the duplicate's tiles from
 * GIMP: delete *@dup_out only when done with it. */
static SmpAfter
smp_plug_in_after (GimpImage  *image,
                   GList      *results,
                   gint        only,
                   GimpImage **dup_out)
{
  GimpImage  *dup = gimp_image_duplicate (image);
  GimpLayer **layers = gimp_image_get_layers (dup);
  GimpLayer  *merged;
  SmpAfter    after = { NULL, 0, 0, NULL };
  GList      *r;

  /* the duplicate's layers stand where the image's do */
  for (r = results; only >= 0 && r; r = r->next)
    if (GPOINTER_TO_INT (r->data) != only)
      gimp_item_set_visible (GIMP_ITEM (layers[GPOINTER_TO_INT (r->data)]), FALSE);
  g_free (layers);
  merged = gimp_image_merge_visible_layers (dup, GIMP_CLIP_TO_IMAGE);
  after.buffer = gimp_drawable_get_buffer (GIMP_DRAWABLE (merged));
  gimp_drawable_get_offsets (GIMP_DRAWABLE (merged), &after.x, &after.y);
  *dup_out = dup;
  return after;
}

/* Before/After Layout: a new image from the untouched layer (the before)
 * and what the image shows (the after), or each visible simulated layer
 * alone (one after each). */
static GimpValueArray *
smp_plug_in_before_after (GimpProcedure   *procedure,
                          GimpRunMode      run_mode,
                          GimpImage       *image,
                          GimpDrawable    *drawable,
                          const SmpValues *values)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  gboolean            each = smp_values_get_int (values, SMP_ARG_ID_AFTERS)
                             == SMP_COMPOSE_AFTER_EACH_RESULT;
  GimpLayer         **layers;
  GimpImage          *out;
  GeglBuffer         *source, *result;
  GimpValueArray     *return_vals;
  GError             *error = NULL;
  gchar              *summary = NULL, *description, *xml;
  gchar              *names[SMP_COMPOSE_MAX_PANELS] = { NULL };
  GimpImage          *dups[SMP_COMPOSE_MAX_PANELS];
  SmpAfter            afters[SMP_COMPOSE_MAX_PANELS];
  GList              *results = NULL, *r;
  gboolean            selected;
  gint                x1, y1, x2, y2, off_x, off_y, k, n = 0;
  GeglRectangle       crop;

  if (! drawable || ! GIMP_IS_LAYER (drawable) || gimp_item_is_group (GIMP_ITEM (drawable)))
    return smp_plug_in_error (procedure,
                              g_error_new_literal (GIMP_PLUG_IN_ERROR, 0,
                                                   _("Select the photo's layer: it is the "
                                                     "before, shown untouched.")));
  /* the visible simulated layers, bottom first (the first session first) */
  layers = gimp_image_get_layers (image);
  for (k = 0; layers && layers[k]; k++)
    if (GIMP_DRAWABLE (layers[k]) != drawable && gimp_item_get_visible (GIMP_ITEM (layers[k]))
        && smp_plugin_is_result_name (gimp_item_get_name (GIMP_ITEM (layers[k]))))
      {
        results = g_list_prepend (results, GINT_TO_POINTER (k));
        if (! summary)
          summary = smp_plug_in_layer_summary (GIMP_ITEM (layers[k]));
      }
  if (! summary)
    {
      g_free (layers);
      return smp_plug_in_error (procedure,
                                g_error_new_literal (GIMP_PLUG_IN_ERROR, 0, _(SMP_PLUGIN_NO_RESULT)));
    }

  if (gimp_selection_bounds (image, &selected, &x1, &y1, &x2, &y2) && selected)
    crop = *GEGL_RECTANGLE (x1, y1, x2 - x1, y2 - y1);
  else
    crop = *GEGL_RECTANGLE (0, 0, gimp_image_get_width (image), gimp_image_get_height (image));
  source = gimp_drawable_get_buffer (drawable);
  gimp_drawable_get_offsets (drawable, &off_x, &off_y);
  if (! each)
    {
      afters[n] = smp_plug_in_after (image, NULL, -1, &dups[n]);
      n++;
    }
  else if (g_list_length (results) < SMP_COMPOSE_MAX_PANELS)
    /* (more are refused below, before any is merged) */
    for (r = results; r; r = r->next, n++)
      {
        GimpItem *layer = GIMP_ITEM (layers[GPOINTER_TO_INT (r->data)]);

        afters[n] = smp_plug_in_after (image, results, GPOINTER_TO_INT (r->data), &dups[n]);
        afters[n].name = names[n] = smp_plugin_after_name (gimp_item_get_name (layer));
      }
  result = smp_plugin_before_after (proc, values, &crop, source, off_x, off_y, afters,
                                    each ? (gint) g_list_length (results) : 1,
                                    summary, &description, &xml, &error);
  for (k = 0; k < n; k++)
    {
      g_object_unref (afters[k].buffer);
      gimp_image_delete (dups[k]);
      g_free (names[k]);
    }
  g_object_unref (source);
  g_list_free (results);
  g_free (layers);
  g_free (summary);
  if (! result)
    return smp_plug_in_error (procedure, error);
  out = smp_plug_in_layout_image (result, description, xml, &error);
  g_object_unref (result);
  g_free (description);
  g_free (xml);
  if (! out)
    return smp_plug_in_error (procedure, error);
  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    {
      gimp_display_new (out);
      gimp_displays_flush ();
    }
  return_vals = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  GIMP_VALUES_SET_IMAGE (return_vals, 1, out);
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
  ran = smp_batch_run (in_dir ? in_dir : "", out_dir ? out_dir : "", settings ? settings : "",
                       composites, smp_plug_in_batch_load, smp_plug_in_batch_progress, NULL,
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

static GimpValueArray *
smp_plug_in_set_scale (GimpProcedure   *procedure,
                       GimpImage       *image,
                       const SmpValues *values)
{
  gdouble             length = smp_values_get_double (values, SMP_ARG_ID_LENGTH_MM);
  gdouble             span = smp_plugin_path_span (values->path_xy, values->path_points);
  gdouble             ppi = span / length * 25.4, px_per_mm;
  GError             *error = NULL;
  GimpParasite       *parasite;
  gchar              *note;

  if (values->path_points < 2)
    return smp_plug_in_error (procedure,
                              g_error_new_literal (GIMP_PLUG_IN_ERROR, 0,
                                                   _("Draw a path whose two ends span a known "
                                                     "length (Paths tool), then pick it.")));
  if (! smp_plugin_scale (ppi, &px_per_mm, &error))
    return smp_plug_in_error (procedure, error);

  note = g_strdup_printf ("%.1f px over %.1f mm", span, length);
  parasite = gimp_parasite_new (SMP_SCALE_PARASITE, GIMP_PARASITE_PERSISTENT | GIMP_PARASITE_UNDOABLE,
                                strlen (note) + 1, note);
  gimp_image_undo_group_start (image);
  gimp_image_set_resolution (image, ppi, ppi);
  gimp_image_attach_parasite (image, parasite);
  gimp_image_undo_group_end (image);
  gimp_parasite_free (parasite);
  g_free (note);
  gimp_displays_flush ();
  return gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
}

/* ---- dialog --------------------------------------------------------- */

typedef struct
{
  const SmpProcedure  *proc;
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable        *drawable;
  GtkWidget           *tone;      /* "At a distance: ..." */
  gboolean             applying;  /* a look is moving the sliders */
} SmpPreview;

static void
smp_plug_in_preview (GimpPreview *preview,
                     SmpPreview  *data)
{
  SmpValues   values;
  GeglBuffer *source, *mask = NULL;
  const Babl *format = gimp_drawable_get_format (data->drawable);
  gint        x, y, w, h, off_x, off_y, bpp = babl_format_get_bytes_per_pixel (format);
  gdouble     xres, yres, px_per_mm;
  guchar     *pixels;

  gimp_preview_get_position (preview, &x, &y);
  gimp_preview_get_size (preview, &w, &h);
  gimp_image_get_resolution (data->image, &xres, &yres);
  if (! smp_plugin_scale (xres, &px_per_mm, NULL)
      || ! smp_plug_in_read_values (data->proc, data->config, data->image, &values, NULL))
    return;

  gimp_drawable_get_offsets (data->drawable, &off_x, &off_y);
  if (data->proc->id == SMP_PROC_HAIRLINE && values.path_points > 0)
    mask = smp_plugin_path_mask (values.path_xy, values.path_points,
                                 smp_values_get_boolean (&values, SMP_ARG_ID_FLIP),
                                 gimp_image_get_width (data->image),
                                 gimp_image_get_height (data->image), NULL);
  else if (! gimp_selection_is_empty (data->image))
    mask = gimp_drawable_get_buffer (GIMP_DRAWABLE (gimp_image_get_selection (data->image)));

  /* the preview shows exactly what the new layer will hold */
  source = gimp_drawable_get_buffer (data->drawable);
  pixels = g_malloc ((gsize) w * h * bpp);
  if (smp_plugin_match (data->proc, &values, px_per_mm, source, off_x, off_y, mask, NULL)
      && smp_plugin_render (data->proc, &values, px_per_mm, source, off_x, off_y, mask,
                            GEGL_RECTANGLE (x, y, w, h), NULL, format, pixels, NULL))
    gimp_preview_draw_buffer (preview, pixels, w * bpp);
  g_free (pixels);
  g_object_unref (source);
  g_clear_object (&mask);
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
  if (! values.stubble)
    {
      text = smp_plugin_tone_text (data->proc, &values);
      gtk_label_set_text (GTK_LABEL (data->tone), text);
      g_free (text);
    }
  else if (data->drawable)
    {
      /* matched to the stubble, the sliders do not decide the tone */
      GeglBuffer *source = gimp_drawable_get_buffer (data->drawable);
      GeglBuffer *mask = gimp_selection_is_empty (data->image) ? NULL
                         : gimp_drawable_get_buffer (GIMP_DRAWABLE (gimp_image_get_selection (data->image)));
      gdouble     xres, yres;
      gint        off_x, off_y;

      gimp_image_get_resolution (data->image, &xres, &yres);
      gimp_drawable_get_offsets (data->drawable, &off_x, &off_y);
      text = smp_plugin_match_text (data->proc, &values, xres / 25.4, source, off_x, off_y, mask);
      gtk_label_set_text (GTK_LABEL (data->tone), text);
      g_free (text);
      g_object_unref (source);
      g_clear_object (&mask);
    }
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

/* The preview opens on the selection, not on the layer's corner. */
static void
smp_plug_in_preview_on (GtkWidget    *preview,
                        GimpImage    *image,
                        GimpDrawable *drawable)
{
  GeglRectangle selection = { 0, 0, 0, 0 };
  gboolean      selected;
  gint          x1, y1, x2, y2, off_x, off_y;

  if (gimp_selection_bounds (image, &selected, &x1, &y1, &x2, &y2) && selected)
    selection = *GEGL_RECTANGLE (x1, y1, x2 - x1, y2 - y1);
  gimp_drawable_get_offsets (drawable, &off_x, &off_y);
  smp_gtk_preview_on (preview, &selection, off_x, off_y, gimp_drawable_get_width (drawable),
                      gimp_drawable_get_height (drawable));
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

static gboolean
smp_plug_in_dialog (GimpProcedure       *procedure,
                    const SmpProcedure  *proc,
                    GimpProcedureConfig *config,
                    GimpImage           *image,
                    GimpDrawable        *drawable)
{
  GtkWidget  *dialog, *preview = NULL;
  GList      *ids = NULL, *advanced = NULL;
  SmpPreview  data = { proc, config, image, drawable, NULL, FALSE };
  GimpParasite *measured = gimp_image_get_parasite (image, SMP_SCALE_PARASITE);
  gdouble     xres, yres;
  gchar      *scale_text, *title;
  gboolean    run;
  gint        i;

  gimp_ui_init (SMP_PLUGIN_BINARY);
  title = smp_plugin_title (_(proc->menu_label));
  dialog = gimp_procedure_dialog_new (procedure, config, title);

  gimp_image_get_resolution (image, &xres, &yres);
  if (proc->id == SMP_PROC_SET_SCALE)
    scale_text = g_strdup_printf (_("Now %.0f ppi (%.2f px per mm)."), xres, xres / 25.4);
  else if (! measured && (xres == SMP_DEFAULT_PPI_A || xres == SMP_DEFAULT_PPI_B))
    scale_text = g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi) looks like a default, "
                                    "not a measurement: sizes in mm will be wrong. Use "
                                    "Scalp Micropigmentation > Set Scale first."),
                                  xres / 25.4, xres);
  else
    scale_text = g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi): a 0.15 mm dot is "
                                    "%.1f px wide."), xres / 25.4, xres, 0.15 * xres / 25.4);
  gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-scale", scale_text,
                                   FALSE, FALSE);
  ids = g_list_append (ids, "smp-scale");

  if (drawable && proc->operation)
    {
      preview = gimp_procedure_dialog_get_drawable_preview (GIMP_PROCEDURE_DIALOG (dialog),
                                                            "smp-preview", drawable);

      gtk_widget_set_size_request (preview, 360, 240);
      g_signal_connect (preview, "invalidated", G_CALLBACK (smp_plug_in_preview), &data);
      smp_plug_in_preview_on (preview, image, drawable);
      g_signal_connect_swapped (config, "notify", G_CALLBACK (gimp_preview_invalidate), preview);
      ids = g_list_prepend (ids, "smp-preview");
    }
  if (smp_procedure_has (proc, SMP_ARG_ID_PATH))
    {
      GimpPath **selected = gimp_image_get_selected_paths (image);
      gchar     *text;

      if (selected && selected[0])
        text = g_strdup_printf (_("Path: '%s', the one selected in the Paths dialog."),
                                gimp_item_get_name (GIMP_ITEM (selected[0])));
      else if (proc->id == SMP_PROC_SET_SCALE)
        text = g_strdup (_("No path is selected: draw one with the Paths tool across a known "
                           "length and select it in the Paths dialog."));
      else
        text = g_strdup (_("No path is selected: the selection's edge is the hairline."));
      gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-path", text, FALSE, FALSE);
      ids = g_list_append (ids, "smp-path");
      g_free (text);
      g_free (selected);
    }
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
      /* what a look sets, out of the way until wanted */
      gimp_procedure_dialog_fill_box_list (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced-box",
                                           advanced);
      gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced-title",
                                       _("Advanced"), FALSE, FALSE);
      gimp_procedure_dialog_fill_expander (GIMP_PROCEDURE_DIALOG (dialog), "smp-advanced",
                                           "smp-advanced-title", FALSE, "smp-advanced-box");
      ids = g_list_append (ids, "smp-advanced");
      g_list_free (advanced);
    }

  if (smp_procedure_has (proc, SMP_ARG_ID_LOOK))
    {
      GList *look = g_list_find_custom (ids, smp_arg_id_name (SMP_ARG_ID_LOOK),
                                       (GCompareFunc) strcmp);

      data.tone = gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "smp-tone",
                                                   "", FALSE, FALSE);
      /* right under the look, where the eye is when choosing one */
      ids = g_list_insert_before (ids, look ? look->next : NULL, "smp-tone");
      g_signal_connect (config, "notify", G_CALLBACK (smp_plug_in_look_notify), &data);
      smp_plug_in_tone_update (&data);
    }
  gimp_procedure_dialog_fill_list (GIMP_PROCEDURE_DIALOG (dialog), ids);
  if (proc->id == SMP_PROC_DENSITY)
    {
      /* the batch reads Density's values from a file: this writes it */
      GtkWidget *save = gtk_button_new_with_mnemonic (_("Save Settings for _Batch..."));

      g_signal_connect (save, "clicked", G_CALLBACK (smp_plug_in_save_settings), &data);
      gtk_box_pack_end (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), save,
                        FALSE, FALSE, 0);
      gtk_widget_show (save);
    }
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
