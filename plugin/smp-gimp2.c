/* gimp-smp plug-in for GIMP 2.10: registration, argument reading, the
 * run, the dialog and the batch around the shared procedure logic of
 * smp-plugin.c; the image is worked on through smp-host-gimp.c.  The
 * procedures, their names and arguments are those of GIMP 3
 * (smp-gimp3.c); the arguments are positional here, after run-mode,
 * image and drawable.
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

/* What gimp_set_data keeps between runs: the numbers, colours as RGB, the
 * texts (labels and the font's name). */
typedef struct
{
  guint   names;               /* the arguments' names hashed: values kept
                                * before an op gained a property are not
                                * read into the wrong places */
  gdouble number[SMP_MAX_ARGS];
  gdouble rgb[SMP_MAX_ARGS][3];
  gchar   text[SMP_MAX_ARGS][SMP_COMPOSE_TEXT_MAX];
} SmpStored;

static void     smp_gimp2_query        (void);
static void     smp_gimp2_run          (const gchar      *name,
                                        gint              nparams,
                                        const GimpParam  *param,
                                        gint             *nreturn_vals,
                                        GimpParam       **return_vals);
static void     smp_gimp2_batch        (gint              nparams,
                                        const GimpParam  *param,
                                        gint             *nreturn_vals,
                                        GimpParam       **return_vals);
static gboolean smp_gimp2_dialog       (const SmpProcedure *proc,
                                        SmpValues          *values,
                                        const SmpHostGimp  *host);

const GimpPlugInInfo PLUG_IN_INFO =
{
  NULL, NULL, smp_gimp2_query, smp_gimp2_run
};

MAIN ()


static GimpPDBArgType
smp_gimp2_pdb_type (SmpArgType type)
{
  switch (type)
    {
    case SMP_ARG_DOUBLE:  return GIMP_PDB_FLOAT;
    case SMP_ARG_COLOR:   return GIMP_PDB_COLOR;
    case SMP_ARG_PATH:    return GIMP_PDB_VECTORS;
    case SMP_ARG_CHANNEL: return GIMP_PDB_CHANNEL;
    case SMP_ARG_STRING:
    case SMP_ARG_FONT:    return GIMP_PDB_STRING;
    default:              return GIMP_PDB_INT32;
    }
}

/* GIMP 2.10's PDB keeps no range or default: the argument's description
 * tells them, for the Procedure Browser and Script-Fu's authors
 * ("... (5 to 400, default 90)").  Free with g_free. */
static gchar *
smp_gimp2_describe (const SmpArg *arg)
{
  GString *text = g_string_new (arg->blurb);
  gdouble  rgb[3];

  switch (arg->type)
    {
    case SMP_ARG_DOUBLE:
    case SMP_ARG_INT:
    case SMP_ARG_BOOLEAN:
      g_string_append_printf (text, " (%.15g to %.15g, default %.15g)", arg->min, arg->max, arg->value);
      break;
    case SMP_ARG_CHOICE:
      {
        gchar *names = g_strjoinv (", ", (gchar **) arg->choices);

        g_string_append_printf (text, " (0 to %.15g: %s; default %.15g)", arg->max, names, arg->value);
        g_free (names);
      }
      break;
    case SMP_ARG_COLOR:
      gegl_color_get_pixel (arg->color, babl_format ("R'G'B' double"), rgb);
      g_string_append_printf (text, " (default #%02x%02x%02x)",
                              (guint) CLAMP (rgb[0] * 255.0 + 0.5, 0, 255),
                              (guint) CLAMP (rgb[1] * 255.0 + 0.5, 0, 255),
                              (guint) CLAMP (rgb[2] * 255.0 + 0.5, 0, 255));
      break;
    default:
      break;
    }
  return g_string_free (text, FALSE);
}

static guint
smp_gimp2_names_hash (const SmpProcedure *proc)
{
  guint hash = proc->n_args;
  gint  i;

  for (i = 0; i < proc->n_args; i++)
    hash = hash * 31 + g_str_hash (proc->args[i].name);
  return hash;
}

