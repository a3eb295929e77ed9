/* gimp-smp plug-in: Batch, the Density procedure over a folder of photos
 * (see smp-batch.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "smp-batch.h"
#include "smp-match-read.h"
#include "smp-png-text.h"

#define SMP_BATCH_ERROR (g_quark_from_static_string ("smp-batch-error"))

/* One key = value of the settings file, as its readers take it: the
 * file, key and text that each of their errors names ("FILE: KEY = TEXT
 * is ..."), and the argument it sets. */
typedef struct
{
  const gchar        *path;
  const gchar        *key;
  const gchar        *text;
  const SmpProcedure *proc;
  gint                i;      /* the argument's index in @proc; -1 for the scale */
} SmpBatchEntry;

/* The photos' scale, px-per-mm: a number that makes a head's scale. */
static gboolean
smp_batch_read_scale (const SmpBatchEntry  *entry,
                      gdouble              *px_per_mm,
                      GError              **error)
{
  const gchar *text = entry->text;
  GError      *scale_error = NULL;
  gchar       *end = NULL;
  gdouble      value = g_ascii_strtod (text, &end);
  gboolean     ok = TRUE;

  if (end == text || *end || ! smp_plugin_scale (value * 25.4, px_per_mm, &scale_error))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: %s = %s is no scale for a photo of a head: give the photos' "
                     "pixels per millimetre (%s)."),
                   entry->path, entry->key, text,
                   scale_error ? scale_error->message : _("not a number"));
      ok = FALSE;
    }
  g_clear_error (&scale_error);
  return ok;
}

/* A choice by its name, stored as its index. */
static gboolean
smp_batch_read_choice (const SmpBatchEntry  *entry,
                       gdouble              *number,
                       GError              **error)
{
  const gchar *const *choices = entry->proc->args[entry->i].choices;
  gchar              *names;
  gint                k;

  for (k = 0; choices[k]; k++)
    if (! strcmp (choices[k], entry->text))
      {
        *number = k;
        return TRUE;
      }
  names = g_strjoinv (", ", (gchar **) choices);
  g_set_error (error, SMP_BATCH_ERROR, 0,
               _("%s: %s = %s is none of %s."), entry->path, entry->key, entry->text, names);
  g_free (names);
  return FALSE;
}

/* A colour, as #rrggbb and nothing else. */
static gboolean
smp_batch_read_color (const SmpBatchEntry  *entry,
                      GeglColor           **color,
                      GError              **error)
{
  const gchar *text = entry->text;
  gsize        n = strlen (text), k;
  gboolean     ok;

  /* gegl_color_new takes any text and makes black of what it cannot
   * read: only #rrggbb is taken */
  ok = n == 7 && text[0] == '#';
  for (k = 1; ok && k < n; k++)
    ok = g_ascii_isxdigit (text[k]);
  if (! ok)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: %s = %s is no colour: write it as #rrggbb."),
                   entry->path, entry->key, text);
      return FALSE;
    }
  g_clear_object (color);
  *color = gegl_color_new (text);
  return TRUE;
}

/* A boolean: true or 1, false or 0. */
static gboolean
smp_batch_read_boolean (const SmpBatchEntry  *entry,
                        gdouble              *number,
                        GError              **error)
{
  const gchar *text = entry->text;

  if (! strcmp (text, "true") || ! strcmp (text, "1"))
    *number = 1.0;
  else if (! strcmp (text, "false") || ! strcmp (text, "0"))
    *number = 0.0;
  else
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   _("%s: %s = %s is neither true nor false."), entry->path, entry->key, text);
      return FALSE;
    }
  return TRUE;
}

/* A number (whole for an integer argument) within the argument's range,
 * as the PDB checks it. */
