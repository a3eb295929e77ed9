/* gimp-smp plug-in: the host interface (smp-host.h) over a GIMP image,
 * written once for GIMP 3 and GIMP 2.10 (smp-host-gimp.c, built with the
 * GIMP's own libgimp; what the two spell differently is in
 * smp-gimp-compat.h).  smp-gimp3.c and smp-gimp2.c only make one from
 * their run's image and drawables.
 */
#ifndef SMP_HOST_GIMP_H
#define SMP_HOST_GIMP_H

#include "smp-host.h"
#include "smp-gimp-compat.h"

typedef struct
{
  SmpHost            host;
  SmpGimpCompatImage image;
} SmpHostGimp;

/* @host over @image, working on @sources (GIMP 3's drawables, GIMP
 * 2.10's drawable as host items), which it keeps, not copies: they
 * outlive it.  @interactive: displays are flushed, a new image shown. */
void smp_host_gimp_init (SmpHostGimp        *host,
                         SmpGimpCompatImage  image,
                         const SmpHostItem  *sources,
                         gint                n_sources,
                         gboolean            interactive);

#endif
