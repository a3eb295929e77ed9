/* gimp-smp plug-in: Batch, the Density procedure over a folder of photos
 * (see smp-batch.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "smp-batch.h"

#define SMP_BATCH_ERROR (g_quark_from_static_string ("smp-batch-error"))

/* One value of the settings file, checked against its argument as the
 * PDB would check it. */
static gboolean
smp_batch_read_key (GKeyFile           *file,
                    const gchar        *path,
                    const SmpProcedure *proc,
                    const gchar        *key,
                    SmpValues          *values,
                    gdouble            *px_per_mm,
                    GError            **error)
{
  gint          i = smp_procedure_arg (proc, key);
  const SmpArg *arg = i >= 0 ? &proc->args[i] : NULL;
  gchar        *text = g_key_file_get_value (file, SMP_BATCH_GROUP, key, NULL);
  gchar        *end = NULL;
  gdouble       value = 0.0;
  gboolean      ok = TRUE;

  g_strstrip (text);
  if (! strcmp (key, SMP_BATCH_SCALE_KEY))
    {
      GError *scale_error = NULL;

      value = g_ascii_strtod (text, &end);
      if (end == text || *end
          || ! smp_plugin_scale (value * 25.4, px_per_mm, &scale_error))
        {
          g_set_error (error, SMP_BATCH_ERROR, 0,
                       _("%s: %s = %s is no scale for a photo of a head: give the photos' "
                         "pixels per millimetre (%s)."),
                       path, key, text, scale_error ? scale_error->message : _("not a number"));
          ok = FALSE;
        }
      g_clear_error (&scale_error);
      g_free (text);
      return ok;
    }
  /* the stubble channel is an image's, none a file can name */
  if (! arg || arg->plugin_only)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: unknown key '%s' in [%s]: the keys are %s's arguments "
                     "(look, shade, density, ...) and %s."),
                   path, key, SMP_BATCH_GROUP, proc->name, SMP_BATCH_SCALE_KEY);
      g_free (text);
      return FALSE;
    }

  switch (arg->type)
    {
    case SMP_ARG_CHOICE:
      {
        gint k;

        for (k = 0; arg->choices[k]; k++)
          if (! strcmp (arg->choices[k], text))
            break;
        if (! arg->choices[k])
          {
            gchar *names = g_strjoinv (", ", (gchar **) arg->choices);

            g_set_error (error, SMP_BATCH_ERROR, 0,
                         _("%s: %s = %s is none of %s."), path, key, text, names);
            g_free (names);
            ok = FALSE;
          }
        else
          values->number[i] = k;
      }
      break;
    case SMP_ARG_COLOR:
      {
        gsize n = strlen (text), k;

        /* gegl_color_new takes any text and makes black of what it cannot
         * read: only #rrggbb is taken */
        ok = n == 7 && text[0] == '#';
        for (k = 1; ok && k < n; k++)
          ok = g_ascii_isxdigit (text[k]);
        if (ok)
          {
            g_clear_object (&values->color[i]);
            values->color[i] = gegl_color_new (text);
          }
        else
          g_set_error (error, SMP_BATCH_ERROR, 0,
                       _("%s: %s = %s is no colour: write it as #rrggbb."), path, key, text);
      }
      break;
    case SMP_ARG_BOOLEAN:
      if (! strcmp (text, "true") || ! strcmp (text, "1"))
        values->number[i] = 1.0;
      else if (! strcmp (text, "false") || ! strcmp (text, "0"))
        values->number[i] = 0.0;
      else
        {
          g_set_error (error, SMP_BATCH_ERROR, 0,
                       _("%s: %s = %s is neither true nor false."), path, key, text);
          ok = FALSE;
        }
      break;
    case SMP_ARG_DOUBLE:
    case SMP_ARG_INT:
      {
        GError *range = NULL;

        value = g_ascii_strtod (text, &end);
        if (end == text || *end
            || (arg->type == SMP_ARG_INT && value != (gdouble) (gint64) value))
          {
            g_set_error (error, SMP_BATCH_ERROR, 0,
                         arg->type == SMP_ARG_INT ? _("%s: %s = %s is not a whole number.")
                                                  : _("%s: %s = %s is not a number."),
                         path, key, text);
            ok = FALSE;
          }
        else if (! smp_plugin_check_arg (proc, i, 0, value, &range))
          {
            g_set_error (error, SMP_BATCH_ERROR, 0,
                         arg->type == SMP_ARG_INT
                         ? _("%s: %s = %s is out of range: %.0f to %.0f.")
                         : _("%s: %s = %s is out of range: %g to %g."),
                         path, key, text, arg->min, arg->max);
            g_clear_error (&range);
            ok = FALSE;
          }
        else
          values->number[i] = value;
      }
      break;
    default:
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: %s cannot be set in a settings file."), path, key);
      ok = FALSE;
      break;
    }
  g_free (text);
  return ok;
}

