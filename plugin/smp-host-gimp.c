/* gimp-smp plug-in: the host interface (smp-host.h) over a GIMP image and
 * its layers, one source for GIMP 3's and GIMP 2.10's libgimp: the calls
 * are the same but for their handles' types and a few spellings, which
 * smp-gimp-compat.h gives for the GIMP built against.  See
 * smp-host-gimp.h.
 */
#include "config.h"

#include <string.h>

#include <libgimp/gimp.h>
#include <glib/gi18n.h>

#include "smp-host-gimp.h"

#define SMP_HOST_GIMP_IMAGE(host) (((const SmpHostGimp *) (host))->image)

static gboolean
smp_host_gimp_is_rgb (const SmpHost *host)
{
  return smp_gimp_compat_image_base_type (SMP_HOST_GIMP_IMAGE (host)) == GIMP_RGB;
}

static gdouble
smp_host_gimp_resolution (const SmpHost *host)
{
  gdouble xres, yres;

  gimp_image_get_resolution (SMP_HOST_GIMP_IMAGE (host), &xres, &yres);
  return xres;
}

static void
smp_host_gimp_size (const SmpHost *host,
                    gint          *width,
                    gint          *height)
{
  *width = smp_gimp_compat_image_width (SMP_HOST_GIMP_IMAGE (host));
  *height = smp_gimp_compat_image_height (SMP_HOST_GIMP_IMAGE (host));
}

static gboolean
smp_host_gimp_selection (const SmpHost *host,
                         GeglRectangle *bounds)
{
  gboolean selected;
  gint     x1, y1, x2, y2;

  if (! gimp_selection_bounds (SMP_HOST_GIMP_IMAGE (host), &selected, &x1, &y1, &x2, &y2)
      || ! selected)
    return FALSE;
  *bounds = *GEGL_RECTANGLE (x1, y1, x2 - x1, y2 - y1);
  return TRUE;
}

static GeglBuffer *
smp_host_gimp_selection_buffer (const SmpHost *host)
{
  SmpGimpCompatItem selection = gimp_image_get_selection (SMP_HOST_GIMP_IMAGE (host));

  return gimp_drawable_get_buffer (selection);
}

static gboolean
smp_host_gimp_is_layer (const SmpHost *host,
                        SmpHostItem    item)
{
  SmpGimpCompatItem handle = SMP_GIMP_COMPAT_ITEM (item);

  return smp_gimp_compat_is_layer (handle) && ! gimp_item_is_group (handle);
}

static gchar *
smp_host_gimp_name (const SmpHost *host,
                    SmpHostItem    item)
{
  return smp_gimp_compat_item_name (SMP_GIMP_COMPAT_ITEM (item));
}

static GeglBuffer *
smp_host_gimp_buffer (const SmpHost *host,
                      SmpHostItem    item,
                      GeglRectangle *place)
{
  SmpGimpCompatItem drawable = SMP_GIMP_COMPAT_ITEM (item);

  if (place)
    {
      smp_gimp_compat_drawable_offsets (drawable, &place->x, &place->y);
      place->width = smp_gimp_compat_drawable_width (drawable);
      place->height = smp_gimp_compat_drawable_height (drawable);
    }
  return gimp_drawable_get_buffer (drawable);
}

static SmpHostItem
smp_host_gimp_add_layer (const SmpHost *host,
                         SmpHostItem    like,
                         SmpHostItem    below,
                         const gchar   *name)
{
  SmpGimpCompatImage image = SMP_HOST_GIMP_IMAGE (host);
  SmpGimpCompatItem  source = SMP_GIMP_COMPAT_ITEM (like);
  SmpGimpCompatItem  layer, parent;
  gint               off_x, off_y;

  layer = gimp_layer_new (image, name, smp_gimp_compat_drawable_width (source),
                          smp_gimp_compat_drawable_height (source),
                          gimp_drawable_type_with_alpha (source), 100.0, GIMP_LAYER_MODE_NORMAL);
  parent = gimp_item_get_parent (source);
  gimp_image_insert_layer (image, layer, parent,
                           gimp_image_get_item_position (image, SMP_GIMP_COMPAT_ITEM (below)));
  smp_gimp_compat_drawable_offsets (source, &off_x, &off_y);
  gimp_layer_set_offsets (layer, off_x, off_y);
  return SMP_GIMP_COMPAT_HOST_ITEM (layer);
}

