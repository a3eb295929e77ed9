/* gimp-smp: matching the client's own stubble, read from GEGL buffers.
 *
 * Shared by the plug-in and the smp-match command: the photo's linear
 * luminance over the reference (the stubble on the sides or back) and over
 * the area to treat (the bare skin), their tone and grain, and the density
 * and shade that make the treated area look like the stubble.
 */
#ifndef SMP_MATCH_READ_H
#define SMP_MATCH_READ_H

#include <gegl.h>

#include "smp-texture.h"

typedef struct
{
  SmpTexture reference;  /* the stubble */
  SmpTexture bare;       /* the skin to treat */
  double     density_per_cm2;
  double     shade;
  double     darkness;   /* of the cores: lowered for faint stubble */
  double     grain;      /* the grain the simulation adds */
} SmpMatch;

/* Measures @photo where @reference (a mask, 0..1) and @area are at least
 * 0.5, and chooses the values for @look (SMP_LOOK_ID_*: its cores, halo
 * and layout are kept, custom uses the ops' defaults) at @px_per_mm with
 * the photo's blur @photo_blur_px.  The masks are in the photo's
 * coordinates.  FALSE with @error when either region is too small to
 * read (under about 3 × 3 mm once 1 mm is left off its edge). */
gboolean smp_match_buffers (GeglBuffer  *photo,
                            GeglBuffer  *reference,
                            GeglBuffer  *area,
                            double       px_per_mm,
                            int          look,
                            double       photo_blur_px,
                            SmpMatch    *match,
                            GError     **error);

/* The image file @path as GEGL's loaders read it (gegl:load), or NULL
 * when it cannot be read or is empty. */
GeglBuffer *smp_match_load (const gchar *path);

#endif