gboolean
smp_batch_read_settings (const gchar  *path,
                         SmpValues    *values,
                         gdouble      *px_per_mm,
                         GError      **error)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_DENSITY);
  GKeyFile           *file = g_key_file_new ();
  GError             *read_error = NULL;
  gchar             **groups = NULL, **keys = NULL;
  gboolean            ok = TRUE;
  gint                k;

  smp_values_init (proc, values);
  *px_per_mm = 0.0;
  if (! g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &read_error))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("The settings file %s cannot be read: %s"),
                   path, read_error->message);
      g_error_free (read_error);
      g_key_file_free (file);
      return FALSE;
    }
  groups = g_key_file_get_groups (file, NULL);
  for (k = 0; groups[k] && ok; k++)
    if (strcmp (groups[k], SMP_BATCH_GROUP))
      {
        g_set_error (error, SMP_BATCH_ERROR, 0,
                     _("%s: unknown group [%s]: the settings go in [%s]."),
                     path, groups[k], SMP_BATCH_GROUP);
        ok = FALSE;
      }
  if (ok && ! g_key_file_has_group (file, SMP_BATCH_GROUP))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("%s: no group [%s]."), path, SMP_BATCH_GROUP);
      ok = FALSE;
    }
  if (ok)
    keys = g_key_file_get_keys (file, SMP_BATCH_GROUP, NULL, NULL);
  for (k = 0; ok && keys[k]; k++)
    ok = smp_batch_read_key (file, path, proc, keys[k], values, px_per_mm, error);
  if (ok && *px_per_mm <= 0.0)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: no %s: give the photos' scale in pixels per millimetre "
                     "(Set Scale measures it)."), path, SMP_BATCH_SCALE_KEY);
      ok = FALSE;
    }
  g_strfreev (keys);
  g_strfreev (groups);
  g_key_file_free (file);
  if (! ok)
    smp_values_clear (values);
  return ok;
}

static gboolean
smp_batch_is_photo (const gchar *name)
{
  static const gchar *const extensions[] = { ".jpg", ".jpeg", ".png", ".tif", ".tiff", NULL };
  gchar                    *lower = g_ascii_strdown (name, -1);
  const gchar              *dot = strrchr (lower, '.');
  gboolean                  photo = FALSE;
  gint                      k;

  for (k = 0; dot && extensions[k] && ! photo; k++)
    photo = ! strcmp (dot, extensions[k]);
  /* a mask is a photo's, not one of its own */
  if (photo && dot - lower >= (gssize) strlen (SMP_BATCH_MASK_SUFFIX)
      && ! strncmp (dot - strlen (SMP_BATCH_MASK_SUFFIX), SMP_BATCH_MASK_SUFFIX,
                    strlen (SMP_BATCH_MASK_SUFFIX)))
    photo = FALSE;
  g_free (lower);
  return photo;
}

static gint
smp_batch_compare (gconstpointer a,
                   gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

static gboolean
smp_batch_save_png (GeglBuffer   *buffer,
                    const gchar  *path,
                    GError      **error)
{
  GeglNode *graph = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                       "buffer", buffer, NULL);
  GeglNode *save = gegl_node_new_child (graph, "operation", "gegl:png-save",
                                        "path", path, "bitdepth", 8, NULL);

  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (graph);
  /* gegl:png-save tells no error: the file is the proof */
  if (! g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("%s could not be written."), path);
      return FALSE;
    }
  return TRUE;
}

