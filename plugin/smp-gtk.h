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

/* A box holding @preview and, under it, a "Show original" check button
 * that shows the photo untouched, for comparing before and after. */
GtkWidget *smp_gtk_preview_box  (GtkWidget           *preview);

/* Draws into @preview (a GimpZoomPreview of @in's layer at @zoom, whose
 * zoom 1 shows @extents, layer coordinates) exactly what the new layer
 * will hold there, or the photo under "Show original": the op rendered
 * at the preview's scale, so GEGL reads the mipmap level that scale
 * needs (smp_plugin_render_scaled). */
void       smp_gtk_preview_draw (GtkWidget            *preview,
                                 gdouble               zoom,
                                 const GeglRectangle  *extents,
                                 const SmpRenderInput *in);

#endif
