/* gimp-smp tests: reads the comment and the XMP of a PNG or JPEG file,
 * without GIMP and without an image library (GLib and GIO's zlib only),
 * so a test can check what an exported before/after layout carries.
 *
 *   smp-meta-read FILE [--comment TEXT]... [--xmp NAME=TEXT]... [--check-crc]
 *   smp-meta-read --self-test
 *
 * Prints every text it finds (PNG tEXt, zTXt and iTXt chunks; JPEG COM
 * segments; the XMP packet's properties, from a PNG's "XML:com.adobe.xmp"
 * iTXt chunk or a JPEG's APP1 "http://ns.adobe.com/xap/1.0/" segment).
 * --comment: the file's comment (PNG text keyword "Comment", JPEG COM) must
 * hold TEXT.  --xmp: the XMP property NAME (as the packet spells it, e.g.
 * "photoshop:Instructions") must hold TEXT, after XML unescaping.  Exit 0
 * when every expectation holds, 1 when one does not, 2 when the file
 * cannot be read as PNG or JPEG (with --check-crc: or a PNG chunk's CRC is
 * wrong, which a reader may take as a reason to drop the chunk).  --self-test reads files made here, with
 * each kind of chunk and segment, and a file with none.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <gio/gio.h>

#include "smp-png-text.h"

typedef struct
{
  GPtrArray  *comments;   /* UTF-8 */
  GPtrArray  *texts;      /* "keyword: text", every PNG text chunk */
  GHashTable *xmp;        /* property name -> its text */
  gint        packets;
  gboolean    check_crc;
} MetaRead;

static void
meta_read_init (MetaRead *m)
{
  m->comments = g_ptr_array_new_with_free_func (g_free);
  m->texts = g_ptr_array_new_with_free_func (g_free);
  m->xmp = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m->packets = 0;
  m->check_crc = FALSE;
}

static void
meta_read_clear (MetaRead *m)
{
  g_ptr_array_unref (m->comments);
  g_ptr_array_unref (m->texts);
  g_hash_table_unref (m->xmp);
}

/* @data inflated (zlib), or NULL if it is not zlib data. */
static gchar *
meta_read_inflate (const guchar *data,
                   gsize         size,
                   gsize        *out_size)
{
  GConverter *z = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  GByteArray *out = g_byte_array_new ();
  guchar      buf[16384];
  gsize       in_off = 0;

  for (;;)
    {
      gsize            read = 0, written = 0;
      GError          *error = NULL;
      GConverterResult r = g_converter_convert (z, data + in_off, size - in_off, buf, sizeof (buf),
                                                G_CONVERTER_INPUT_AT_END, &read, &written, &error);

      in_off += read;
      g_byte_array_append (out, buf, written);
      if (r == G_CONVERTER_ERROR)
        {
          g_error_free (error);
          g_object_unref (z);
          g_byte_array_unref (out);
          return NULL;
        }
      if (r == G_CONVERTER_FINISHED)
        break;
    }
  g_object_unref (z);
  *out_size = out->len;
  g_byte_array_append (out, (const guchar *) "", 1);
  return (gchar *) g_byte_array_free (out, FALSE);
}

/* Text as UTF-8: as it is when it is valid UTF-8, else read as Latin-1
 * (what PNG's tEXt and zTXt hold). */