static void
smp_gimp2_query (void)
{
  gint i, k;

  /* the ops' properties are read from the GEGL module */
  gegl_init (NULL, NULL);
  for (i = 0; i < SMP_N_PROCS; i++)
    {
      const SmpProcedure *proc = smp_procedure_get (i);
      GimpParamDef       *args = g_new0 (GimpParamDef, 3 + proc->n_args);

      args[0] = (GimpParamDef) { GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }" };
      args[1] = (GimpParamDef) { GIMP_PDB_IMAGE, "image", "Input image" };
      args[2] = (GimpParamDef) { GIMP_PDB_DRAWABLE, "drawable", "The layer to work on" };
      for (k = 0; k < proc->n_args; k++)
        {
          args[3 + k].type = smp_gimp2_pdb_type (proc->args[k].type);
          args[3 + k].name = (gchar *) proc->args[k].name;
          args[3 + k].description = smp_gimp2_describe (&proc->args[k]);
        }
      static const GimpParamDef new_image[] =
      {
        { GIMP_PDB_IMAGE, "new-image", "The before/after layout" }
      };
      gboolean layout = proc->kind == SMP_RUN_LAYOUT;

      gimp_install_procedure (proc->name, proc->blurb, proc->help,
                              "gimp-smp authors", "gimp-smp authors", "2026",
                              proc->menu_label, "RGB*", GIMP_PLUGIN,
                              3 + proc->n_args, layout ? 1 : 0, args,
                              layout ? new_image : NULL);
      gimp_plugin_menu_register (proc->name, SMP_PLUGIN_MENU);
      for (k = 0; k < proc->n_args; k++)
        g_free (args[3 + k].description);
      g_free (args);
    }

  {
    static const GimpParamDef batch_args[] =
    {
      { GIMP_PDB_INT32,  "run-mode",   "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }" },
      { GIMP_PDB_STRING, "in-folder",  "The folder of photos" },
      { GIMP_PDB_STRING, "out-folder", "Where the results go (made if missing)" },
      { GIMP_PDB_STRING, "settings",   "Settings file: [plug-in-smp-density] keys, its arguments and px-per-mm" },
      { GIMP_PDB_INT32,  "composites", "Also write the before/after layouts (TRUE, FALSE)" }
    };
    static const GimpParamDef batch_returns[] =
    {
      { GIMP_PDB_INT32, "done",    "Photos done" },
      { GIMP_PDB_INT32, "skipped", "Photos skipped" }
    };

    /* no image and no menu: it opens its own, one photo at a time */
    gimp_install_procedure (SMP_BATCH_PROC, "Shaved Look / Density over a folder of photos",
                            "Every photo of the input folder (jpg, jpeg, png, tif; NAME-mask.png "
                            "beside one: white is treated) through plug-in-smp-density with the "
                            "settings file's values, written to OUT/NAME-smp.png and, if "
                            "composites, OUT/NAME-before-after.png.  A photo that cannot be "
                            "loaded is told by name and skipped.",
                            "gimp-smp authors", "gimp-smp authors", "2026", NULL, NULL,
                            GIMP_PLUGIN, G_N_ELEMENTS (batch_args), G_N_ELEMENTS (batch_returns),
                            batch_args, batch_returns);
  }
}

/* GIMP 2.10's colours (GimpRGB: the PDB's, a colour button's) are sRGB
 * encoded, as its own filters read them: R'G'B', not linear RGB. */
static void
smp_gimp2_set_color (GeglColor     *color,
                     const GimpRGB *rgb)
{
  const gdouble pixel[4] = { rgb->r, rgb->g, rgb->b, 1.0 };

  gegl_color_set_pixel (color, babl_format ("R'G'B'A double"), pixel);
}

static void
smp_gimp2_get_color (GeglColor *color,
                     GimpRGB   *rgb)
{
  gdouble pixel[4];

  gegl_color_get_pixel (color, babl_format ("R'G'B'A double"), pixel);
  gimp_rgba_set (rgb, pixel[0], pixel[1], pixel[2], 1.0);
}

static void
smp_gimp2_store (const SmpProcedure *proc,
                 const SmpValues    *values)
{
  SmpStored stored;
  gint      i;

  memset (&stored, 0, sizeof (stored));
  stored.names = smp_gimp2_names_hash (proc);
  for (i = 0; i < proc->n_args; i++)
    {
      stored.number[i] = values->number[i];
      if (values->color[i])
        {
          GimpRGB rgb;

          smp_gimp2_get_color (values->color[i], &rgb);
          stored.rgb[i][0] = rgb.r;
          stored.rgb[i][1] = rgb.g;
          stored.rgb[i][2] = rgb.b;
        }
      if (values->text[i])
        g_strlcpy (stored.text[i], values->text[i], sizeof (stored.text[i]));
    }
  gimp_set_data (proc->name, &stored, sizeof (stored));
}

static void
smp_gimp2_recall (const SmpProcedure *proc,
                  SmpValues          *values)
{
  SmpStored stored;
  gint      i;

  if (gimp_get_data_size (proc->name) != sizeof (stored) || ! gimp_get_data (proc->name, &stored)
      || stored.names != smp_gimp2_names_hash (proc))
    return;
  for (i = 0; i < proc->n_args; i++)
    {
      values->number[i] = stored.number[i];
      if (values->color[i])
        {
          GimpRGB rgb;

          gimp_rgba_set (&rgb, stored.rgb[i][0], stored.rgb[i][1], stored.rgb[i][2], 1.0);
          smp_gimp2_set_color (values->color[i], &rgb);
        }
      if (values->text[i])
        {
          g_free (values->text[i]);
          values->text[i] = g_strndup (stored.text[i], sizeof (stored.text[i]) - 1);
        }
    }
}

