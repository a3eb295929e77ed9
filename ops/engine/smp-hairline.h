/* gimp-smp: the density field of an SMP hairline.
 *
 * Plain C, no GEGL.  The planned hairline is the 0.5 contour of a coverage
 * mask (1 behind the line, 0 in front).  The field is full density well
 * behind it, ramps down over a transition zone to a sparse edge, and ahead
 * of the line holds only a few stray single impressions.  The line that is
 * drawn wanders off the mask's contour by a smooth, non-periodic offset
 * (macro-irregularity), so it is never the straight, sharp edge that makes
 * a hairline look fake.
 */
#ifndef SMP_HAIRLINE_H
#define SMP_HAIRLINE_H

#include "smp-rect.h"
#include <stdint.h>

typedef enum
{
  SMP_HAIRLINE_SOFT,
  SMP_HAIRLINE_BROKEN,
  SMP_HAIRLINE_DEFINED,
  SMP_HAIRLINE_CUSTOM
} SmpHairlineStyle;

typedef struct
{
  double   transition_mm;          /* ramp from the edge density to full */
  double   edge_density;           /* share of full density at the line */
  double   irregularity_mm;        /* largest offset of the line off the mask edge */
  double   irregularity_scale_mm;  /* typical length of one wander along the line */
  double   strays;                 /* share of full density ahead of the line */
  uint32_t seed;
} SmpHairlineParams;

/* The preset values of a style (all but SMP_HAIRLINE_CUSTOM), keeping
 * @params->seed. */
void   smp_hairline_style          (SmpHairlineStyle   style,
                                    SmpHairlineParams *params);

/* How far (mm) from a point the mask can change the field there. */
double smp_hairline_reach_mm       (const SmpHairlineParams *params,
                                    double                   px_per_mm);

/* The line's offset off the mask edge at (x, y) mm, in -1..1 times the
 * irregularity: smooth, bounded, not periodic. */
double smp_hairline_wander         (const SmpHairlineParams *params,
                                    double                   x_mm,
                                    double                   y_mm);

/* The density field (0..1, 1 = full) for the pixels of @target of an
 * image at @px_per_mm, from @mask, the values of the pixels of
 * @mask_area.  The mask must cover the target grown by
 * smp_hairline_reach_mm; beyond it the field does not depend on it.  If
 * @signed_mm is not NULL it receives the signed distance from the mask's
 * edge (positive behind it), capped at the reach. */
void   smp_hairline_density        (const SmpHairlineParams *params,
                                    double                   px_per_mm,
                                    const float             *mask,
                                    const SmpRect           *mask_area,
                                    const SmpRect           *target,
                                    float                   *density,
                                    float                   *signed_mm);

#endif
