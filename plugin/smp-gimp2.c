/* gimp-smp plug-in for GIMP 2.10: registration, dialogs and drawable IDs
 * around the shared procedure logic of smp-plugin.c.  The procedures,
 * their names and arguments are those of GIMP 3 (smp-gimp3.c); the
 * arguments are positional here, after run-mode, image and drawable.
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
static gboolean smp_gimp2_before_after (const SmpProcedure *proc,
                                        const SmpValues    *values,
                                        gint32              image,
                                        gint32              drawable,
                                        gint32             *out,
                                        GError            **error);
static gboolean smp_gimp2_apply        (const SmpProcedure *proc,
                                        SmpValues        *values,
                                        gint32            image,
                                        gint32            drawable,
                                        GError          **error);
static gboolean smp_gimp2_dialog       (const SmpProcedure *proc,
                                        SmpValues        *values,
                                        gint32            image,
                                        gint32            drawable);

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
      gboolean layout = proc->id == SMP_PROC_BEFORE_AFTER;

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
  gint32              image = param[1].data.d_image, drawable = param[2].data.d_drawable;
  SmpValues           values;
  GError             *error = NULL;
  gboolean            bad = FALSE;
  gint32              new_image = -1;
  gint                i;

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

  smp_values_init (proc, &values);
  /* registered without the module, a procedure has only the plug-in's
   * own arguments: say what to install rather than count them */
  if (proc->operation && ! smp_plugin_ensure_ops (&error))
    bad = TRUE;
  else if (run_mode == GIMP_RUN_NONINTERACTIVE)
    {
      if (nparams != 3 + proc->n_args)
        {
          result[0].data.d_status = GIMP_PDB_CALLING_ERROR;
          smp_values_clear (&values);
          return;
        }
      /* refused as GIMP 3 refuses it, before anything is changed: a
       * value out of range or NaN, a path that is not one */
      for (i = 0; i < proc->n_args && ! bad; i++)
        {
          const GimpParam *p = &param[3 + i];

          switch (proc->args[i].type)
            {
            case SMP_ARG_DOUBLE:
              values.number[i] = p->data.d_float;
              break;
            case SMP_ARG_INT:
            case SMP_ARG_BOOLEAN:
            case SMP_ARG_CHOICE:
              values.number[i] = p->data.d_int32;
              break;
            case SMP_ARG_COLOR:
              smp_gimp2_set_color (values.color[i], &p->data.d_color);
              break;
            case SMP_ARG_PATH:
              if (! smp_gimp2_read_path (p->data.d_vectors, &values, &error))
                bad = TRUE;
              break;
            case SMP_ARG_CHANNEL:
              if (! smp_gimp2_read_stubble (-1, p->data.d_channel, &values, &error))
                bad = TRUE;
              break;
            case SMP_ARG_STRING:
            case SMP_ARG_FONT:
              g_free (values.text[i]);
              values.text[i] = g_strdup (p->data.d_string ? p->data.d_string : "");
              if (proc->args[i].type == SMP_ARG_FONT && *values.text[i]
                  && ! smp_gimp2_check_font (values.text[i], &error))
                bad = TRUE;
              break;
            }
          if (! bad && ! smp_plugin_check_arg (proc, i, 4 + i, values.number[i], &error))
            bad = TRUE;
        }
    }
  else
    {
      smp_gimp2_recall (proc, &values);
      if (smp_procedure_has (proc, SMP_ARG_ID_STUBBLE))
        smp_gimp2_read_stubble (image, -1, &values, NULL);
      if (run_mode == GIMP_RUN_INTERACTIVE
          && ! smp_gimp2_dialog (proc, &values, image, drawable))
        {
          result[0].data.d_status = GIMP_PDB_CANCEL;
          smp_values_clear (&values);
          return;
        }
    }

  if (! bad && proc->id == SMP_PROC_BEFORE_AFTER
      && smp_gimp2_before_after (proc, &values, image, drawable, &new_image, &error))
    {
      if (run_mode == GIMP_RUN_INTERACTIVE)
        smp_gimp2_store (proc, &values);
      if (run_mode != GIMP_RUN_NONINTERACTIVE)
        {
          gimp_display_new (new_image);
          gimp_displays_flush ();
        }
      result[1].type = GIMP_PDB_IMAGE;
      result[1].data.d_image = new_image;
      *nreturn_vals = 2;
    }
  else if (! bad && proc->id != SMP_PROC_BEFORE_AFTER
           && smp_gimp2_apply (proc, &values, image, drawable, &error))
    {
      if (run_mode == GIMP_RUN_INTERACTIVE)
        smp_gimp2_store (proc, &values);
      if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush ();
    }
  else
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
  smp_values_clear (&values);
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