static gboolean
smp_batch_read_number (const SmpBatchEntry  *entry,
                       gdouble              *number,
                       GError              **error)
{
  const SmpArg *arg = &entry->proc->args[entry->i];
  gboolean      whole = arg->type == SMP_ARG_INT;
  GError       *range = NULL;
  gchar        *end = NULL;
  gdouble       value = g_ascii_strtod (entry->text, &end);

  if (end == entry->text || *end || (whole && value != (gdouble) (gint64) value))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   whole ? _("%s: %s = %s is not a whole number.")
                         : _("%s: %s = %s is not a number."),
                   entry->path, entry->key, entry->text);
      return FALSE;
    }
  if (! smp_plugin_check_arg (entry->proc, entry->i, 0, value, &range))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   whole ? _("%s: %s = %s is out of range: %.0f to %.0f.")
                         : _("%s: %s = %s is out of range: %g to %g."),
                   entry->path, entry->key, entry->text, arg->min, arg->max);
      g_clear_error (&range);
      return FALSE;
    }
  *number = value;
  return TRUE;
}

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
  gchar        *text = g_strstrip (g_key_file_get_value (file, SMP_BATCH_GROUP, key, NULL));
  SmpBatchEntry entry = { path, key, text, proc, i };
  gboolean      ok = FALSE;

  if (! strcmp (key, SMP_BATCH_SCALE_KEY))
    ok = smp_batch_read_scale (&entry, px_per_mm, error);
  /* the stubble channel is an image's, none a file can name */
  else if (! arg || arg->plugin_only)
    g_set_error (error, SMP_BATCH_ERROR, 0,
                 _("%s: unknown key '%s' in [%s]: the keys are %s's arguments "
                   "(look, shade, density, ...) and %s."),
                 path, key, SMP_BATCH_GROUP, proc->name, SMP_BATCH_SCALE_KEY);
  else if (arg->type == SMP_ARG_CHOICE)
    ok = smp_batch_read_choice (&entry, &values->number[i], error);
  else if (arg->type == SMP_ARG_COLOR)
    ok = smp_batch_read_color (&entry, &values->color[i], error);
  else if (arg->type == SMP_ARG_BOOLEAN)
    ok = smp_batch_read_boolean (&entry, &values->number[i], error);
  else if (arg->type == SMP_ARG_DOUBLE || arg->type == SMP_ARG_INT)
    ok = smp_batch_read_number (&entry, &values->number[i], error);
  else
    g_set_error (error, SMP_BATCH_ERROR, 0,
                 _("%s: %s cannot be set in a settings file."), path, key);
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

/* @value as the shortest decimal (of 15 to 17 digits) that reads back
 * as the same double: 0.7, not 0.69999999999999996. */
static const gchar *
smp_batch_number (gchar   *buffer,
                  gsize    size,
                  gdouble  value)
{
  const gchar *formats[] = { "%.15g", "%.16g", "%.17g" };
  gint         k;

  for (k = 0; k < 3; k++)
    {
      g_ascii_formatd (buffer, size, formats[k], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return buffer;
}

/* One value as the settings file writes it, the way smp_batch_read_key
 * reads it back; NULL for what a file cannot name. */
static gchar *
smp_batch_value_text (const SmpArg    *arg,
                      const SmpValues *values,
                      gint             i)
{
  gchar number[G_ASCII_DTOSTR_BUF_SIZE];
  guchar rgb[3];

  switch (arg->type)
    {
    case SMP_ARG_CHOICE:
      return g_strdup (arg->choices[(gint) values->number[i]]);
    case SMP_ARG_COLOR:
      gegl_color_get_pixel (values->color[i], babl_format ("R'G'B' u8"), rgb);
      return g_strdup_printf ("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    case SMP_ARG_BOOLEAN:
      return g_strdup (values->number[i] != 0.0 ? "true" : "false");
    case SMP_ARG_INT:
      return g_strdup_printf ("%.0f", values->number[i]);
    case SMP_ARG_DOUBLE:
      return g_strdup (smp_batch_number (number, sizeof number, values->number[i]));
    default:
      return NULL;
    }
}

gboolean
smp_batch_write_settings (const gchar     *path,
                          const SmpValues *values,
                          gdouble          px_per_mm,
                          GError         **error)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_DENSITY);
  GKeyFile           *file = g_key_file_new ();
  gchar               number[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean            ok;
  gint                i;

  g_key_file_set_value (file, SMP_BATCH_GROUP, SMP_BATCH_SCALE_KEY,
                        smp_batch_number (number, sizeof number, px_per_mm));
  g_key_file_set_comment (file, SMP_BATCH_GROUP, NULL,
                          _(" gimp-smp batch settings: docs/smp-batch.sh PHOTOS OUT THIS-FILE.\n"
                            " px-per-mm is the scale of the image they were saved from: change\n"
                            " it if the batch's photos were taken at another distance."), NULL);
  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];
      gchar        *text = arg->plugin_only ? NULL : smp_batch_value_text (arg, values, i);

      if (text)
        g_key_file_set_value (file, SMP_BATCH_GROUP, arg->name, text);
      g_free (text);
    }
  ok = g_key_file_save_to_file (file, path, error);
  g_key_file_free (file);
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

GPtrArray *
smp_batch_photos (const gchar  *in_dir,
                  GError      **error)
{
  GDir        *dir = g_dir_open (in_dir, 0, error);
  GPtrArray   *names;
  const gchar *name;

  if (! dir)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (smp_batch_is_photo (name))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, smp_batch_compare);
  return names;
}