static gchar *
meta_read_utf8 (const gchar *text,
                gsize        size,
                gboolean     latin1)
{
  /* a writer may count the C string's NUL in */
  while (size > 0 && text[size - 1] == '\0')
    size--;
  if (! latin1 && g_utf8_validate (text, size, NULL))
    return g_strndup (text, size);
  return g_convert (text, size, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* ---- XMP ----------------------------------------------------------- */

typedef struct
{
  MetaRead *m;
  gint      depth;          /* element depth */
  gint      description;    /* depth of the rdf:Description, 0 outside */
  gchar    *property;       /* the property element being read */
  GString  *text;
} MetaXmp;

static void
meta_read_xmp_start (GMarkupParseContext *context,
                const gchar         *element,
                const gchar        **names,
                const gchar        **values,
                gpointer             data,
                GError             **error)
{
  MetaXmp *x = data;
  gint     i;

  x->depth++;
  if (! strcmp (element, "rdf:Description") && ! x->property)
    {
      /* simple properties may be written as its attributes */
      x->description = x->depth;
      for (i = 0; names[i]; i++)
        if (strncmp (names[i], "xmlns:", 6) && strcmp (names[i], "rdf:about"))
          g_hash_table_replace (x->m->xmp, g_strdup (names[i]), g_strdup (values[i]));
    }
  else if (x->description && x->depth == x->description + 1)
    {
      x->property = g_strdup (element);
      g_string_truncate (x->text, 0);
    }
}

static void
meta_read_xmp_end (GMarkupParseContext *context,
              const gchar         *element,
              gpointer             data,
              GError             **error)
{
  MetaXmp *x = data;

  if (x->property && x->depth == x->description + 1)
    {
      /* an array's items (rdf:Alt, rdf:Seq, rdf:Bag) joined by lines */
      g_strstrip (x->text->str);
      x->text->len = strlen (x->text->str);
      g_hash_table_replace (x->m->xmp, x->property, g_strdup (x->text->str));
      x->property = NULL;
    }
  else if (x->depth == x->description)
    x->description = 0;
  x->depth--;
}

static void
meta_read_xmp_text (GMarkupParseContext *context,
               const gchar         *text,
               gsize                size,
               gpointer             data,
               GError             **error)
{
  MetaXmp *x = data;

  if (x->property)
    g_string_append_len (x->text, text, size);
}

static gboolean
meta_read_xmp (MetaRead    *m,
               const gchar *packet,
               gsize        size)
{
  static const GMarkupParser parser = { meta_read_xmp_start, meta_read_xmp_end, meta_read_xmp_text, NULL, NULL };
  MetaXmp                    x = { m, 0, 0, NULL, g_string_new (NULL) };
  GMarkupParseContext       *context;
  GError                    *error = NULL;
  const gchar               *start = packet;
  gboolean                   ok;

  /* the packet's header may begin with a byte order mark */
  while (size > 0 && *start != '<')
    {
      start++;
      size--;
    }
  context = g_markup_parse_context_new (&parser, 0, &x, NULL);
  ok = g_markup_parse_context_parse (context, start, size, &error)
       && g_markup_parse_context_end_parse (context, &error);
  if (! ok)
    {
      g_printerr ("the XMP packet is not well-formed XML: %s\n", error->message);
      g_error_free (error);
    }
  g_markup_parse_context_free (context);
  g_free (x.property);
  g_string_free (x.text, TRUE);
  m->packets += ok;
  return ok;
}

/* ---- PNG ----------------------------------------------------------- */

static guint32
meta_read_be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
meta_read_png_text (MetaRead     *m,
                    const gchar  *type,
                    const guchar *data,
                    gsize         size)
{
  const guchar *end = data + size, *nul = memchr (data, 0, size), *p;
  gchar        *keyword, *raw = NULL, *text = NULL;
  gsize         raw_size = 0;
  gboolean      latin1 = TRUE, xmp = FALSE;

  if (! nul)
    return;
  keyword = g_strndup ((const gchar *) data, nul - data);
  p = nul + 1;
  if (! strcmp (type, "tEXt"))
    {
      raw = g_strndup ((const gchar *) p, end - p);
      raw_size = end - p;
    }
  else if (! strcmp (type, "zTXt") && p < end)
    raw = meta_read_inflate (p + 1, end - p - 1, &raw_size);
  else if (! strcmp (type, "iTXt") && end - p >= 2)
    {
      gboolean compressed = p[0] != 0;

      /* then the language tag and the translated keyword, each ended by NUL */
      p += 2;
      p = memchr (p, 0, end - p);
      if (p)
        p = memchr (p + 1, 0, end - p - 1);
      if (p)
        {
          p++;
          if (compressed)
            raw = meta_read_inflate (p, end - p, &raw_size);
          else
            {
              raw = g_strndup ((const gchar *) p, end - p);
              raw_size = end - p;
            }
        }
      latin1 = FALSE;
      xmp = ! strcmp (keyword, "XML:com.adobe.xmp");
    }
  if (raw)
    text = meta_read_utf8 (raw, raw_size, latin1);
  if (text && xmp)
    meta_read_xmp (m, text, strlen (text));
  else if (text)
    {
      g_ptr_array_add (m->texts, g_strdup_printf ("%s %s: %s", type, keyword, text));
      if (! strcmp (keyword, "Comment"))
        g_ptr_array_add (m->comments, g_strdup (text));
    }
  g_free (text);
  g_free (raw);
  g_free (keyword);
}

static gboolean
meta_read_png (MetaRead     *m,
               const guchar *data,
               gsize         size)
{
  gsize at = 8;

  while (at + 12 <= size)
    {
      guint32 length = meta_read_be32 (data + at);
      gchar   type[5];

      if (length > size - at - 12)
        return FALSE;
      memcpy (type, data + at + 4, 4);
      type[4] = 0;
      if (m->check_crc
          && smp_png_text_crc (0, data + at + 4, length + 4)
             != meta_read_be32 (data + at + 8 + length))
        {
          g_printerr ("the %s chunk at byte %" G_GSIZE_FORMAT " has a wrong CRC\n", type, at);
          return FALSE;
        }
      if (! strcmp (type, "tEXt") || ! strcmp (type, "zTXt") || ! strcmp (type, "iTXt"))
        meta_read_png_text (m, type, data + at + 8, length);
      at += 12 + length;
      if (! strcmp (type, "IEND"))
        return TRUE;
    }
  return FALSE;
}

/* ---- JPEG ---------------------------------------------------------- */

#define XMP_SIGNATURE "http://ns.adobe.com/xap/1.0/"

static gboolean
meta_read_jpeg (MetaRead     *m,
                const guchar *data,
                gsize         size)
{
  gsize at = 2;

  while (at + 4 <= size)
    {
      guint marker, length;

      if (data[at] != 0xff)
        return FALSE;
      marker = data[at + 1];
      if (marker == 0xff)
        {
          at++;         /* fill byte */
          continue;
        }
      /* the metadata is all before the scan */
      if (marker == 0xda || marker == 0xd9)
        return TRUE;
      length = (data[at + 2] << 8) | data[at + 3];
      if (length < 2 || at + 2 + length > size)
        return FALSE;
      if (marker == 0xfe)
        {
          gchar *text = meta_read_utf8 ((const gchar *) data + at + 4, length - 2, FALSE);

          if (text)
            g_ptr_array_add (m->comments, text);
        }
      else if (marker == 0xe1 && length - 2 > sizeof (XMP_SIGNATURE)
               && ! memcmp (data + at + 4, XMP_SIGNATURE, sizeof (XMP_SIGNATURE)))
        meta_read_xmp (m, (const gchar *) data + at + 4 + sizeof (XMP_SIGNATURE),
                       length - 2 - sizeof (XMP_SIGNATURE));
      at += 2 + length;
    }
  return FALSE;
}

/* Reads what @data holds; FALSE when it is neither PNG nor JPEG, or
 * broken before its image data. */
static gboolean
meta_read_bytes (MetaRead     *m,
                 const guchar *data,
                 gsize         size)
{
  if (size >= 8 && ! memcmp (data, "\x89PNG\r\n\x1a\n", 8))
    return meta_read_png (m, data, size);
  if (size >= 4 && data[0] == 0xff && data[1] == 0xd8)
    return meta_read_jpeg (m, data, size);
  return FALSE;
}

/* ---- the checks ---------------------------------------------------- */

static gboolean
meta_read_comment_has (MetaRead    *m,
                       const gchar *text)
{
  guint i;

  for (i = 0; i < m->comments->len; i++)
    if (strstr (g_ptr_array_index (m->comments, i), text))
      return TRUE;
  return FALSE;
}

/* @expectation is NAME=TEXT. */
static gboolean
meta_read_xmp_has (MetaRead    *m,
                   const gchar *expectation)
{
  const gchar *eq = strchr (expectation, '=');
  gchar       *name;
  const gchar *value;
  gboolean     found;

  if (! eq)
    return FALSE;
  name = g_strndup (expectation, eq - expectation);
  value = g_hash_table_lookup (m->xmp, name);
  found = value && strstr (value, eq + 1);
  g_free (name);
  return found;
}

/* One line of the log: @text's lines joined, cut at 150 characters. */
static void
meta_read_line (const gchar *what,
                const gchar *text)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  gchar  *joined = g_strjoinv (" / ", lines);

  if (g_utf8_strlen (joined, -1) > 150)
    strcpy (g_utf8_offset_to_pointer (joined, 147), "...");
  printf ("  %s: %s\n", what, joined);
  g_free (joined);
  g_strfreev (lines);
}

static void
meta_read_print (MetaRead *m)
{
  GHashTableIter iter;
  gpointer       name, value;
  guint          i;

  for (i = 0; i < m->texts->len; i++)
    meta_read_line ("text", g_ptr_array_index (m->texts, i));
  for (i = 0; i < m->comments->len; i++)
    meta_read_line ("comment", g_ptr_array_index (m->comments, i));
  printf ("  XMP packets: %d\n", m->packets);
  g_hash_table_iter_init (&iter, m->xmp);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      gchar *what = g_strdup_printf ("xmp %s", (gchar *) name);

      meta_read_line (what, value);
      g_free (what);
    }
}