/* The layout's new image: its one layer, the disclosure as the comment
 * (PNG text, JPEG COM) and as XMP, whatever is drawn.  The metadata comes
 * first: if it cannot be made, no image is (-1). */
static gint32
smp_gimp2_layout_image (GeglBuffer   *result,
                        const gchar  *description,
                        const gchar  *xml,
                        GError      **error)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  GimpMetadata       *metadata = gimp_metadata_deserialize (xml);
  GimpParasite       *parasite;
  GeglBuffer         *dest;
  gint32              out, layer;
  gint                w, h;

  if (! metadata)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           _("The layout's metadata could not be made: this GIMP has no "
                             "XMP support."));
      return -1;
    }
  w = gegl_buffer_get_extent (result)->width;
  h = gegl_buffer_get_extent (result)->height;
  out = gimp_image_new (w, h, GIMP_RGB);
  gimp_image_undo_disable (out);
  layer = gimp_layer_new (out, _(proc->layer_name), w, h, GIMP_RGBA_IMAGE, 100.0,
                          GIMP_LAYER_MODE_NORMAL);
  gimp_image_insert_layer (out, layer, 0, 0);
  dest = gimp_drawable_get_buffer (layer);
  gegl_buffer_copy (result, NULL, GEGL_ABYSS_NONE, dest, GEGL_RECTANGLE (0, 0, w, h));
  g_object_unref (dest);
  gimp_drawable_update (layer, 0, 0, w, h);

  parasite = gimp_parasite_new ("gimp-comment", GIMP_PARASITE_PERSISTENT,
                                strlen (description) + 1, description);
  gimp_image_attach_parasite (out, parasite);
  gimp_parasite_free (parasite);
  gimp_image_set_metadata (out, metadata);
  g_object_unref (metadata);
  gimp_image_undo_enable (out);
  return out;
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
  static gchar     *message = NULL;
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
  if (! smp_batch_run (param[1].data.d_string ? param[1].data.d_string : "",
                       param[2].data.d_string ? param[2].data.d_string : "",
                       param[3].data.d_string ? param[3].data.d_string : "",
                       param[4].data.d_int32 != 0,
                       smp_gimp2_batch_load, smp_gimp2_batch_progress, NULL,
                       &done, &skipped, &error))
    {
      g_free (message);
      message = g_strdup (error->message);
      g_error_free (error);
      result[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
      result[1].type = GIMP_PDB_STRING;
      result[1].data.d_string = message;
      *nreturn_vals = 2;
      return;
    }
  result[0].data.d_status = GIMP_PDB_SUCCESS;
  result[1].type = GIMP_PDB_INT32;
  result[1].data.d_int32 = done;
  result[2].type = GIMP_PDB_INT32;
  result[2].data.d_int32 = skipped;
  *nreturn_vals = 3;
}

/* The look goes with the layer (and its XCF), for a layout made later to
 * tell; undoable, so it is part of the run's one undo step. */
