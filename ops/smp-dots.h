/* gimp-smp: the GEGL side of drawing SMP impressions, shared by the smp:
 * operations.  Layout and ink are in engine/; this file only moves pixels
 * between GEGL buffers and them. */
#ifndef SMP_DOTS_H
#define SMP_DOTS_H

#include <gegl.h>

#include "smp-layout.h"
#include "smp-ink.h"

typedef struct
{
  SmpLayoutParams layout;
  double          px_per_mm;
  double          darkness;
  double          softness_mm;
  double          cool_shift;
  GeglColor      *pigment;
} SmpDotsParams;

/* How far (pixels at level 0) a dot can reach from its centre. */
gint     smp_dots_reach_px (const SmpDotsParams *params);

/* Renders @roi (level coordinates) of @output: @input with the dots whose
 * density threshold lies below density × @mask (mask read at each dot's
 * centre; NULL means 1 everywhere).  @format is the input's own format:
 * pixels no dot reaches are copied bit for bit, never converted. */
gboolean smp_dots_process  (const SmpDotsParams *params,
                            const Babl          *format,
                            GeglBuffer          *input,
                            GeglBuffer          *mask,
                            GeglBuffer          *output,
                            const GeglRectangle *roi,
                            gint                 level);

#endif