/* ---- self-test ----------------------------------------------------- */

static void
meta_read_self_be32 (GByteArray *b,
                guint32     v)
{
  guchar p[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (b, p, 4);
}

static void
meta_read_self_chunk (GByteArray  *png,
                 const gchar *type,
                 const void  *data,
                 gsize        size)
{
  meta_read_self_be32 (png, size);
  g_byte_array_append (png, (const guchar *) type, 4);
  g_byte_array_append (png, data, size);
  meta_read_self_be32 (png, 0);       /* the reader does not check CRCs */
}

static GBytes *
meta_read_self_deflate (const gchar *text)
{
  GConverter *z = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9));
  guchar      out[4096];
  gsize       read, written;

  g_converter_convert (z, text, strlen (text), out, sizeof (out), G_CONVERTER_INPUT_AT_END,
                       &read, &written, NULL);
  g_object_unref (z);
  return g_bytes_new (out, written);
}

#define SELF_DISCLOSURE "Digital simulation, not an actual treatment result"
#define SELF_XMP \
  "\xef\xbb\xbf<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>" \
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" \
  "<rdf:Description rdf:about=\"\" xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" " \
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" photoshop:Instructions=\"" SELF_DISCLOSURE ".&#xA;x &amp; y\">" \
  "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" SELF_DISCLOSURE "</rdf:li></rdf:Alt></dc:description>" \
  "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"