static void
smp_gimp2_attach_look (gint32              layer,
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
smp_gimp2_layer_summary (gint32 layer)
{
  GimpParasite *parasite = gimp_item_get_parasite (layer, SMP_LOOK_PARASITE);
  gchar        *name = gimp_item_get_name (layer);
  gchar        *summary = smp_plugin_layer_summary (name, parasite ? gimp_parasite_data (parasite) : NULL,
                                                    parasite ? gimp_parasite_data_size (parasite) : 0);

  if (parasite)
    gimp_parasite_free (parasite);
  g_free (name);
  return summary;
}

static gboolean
smp_gimp2_set_scale (const SmpProcedure *proc,
                     const SmpValues    *values,
                     gint32              image,
                     GError            **error)
{
  gdouble       length = smp_values_get_double (values, SMP_ARG_ID_LENGTH_MM);
  gdouble       span = smp_plugin_path_span (values->path_xy, values->path_points);
  gdouble       ppi = span / length * 25.4, px_per_mm;
  GimpParasite *parasite;
  gchar        *note;

  if (values->path_points < 2)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Draw a path whose two ends span a known length (Paths tool), then pick it."));
      return FALSE;
    }
  if (! smp_plugin_scale (ppi, &px_per_mm, error))
    return FALSE;
  note = g_strdup_printf ("%.1f px over %.1f mm", span, length);
  parasite = gimp_parasite_new (SMP_SCALE_PARASITE, GIMP_PARASITE_PERSISTENT | GIMP_PARASITE_UNDOABLE,
                                strlen (note) + 1, note);
  gimp_image_undo_group_start (image);
  gimp_image_set_resolution (image, ppi, ppi);
  gimp_image_attach_parasite (image, parasite);
  gimp_image_undo_group_end (image);
  gimp_parasite_free (parasite);
  g_free (note);
  return TRUE;
}

/* What @image shows, from a duplicate (the image itself gets no undo
 * step), with only the simulated layer @only of @results visible among
 * them (-1: as they are).  The buffer reads the duplicate's tiles from
 * GIMP: delete *@dup only when done with it. */
static SmpAfter
smp_gimp2_after (gint32  image,
                 GList  *results,
                 gint    only,
                 gint32 *dup_out)
{
  gint32   dup = gimp_image_duplicate (image), merged, *layers;
  gint     n;
  SmpAfter after = { NULL, 0, 0, NULL };
  GList   *r;

  /* the duplicate's layers stand where the image's do */
  layers = gimp_image_get_layers (dup, &n);
  for (r = results; only >= 0 && r; r = r->next)
    if (GPOINTER_TO_INT (r->data) != only)
      gimp_item_set_visible (layers[GPOINTER_TO_INT (r->data)], FALSE);
  g_free (layers);
  merged = gimp_image_merge_visible_layers (dup, GIMP_CLIP_TO_IMAGE);
  after.buffer = gimp_drawable_get_buffer (merged);
  gimp_drawable_offsets (merged, &after.x, &after.y);
  *dup_out = dup;
  return after;
}

/* Before/After Layout: a new image from the untouched layer (the before)
 * and what the image shows (the after), or each visible simulated layer
 * alone (one after each).  The new image's ID goes in @out. */