static void
smp_host_gimp_update (const SmpHost *host,
                      SmpHostItem    layer)
{
  SmpGimpCompatItem drawable = SMP_GIMP_COMPAT_ITEM (layer);

  gimp_drawable_update (drawable, 0, 0, smp_gimp_compat_drawable_width (drawable),
                        smp_gimp_compat_drawable_height (drawable));
}

static void
smp_host_gimp_attach_text (const SmpHost *host,
                           SmpHostItem    item,
                           const gchar   *name,
                           const gchar   *text)
{
  GimpParasite *parasite = gimp_parasite_new (name, GIMP_PARASITE_PERSISTENT | GIMP_PARASITE_UNDOABLE,
                                              strlen (text) + 1, text);

  if (item)
    gimp_item_attach_parasite (SMP_GIMP_COMPAT_ITEM (item), parasite);
  else
    gimp_image_attach_parasite (SMP_HOST_GIMP_IMAGE (host), parasite);
  gimp_parasite_free (parasite);
}

static GBytes *
smp_host_gimp_get_parasite (const SmpHost *host,
                            SmpHostItem    item,
                            const gchar   *name)
{
  GimpParasite *parasite = item ? gimp_item_get_parasite (SMP_GIMP_COMPAT_ITEM (item), name)
                                : gimp_image_get_parasite (SMP_HOST_GIMP_IMAGE (host), name);
  GBytes       *bytes;

  if (! parasite)
    return NULL;
  bytes = smp_gimp_compat_parasite_bytes (parasite);
  gimp_parasite_free (parasite);
  return bytes;
}

static void
smp_host_gimp_set_resolution (const SmpHost *host,
                              gdouble        ppi)
{
  gimp_image_set_resolution (SMP_HOST_GIMP_IMAGE (host), ppi, ppi);
}

static void
smp_host_gimp_undo_group (const SmpHost *host,
                          gboolean       start)
{
  if (start)
    gimp_image_undo_group_start (SMP_HOST_GIMP_IMAGE (host));
  else
    gimp_image_undo_group_end (SMP_HOST_GIMP_IMAGE (host));
}

/* Both GIMPs spell the progress bar and the displays alike. */
static void
smp_host_gimp_progress_start (const SmpHost *host,
                              const gchar   *text)
{
  gimp_progress_init_printf ("%s", text);
}

static void
smp_host_gimp_progress (gdouble  fraction,
                        gpointer data)
{
  gimp_progress_update (fraction);
}

static void
smp_host_gimp_flush (const SmpHost *host)
{
  gimp_displays_flush ();
}

static SmpHostItem *
smp_host_gimp_layers (const SmpHost *host,
                      gint          *n)
{
  return smp_gimp_compat_image_layers (SMP_HOST_GIMP_IMAGE (host), n);
}

static gboolean
smp_host_gimp_is_visible (const SmpHost *host,
                          SmpHostItem    item)
{
  return gimp_item_get_visible (SMP_GIMP_COMPAT_ITEM (item));
}

/* What the image shows, from a duplicate (the image itself gets no undo
 * step); the buffer reads the duplicate's tiles from GIMP. */