/* The photo's mask, NAME-mask.png beside it, as the Density op's region
 * ("Y float", white = treat); NULL and no error when there is none. */
static GeglBuffer *
smp_batch_mask (const gchar          *in_dir,
                const gchar          *stem,
                const GeglRectangle  *extent,
                SmpBatchLoad          load,
                gpointer              data,
                GError              **error)
{
  gchar      *name = g_strconcat (stem, SMP_BATCH_MASK_SUFFIX, ".png", NULL);
  gchar      *path = g_build_filename (in_dir, name, NULL);
  GeglBuffer *loaded, *mask = NULL;

  g_free (name);
  if (! g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_free (path);
      return NULL;
    }
  loaded = load (path, data, error);
  if (loaded)
    {
      const GeglRectangle *size = gegl_buffer_get_extent (loaded);

      if (size->width != extent->width || size->height != extent->height)
        g_set_error (error, SMP_BATCH_ERROR, 0,
                     _("its mask %s is %dx%d, the photo %dx%d"),
                     path, size->width, size->height, extent->width, extent->height);
      else
        {
          GeglBufferIterator *it;

          /* the value as painted is the coverage (grey 128: half the
           * density), as a selection's value is; a conversion to linear
           * light would make mid-grey a fifth */
          mask = gegl_buffer_new (extent, babl_format ("Y float"));
          it = gegl_buffer_iterator_new (mask, extent, 0, babl_format ("Y float"),
                                         GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 2);
          gegl_buffer_iterator_add (it, loaded, extent, 0, babl_format ("Y' float"),
                                    GEGL_ACCESS_READ, GEGL_ABYSS_NONE);
          while (gegl_buffer_iterator_next (it))
            memcpy (it->items[0].data, it->items[1].data, it->length * sizeof (gfloat));
        }
      g_object_unref (loaded);
    }
  g_free (path);
  return mask;
}

/* One photo: its result and, if asked, its layout.  FALSE with @error
 * saying why it was skipped. */
static gboolean
smp_batch_photo (const gchar        *in_dir,
                 const gchar        *out_dir,
                 const gchar        *file_name,
                 const SmpValues    *values,
                 gdouble             px_per_mm,
                 gboolean            composites,
                 SmpBatchLoad        load,
                 SmpBatchSaveLayout  save_layout,
                 gpointer            data,
                 GError            **error)
{
  const SmpProcedure  *proc = smp_procedure_get (SMP_PROC_DENSITY);
  const SmpProcedure  *layout = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  gchar               *path = g_build_filename (in_dir, file_name, NULL);
  gchar               *stem = g_strndup (file_name, strrchr (file_name, '.') - file_name);
  gchar               *out, *look, *summary, *description = NULL, *xml = NULL;
  GeglBuffer          *source, *mask, *layer, *after, *pair;
  GError              *load_error = NULL;
  const GeglRectangle *extent;
  GeglNode            *graph, *photo, *over, *sink;
  SmpValues            layout_values;
  gboolean             ok;

  source = load (path, data, &load_error);
  g_free (path);
  if (! source)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("cannot load: %s"), load_error->message);
      g_error_free (load_error);
      g_free (stem);
      return FALSE;
    }
  extent = gegl_buffer_get_extent (source);
  mask = smp_batch_mask (in_dir, stem, extent, load, data, &load_error);
  if (load_error)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("bad mask: %s"), load_error->message);
      g_error_free (load_error);
      g_object_unref (source);
      g_free (stem);
      return FALSE;
    }

  /* the result on a layer of its own, as the procedure makes it, then
   * that layer over the untouched photo: what the image shows */
  layer = gegl_buffer_new (extent, babl_format ("R'G'B'A float"));
  ok = smp_plugin_render (proc, values, px_per_mm, source, 0, 0, mask, extent,
                          layer, NULL, NULL, error);
  g_clear_object (&mask);
  after = gegl_buffer_new (extent, babl_format ("R'G'B'A float"));
  graph = gegl_node_new ();
  photo = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", source, NULL);
  over = gegl_node_new_child (graph, "operation", "gegl:over", NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:write-buffer", "buffer", after, NULL);
  gegl_node_link_many (photo, over, sink, NULL);
  gegl_node_connect_to (gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                             "buffer", layer, NULL), "output", over, "aux");
  if (ok)
    gegl_node_process (sink);
  g_object_unref (graph);

  out = g_strdup_printf ("%s%c%s-smp.png", out_dir, G_DIR_SEPARATOR, stem);
  ok = ok && smp_batch_save_png (after, out, error);
  g_free (out);

  if (ok && composites)
    {
      GeglRectangle crop = *extent;

      look = smp_plugin_look_text (proc, values);
      summary = smp_plugin_layer_summary (_(proc->layer_name), look, strlen (look) + 1);
      smp_values_init (layout, &layout_values);
      pair = smp_plugin_before_after (layout, &layout_values, &crop, source, 0, 0,
                                      &(SmpAfter) { after, 0, 0, NULL }, 1,
                                      summary, &description, &xml, error);
      if (pair)
        {
          out = g_strdup_printf ("%s%c%s-before-after.png", out_dir, G_DIR_SEPARATOR, stem);
          ok = save_layout (pair, description, xml, out, data, error);
          g_free (out);
          g_object_unref (pair);
        }
      else
        ok = FALSE;
      smp_values_clear (&layout_values);
      g_free (description);
      g_free (xml);
      g_free (summary);
      g_free (look);
    }
  g_object_unref (after);
  g_object_unref (layer);
  g_object_unref (source);
  g_free (stem);
  return ok;
}