/* A font name GIMP does not know would silently be drawn in a fallback
 * font: refused, unless GIMP lists no font at all (then nothing can be
 * told). */
static gboolean
smp_gimp2_check_font (const gchar  *font,
                      GError      **error)
{
  gint     n = 0, k;
  gchar  **fonts = gimp_fonts_get_list (NULL, &n);
  gboolean known = n == 0;

  for (k = 0; k < n && ! known; k++)
    known = ! g_strcmp0 (fonts[k], font);
  g_strfreev (fonts);
  if (! known)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 _("GIMP has no font named \"%s\": give a name as GIMP's font list shows "
                   "it, e.g. \"Sans-serif\" or \"Serif Bold\"."), font);
  return known;
}

/* The first stroke of a path, as x y pairs; none for @vectors -1 (or 0).
 * FALSE with @error for anything else that is not a path with a stroke of
 * two points or more: never a silent fallback to the selection. */
static gboolean
smp_gimp2_read_path (gint32      vectors,
                     SmpValues  *values,
                     GError    **error)
{
  gint     n_strokes = 0, n_coords = 0;
  gint    *strokes;
  gboolean closed;

  g_clear_pointer (&values->path_xy, g_free);
  values->path_points = 0;
  if (vectors <= 0)
    return TRUE;
  if (! gimp_item_is_valid (vectors) || ! gimp_item_is_vectors (vectors))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", _(SMP_PLUGIN_PATH_TOO_SHORT));
      return FALSE;
    }
  strokes = gimp_vectors_get_strokes (vectors, &n_strokes);
  if (n_strokes > 0)
    values->path_xy = gimp_vectors_stroke_interpolate (vectors, strokes[0], 1.0, &n_coords, &closed);
  values->path_points = n_coords / 2;
  g_free (strokes);
  if (values->path_points < 2)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", _(SMP_PLUGIN_PATH_TOO_SHORT));
      return FALSE;
    }
  return TRUE;
}

/* The stubble to match: the channel @id, or in an interactive run (@id
 * -1) the saved channel named SMP_STUBBLE_CHANNEL, if there is one. */
static gboolean
smp_gimp2_read_stubble (gint32      image,
                        gint32      id,
                        SmpValues  *values,
                        GError    **error)
{
  g_clear_object (&values->stubble);
  if (id < 0 && image >= 0)
    {
      gint    n = 0, k;
      gint32 *channels = gimp_image_get_channels (image, &n);

      for (k = 0; k < n; k++)
        {
          gchar *name = gimp_item_get_name (channels[k]);

          if (! g_ascii_strcasecmp (name, SMP_STUBBLE_CHANNEL))
            id = channels[k];
          g_free (name);
        }
      g_free (channels);
    }
  if (id <= 0)
    return TRUE;
  if (! gimp_item_is_valid (id) || ! gimp_item_is_channel (id))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The stubble to match is not a channel: save a selection of the "
                     "client's own stubble with Select > Save to Channel."));
      return FALSE;
    }
  values->stubble = gimp_drawable_get_buffer (id);
  return TRUE;
}

/* Batch: GIMP's loaders read each file; the image they make is gone
 * before the next, the pixels kept in a buffer of the plug-in's own. */
static GeglBuffer *
smp_gimp2_batch_load (const gchar  *path,
                      gpointer      data,
                      GError      **error)
{
  gint32      image = gimp_file_load (GIMP_RUN_NONINTERACTIVE, path, path);
  gint32      merged;
  GeglBuffer *buffer, *copy = NULL;

  if (image < 0)
    {
      const gchar *why = gimp_get_pdb_error ();

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("GIMP's loader refused it (%s)"), why && *why ? why : _("no reason given"));
      return NULL;
    }
  merged = gimp_image_merge_visible_layers (image, GIMP_CLIP_TO_IMAGE);
  if (merged >= 0)
    {
      buffer = gimp_drawable_get_buffer (merged);
      copy = gegl_buffer_dup (buffer);
      g_object_unref (buffer);
    }
  else
    g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("it has no visible layer"));
  gimp_image_delete (image);
  return copy;
}

/* A failed call's return values: the status and @error's message (freed
 * here), which GIMP shows and Script-Fu's callers read. */