static void
smp_host_gimp_view (const SmpHost *host,
                    const gint    *hidden,
                    gint           n_hidden,
                    SmpAfter      *after,
                    gpointer      *keep)
{
  SmpGimpCompatImage dup = gimp_image_duplicate (SMP_HOST_GIMP_IMAGE (host));
  SmpGimpCompatItem  merged;
  SmpHostItem       *layers;
  gint               n, k;

  /* the duplicate's layers stand where the image's do */
  layers = smp_gimp_compat_image_layers (dup, &n);
  for (k = 0; k < n_hidden; k++)
    gimp_item_set_visible (SMP_GIMP_COMPAT_ITEM (layers[hidden[k]]), FALSE);
  g_free (layers);
  merged = gimp_image_merge_visible_layers (dup, GIMP_CLIP_TO_IMAGE);
  after->buffer = gimp_drawable_get_buffer (merged);
  smp_gimp_compat_drawable_offsets (merged, &after->x, &after->y);
  after->name = NULL;
  *keep = SMP_GIMP_COMPAT_HOST_ITEM (dup);
}

static void
smp_host_gimp_view_done (const SmpHost *host,
                         gpointer       keep)
{
  gimp_image_delete (SMP_GIMP_COMPAT_ITEM (keep));
}

/* The layout's new image: its one layer, the disclosure as the comment
 * (PNG text, JPEG COM) and as XMP, whatever is drawn.  The metadata comes
 * first: if it cannot be made, no image is (NULL). */
static SmpHostItem
smp_host_gimp_layout_image (GeglBuffer   *result,
                            const gchar  *description,
                            const gchar  *xml,
                            GError      **error)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_BEFORE_AFTER);
  GimpMetadata       *metadata = gimp_metadata_deserialize (xml);
  GimpParasite       *parasite;
  GeglBuffer         *dest;
  SmpGimpCompatImage  out;
  SmpGimpCompatItem   layer;
  gint                w, h;

  if (! metadata)
    {
      g_set_error_literal (error, SMP_GIMP_COMPAT_ERROR, SMP_GIMP_COMPAT_ERROR_CODE,
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
  gimp_image_insert_layer (out, layer, SMP_GIMP_COMPAT_NO_PARENT, 0);
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
  return SMP_GIMP_COMPAT_HOST_ITEM (out);
}

static SmpHostItem
smp_host_gimp_new_image (const SmpHost *host,
                         GeglBuffer    *layout,
                         const gchar   *description,
                         const gchar   *xml,
                         GError       **error)
{
  SmpHostItem out = smp_host_gimp_layout_image (layout, description, xml, error);

  if (out && host->interactive)
    gimp_display_new (SMP_GIMP_COMPAT_ITEM (out));
  return out;
}

void
smp_host_gimp_init (SmpHostGimp        *host,
                    SmpGimpCompatImage  image,
                    const SmpHostItem  *sources,
                    gint                n_sources,
                    gboolean            interactive)
{
  static const SmpHost calls =
  {
    .is_rgb = smp_host_gimp_is_rgb,
    .resolution = smp_host_gimp_resolution,
    .size = smp_host_gimp_size,
    .selection = smp_host_gimp_selection,
    .selection_buffer = smp_host_gimp_selection_buffer,
    .is_layer = smp_host_gimp_is_layer,
    .name = smp_host_gimp_name,
    .buffer = smp_host_gimp_buffer,
    .add_layer = smp_host_gimp_add_layer,
    .update = smp_host_gimp_update,
    .attach_text = smp_host_gimp_attach_text,
    .get_parasite = smp_host_gimp_get_parasite,
    .set_resolution = smp_host_gimp_set_resolution,
    .undo_group = smp_host_gimp_undo_group,
    .progress_start = smp_host_gimp_progress_start,
    .progress = smp_host_gimp_progress,
    .flush = smp_host_gimp_flush,
    .layers = smp_host_gimp_layers,
    .is_visible = smp_host_gimp_is_visible,
    .view = smp_host_gimp_view,
    .view_done = smp_host_gimp_view_done,
    .new_image = smp_host_gimp_new_image,
  };

  host->host = calls;
  host->image = image;
  host->host.sources = sources;
  host->host.n_sources = n_sources;
  host->host.interactive = interactive;
}