static gint
meta_read_self_test (void)
{
  GByteArray *png = g_byte_array_new (), *jpeg = g_byte_array_new (), *chunk;
  GBytes     *z;
  MetaRead    m;
  gint        bad = 0;
  guchar      ihdr[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0 };
  gsize       length;

  /* a PNG with a Latin-1 tEXt, a zTXt comment, an uncompressed iTXt XMP */
  g_byte_array_append (png, (const guchar *) "\x89PNG\r\n\x1a\n", 8);
  meta_read_self_chunk (png, "IHDR", ihdr, sizeof (ihdr));
  meta_read_self_chunk (png, "tEXt", "Title\0caf\xe9", 10);
  chunk = g_byte_array_new ();
  g_byte_array_append (chunk, (const guchar *) "Comment\0\0", 9);
  z = meta_read_self_deflate (SELF_DISCLOSURE ".\nMade with gimp-smp.");
  g_byte_array_append (chunk, g_bytes_get_data (z, NULL), g_bytes_get_size (z));
  g_bytes_unref (z);
  meta_read_self_chunk (png, "zTXt", chunk->data, chunk->len);
  g_byte_array_set_size (chunk, 0);
  g_byte_array_append (chunk, (const guchar *) "XML:com.adobe.xmp\0\0\0\0\0", 22);
  g_byte_array_append (chunk, (const guchar *) SELF_XMP, strlen (SELF_XMP));
  meta_read_self_chunk (png, "iTXt", chunk->data, chunk->len);
  meta_read_self_chunk (png, "IEND", NULL, 0);

  meta_read_init (&m);
  bad |= ! meta_read_bytes (&m, png->data, png->len);
  meta_read_print (&m);
  bad |= ! meta_read_comment_has (&m, SELF_DISCLOSURE);
  bad |= ! meta_read_xmp_has (&m, "photoshop:Instructions=" SELF_DISCLOSURE ".\nx & y");
  bad |= ! meta_read_xmp_has (&m, "dc:description=" SELF_DISCLOSURE);
  bad |= meta_read_xmp_has (&m, "dc:title=" SELF_DISCLOSURE);
  bad |= m.texts->len != 2 || ! strstr (g_ptr_array_index (m.texts, 0), "caf\xc3\xa9");
  meta_read_clear (&m);

  /* a JPEG with a COM segment and an XMP APP1 segment */
  g_byte_array_append (jpeg, (const guchar *) "\xff\xd8\xff\xe0\x00\x04\x00\x00", 8);
  length = 2 + strlen (SELF_DISCLOSURE);
  g_byte_array_append (jpeg, (const guchar *) "\xff\xfe", 2);
  g_byte_array_append (jpeg, (guchar[]) { length >> 8, length & 0xff }, 2);
  g_byte_array_append (jpeg, (const guchar *) SELF_DISCLOSURE, strlen (SELF_DISCLOSURE));
  length = 2 + sizeof (XMP_SIGNATURE) + strlen (SELF_XMP);
  g_byte_array_append (jpeg, (const guchar *) "\xff\xe1", 2);
  g_byte_array_append (jpeg, (guchar[]) { length >> 8, length & 0xff }, 2);
  g_byte_array_append (jpeg, (const guchar *) XMP_SIGNATURE, sizeof (XMP_SIGNATURE));
  g_byte_array_append (jpeg, (const guchar *) SELF_XMP, strlen (SELF_XMP));
  g_byte_array_append (jpeg, (const guchar *) "\xff\xda\x00\x02\xff\xd9", 6);

  meta_read_init (&m);
  bad |= ! meta_read_bytes (&m, jpeg->data, jpeg->len);
  meta_read_print (&m);
  bad |= ! meta_read_comment_has (&m, SELF_DISCLOSURE);
  bad |= ! meta_read_xmp_has (&m, "dc:description=" SELF_DISCLOSURE);
  meta_read_clear (&m);

  /* a PNG without any: nothing found, and a truncated one refused */
  meta_read_init (&m);
  g_byte_array_set_size (chunk, 0);
  g_byte_array_append (chunk, (const guchar *) "\x89PNG\r\n\x1a\n", 8);
  meta_read_self_chunk (chunk, "IHDR", ihdr, sizeof (ihdr));
  meta_read_self_chunk (chunk, "IEND", NULL, 0);
  bad |= ! meta_read_bytes (&m, chunk->data, chunk->len);
  bad |= meta_read_comment_has (&m, SELF_DISCLOSURE) || m.packets != 0;
  bad |= meta_read_bytes (&m, png->data, png->len / 2);
  meta_read_clear (&m);

  g_byte_array_unref (chunk);
  g_byte_array_unref (png);
  g_byte_array_unref (jpeg);
  printf ("self-test: %s\n", bad ? "FAILED" : "passed");
  return bad;
}