static void
smp_gimp2_return_error (GError    *error,
                        GimpParam *result,
                        gint      *nreturn_vals)
{
  static gchar *message = NULL;

  g_free (message);
  message = g_strdup (error->message);
  g_error_free (error);
  result[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
  result[1].type = GIMP_PDB_STRING;
  result[1].data.d_string = message;
  *nreturn_vals = 2;
}

/* The arguments of a non-interactive call, refused as GIMP 3 refuses
 * them, before anything is changed: a value out of range or NaN, a path
 * that is not one, a font GIMP does not know. */
static gboolean
smp_gimp2_read_args (const SmpProcedure *proc,
                     const GimpParam    *param,
                     SmpValues          *values,
                     GError            **error)
{
  gint i;

  for (i = 0; i < proc->n_args; i++)
    {
      const GimpParam *p = &param[3 + i];

      switch (proc->args[i].type)
        {
        case SMP_ARG_DOUBLE:
          values->number[i] = p->data.d_float;
          break;
        case SMP_ARG_INT:
        case SMP_ARG_BOOLEAN:
        case SMP_ARG_CHOICE:
          values->number[i] = p->data.d_int32;
          break;
        case SMP_ARG_COLOR:
          smp_gimp2_set_color (values->color[i], &p->data.d_color);
          break;
        case SMP_ARG_PATH:
          if (! smp_gimp2_read_path (p->data.d_vectors, values, error))
            return FALSE;
          break;
        case SMP_ARG_CHANNEL:
          if (! smp_gimp2_read_stubble (-1, p->data.d_channel, values, error))
            return FALSE;
          break;
        case SMP_ARG_STRING:
        case SMP_ARG_FONT:
          g_free (values->text[i]);
          values->text[i] = g_strdup (p->data.d_string ? p->data.d_string : "");
          if (proc->args[i].type == SMP_ARG_FONT && *values->text[i]
              && ! smp_gimp2_check_font (values->text[i], error))
            return FALSE;
          break;
        }
      if (! smp_plugin_check_arg (proc, i, 4 + i, values->number[i], error))
        return FALSE;
    }
  return TRUE;
}

static void
smp_gimp2_run (const gchar      *name,
               gint              nparams,
               const GimpParam  *param,
               gint             *nreturn_vals,
               GimpParam       **return_vals)
{
  static GimpParam    result[2];
  const SmpProcedure *proc;
  GimpRunMode         run_mode = param[0].data.d_int32;
  SmpHostGimp         host;
  SmpHostItem         drawable;   /* the host's one source: it keeps &drawable */
  SmpValues           values;
  SmpHostItem         new_image = NULL;
  GError             *error = NULL;
  gboolean            done = FALSE;

  gegl_init (NULL, NULL);
  if (! strcmp (name, SMP_BATCH_PROC))
    {
      smp_gimp2_batch (nparams, param, nreturn_vals, return_vals);
      return;
    }
  /* after gegl_init: the arguments are read from the ops */
  proc = smp_procedure_lookup (name);
  *nreturn_vals = 1;
  *return_vals = result;
  result[0].type = GIMP_PDB_STATUS;
  result[0].data.d_status = GIMP_PDB_SUCCESS;
  if (run_mode == GIMP_RUN_NONINTERACTIVE && nparams != 3 + proc->n_args)
    {
      result[0].data.d_status = GIMP_PDB_CALLING_ERROR;
      return;
    }

  smp_values_init (proc, &values);
  drawable = GINT_TO_POINTER (param[2].data.d_drawable);
  smp_host_gimp_init (&host, param[1].data.d_image, &drawable, 1,
                      run_mode != GIMP_RUN_NONINTERACTIVE);
  /* registered without the module, a procedure has only the plug-in's
   * own arguments: say what to install rather than count them */
  if (! smp_host_check_image (&host.host, &error)
      || (proc->operation && ! smp_plugin_ensure_ops (&error)))
    ;
  else if (run_mode == GIMP_RUN_NONINTERACTIVE)
    done = smp_gimp2_read_args (proc, param, &values, &error);
  else
    {
      smp_gimp2_recall (proc, &values);
      if (smp_procedure_has (proc, SMP_ARG_ID_STUBBLE))
        smp_gimp2_read_stubble (host.image, -1, &values, NULL);
      if (run_mode == GIMP_RUN_INTERACTIVE
          && ! smp_gimp2_dialog (proc, &values, &host))
        {
          result[0].data.d_status = GIMP_PDB_CANCEL;
          smp_values_clear (&values);
          return;
        }
      done = TRUE;
    }

  if (done && (done = smp_host_run (&(SmpHostCall) { &host.host, proc, &values },
                                    &new_image, &error)))
    {
      if (run_mode == GIMP_RUN_INTERACTIVE)
        smp_gimp2_store (proc, &values);
      if (proc->kind == SMP_RUN_LAYOUT)
        {
          result[1].type = GIMP_PDB_IMAGE;
          result[1].data.d_image = GPOINTER_TO_INT (new_image);
          *nreturn_vals = 2;
        }
    }
  else
    smp_gimp2_return_error (error, result, nreturn_vals);
  smp_values_clear (&values);
}

static void
smp_gimp2_batch_progress (const gchar *text,
                          gdouble      fraction,
                          gpointer     data)
{
  gimp_progress_set_text (text);
  gimp_progress_update (fraction);
}

static void
smp_gimp2_batch (gint              nparams,
                 const GimpParam  *param,
                 gint             *nreturn_vals,
                 GimpParam       **return_vals)
{
  static GimpParam  result[3];
  GError           *error = NULL;
  gint              done = 0, skipped = 0;

  *return_vals = result;
  *nreturn_vals = 1;
  result[0].type = GIMP_PDB_STATUS;
  if (nparams != 5)
    {
      result[0].data.d_status = GIMP_PDB_CALLING_ERROR;
      return;
    }
  gimp_progress_init (_("SMP batch"));
  if (! smp_batch_run (&(SmpBatchJob) { param[1].data.d_string ? param[1].data.d_string : "",
                                        param[2].data.d_string ? param[2].data.d_string : "",
                                        param[3].data.d_string ? param[3].data.d_string : "",
                                        param[4].data.d_int32 != 0,
                                        smp_gimp2_batch_load, smp_gimp2_batch_progress, NULL },
                       &done, &skipped, &error))
    {
      smp_gimp2_return_error (error, result, nreturn_vals);
      return;
    }
  result[0].data.d_status = GIMP_PDB_SUCCESS;
  result[1].type = GIMP_PDB_INT32;
  result[1].data.d_int32 = done;
  result[2].type = GIMP_PDB_INT32;
  result[2].data.d_int32 = skipped;
  *nreturn_vals = 3;
}

/* ---- dialog --------------------------------------------------------- */

typedef struct
{
  const SmpProcedure *proc;
  SmpValues          *values;
  const SmpHost      *host;
  gint32              image, drawable;
  GtkWidget          *preview;
  gint                index;   /* for the per-argument callbacks */
  gpointer            widget;  /* its adjustment or combo box */
  GtkWidget          *tone;    /* d[0]: "At a distance: ..." */
  gboolean            applying; /* d[0]: a look is moving the sliders */
} SmpDialog;

/* The preview renders what a run would put on the new layer (smp-host.c
 * chooses the mask and matches the stubble as the run does). */
static void
smp_gimp2_preview (GimpPreview *preview,
                   SmpDialog   *d)
{
  SmpValues      matched;
  SmpRenderInput in;
  GeglRectangle  extents;

  if (! smp_host_preview_input (&(SmpHostCall) { d->host, d->proc, d->values },
                                &matched, &in, &extents))
    return;
  smp_gtk_preview_draw (GTK_WIDGET (preview),
                        gimp_zoom_preview_get_factor (GIMP_ZOOM_PREVIEW (preview)),
                        &extents, &in);
  smp_host_preview_done (&in);
}

static void
smp_gimp2_changed (SmpDialog *d)
{
  if (d->preview)
    gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
  if (d->tone)
    {
      gchar *text = smp_host_tone_text (&(SmpHostCall) { d->host, d->proc, d->values });

      gtk_label_set_text (GTK_LABEL (d->tone), text);
      g_free (text);
    }
}

/* A look moves the sliders it sets; moving one of them by hand makes the
 * look custom. */
static void
smp_gimp2_number_changed (GtkAdjustment *adj,
                          SmpDialog     *d)
{
  SmpDialog *first = d - d->index;
  gint       look = d->proc->index[SMP_ARG_ID_LOOK];

  d->values->number[d->index] = gtk_adjustment_get_value (adj);
  if (look >= 0 && ! first->applying && smp_plugin_look_sets (d->proc->args[d->index].name)
      && first[look].widget)
    {
      first->applying = TRUE;
      gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (first[look].widget), SMP_LOOK_ID_CUSTOM);
      first->applying = FALSE;
    }
  smp_gimp2_changed (first);
}