/* A result's comment: what it is first, then what made it. */
static gchar *
smp_batch_description (const gchar *file_name,
                       const gchar *summary)
{
  SmpComposeSettings settings;

  smp_compose_settings_init (&settings);
  return g_strdup_printf (_("%s.\nSimulated with gimp-smp %s (scalp micropigmentation simulation "
                            "for GIMP) on the photo %s: %s."),
                          smp_compose_disclosure (&settings), SMP_VERSION, file_name, summary);
}

/* A result's XMP packet: the properties Before/After Layout's image
 * carries (smp_compose_metadata), in the namespaces and prefixes GIMP
 * writes them with, so that a reader finds them alike in both. */
static gchar *
smp_batch_xmp (const gchar *description)
{
  gchar *text = g_markup_escape_text (description, -1);
  gchar *xmp;

  xmp = g_strdup_printf ("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                         " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                         "  <rdf:Description rdf:about=\"\"\n"
                         "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                         "    xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n"
                         "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                         "    xmlns:iptcExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\">\n"
                         "   <photoshop:Instructions>%s</photoshop:Instructions>\n"
                         "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li>"
                         "</rdf:Alt></dc:description>\n"
                         "   <xmp:CreatorTool>gimp-smp %s</xmp:CreatorTool>\n"
                         "   <iptcExt:DigitalSourceType>%s</iptcExt:DigitalSourceType>\n"
                         "  </rdf:Description>\n"
                         " </rdf:RDF>\n"
                         "</x:xmpmeta>\n"
                         "<?xpacket end=\"w\"?>",
                         text, text, SMP_VERSION, SMP_COMPOSE_SOURCE_TYPE);
  g_free (text);
  return xmp;
}

/* @buffer written by GEGL to the PNG @path (8 bits, zlib's @compression
 * level, 0 for GEGL's default), @description put in afterwards as its
 * comment and its XMP. */
static gboolean
smp_batch_write_png (GeglBuffer   *buffer,
                     const gchar  *path,
                     gint          compression,
                     const gchar  *description,
                     GError      **error)
{
  gchar    *raw = g_strconcat (path, ".gegl", NULL);
  gchar    *xmp;
  GeglNode *graph = gegl_node_new ();
  GeglNode *src = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                       "buffer", buffer, NULL);
  GeglNode *save = gegl_node_new_child (graph, "operation", "gegl:png-save",
                                        "path", raw, "bitdepth", 8, NULL);
  gboolean  ok;

  if (compression > 0)
    gegl_node_set (save, "compression", compression, NULL);
  gegl_node_link (src, save);
  gegl_node_process (save);
  g_object_unref (graph);
  /* gegl:png-save tells no error: the file is the proof */
  if (! g_file_test (raw, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, _("%s could not be written."), path);
      g_free (raw);
      return FALSE;
    }
  /* GEGL writes no metadata: the disclosure goes in afterwards, where
   * GIMP's export puts a comment and an XMP packet */
  xmp = smp_batch_xmp (description);
  ok = smp_png_text_insert (raw, path, description, xmp, error);
  g_unlink (raw);
  g_free (xmp);
  g_free (raw);
  return ok;
}

gboolean
smp_batch_save_png (GeglBuffer   *buffer,
                    const gchar  *path,
                    const gchar  *file_name,
                    const gchar  *summary,
                    GError      **error)
{
  gchar    *description = smp_batch_description (file_name, summary);
  gboolean  ok = smp_batch_write_png (buffer, path, 0, description, error);

  g_free (description);
  return ok;
}