static gboolean
smp_gimp2_before_after (const SmpProcedure *proc,
                        const SmpValues    *values,
                        gint32              image,
                        gint32              drawable,
                        gint32             *out,
                        GError            **error)
{
  gboolean      each = smp_values_get_int (values, SMP_ARG_ID_AFTERS)
                       == SMP_COMPOSE_AFTER_EACH_RESULT;
  GeglBuffer   *source, *result;
  gchar        *summary = NULL, *description, *xml;
  gchar        *names[SMP_COMPOSE_MAX_PANELS] = { NULL };
  gint32        dups[SMP_COMPOSE_MAX_PANELS];
  SmpAfter      afters[SMP_COMPOSE_MAX_PANELS];
  GList        *results = NULL, *r;
  gint32       *layers;
  gint          n = 0, count, k, x1, y1, x2, y2, off_x, off_y;
  gboolean      selected;
  GeglRectangle crop;

  if (! gimp_item_is_valid (drawable) || ! gimp_item_is_layer (drawable)
      || gimp_item_is_group (drawable))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Select the photo's layer: it is the before, shown untouched."));
      return FALSE;
    }
  /* the visible simulated layers, bottom first (the first session first) */
  layers = gimp_image_get_layers (image, &count);
  for (k = 0; k < count; k++)
    {
      gchar *name = gimp_item_get_name (layers[k]);

      if (layers[k] != drawable && gimp_item_get_visible (layers[k])
          && smp_plugin_is_result_name (name))
        {
          results = g_list_prepend (results, GINT_TO_POINTER (k));
          if (! summary)
            summary = smp_gimp2_layer_summary (layers[k]);
        }
      g_free (name);
    }
  if (! summary)
    {
      g_free (layers);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _(SMP_PLUGIN_NO_RESULT));
      return FALSE;
    }

  if (gimp_selection_bounds (image, &selected, &x1, &y1, &x2, &y2) && selected)
    crop = *GEGL_RECTANGLE (x1, y1, x2 - x1, y2 - y1);
  else
    crop = *GEGL_RECTANGLE (0, 0, gimp_image_width (image), gimp_image_height (image));
  source = gimp_drawable_get_buffer (drawable);
  gimp_drawable_offsets (drawable, &off_x, &off_y);
  if (! each)
    {
      afters[n] = smp_gimp2_after (image, NULL, -1, &dups[n]);
      n++;
    }
  else if (g_list_length (results) < SMP_COMPOSE_MAX_PANELS)
    /* (more are refused below, before any is merged) */
    for (r = results; r; r = r->next, n++)
      {
        gchar *name = gimp_item_get_name (layers[GPOINTER_TO_INT (r->data)]);

        afters[n] = smp_gimp2_after (image, results, GPOINTER_TO_INT (r->data), &dups[n]);
        afters[n].name = names[n] = smp_plugin_after_name (name);
        g_free (name);
      }
  result = smp_plugin_before_after (proc, values, &crop, source, off_x, off_y, afters,
                                    each ? (gint) g_list_length (results) : 1,
                                    summary, &description, &xml, error);
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
    return FALSE;
  *out = smp_gimp2_layout_image (result, description, xml, error);
  g_object_unref (result);
  g_free (description);
  g_free (xml);
  return *out >= 0;
}

/* A final render's progress, on GIMP's progress bar. */
static void
smp_gimp2_progress (gdouble  fraction,
                    gpointer data)
{
  gimp_progress_update (fraction);
}