static void
smp_gimp2_toggle_changed (GtkToggleButton *button,
                          SmpDialog       *d)
{
  d->values->number[d->index] = gtk_toggle_button_get_active (button);
  smp_gimp2_changed (d - d->index);
}

static void
smp_gimp2_choice_changed (GtkWidget *combo,
                          SmpDialog *d)
{
  gint value;

  SmpDialog *first = d - d->index;
  gint       i;

  if (gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &value))
    d->values->number[d->index] = value;
  if (d->index == d->proc->index[SMP_ARG_ID_LOOK] && ! first->applying
      && value != SMP_LOOK_ID_CUSTOM)
    {
      first->applying = TRUE;
      for (i = 0; i < d->proc->n_args; i++)
        if (first[i].widget && smp_plugin_look_sets (d->proc->args[i].name))
          gtk_adjustment_set_value (GTK_ADJUSTMENT (first[i].widget),
                                    smp_plugin_look_value (value, d->proc->args[i].name));
      first->applying = FALSE;
    }
  smp_gimp2_changed (first);
}

static void
smp_gimp2_color_changed (GimpColorButton *button,
                         SmpDialog       *d)
{
  GimpRGB rgb;

  gimp_color_button_get_color (button, &rgb);
  smp_gimp2_set_color (d->values->color[d->index], &rgb);
  smp_gimp2_changed (d - d->index);
}

