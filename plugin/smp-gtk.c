/* gimp-smp plug-in: dialog pieces both GIMPs' dialogs share.  See
 * smp-gtk.h. */
#include "config.h"

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

typedef struct
{
  GeglRectangle selection;
  gint          off_x, off_y, layer_w, layer_h;
} PreviewOn;

static void
smp_gtk_preview_allocated (GtkWidget     *preview,
                           GtkAllocation *allocation,
                           PreviewOn     *on)
{
  gint x, y, w, h;

  g_signal_handlers_disconnect_by_func (preview, smp_gtk_preview_allocated, on);
  gimp_preview_get_size (GIMP_PREVIEW (preview), &w, &h);
  smp_plugin_preview_origin (&on->selection, on->off_x, on->off_y, on->layer_w, on->layer_h,
                             w, h, &x, &y);
  gimp_scrolled_preview_set_position (GIMP_SCROLLED_PREVIEW (preview), x, y);
}

void
smp_gtk_preview_on (GtkWidget           *preview,
                    const GeglRectangle *selection,
                    gint                 off_x,
                    gint                 off_y,
                    gint                 layer_w,
                    gint                 layer_h)
{
  PreviewOn *on = g_new (PreviewOn, 1);

  *on = (PreviewOn) { *selection, off_x, off_y, layer_w, layer_h };
  /* the preview's scroll range is known only once it is allocated */
  g_signal_connect_data (preview, "size-allocate", G_CALLBACK (smp_gtk_preview_allocated), on,
                         (GClosureNotify) g_free, G_CONNECT_AFTER);
}