static gboolean
smp_gimp2_apply (const SmpProcedure *proc,
                 SmpValues          *values,
                 gint32              image,
                 gint32              drawable,
                 GError            **error)
{
  GeglBuffer *mask = NULL, *source, *dest;
  SmpValues   matched;
  gdouble     xres, yres, px_per_mm;
  gint32      layer, below;
  gint        w, h, off_x, off_y, k;

  if (gimp_image_base_type (image) != GIMP_RGB)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The SMP procedures work on RGB images: convert with Image > Mode > RGB first."));
      return FALSE;
    }
  if (proc->id == SMP_PROC_SET_SCALE)
    return smp_gimp2_set_scale (proc, values, image, error);

  /* everything is checked before anything is changed */
  gimp_image_get_resolution (image, &xres, &yres);
  if (! smp_plugin_scale (xres, &px_per_mm, error) || ! smp_plugin_ensure_ops (error))
    return FALSE;
  if (! gimp_item_is_valid (drawable) || ! gimp_item_is_layer (drawable)
      || gimp_item_is_group (drawable))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The drawable is not a pixel layer (a channel, mask or group): "
                     "select the photo's layer."));
      return FALSE;
    }

  if (proc->id == SMP_PROC_HAIRLINE && values->path_points > 0)
    {
      mask = smp_plugin_path_mask (values->path_xy, values->path_points,
                                   smp_values_get_boolean (values, SMP_ARG_ID_FLIP),
                                   gimp_image_width (image), gimp_image_height (image), error);
      if (! mask)
        return FALSE;
    }
  else if (! gimp_selection_is_empty (image))
    mask = gimp_drawable_get_buffer (gimp_image_get_selection (image));
  else if (proc->id == SMP_PROC_HAIRLINE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Select the area behind the planned hairline (its edge is the line), "
                     "or give an open path drawn across the forehead."));
      return FALSE;
    }
  else if (proc->id == SMP_PROC_CONCEAL_SCAR || proc->id == SMP_PROC_THICKEN)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   proc->id == SMP_PROC_THICKEN
                   ? _("Select the thinning area first: the selection is empty.")
                   : _("Select the scar first: the selection is empty."));
      return FALSE;
    }

  w = gimp_drawable_width (drawable);
  h = gimp_drawable_height (drawable);
  gimp_drawable_offsets (drawable, &off_x, &off_y);

  /* matched on a copy: the values kept for the next run are the user's */
  source = gimp_drawable_get_buffer (drawable);
  matched = *values;
  if (! smp_plugin_match (proc, &matched, px_per_mm, source, off_x, off_y, mask, error))
    {
      g_object_unref (source);
      g_clear_object (&mask);
      return FALSE;
    }

  gimp_image_undo_group_start (image);
  /* one layer per session, each above the one before */
  below = drawable;
  for (k = 1; k <= smp_plugin_layer_count (proc, &matched); k++)
    {
      gchar *name = smp_plugin_layer_name (proc, k);

      layer = gimp_layer_new (image, name, w, h,
                              gimp_drawable_type_with_alpha (drawable), 100.0,
                              GIMP_LAYER_MODE_NORMAL);
      gimp_image_insert_layer (image, layer, gimp_item_get_parent (drawable),
                               gimp_image_get_item_position (image, below));
      below = layer;
      gimp_layer_set_offsets (layer, off_x, off_y);
      matched.session = proc->per_session ? k : 0;
      dest = gimp_drawable_get_buffer (layer);
      gimp_progress_init_printf ("%s", name);
      smp_plugin_set_progress (smp_gimp2_progress, NULL);
      smp_plugin_render (proc, &matched, px_per_mm, source, off_x, off_y, mask,
                         GEGL_RECTANGLE (0, 0, w, h), dest, NULL, NULL, NULL);
      smp_plugin_set_progress (NULL, NULL);
      g_object_unref (dest);
      gimp_drawable_update (layer, 0, 0, w, h);
      smp_gimp2_attach_look (layer, proc, &matched);
      g_free (name);
    }
  g_object_unref (source);
  gimp_image_undo_group_end (image);

  g_clear_object (&mask);
  return TRUE;
}

/* ---- dialog --------------------------------------------------------- */

typedef struct
{
  const SmpProcedure *proc;
  SmpValues          *values;
  gint32              image, drawable;
  GtkWidget          *preview;
  gint                index;   /* for the per-argument callbacks */
  gpointer            widget;  /* its adjustment or combo box */
  GtkWidget          *tone;    /* d[0]: "At a distance: ..." */
  gboolean            applying; /* d[0]: a look is moving the sliders */
} SmpDialog;

