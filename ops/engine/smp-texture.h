/* gimp-smp: what a patch of scalp looks like, in two numbers: its tone at
 * a distance and its grain.  Plain C, no GEGL.
 *
 * Practitioners match the treated area to the client's own stubble on the
 * sides and back.  From across a room the match is the tone (the light the
 * stubble takes away); from conversation distance it is also the grain
 * (how coarse and contrasty the dark specks are).  Both are measured here
 * on linear luminance, so that a test, the plug-in and the command line
 * all read a photo the same way, and both are chosen here for a simulation
 * (density and shade) that gives them.
 */
#ifndef SMP_TEXTURE_H
#define SMP_TEXTURE_H

#include "smp-layout.h"
#include "smp-look.h"

/* The band-pass that defines grain: Y blurred by a Gaussian of 0.1 mm
 * minus Y blurred by one of 0.5 mm (features about 0.2-1 mm across),
 * relative to the latter (so shading and skin colour drop out). */
#define SMP_GRAIN_FINE_MM    0.1
#define SMP_GRAIN_COARSE_MM  0.5

typedef struct
{
  double mean_y;   /* mean linear luminance over the region */
  double grain;    /* standard deviation of the relative band-pass */
  long   pixels;   /* pixels measured (the region less a border) */
} SmpTexture;

/* Measures the pixels of a w×h linear-luminance image @y where @mask
 * (w×h, may be NULL: all) is at least 0.5 and that lie 1 mm or more
 * inside that region (the band-pass is not read across its edge).
 * Returns the number of pixels measured. */
long   smp_texture_measure (const float *y,
                            const float *mask,
                            int          w,
                            int          h,
                            double       px_per_mm,
                            SmpTexture  *out);

/* What a simulation must give to look like a reference patch. */
typedef struct
{
  double shade;            /* 1 - the reference's tone over the bare skin's */
  double grain;            /* the grain the dots must add, over the bare skin's own */
} SmpMatchTarget;

/* The target from the reference (stubble) and the bare skin to treat. */
void   smp_match_target    (const SmpTexture *reference,
                            const SmpTexture *bare,
                            SmpMatchTarget   *target);

/* The grain a simulation @look with @halo_strength adds to flat skin at
 * @px_per_mm, with the photo's blur @photo_blur_px (a rendered patch). */
double smp_match_grain     (const SmpLookInk *look,
                            double            halo_strength,
                            double            px_per_mm,
                            double            photo_blur_px);

/* Chooses the density (10-400 dots/cm²) and shade of @look (its other
 * values kept, but the cores' darkness lowered where they alone would be
 * darker than the stubble) so that at @px_per_mm it gives @target's tone
 * and grain.  More dots at the same shade give a finer, weaker grain, so
 * one search over the density settles it.  Returns the grain reached. */
double smp_match_look      (SmpLookInk           *look,
                            const SmpMatchTarget *target,
                            double                px_per_mm,
                            double                photo_blur_px,
                            double               *shade);

#endif