static void
smp_gimp2_text_changed (GtkEntry  *entry,
                        SmpDialog *d)
{
  g_free (d->values->text[d->index]);
  d->values->text[d->index] = g_strdup (gtk_entry_get_text (entry));
  smp_gimp2_changed (d - d->index);
}

static void
smp_gimp2_font_changed (GimpFontSelectButton *button,
                        const gchar          *font_name,
                        gboolean              dialog_closing,
                        SmpDialog            *d)
{
  g_free (d->values->text[d->index]);
  d->values->text[d->index] = g_strdup (font_name);
  smp_gimp2_changed (d - d->index);
}

static void
smp_gimp2_path_changed (GtkWidget *combo,
                        SmpDialog *d)
{
  gint vectors = -1;

  gimp_int_combo_box_get_active (GIMP_INT_COMBO_BOX (combo), &vectors);
  smp_gimp2_read_path (vectors, d->values, NULL);
  smp_gimp2_changed (d - d->index);
}

/* Save Settings: the dialog's values as the batch's settings file
 * (smp_batch_write_settings), the image's scale as its px-per-mm. */
static void
smp_gimp2_save_settings (GtkWidget *button,
                         SmpDialog *d)
{
  gdouble xres, yres;

  gimp_image_get_resolution (d->image, &xres, &yres);
  smp_gtk_save_settings (button, d->values, xres);
}

/* The response of GIMP 2.10's Reset button (GIMP 3's procedure dialog
 * has its own). */
#define SMP_GIMP2_RESPONSE_RESET 1

/* A row of a slider (an int or a double argument) in @rows. */
static void
smp_gimp2_add_number (SmpDialog *d,
                      GtkWidget *rows)
{
  const SmpArg *arg = &d->proc->args[d->index];
  gboolean      whole = arg->type == SMP_ARG_INT;
  gdouble       span = arg->max - arg->min;
  GtkObject    *adj = gimp_scale_entry_new (GTK_TABLE (rows), 0, d->index, _(arg->nick), 200, 8,
                                            d->values->number[d->index], arg->min,
                                            whole ? MIN (arg->max, 1e6) : arg->max,
                                            whole ? 1 : span / 1000, whole ? 10 : span / 20,
                                            whole ? 0 : 3, TRUE, 0, 0, _(arg->blurb), NULL);

  g_signal_connect (adj, "value-changed", G_CALLBACK (smp_gimp2_number_changed), d);
  d->widget = adj;
}

/* A row of a menu of the argument's choices in @rows. */
static void
smp_gimp2_add_choice (SmpDialog *d,
                      GtkWidget *rows)
{
  const SmpArg *arg = &d->proc->args[d->index];
  GtkWidget    *combo;
  gint          n = 0;

  while (arg->choices[n])
    n++;
  combo = gimp_int_combo_box_new_array (n, (const gchar **) (arg->choice_labels
                                                             ? arg->choice_labels
                                                             : arg->choices));
  gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), (gint) d->values->number[d->index]);
  g_signal_connect (combo, "changed", G_CALLBACK (smp_gimp2_choice_changed), d);
  gimp_table_attach_aligned (GTK_TABLE (rows), 0, d->index, _(arg->nick), 0.0, 0.5, combo, 2, FALSE);
  d->widget = combo;
}

/* The stubble channel's row: a text that says whether it is matched. */
static void
smp_gimp2_add_stubble_note (SmpDialog *d,
                            GtkWidget *rows)
{
  GtkWidget *label = gtk_label_new (d->values->stubble
                                    ? _("Stubble to match: the channel 'Stubble'. Density and "
                                        "shade are matched to it; the look's dots are kept.")
                                    : _("To match the client's own stubble, select it and save "
                                        "the selection as a channel named 'Stubble'."));

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_misc_set_alignment (GTK_MISC (label), 0.0, 0.5);
  gtk_table_attach (GTK_TABLE (rows), label, 0, 3, d->index, d->index + 1, GTK_FILL, GTK_FILL, 0, 0);
}

/* A row of the paths' menu, on the path selected in the Paths dialog. */
static void
smp_gimp2_add_path (SmpDialog *d,
                    GtkWidget *rows)
{
  GtkWidget *combo = gimp_vectors_combo_box_new (NULL, NULL);
  gint32     active = gimp_image_get_active_vectors (d->image);

  gimp_int_combo_box_prepend (GIMP_INT_COMBO_BOX (combo),
                              GIMP_INT_STORE_VALUE, -1,
                              GIMP_INT_STORE_LABEL, _("(none: use the selection)"),
                              -1);
  gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), active);
  smp_gimp2_read_path (active, d->values, NULL);
  g_signal_connect (combo, "changed", G_CALLBACK (smp_gimp2_path_changed), d);
  gimp_table_attach_aligned (GTK_TABLE (rows), 0, d->index, _(d->proc->args[d->index].nick),
                             0.0, 0.5, combo, 2, FALSE);
}