int
main (int    argc,
      char **argv)
{
  gchar         **comments = NULL, **xmps = NULL;
  gboolean        self_test = FALSE, check_crc = FALSE;
  GOptionEntry    entries[] =
  {
    { "comment", 0, 0, G_OPTION_ARG_STRING_ARRAY, &comments, "The comment must hold TEXT", "TEXT" },
    { "xmp", 0, 0, G_OPTION_ARG_STRING_ARRAY, &xmps, "The XMP property NAME must hold TEXT", "NAME=TEXT" },
    { "self-test", 0, 0, G_OPTION_ARG_NONE, &self_test, "Read files made here", NULL },
    { "check-crc", 0, 0, G_OPTION_ARG_NONE, &check_crc, "Check every PNG chunk's CRC", NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new ("FILE");
  GError         *error = NULL;
  gchar          *data;
  gsize           size;
  MetaRead        m;
  gint            status = 0, i;

  g_option_context_add_main_entries (context, entries, NULL);
  if (! g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_option_context_free (context);
  if (self_test)
    return meta_read_self_test ();
  if (argc != 2 || ! g_file_get_contents (argv[1], &data, &size, &error))
    {
      g_printerr ("%s\n", error ? error->message : "usage: smp-meta-read FILE [--comment TEXT] [--xmp NAME=TEXT]");
      return 2;
    }

  meta_read_init (&m);
  m.check_crc = check_crc;
  if (! meta_read_bytes (&m, (const guchar *) data, size))
    {
      g_printerr ("%s: not a whole PNG or JPEG file\n", argv[1]);
      status = 2;
    }
  printf ("%s:\n", argv[1]);
  meta_read_print (&m);
  for (i = 0; status != 2 && comments && comments[i]; i++)
    if (! meta_read_comment_has (&m, comments[i]))
      {
        printf ("MISSING: no comment holds \"%s\"\n", comments[i]);
        status = 1;
      }
  for (i = 0; status != 2 && xmps && xmps[i]; i++)
    if (! meta_read_xmp_has (&m, xmps[i]))
      {
        printf ("MISSING: no XMP %s\n", xmps[i]);
        status = 1;
      }
  meta_read_clear (&m);
  g_free (data);
  g_strfreev (comments);
  g_strfreev (xmps);
  return status;
}
