/* gimp-smp plug-in: dialog pieces both GIMPs' dialogs share.  See
 * smp-gtk.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "smp-gtk.h"
#include "smp-batch.h"

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