/* The row of the argument @d->index in @rows, its widget in @d->widget. */
static void
smp_gimp2_add_row (SmpDialog *d,
                   GtkWidget *rows)
{
  const SmpArg *arg = &d->proc->args[d->index];
  gint          i = d->index;
  GtkWidget    *widget;
  GimpRGB       rgb;

  switch (arg->type)
    {
    case SMP_ARG_DOUBLE:
    case SMP_ARG_INT:
      smp_gimp2_add_number (d, rows);
      break;
    case SMP_ARG_BOOLEAN:
      widget = gtk_check_button_new_with_label (_(arg->nick));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget), d->values->number[i] != 0.0);
      g_signal_connect (widget, "toggled", G_CALLBACK (smp_gimp2_toggle_changed), d);
      gtk_table_attach (GTK_TABLE (rows), widget, 0, 3, i, i + 1, GTK_FILL, GTK_FILL, 0, 0);
      d->widget = widget;
      break;
    case SMP_ARG_CHOICE:
      smp_gimp2_add_choice (d, rows);
      break;
    case SMP_ARG_COLOR:
      smp_gimp2_get_color (d->values->color[i], &rgb);
      widget = gimp_color_button_new (_(arg->nick), 60, 20, &rgb, GIMP_COLOR_AREA_FLAT);
      g_signal_connect (widget, "color-changed", G_CALLBACK (smp_gimp2_color_changed), d);
      gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 1, TRUE);
      d->widget = widget;
      break;
    case SMP_ARG_STRING:
      widget = gtk_entry_new ();
      gtk_entry_set_text (GTK_ENTRY (widget), d->values->text[i]);
      g_signal_connect (widget, "changed", G_CALLBACK (smp_gimp2_text_changed), d);
      gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
      d->widget = widget;
      break;
    case SMP_ARG_FONT:
      widget = gimp_font_select_button_new (_(arg->nick), d->values->text[i]);
      g_signal_connect (widget, "font-set", G_CALLBACK (smp_gimp2_font_changed), d);
      gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
      d->widget = widget;
      break;
    case SMP_ARG_CHANNEL:
      smp_gimp2_add_stubble_note (d, rows);
      break;
    case SMP_ARG_PATH:
      smp_gimp2_add_path (d, rows);
      break;
    }
}

static GtkWidget *
smp_gimp2_rows_new (gint n)
{
  GtkWidget *rows = gtk_table_new (n, 3, FALSE);

  gtk_table_set_col_spacings (GTK_TABLE (rows), 6);
  gtk_table_set_row_spacings (GTK_TABLE (rows), 4);
  return rows;
}

/* Every argument's row: the look, shade, density, dot size and pigment
 * in view, what a look sets under an "Advanced" expander. */
static void
smp_gimp2_add_rows (SmpDialog *d,
                    GtkWidget *vbox)
{
  const SmpProcedure *proc = d->proc;
  GtkWidget          *table = smp_gimp2_rows_new (proc->n_args);
  GtkWidget          *advanced = smp_gimp2_rows_new (proc->n_args);
  GtkWidget          *expander = gtk_expander_new (_("Advanced"));
  gint                n_advanced = 0, i;

  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (expander), advanced);
  for (i = 0; i < proc->n_args; i++)
    {
      gboolean aside = smp_plugin_is_advanced (proc->args[i].name);

      n_advanced += aside;
      smp_gimp2_add_row (&d[i], aside ? advanced : table);
    }
  if (n_advanced > 0)
    gtk_box_pack_start (GTK_BOX (vbox), expander, FALSE, FALSE, 0);
  else
    gtk_widget_destroy (expander);
}

/* Under the scale, above the sliders: what the look gives at a distance,
 * or what matching the stubble gives. */
static void
smp_gimp2_add_tone (SmpDialog *d,
                    GtkWidget *vbox)
{
  GList *children;

  d->tone = gtk_label_new ("");
  gtk_label_set_line_wrap (GTK_LABEL (d->tone), TRUE);
  gtk_box_pack_start (GTK_BOX (vbox), d->tone, FALSE, FALSE, 0);
  children = gtk_container_get_children (GTK_CONTAINER (vbox));
  gtk_box_reorder_child (GTK_BOX (vbox), d->tone, g_list_length (children) - 2);
  g_list_free (children);
  smp_gimp2_changed (d);
}

/* Reset: every argument back to its default (the procedure's table), its
 * widget with it; a path and the stubble channel are the image's, not
 * settings, and stay. */
