/* gimp-smp plug-in: dialog pieces both GIMPs' dialogs share.  GTK only
 * (GTK 3 for GIMP 3, GTK 2 for GIMP 2.10: the calls here are in both). */
#ifndef SMP_GTK_H
#define SMP_GTK_H

#include <gtk/gtk.h>

#include "smp-plugin.h"

/* Asks where to save the batch's settings file and writes @values (of
 * plug-in-smp-density) there with the image's resolution @ppi as its
 * scale; what goes wrong is told with g_message.  For the Density
 * dialogs' Save Settings for Batch button, @parent being the button. */
void smp_gtk_save_settings (GtkWidget       *parent,
                            const SmpValues *values,
                            gdouble          ppi);

/* Once @preview (a GimpScrolledPreview of a layer of @layer_w × @layer_h
 * at @off_x, @off_y) has its size, moves it onto the middle of
 * @selection (image coordinates; empty: the layer's middle), as
 * smp_plugin_preview_origin says. */
void smp_gtk_preview_on (GtkWidget           *preview,
                         const GeglRectangle *selection,
                         gint                 off_x,
                         gint                 off_y,
                         gint                 layer_w,
                         gint                 layer_h);

#endif