static void
smp_gimp2_preview (GimpPreview *preview,
                   SmpDialog   *d)
{
  const Babl *format = gimp_drawable_get_format (d->drawable);
  gint        x, y, w, h, off_x, off_y, bpp = babl_format_get_bytes_per_pixel (format);
  gdouble     xres, yres, px_per_mm;
  GeglBuffer *source, *mask = NULL;
  SmpValues   matched;
  guchar     *pixels;

  gimp_preview_get_position (preview, &x, &y);
  gimp_preview_get_size (preview, &w, &h);
  gimp_image_get_resolution (d->image, &xres, &yres);
  if (! smp_plugin_scale (xres, &px_per_mm, NULL))
    return;
  gimp_drawable_offsets (d->drawable, &off_x, &off_y);
  if (d->proc->id == SMP_PROC_HAIRLINE && d->values->path_points > 0)
    mask = smp_plugin_path_mask (d->values->path_xy, d->values->path_points,
                                 smp_values_get_boolean (d->values, SMP_ARG_ID_FLIP),
                                 gimp_image_width (d->image), gimp_image_height (d->image), NULL);
  else if (! gimp_selection_is_empty (d->image))
    mask = gimp_drawable_get_buffer (gimp_image_get_selection (d->image));

  /* the preview shows exactly what the new layer will hold */
  source = gimp_drawable_get_buffer (d->drawable);
  pixels = g_malloc ((gsize) w * h * bpp);
  matched = *d->values;
  if (smp_plugin_match (d->proc, &matched, px_per_mm, source, off_x, off_y, mask, NULL)
      && smp_plugin_render (d->proc, &matched, px_per_mm, source, off_x, off_y, mask,
                            GEGL_RECTANGLE (x, y, w, h), NULL, format, pixels, NULL))
    gimp_preview_draw_buffer (preview, pixels, w * bpp);
  g_free (pixels);
  g_object_unref (source);
  g_clear_object (&mask);
}

