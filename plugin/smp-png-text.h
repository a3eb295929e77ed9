/* gimp-smp plug-in: text chunks added to a PNG file that GEGL wrote.
 *
 * gegl:png-save writes no comment and no XMP, and the batch's results
 * must say what they are wherever they go: this copies a PNG and puts a
 * comment and an XMP packet in it, as GIMP's own PNG export places them
 * (before the image data).  GLib only, so the tests can use it too.
 */
#ifndef SMP_PNG_TEXT_H
#define SMP_PNG_TEXT_H

#include <glib.h>

/* The PNG keyword of an XMP packet (XMP specification, part 3). */
#define SMP_PNG_TEXT_XMP_KEYWORD "XML:com.adobe.xmp"

/* The CRC of a PNG chunk (its type and data), as the PNG specification
 * defines it: @crc is 0 to start, then what the last call returned. */
guint32  smp_png_text_crc    (guint32        crc,
                              const guchar  *data,
                              gsize          size);

/* Copies the PNG file @from to @to with, before its first IDAT chunk,
 * @comment under the keyword "Comment" (tEXt when it is Latin-1, else
 * iTXt) and @xmp (may be NULL) as an iTXt "XML:com.adobe.xmp".  @to is
 * written whole or not at all.  FALSE with @error when @from is no PNG or
 * a file cannot be read or written. */
gboolean smp_png_text_insert (const gchar   *from,
                              const gchar   *to,
                              const gchar   *comment,
                              const gchar   *xmp,
                              GError       **error);

#endif