gboolean
smp_batch_run (const gchar        *in_dir,
               const gchar        *out_dir,
               const gchar        *settings_path,
               gboolean            composites,
               SmpBatchLoad        load,
               SmpBatchSaveLayout  save_layout,
               SmpBatchProgress    progress,
               gpointer            data,
               gint               *done,
               gint               *skipped,
               GError            **error)
{
  SmpValues    values;
  gdouble      px_per_mm;
  GDir        *dir;
  GPtrArray   *names;
  const gchar *name;
  guint        k;

  *done = *skipped = 0;
  /* everything is checked before any file is written */
  if (! smp_batch_read_settings (settings_path, &values, &px_per_mm, error))
    return FALSE;
  if (! smp_plugin_ensure_ops (error))
    {
      smp_values_clear (&values);
      return FALSE;
    }
  dir = g_dir_open (in_dir, 0, error);
  if (! dir)
    {
      smp_values_clear (&values);
      return FALSE;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (smp_batch_is_photo (name))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, smp_batch_compare);
  if (names->len == 0 || g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   names->len == 0 ? _("No photos (jpg, jpeg, png, tif) in %s.")
                                   : _("The output folder %s cannot be made."),
                   names->len == 0 ? in_dir : out_dir);
      g_ptr_array_free (names, TRUE);
      smp_values_clear (&values);
      return FALSE;
    }

  for (k = 0; k < names->len; k++)
    {
      const gchar *photo = g_ptr_array_index (names, k);
      GError      *photo_error = NULL;
      gchar       *text = g_strdup_printf (_("[%u/%u] %s"), k + 1, names->len, photo);

      progress (text, (gdouble) k / names->len, data);
      g_free (text);
      if (smp_batch_photo (in_dir, out_dir, photo, &values, px_per_mm, composites,
                           load, save_layout, data, &photo_error))
        {
          (*done)++;
          printf ("[%u/%u] %s: done\n", k + 1, names->len, photo);
        }
      else
        {
          (*skipped)++;
          printf ("[%u/%u] %s: skipped (%s)\n", k + 1, names->len, photo,
                  photo_error ? photo_error->message : _("no reason given"));
          g_clear_error (&photo_error);
        }
      fflush (stdout);
    }
  progress (_("Batch done"), 1.0, data);
  printf ("%s: %d done, %d skipped\n", SMP_BATCH_PROC, *done, *skipped);
  fflush (stdout);
  g_ptr_array_free (names, TRUE);
  smp_values_clear (&values);
  return TRUE;
}