static void
smp_gimp2_changed (SmpDialog *d)
{
  if (d->preview)
    gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
  /* matched to the stubble, the sliders do not decide the tone */
  if (d->tone && ! d->values->stubble)
    {
      gchar *text = smp_plugin_tone_text (d->proc, d->values);

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

/* The preview opens on the selection, not on the layer's corner. */
static void
smp_gimp2_preview_on (GtkWidget *preview,
                      gint32     image,
                      gint32     drawable)
{
  GeglRectangle selection = { 0, 0, 0, 0 };
  gboolean      selected;
  gint          x1, y1, x2, y2, off_x, off_y;

  if (gimp_selection_bounds (image, &selected, &x1, &y1, &x2, &y2) && selected)
    selection = *GEGL_RECTANGLE (x1, y1, x2 - x1, y2 - y1);
  gimp_drawable_offsets (drawable, &off_x, &off_y);
  smp_gtk_preview_on (preview, &selection, off_x, off_y, gimp_drawable_width (drawable),
                      gimp_drawable_height (drawable));
}

static gboolean
smp_gimp2_dialog (const SmpProcedure *proc,
                  SmpValues          *values,
                  gint32              image,
                  gint32              drawable)
{
  SmpDialog *d = g_new0 (SmpDialog, proc->n_args + 1);
  GtkWidget *dialog, *vbox, *table, *advanced, *expander, *label;
  gint       n_advanced = 0;
  gdouble    xres, yres;
  gchar     *text, *title;
  gboolean   run;
  gint       i;
  GimpParasite *measured = gimp_image_get_parasite (image, SMP_SCALE_PARASITE);

  gimp_ui_init (SMP_PLUGIN_BINARY, TRUE);
  title = smp_plugin_title (_(proc->menu_label));
  dialog = gimp_dialog_new (title, SMP_PLUGIN_BINARY, NULL, 0,
                            gimp_standard_help_func, proc->name,
                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                            _("_OK"), GTK_RESPONSE_OK,
                            NULL);
  gimp_window_set_transient (GTK_WINDOW (dialog));
  vbox = gtk_vbox_new (FALSE, 12);
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), vbox, TRUE, TRUE, 0);

  for (i = 0; i <= proc->n_args; i++)
    {
      d[i].proc = proc;
      d[i].values = values;
      d[i].image = image;
      d[i].drawable = drawable;
      d[i].index = i;
    }
  if (proc->operation && gimp_item_is_layer (drawable))
    {
      d[0].preview = gimp_drawable_preview_new_from_drawable_id (drawable);
      gtk_box_pack_start (GTK_BOX (vbox), d[0].preview, TRUE, TRUE, 0);
      g_signal_connect (d[0].preview, "invalidated", G_CALLBACK (smp_gimp2_preview), &d[0]);
      smp_gimp2_preview_on (d[0].preview, image, drawable);
    }

  gimp_image_get_resolution (image, &xres, &yres);
  if (proc->id == SMP_PROC_SET_SCALE)
    text = g_strdup_printf (_("Now %.0f ppi (%.2f px per mm)."), xres, xres / 25.4);
  else if (! measured && (xres == SMP_DEFAULT_PPI_A || xres == SMP_DEFAULT_PPI_B))
    text = g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi) looks like a default, not a "
                              "measurement: sizes in mm will be wrong. Use Scalp "
                              "Micropigmentation > Set Scale first."), xres / 25.4, xres);
  else
    text = g_strdup_printf (_("Scale: %.2f px per mm (%.0f ppi): a 0.15 mm dot is %.1f px wide."),
                            xres / 25.4, xres, 0.15 * xres / 25.4);
  label = gtk_label_new (text);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_box_pack_start (GTK_BOX (vbox), label, FALSE, FALSE, 0);
  g_free (text);

  table = gtk_table_new (proc->n_args, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 4);
  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);
  /* what a look sets, out of the way until wanted */
  advanced = gtk_table_new (proc->n_args, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (advanced), 6);
  gtk_table_set_row_spacings (GTK_TABLE (advanced), 4);
  expander = gtk_expander_new (_("Advanced"));
  gtk_container_add (GTK_CONTAINER (expander), advanced);

  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];
      GtkWidget    *widget = NULL;
      GtkWidget    *rows = smp_plugin_is_advanced (arg->name) ? advanced : table;

      n_advanced += rows == advanced;

      switch (arg->type)
        {
        case SMP_ARG_DOUBLE:
        case SMP_ARG_INT:
          {
            gboolean  whole = arg->type == SMP_ARG_INT;
            gdouble   span = arg->max - arg->min;
            GtkObject *adj = gimp_scale_entry_new (GTK_TABLE (rows), 0, i, _(arg->nick), 200, 8,
                                                   values->number[i], arg->min,
                                                   whole ? MIN (arg->max, 1e6) : arg->max,
                                                   whole ? 1 : span / 1000, whole ? 10 : span / 20,
                                                   whole ? 0 : 3, TRUE, 0, 0, _(arg->blurb), NULL);

            g_signal_connect (adj, "value-changed", G_CALLBACK (smp_gimp2_number_changed), &d[i]);
            d[i].widget = adj;
          }
          break;
        case SMP_ARG_BOOLEAN:
          widget = gtk_check_button_new_with_label (_(arg->nick));
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget), values->number[i] != 0.0);
          g_signal_connect (widget, "toggled", G_CALLBACK (smp_gimp2_toggle_changed), &d[i]);
          gtk_table_attach (GTK_TABLE (rows), widget, 0, 3, i, i + 1, GTK_FILL, GTK_FILL, 0, 0);
          break;
        case SMP_ARG_CHOICE:
          {
            gint n = 0;

            while (arg->choices[n])
              n++;
            widget = gimp_int_combo_box_new_array (n, (const gchar **) (arg->choice_labels
                                                                         ? arg->choice_labels
                                                                         : arg->choices));
            gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (widget), (gint) values->number[i]);
            g_signal_connect (widget, "changed", G_CALLBACK (smp_gimp2_choice_changed), &d[i]);
            gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
            d[i].widget = widget;
          }
          break;
        case SMP_ARG_COLOR:
          {
            GimpRGB rgb;

            smp_gimp2_get_color (values->color[i], &rgb);
            widget = gimp_color_button_new (_(arg->nick), 60, 20, &rgb, GIMP_COLOR_AREA_FLAT);
            g_signal_connect (widget, "color-changed", G_CALLBACK (smp_gimp2_color_changed), &d[i]);
            gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 1, TRUE);
          }
          break;
        case SMP_ARG_STRING:
          widget = gtk_entry_new ();
          gtk_entry_set_text (GTK_ENTRY (widget), values->text[i]);
          g_signal_connect (widget, "changed", G_CALLBACK (smp_gimp2_text_changed), &d[i]);
          gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
          break;
        case SMP_ARG_FONT:
          widget = gimp_font_select_button_new (_(arg->nick), values->text[i]);
          g_signal_connect (widget, "font-set", G_CALLBACK (smp_gimp2_font_changed), &d[i]);
          gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
          break;
        case SMP_ARG_CHANNEL:
          label = gtk_label_new (values->stubble
                                 ? _("Stubble to match: the channel 'Stubble'. Density and shade "
                                     "are matched to it; the look's dots are kept.")
                                 : _("To match the client's own stubble, select it and save the "
                                     "selection as a channel named 'Stubble'."));
          gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
          gtk_misc_set_alignment (GTK_MISC (label), 0.0, 0.5);
          gtk_table_attach (GTK_TABLE (rows), label, 0, 3, i, i + 1, GTK_FILL, GTK_FILL, 0, 0);
          break;
        case SMP_ARG_PATH:
          widget = gimp_vectors_combo_box_new (NULL, NULL);
          gimp_int_combo_box_prepend (GIMP_INT_COMBO_BOX (widget),
                                      GIMP_INT_STORE_VALUE, -1,
                                      GIMP_INT_STORE_LABEL, _("(none: use the selection)"),
                                      -1);
          /* the path selected in the Paths dialog, if any */
          gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (widget),
                                         gimp_image_get_active_vectors (image));
          smp_gimp2_read_path (gimp_image_get_active_vectors (image), values, NULL);
          g_signal_connect (widget, "changed", G_CALLBACK (smp_gimp2_path_changed), &d[i]);
          gimp_table_attach_aligned (GTK_TABLE (rows), 0, i, _(arg->nick), 0.0, 0.5, widget, 2, FALSE);
          break;
        }
    }
  if (n_advanced > 0)
    gtk_box_pack_start (GTK_BOX (vbox), expander, FALSE, FALSE, 0);
  else
    gtk_widget_destroy (expander);

  if (smp_procedure_has (proc, SMP_ARG_ID_LOOK))
    {
      /* under the scale, above the sliders: what the look gives */
      GList *children;

      d[0].tone = gtk_label_new ("");
      gtk_label_set_line_wrap (GTK_LABEL (d[0].tone), TRUE);
      gtk_box_pack_start (GTK_BOX (vbox), d[0].tone, FALSE, FALSE, 0);
      children = gtk_container_get_children (GTK_CONTAINER (vbox));
      gtk_box_reorder_child (GTK_BOX (vbox), d[0].tone, g_list_length (children) - 2);
      g_list_free (children);
      if (values->stubble)
        {
          GeglBuffer *source = gimp_drawable_get_buffer (drawable);
          GeglBuffer *mask = gimp_selection_is_empty (image)
                             ? NULL : gimp_drawable_get_buffer (gimp_image_get_selection (image));
          gint        off_x, off_y;

          gimp_drawable_offsets (drawable, &off_x, &off_y);
          text = smp_plugin_match_text (proc, values, xres / 25.4, source, off_x, off_y, mask);
          gtk_label_set_text (GTK_LABEL (d[0].tone), text);
          g_free (text);
          g_object_unref (source);
          g_clear_object (&mask);
        }
      smp_gimp2_changed (&d[0]);
    }
  if (proc->id == SMP_PROC_DENSITY)
    {
      /* the batch reads Density's values from a file: this writes it */
      GtkWidget *save = gtk_button_new_with_mnemonic (_("Save Settings for _Batch..."));

      g_signal_connect (save, "clicked", G_CALLBACK (smp_gimp2_save_settings), &d[0]);
      gtk_box_pack_end (GTK_BOX (vbox), save, FALSE, FALSE, 0);
    }
  gtk_widget_show_all (dialog);
  run = gimp_dialog_run (GIMP_DIALOG (dialog)) == GTK_RESPONSE_OK;
  gtk_widget_destroy (dialog);
  if (measured)
    gimp_parasite_free (measured);
  g_free (title);
  g_free (d);
  return run;
}