GeglBuffer *
smp_batch_gegl_load (const gchar  *path,
                     gpointer      data,
                     GError      **error)
{
  GeglBuffer *buffer = smp_match_load (path);

  if (! buffer)
    g_set_error (error, SMP_BATCH_ERROR, 0, _("%s cannot be read"), path);
  return buffer;
}

GeglBuffer *
smp_batch_mask (const gchar          *in_dir,
                const gchar          *stem,
                const GeglRectangle  *extent,
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
  /* a PNG, read here: through GIMP it took a second more per photo at
   * 6000x4000 (a loader process, an image, its tiles sent back) */
  loaded = smp_batch_gegl_load (path, NULL, error);
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

/* A format of @source's precision: an 8-bit photo's layers stay 8-bit,
 * as GIMP keeps them (and a quarter of the memory of float). */
static const Babl *
smp_batch_format (GeglBuffer *source,
                  gboolean    alpha)
{
  const Babl *format = gegl_buffer_get_format (source);
  gboolean    u8 = babl_format_get_type (format, 0) == babl_type ("u8");

  if (alpha)
    return babl_format (u8 ? "R'G'B'A u8" : "R'G'B'A float");
  return babl_format (u8 ? "R'G'B' u8" : "R'G'B' float");
}

GeglBuffer *
smp_batch_render (const SmpValues  *values,
                  gdouble           px_per_mm,
                  GeglBuffer       *source,
                  GeglBuffer       *mask,
                  GError          **error)
{
  const SmpProcedure  *proc = smp_procedure_get (SMP_PROC_DENSITY);
  const GeglRectangle *extent = gegl_buffer_get_extent (source);
  GeglBuffer          *layer = gegl_buffer_new (extent, smp_batch_format (source, TRUE));

  if (! smp_plugin_render (&(SmpRenderInput) { proc, values, px_per_mm, source, 0, 0, mask },
                           extent, layer, error))
    g_clear_object (&layer);
  return layer;
}

/* Whether @source is opaque all over, its alpha channel if any unused:
 * GIMP gives a photo's merged layer one. */
static gboolean
smp_batch_opaque (GeglBuffer *source)
{
  const Babl         *format = gegl_buffer_get_format (source);
  gboolean            u8 = babl_format_get_type (format, 0) == babl_type ("u8");
  gboolean            opaque = TRUE;
  GeglBufferIterator *it;

  if (! babl_format_has_alpha (format))
    return TRUE;
  it = gegl_buffer_iterator_new (source, NULL, 0,
                                 babl_format (u8 ? "R'G'B'A u8" : "R'G'B'A float"),
                                 GEGL_ACCESS_READ, GEGL_ABYSS_NONE, 1);
  while (opaque && gegl_buffer_iterator_next (it))
    {
      gint i;

      for (i = 0; opaque && i < it->length; i++)
        opaque = u8 ? ((guchar *) it->items[0].data)[4 * i + 3] == 255
                    : ((gfloat *) it->items[0].data)[4 * i + 3] >= 1.0f;
    }
  if (! opaque)
    gegl_buffer_iterator_stop (it);
  return opaque;
}

GeglBuffer *
smp_batch_after (GeglBuffer *source,
                 GeglBuffer *layer)
{
  const GeglRectangle *extent = gegl_buffer_get_extent (source);
  GeglBuffer          *after;
  GeglNode            *graph = gegl_node_new ();
  GeglNode            *photo, *over, *sink;

  /* an opaque photo gives an opaque result: its PNG needs no alpha (a
   * quarter less to compress) */
  after = gegl_buffer_new (extent, smp_batch_format (source, ! smp_batch_opaque (source)));
  photo = gegl_node_new_child (graph, "operation", "gegl:buffer-source", "buffer", source, NULL);
  over = gegl_node_new_child (graph, "operation", "gegl:over", NULL);
  sink = gegl_node_new_child (graph, "operation", "gegl:write-buffer", "buffer", after, NULL);
  gegl_node_link_many (photo, over, sink, NULL);
  gegl_node_connect_to (gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                             "buffer", layer, NULL), "output", over, "aux");
  gegl_node_process (sink);
  g_object_unref (graph);
  return after;
}

