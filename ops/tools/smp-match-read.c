/* gimp-smp: matching the client's own stubble.  See smp-match-read.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "smp-match-read.h"

/* The part of @mask's extent (within @photo's) where it is at least 0.5. */
static GeglRectangle
mask_bounds (GeglBuffer *mask,
             GeglBuffer *photo)
{
  GeglRectangle box, out = { 0, 0, 0, 0 };
  gfloat       *m;
  gint          x, y, x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

  if (! gegl_rectangle_intersect (&box, gegl_buffer_get_extent (mask),
                                  gegl_buffer_get_extent (photo)))
    return out;
  m = g_new (gfloat, (gsize) box.width * box.height);
  gegl_buffer_get (mask, &box, 1.0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  for (y = 0; y < box.height; y++)
    for (x = 0; x < box.width; x++)
      if (m[(gsize) y * box.width + x] >= 0.5f)
        {
          x0 = MIN (x0, x);
          y0 = MIN (y0, y);
          x1 = MAX (x1, x + 1);
          y1 = MAX (y1, y + 1);
        }
  g_free (m);
  if (x1 > x0)
    out = *GEGL_RECTANGLE (box.x + x0, box.y + y0, x1 - x0, y1 - y0);
  return out;
}

/* Tone and grain of @photo where @mask is at least 0.5. */
static gboolean
measure (GeglBuffer  *photo,
         GeglBuffer  *mask,
         double       px_per_mm,
         SmpTexture  *texture)
{
  GeglRectangle r = mask_bounds (mask, photo);
  gfloat       *y, *m;
  long          n;

  memset (texture, 0, sizeof *texture);
  if (r.width <= 0)
    return FALSE;
  y = g_new (gfloat, (gsize) r.width * r.height);
  m = g_new (gfloat, (gsize) r.width * r.height);
  gegl_buffer_get (photo, &r, 1.0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  gegl_buffer_get (mask, &r, 1.0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  n = smp_texture_measure (y, m, r.width, r.height, px_per_mm, texture);
  g_free (y);
  g_free (m);
  /* about 3 × 3 mm of skin, enough for a few dozen dots of grain */
  return n >= 9.0 * px_per_mm * px_per_mm;
}

gboolean
smp_match_buffers (GeglBuffer  *photo,
                   GeglBuffer  *reference,
                   GeglBuffer  *area,
                   double       px_per_mm,
                   int          look_id,
                   double       photo_blur_px,
                   SmpMatch    *match,
                   GError     **error)
{
  SmpLookInk     ink;
  SmpMatchTarget target;
  GeglColor     *pigment;
  gfloat         pigment_y;
  const gchar   *too_small = NULL;

  if (! measure (photo, reference, px_per_mm, &match->reference))
    too_small = _("The stubble to match is too small to read: give at least 5 × 5 mm "
                  "of the client's own stubble (sides or back).");
  else if (! measure (photo, area, px_per_mm, &match->bare))
    too_small = _("The area to treat is too small to read: select at least 5 × 5 mm "
                  "of the bare scalp.");
  if (too_small)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, too_small);
      return FALSE;
    }
  smp_match_target (&match->reference, &match->bare, &target);

  pigment = gegl_color_new ("#3d3e42");
  gegl_color_get_pixel (pigment, babl_format ("Y float"), &pigment_y);
  smp_look_ink_init (&ink, look_id, pigment_y);
  match->grain = smp_match_look (&ink, &target, px_per_mm, photo_blur_px, &match->shade);
  match->density_per_cm2 = ink.layout.density_per_cm2;
  match->darkness = ink.darkness;
  g_object_unref (pigment);
  return TRUE;
}

GeglBuffer *
smp_match_load (const gchar *path)
{
  GeglNode   *root = gegl_node_new ();
  GeglBuffer *buffer = NULL;
  GeglNode   *load = gegl_node_new_child (root, "operation", "gegl:load", "path", path, NULL);
  GeglNode   *sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink",
                                          "buffer", &buffer, NULL);

  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (root);
  if (buffer && gegl_buffer_get_extent (buffer)->width <= 0)
    g_clear_object (&buffer);
  return buffer;
}
