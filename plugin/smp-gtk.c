/* gimp-smp plug-in: dialog pieces both GIMPs' dialogs share.  See
 * smp-gtk.h. */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "smp-gtk.h"
#include "smp-batch.h"

#include <libgimpwidgets/gimpwidgets.h>

void
smp_gtk_save_settings (GtkWidget       *parent,
                       const SmpValues *values,
                       gdouble          ppi)
{
  GtkWidget *chooser;
  GError    *error = NULL;
  gdouble    px_per_mm = 0.0;
  gchar     *path;

  chooser = gtk_file_chooser_dialog_new (_("Save Settings for Batch"),
                                         GTK_WINDOW (gtk_widget_get_toplevel (parent)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Cancel"), GTK_RESPONSE_CANCEL,
                                         _("_Save"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "settings.ini");
  if (gtk_dialog_run (GTK_DIALOG (chooser)) == GTK_RESPONSE_ACCEPT)
    {
      path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      if (smp_plugin_scale (ppi, &px_per_mm, &error))
        smp_batch_write_settings (path, values, px_per_mm, &error);
      if (error)
        g_message (_("The settings were not saved: %s"), error->message);
      g_clear_error (&error);
      g_free (path);
    }
  gtk_widget_destroy (chooser);
}

/* The "Show original" check button under a preview, set by
 * smp_gtk_preview_box. */
#define SMP_GTK_ORIGINAL "smp-gtk-original"

GtkWidget *
smp_gtk_preview_box (GtkWidget *preview)
{
  GtkWidget *box = gtk_vbox_new (FALSE, 6);
  GtkWidget *original = gtk_check_button_new_with_mnemonic (_("Show _original"));

  gtk_widget_set_tooltip_text (original, _("The photo as it is, to compare with the result"));
  gtk_box_pack_start (GTK_BOX (box), preview, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), original, FALSE, FALSE, 0);
  g_object_set_data (G_OBJECT (preview), SMP_GTK_ORIGINAL, original);
  g_signal_connect_swapped (original, "toggled", G_CALLBACK (gimp_preview_invalidate), preview);
  gtk_widget_show_all (box);
  return box;
}

/* The 8-bit format and GIMP image type a preview area draws for a layer
 * in @format (the layer's own may be 16-bit or float). */
static const Babl *
smp_gtk_preview_format (const Babl    *format,
                        GimpImageType *type)
{
  gboolean alpha = babl_format_has_alpha (format);

  if (babl_format_get_n_components (format) <= 2)
    {
      *type = alpha ? GIMP_GRAYA_IMAGE : GIMP_GRAY_IMAGE;
      return babl_format (alpha ? "Y'A u8" : "Y' u8");
    }
  *type = alpha ? GIMP_RGBA_IMAGE : GIMP_RGB_IMAGE;
  return babl_format (alpha ? "R'G'B'A u8" : "R'G'B' u8");
}

void
smp_gtk_preview_draw (GtkWidget            *preview,
                      gdouble               zoom,
                      const GeglRectangle  *extents,
                      const SmpRenderInput *in)
{
  GtkWidget    *original = g_object_get_data (G_OBJECT (preview), SMP_GTK_ORIGINAL);
  GimpImageType type;
  const Babl   *format = smp_gtk_preview_format (gegl_buffer_get_format (in->source), &type);
  gint          x, y, w, h, bpp = babl_format_get_bytes_per_pixel (format);
  gdouble       scale;
  guchar       *pixels;

  gimp_preview_get_position (GIMP_PREVIEW (preview), &x, &y);
  gimp_preview_get_size (GIMP_PREVIEW (preview), &w, &h);
  /* at zoom 1 the preview's width holds the extents' (GimpZoomPreview) */
  scale = smp_plugin_preview_scale (zoom, w, extents->width);
  pixels = g_malloc0 ((gsize) w * h * bpp);
  if (smp_plugin_render_scaled (in, scale,
                                GEGL_RECTANGLE ((gint) floor (extents->x * scale) + x,
                                                (gint) floor (extents->y * scale) + y, w, h),
                                original && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (original)),
                                format, pixels, NULL))
    /* drawn as it is: gimp_preview_draw_buffer would blend it with the
     * photo by the selection, fading the dots a feather only thins */
    gimp_preview_area_draw (GIMP_PREVIEW_AREA (gimp_preview_get_area (GIMP_PREVIEW (preview))),
                            0, 0, w, h, type, pixels, w * bpp);
  g_free (pixels);
}