/* The default before/after layout of @source and @after, written to
 * OUT_DIR/STEM-before-after.png with the layout's description (what
 * Before/After Layout's image says) as its comment and XMP.  Written by
 * GEGL, as the result is: through a GIMP image and GIMP's PNG export it
 * cost about a second of CPU a photo more (the image, its tiles sent to
 * GIMP and on to the export's own process, GIMP's metadata). */
static gboolean
smp_batch_layout (const gchar  *out_dir,
                  const gchar  *stem,
                  GeglBuffer   *source,
                  GeglBuffer   *after,
                  const gchar  *summary,
                  GError      **error)
{
  const SmpProcedure *layout = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  GeglRectangle       crop = *gegl_buffer_get_extent (source);
  SmpValues           layout_values;
  GeglBuffer         *pair;
  gchar              *out, *description = NULL, *xml = NULL;
  gboolean            ok = FALSE;

  smp_values_init (layout, &layout_values);
  pair = smp_plugin_before_after (&(SmpLayoutRequest) { layout, &layout_values, &crop,
                                                        { source, 0, 0, NULL },
                                                        &(SmpAfter) { after, 0, 0, NULL }, 1,
                                                        summary },
                                  &description, &xml, error);
  if (pair)
    {
      out = g_strdup_printf ("%s%c%s-before-after.png", out_dir, G_DIR_SEPARATOR, stem);
      /* GIMP's export's default level, 9: a file as small as it made
       * (at 1080 × 1080, 0.65 s of CPU; level 6 takes 0.13 s for a file
       * 7 % larger) */
      ok = smp_batch_write_png (pair, out, 9, description, error);
      g_free (out);
      g_object_unref (pair);
    }
  smp_values_clear (&layout_values);
  g_free (description);
  g_free (xml);
  return ok;
}

/* One photo: its result and, if asked, its layout.  FALSE with @error
 * saying why it was skipped.  Every buffer is released before it returns:
 * at 6000x4000 each float one is 384 MB. */
static gboolean
smp_batch_photo (const SmpBatchJob  *job,
                 const gchar        *file_name,
                 const SmpValues    *values,
                 gdouble             px_per_mm,
                 GError            **error)
{
  const gchar        *in_dir = job->in_dir, *out_dir = job->out_dir;
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_DENSITY);
  gchar              *path = g_build_filename (in_dir, file_name, NULL);
  gchar              *stem = g_strndup (file_name, strrchr (file_name, '.') - file_name);
  gchar              *out, *look, *summary;
  GeglBuffer         *source, *mask, *layer, *after;
  GError             *load_error = NULL;
  gboolean            ok;

  /* listed, then gone (or a link to nothing): said plainly, where GIMP 3's
   * loader would only say its argument is out of range */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    source = job->load (path, job->data, &load_error);
  else
    {
      source = NULL;
      g_set_error_literal (&load_error, SMP_BATCH_ERROR, 0, _("no such file"));
    }
  g_free (path);
  mask = source ? smp_batch_mask (in_dir, stem, gegl_buffer_get_extent (source), &load_error)
                : NULL;
  if (load_error)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0, source ? _("bad mask: %s") : _("cannot load: %s"),
                   load_error->message);
      g_error_free (load_error);
      g_clear_object (&source);
      g_free (stem);
      return FALSE;
    }

  /* the result on a layer of its own, as the procedure makes it, then
   * that layer over the untouched photo: what the image shows */
  layer = smp_batch_render (values, px_per_mm, source, mask, error);
  g_clear_object (&mask);
  after = layer ? smp_batch_after (source, layer) : NULL;
  g_clear_object (&layer);
  ok = after != NULL;
  look = smp_plugin_look_text (proc, values);
  summary = smp_plugin_layer_summary (_(proc->layer_name), look, strlen (look) + 1);

  out = g_strdup_printf ("%s%c%s-smp.png", out_dir, G_DIR_SEPARATOR, stem);
  ok = ok && smp_batch_save_png (after, out, file_name, summary, error);
  g_free (out);
  if (ok && job->composites)
    ok = smp_batch_layout (out_dir, stem, source, after, summary, error);
  g_clear_object (&after);
  g_object_unref (source);
  g_free (summary);
  g_free (look);
  g_free (stem);
  return ok;
}

