/* gimp-smp plug-in: the host calls that GIMP 3's and GIMP 2.10's libgimp
 * spell alike (they take no image or item), built with either.  See
 * smp-host.h. */
#include "config.h"

#include <libgimp/gimp.h>

#include "smp-host.h"

void
smp_host_gimp_progress_start (const SmpHost *host,
                              const gchar   *text)
{
  gimp_progress_init_printf ("%s", text);
}

void
smp_host_gimp_progress (gdouble  fraction,
                        gpointer data)
{
  gimp_progress_update (fraction);
}

void
smp_host_gimp_flush (const SmpHost *host)
{
  gimp_displays_flush ();
}
