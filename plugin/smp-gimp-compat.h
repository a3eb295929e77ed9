/* gimp-smp plug-in: what GIMP 3's and GIMP 2.10's libgimp do not spell
 * alike, for the host calls written once in smp-host-gimp.c.
 *
 * GIMP 3 hands out objects (GimpImage, GimpLayer, GimpDrawable...), GIMP
 * 2.10 integer IDs; SmpGimpCompatImage and SmpGimpCompatItem are the one
 * or the other.  GIMP 3's item is a gpointer, which every libgimp call
 * takes as its own item, drawable or layer without a cast.  Besides the
 * handles: the calls GIMP 2.10 names otherwise (macros), and the few
 * that differ in more than their names (inline functions), each written
 * as the GIMP built against has it.
 */
#ifndef SMP_GIMP_COMPAT_H
#define SMP_GIMP_COMPAT_H

#include <libgimp/gimp.h>
#include <glib/gi18n.h>

#include "smp-host.h"

#if GIMP_CHECK_VERSION (2, 99, 0)

typedef GimpImage *SmpGimpCompatImage;
typedef gpointer   SmpGimpCompatItem;

/* an SmpHostItem (or a kept gpointer) as libgimp's handle, and back */
#define SMP_GIMP_COMPAT_ITEM(host_item)  (host_item)
#define SMP_GIMP_COMPAT_HOST_ITEM(item)  ((SmpHostItem) (item))
/* gimp_image_insert_layer's parent for the image's top level */
#define SMP_GIMP_COMPAT_NO_PARENT        NULL
#define SMP_GIMP_COMPAT_ERROR            GIMP_PLUG_IN_ERROR
#define SMP_GIMP_COMPAT_ERROR_CODE       0

/* the calls GIMP 2.10 spells otherwise */
#define smp_gimp_compat_image_base_type   gimp_image_get_base_type
#define smp_gimp_compat_image_width       gimp_image_get_width
#define smp_gimp_compat_image_height      gimp_image_get_height
#define smp_gimp_compat_drawable_width    gimp_drawable_get_width
#define smp_gimp_compat_drawable_height   gimp_drawable_get_height
#define smp_gimp_compat_drawable_offsets  gimp_drawable_get_offsets

/* a layer: not a channel, a mask or anything else GIMP has */
static inline gboolean
smp_gimp_compat_is_layer (SmpGimpCompatItem item)
{
  return GIMP_IS_LAYER (item);
}

/* its name, to g_free (GIMP 3 keeps its own) */
static inline gchar *
smp_gimp_compat_item_name (SmpGimpCompatItem item)
{
  return g_strdup (gimp_item_get_name (item));
}

static inline GBytes *
smp_gimp_compat_parasite_bytes (const GimpParasite *parasite)
{
  guint32       size = 0;
  gconstpointer data = gimp_parasite_get_data (parasite, &size);

  return g_bytes_new (data, size);
}

/* the image's layers, top first, as host items (g_free the array) */
static inline SmpHostItem *
smp_gimp_compat_image_layers (SmpGimpCompatImage  image,
                              gint               *n)
{
  GimpLayer **layers = gimp_image_get_layers (image);

  for (*n = 0; layers && layers[*n]; (*n)++)
    ;
  return (SmpHostItem *) layers;
}

#else /* GIMP 2.10 */

typedef gint32 SmpGimpCompatImage;
typedef gint32 SmpGimpCompatItem;

#define SMP_GIMP_COMPAT_ITEM(host_item)  GPOINTER_TO_INT (host_item)
#define SMP_GIMP_COMPAT_HOST_ITEM(item)  GINT_TO_POINTER (item)
#define SMP_GIMP_COMPAT_NO_PARENT        0
/* GIMP 2.10's libgimp has no error domain of its own */
#define SMP_GIMP_COMPAT_ERROR            G_FILE_ERROR
#define SMP_GIMP_COMPAT_ERROR_CODE       G_FILE_ERROR_INVAL

#define smp_gimp_compat_image_base_type   gimp_image_base_type
#define smp_gimp_compat_image_width       gimp_image_width
#define smp_gimp_compat_image_height      gimp_image_height
#define smp_gimp_compat_drawable_width    gimp_drawable_width
#define smp_gimp_compat_drawable_height   gimp_drawable_height
#define smp_gimp_compat_drawable_offsets  gimp_drawable_offsets

/* an ID names anything, or nothing any more: asked first */
static inline gboolean
smp_gimp_compat_is_layer (SmpGimpCompatItem item)
{
  return gimp_item_is_valid (item) && gimp_item_is_layer (item);
}

/* its name, to g_free; an ID that is no item's is named by its number */
static inline gchar *
smp_gimp_compat_item_name (SmpGimpCompatItem item)
{
  return gimp_item_is_valid (item) ? gimp_item_get_name (item)
                                   : g_strdup_printf (_("Drawable %d"), item);
}

static inline GBytes *
smp_gimp_compat_parasite_bytes (const GimpParasite *parasite)
{
  return g_bytes_new (gimp_parasite_data (parasite), gimp_parasite_data_size (parasite));
}

/* the image's layers, top first, as host items (g_free the array) */
static inline SmpHostItem *
smp_gimp_compat_image_layers (SmpGimpCompatImage  image,
                              gint               *n)
{
  gint32      *ids = gimp_image_get_layers (image, n);
  SmpHostItem *layers = g_new (SmpHostItem, MAX (*n, 1));
  gint         k;

  for (k = 0; k < *n; k++)
    layers[k] = GINT_TO_POINTER (ids[k]);
  g_free (ids);
  return layers;
}

#endif

#endif