static void
smp_gimp2_reset (SmpDialog *d)
{
  const SmpProcedure *proc = d->proc;
  SmpValues           defaults;
  GimpRGB             rgb;
  gint                i;

  smp_values_init (proc, &defaults);
  /* the defaults go in as they are: a look must not move the sliders
   * after them, nor a slider make the look custom */
  d->applying = TRUE;
  for (i = 0; i < proc->n_args; i++)
    {
      if (! d[i].widget)
        continue;
      switch (proc->args[i].type)
        {
        case SMP_ARG_DOUBLE:
        case SMP_ARG_INT:
          gtk_adjustment_set_value (GTK_ADJUSTMENT (d[i].widget), defaults.number[i]);
          break;
        case SMP_ARG_BOOLEAN:
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d[i].widget), defaults.number[i] != 0.0);
          break;
        case SMP_ARG_CHOICE:
          gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (d[i].widget), (gint) defaults.number[i]);
          break;
        case SMP_ARG_COLOR:
          smp_gimp2_get_color (defaults.color[i], &rgb);
          gimp_color_button_set_color (GIMP_COLOR_BUTTON (d[i].widget), &rgb);
          break;
        case SMP_ARG_STRING:
          gtk_entry_set_text (GTK_ENTRY (d[i].widget), defaults.text[i]);
          break;
        case SMP_ARG_FONT:
          gimp_font_select_button_set_font (GIMP_FONT_SELECT_BUTTON (d[i].widget), defaults.text[i]);
          break;
        case SMP_ARG_PATH:
        case SMP_ARG_CHANNEL:
          break;
        }
    }
  d->applying = FALSE;
  smp_values_clear (&defaults);
  smp_gimp2_changed (d);
}

/* The zoomable preview with its "Show original" toggle, opening on the
 * whole selection (GimpZoomPreview's zoom 1 shows its box). */
static void
smp_gimp2_add_preview (SmpDialog *d,
                       GtkWidget *vbox)
{
  d->preview = gimp_zoom_preview_new_from_drawable_id (d->drawable);
  gtk_box_pack_start (GTK_BOX (vbox), smp_gtk_preview_box (d->preview), TRUE, TRUE, 0);
  g_signal_connect (d->preview, "invalidated", G_CALLBACK (smp_gimp2_preview), d);
}

static GtkWidget *
smp_gimp2_dialog_new (SmpDialog *d)
{
  GtkWidget    *dialog, *vbox, *label;
  GimpParasite *measured = gimp_image_get_parasite (d->image, SMP_SCALE_PARASITE);
  gdouble       xres, yres;
  gchar        *text = smp_plugin_title (_(d->proc->menu_label));

  dialog = gimp_dialog_new (text, SMP_PLUGIN_BINARY, NULL, 0,
                            gimp_standard_help_func, d->proc->name,
                            _("_Reset"), SMP_GIMP2_RESPONSE_RESET,
                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                            _("_OK"), GTK_RESPONSE_OK,
                            NULL);
  g_free (text);
  gimp_window_set_transient (GTK_WINDOW (dialog));
  vbox = gtk_vbox_new (FALSE, 12);
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), vbox, TRUE, TRUE, 0);
  if (d->proc->operation && gimp_item_is_layer (d->drawable))
    smp_gimp2_add_preview (d, vbox);

  gimp_image_get_resolution (d->image, &xres, &yres);
  text = smp_plugin_scale_text (d->proc, xres, measured != NULL);
  label = gtk_label_new (text);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_box_pack_start (GTK_BOX (vbox), label, FALSE, FALSE, 0);
  g_free (text);
  if (measured)
    gimp_parasite_free (measured);
  smp_gimp2_add_rows (d, vbox);
  if (smp_procedure_has (d->proc, SMP_ARG_ID_LOOK))
    smp_gimp2_add_tone (d, vbox);
  if (d->proc->batch_settings)
    {
      /* the batch reads Density's values from a file: this writes it */
      GtkWidget *save = gtk_button_new_with_mnemonic (_("Save Settings for _Batch..."));

      g_signal_connect (save, "clicked", G_CALLBACK (smp_gimp2_save_settings), d);
      gtk_box_pack_end (GTK_BOX (vbox), save, FALSE, FALSE, 0);
    }
  return dialog;
}

static gboolean
smp_gimp2_dialog (const SmpProcedure *proc,
                  SmpValues          *values,
                  const SmpHostGimp  *host)
{
  SmpDialog *d = g_new0 (SmpDialog, proc->n_args + 1);
  GtkWidget *dialog;
  gint       response, i;

  gimp_ui_init (SMP_PLUGIN_BINARY, TRUE);
  for (i = 0; i <= proc->n_args; i++)
    d[i] = (SmpDialog) { .proc = proc, .values = values, .host = &host->host,
                         .image = host->image,
                         .drawable = GPOINTER_TO_INT (host->host.sources[0]), .index = i };
  dialog = smp_gimp2_dialog_new (d);
  gtk_widget_show_all (dialog);
  while ((response = gimp_dialog_run (GIMP_DIALOG (dialog))) == SMP_GIMP2_RESPONSE_RESET)
    smp_gimp2_reset (d);
  gtk_widget_destroy (dialog);
  g_free (d);
  return response == GTK_RESPONSE_OK;
}
