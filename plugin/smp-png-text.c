/* gimp-smp plug-in: text chunks added to a PNG file (see smp-png-text.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "smp-png-text.h"

#define PNG_TEXT_ERROR (g_quark_from_static_string ("smp-png-text-error"))

static const guchar png_text_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

guint32
smp_png_text_crc (guint32       crc,
                  const guchar *data,
                  gsize         size)
{
  static guint32 table[256];
  static gsize   made = 0;
  guint32        c = crc ^ 0xffffffffu;
  gsize          i;

  if (g_once_init_enter (&made))
    {
      guint32 n, k;

      /* the polynomial of PNG (and zlib), least significant bit first */
      for (n = 0; n < 256; n++)
        {
          guint32 v = n;

          for (k = 0; k < 8; k++)
            v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
          table[n] = v;
        }
      g_once_init_leave (&made, 1);
    }
  for (i = 0; i < size; i++)
    c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void
png_text_be32 (guchar  *p,
               guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static gboolean
png_text_write_chunk (FILE         *out,
                      const gchar  *type,
                      const guchar *data,
                      gsize         size)
{
  guchar  head[8], tail[4];
  guint32 crc;

  png_text_be32 (head, size);
  memcpy (head + 4, type, 4);
  crc = smp_png_text_crc (0, head + 4, 4);
  png_text_be32 (tail, smp_png_text_crc (crc, data, size));
  return fwrite (head, 1, 8, out) == 8 && fwrite (data, 1, size, out) == size
         && fwrite (tail, 1, 4, out) == 4;
}

/* One text chunk: tEXt when @text is Latin-1 (what every reader knows),
 * else an uncompressed iTXt with no language. */
static gboolean
png_text_write_text (FILE        *out,
                     const gchar *keyword,
                     const gchar *text,
                     gboolean     international)
{
  gchar      *latin1 = international ? NULL
                                     : g_convert (text, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
  GByteArray *data = g_byte_array_new ();
  gboolean    ok;

  g_byte_array_append (data, (const guchar *) keyword, strlen (keyword) + 1);
  if (latin1)
    g_byte_array_append (data, (const guchar *) latin1, strlen (latin1));
  else
    {
      /* not compressed, no method, no language tag, no translated keyword */
      g_byte_array_append (data, (const guchar *) "\0\0\0\0", 4);
      g_byte_array_append (data, (const guchar *) text, strlen (text));
    }
  ok = png_text_write_chunk (out, latin1 ? "tEXt" : "iTXt", data->data, data->len);
  g_byte_array_unref (data);
  g_free (latin1);
  return ok;
}

/* Copies @in's chunks to @out, the texts before the first IDAT. */
static gboolean
png_text_copy (FILE        *in,
               FILE        *out,
               const gchar *comment,
               const gchar *xmp)
{
  guchar   head[8], block[65536];
  gboolean inserted = FALSE, ended = FALSE;

  if (fread (head, 1, 8, in) != 8 || memcmp (head, png_text_signature, 8)
      || fwrite (head, 1, 8, out) != 8)
    return FALSE;
  while (! ended && fread (head, 1, 8, in) == 8)
    {
      /* the data and its CRC */
      guint64 left = (((guint32) head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) + 4;

      if (! inserted && ! memcmp (head + 4, "IDAT", 4))
        {
          if (! png_text_write_text (out, "Comment", comment, FALSE)
              || (xmp && ! png_text_write_text (out, SMP_PNG_TEXT_XMP_KEYWORD, xmp, TRUE)))
            return FALSE;
          inserted = TRUE;
        }
      ended = ! memcmp (head + 4, "IEND", 4);
      if (fwrite (head, 1, 8, out) != 8)
        return FALSE;
      while (left > 0)
        {
          gsize n = MIN (left, sizeof (block));

          if (fread (block, 1, n, in) != n || fwrite (block, 1, n, out) != n)
            return FALSE;
          left -= n;
        }
    }
  return inserted && ended;
}

gboolean
smp_png_text_insert (const gchar  *from,
                     const gchar  *to,
                     const gchar  *comment,
                     const gchar  *xmp,
                     GError      **error)
{
  gchar   *part = g_strconcat (to, ".part", NULL);
  FILE    *in = g_fopen (from, "rb");
  FILE    *out = in ? g_fopen (part, "wb") : NULL;
  gboolean ok = in && out && png_text_copy (in, out, comment, xmp);

  if (in)
    fclose (in);
  if (out && fclose (out) != 0)
    ok = FALSE;
  ok = ok && g_rename (part, to) == 0;
  if (! ok)
    {
      g_set_error (error, PNG_TEXT_ERROR, 0,
                   _("%s could not be written with its comment and XMP (from %s)."), to, from);
      g_unlink (part);
    }
  g_free (part);
  return ok;
}