gboolean
smp_batch_memory_reset (void)
{
  /* "5" resets the peak to the current size (Linux 4.0 and later) */
  FILE    *file = g_fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (! file)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

gboolean
smp_batch_memory_read (glong *peak_kib,
                       glong *rss_kib)
{
  gchar       *status = NULL;
  const gchar *peak, *rss;
  gboolean     ok;

  if (! g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return FALSE;
  peak = strstr (status, "\nVmHWM:");
  rss = strstr (status, "\nVmRSS:");
  ok = peak && rss;
  if (ok)
    {
      *peak_kib = strtol (peak + strlen ("\nVmHWM:"), NULL, 10);
      *rss_kib = strtol (rss + strlen ("\nVmRSS:"), NULL, 10);
    }
  g_free (status);
  return ok;
}

/* The benchmark's line for a photo (SMP_BATCH_MEMORY_ENV), begun at
 * @start (g_get_monotonic_time). */
static void
smp_batch_memory_log (guint        k,
                      guint        n,
                      const gchar *photo,
                      gint64       start)
{
  glong peak, rss;

  if (g_getenv (SMP_BATCH_MEMORY_ENV) && smp_batch_memory_read (&peak, &rss))
    {
      fprintf (stderr, "smp-batch memory: [%u/%u] %s peak-kib %ld rss-kib %ld seconds %.2f\n",
               k, n, photo, peak, rss, (g_get_monotonic_time () - start) / 1e6);
      fflush (stderr);
    }
}

/* The benchmark's line for GEGL's settings in this process (GIMP gives
 * its own to a plug-in), for a run without GIMP to use the same. */
static void
smp_batch_memory_config (void)
{
  gint    threads = 0;
  guint64 cache = 0;

  if (! g_getenv (SMP_BATCH_MEMORY_ENV))
    return;
  g_object_get (gegl_config (), "threads", &threads, "tile-cache-size", &cache, NULL);
  fprintf (stderr, "smp-batch memory: GEGL threads %d tile-cache-mib %" G_GUINT64_FORMAT "\n",
           threads, cache >> 20);
  fflush (stderr);
}

gboolean
smp_batch_run (const SmpBatchJob  *job,
               gint               *done,
               gint               *skipped,
               GError            **error)
{
  SmpValues    values;
  gdouble      px_per_mm;
  GPtrArray   *names;
  guint        k;
  gint64       start;

  *done = *skipped = 0;
  /* everything is checked before any file is written */
  if (! smp_batch_read_settings (job->settings_path, &values, &px_per_mm, error))
    return FALSE;
  if (! smp_plugin_ensure_ops (error))
    {
      smp_values_clear (&values);
      return FALSE;
    }
  smp_batch_memory_config ();
  names = smp_batch_photos (job->in_dir, error);
  if (! names)
    {
      smp_values_clear (&values);
      return FALSE;
    }
  if (names->len == 0 || g_mkdir_with_parents (job->out_dir, 0755) != 0)
    {
      g_set_error (error, SMP_BATCH_ERROR, 0,
                   names->len == 0 ? _("No photos (jpg, jpeg, png, tif) in %s.")
                                   : _("The output folder %s cannot be made."),
                   names->len == 0 ? job->in_dir : job->out_dir);
      g_ptr_array_free (names, TRUE);
      smp_values_clear (&values);
      return FALSE;
    }

  for (k = 0; k < names->len; k++)
    {
      const gchar *photo = g_ptr_array_index (names, k);
      GError      *photo_error = NULL;
      gchar       *text = g_strdup_printf (_("[%u/%u] %s"), k + 1, names->len, photo);

      job->progress (text, (gdouble) k / names->len, job->data);
      g_free (text);
      if (g_getenv (SMP_BATCH_MEMORY_ENV))
        smp_batch_memory_reset ();
      start = g_get_monotonic_time ();
      if (smp_batch_photo (job, photo, &values, px_per_mm, &photo_error))
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
      smp_batch_memory_log (k + 1, names->len, photo, start);
    }
  job->progress (_("Batch done"), 1.0, job->data);
  printf ("%s: %d done, %d skipped\n", SMP_BATCH_PROC, *done, *skipped);
  fflush (stdout);
  g_ptr_array_free (names, TRUE);
  smp_values_clear (&values);
  return TRUE;
}
