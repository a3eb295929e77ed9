/* gimp-smp: where the SMP impressions go.
 *
 * Plain C, no GEGL: the point process behind every smp: operation.
 *
 * The layout is a "progressive" hard-core process.  Candidate sites are a
 * Poisson process in the plane with a level attached to each, and a site
 * only has to keep away from candidates of a lower level, at a distance
 * that shrinks as its own level rises.  So:
 *
 *  - it is nested: a site appears once the requested density (times the
 *    mask at the dot) passes its level, and never moves or disappears as the
 *    density rises further, which is how SMP sessions add dots between the
 *    existing ones;
 *  - it is local: candidates are generated in cells keyed on absolute
 *    coordinates in mm, and whether one survives depends only on candidates
 *    within a bounded distance, whatever tile is being rendered;
 *  - the spacing at any density is blue noise scaled to that density.
 */
#ifndef SMP_LAYOUT_H
#define SMP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct
{
  double   density_per_cm2;    /* dots per cm² where the mask is 1 */
  double   regularity;         /* 0 = Poisson random .. 1 = most even */
  double   clustering;         /* share of dots in 2-3 dot groups */
  double   dot_diameter_mm;    /* mean healed diameter */
  double   size_variation;     /* coefficient of variation of the diameter */
  double   darkness_variation; /* coefficient of variation of the strength */
  uint32_t seed;
} SmpLayoutParams;

typedef struct
{
  double   x_mm;
  double   y_mm;
  double   diameter_mm;
  double   strength;           /* 1 = the nominal darkness */
  double   appears_at;         /* dots/cm²: present where density × mask > this */
} SmpDot;

typedef struct
{
  SmpDot *dots;
  size_t  n;
  size_t  allocated;
} SmpDotArray;

typedef struct
{
  SmpLayoutParams params;
  double exclusion;        /* c: exclusion radius × sqrt (candidate level) */
  double survival;         /* share of candidates that survive, any level */
  double mean_group_size;  /* dots per site */
  double group_chance;     /* chance that a site is a 2-3 dot group */
  double group_spacing_mm; /* distance between the dots of a group */
  double max_diameter_mm;  /* no dot is wider than this */
} SmpLayout;

void   smp_layout_init         (SmpLayout             *layout,
                                const SmpLayoutParams *params);

/* A rectangle of the scalp in mm: [x0, x1) × [y0, y1). */
typedef struct
{
  double x0, y0, x1, y1;
} SmpBoxMm;

/* Appends to @out every dot whose centre lies in @box and that appears
 * below @max_density (dots/cm²).  The result does not depend on the
 * rectangle: a dot is the same whichever rectangle finds it. */
void   smp_layout_collect      (const SmpLayout       *layout,
                                const SmpBoxMm        *box,
                                double                 max_density,
                                SmpDotArray           *out);

/* The exclusion coefficient for a regularity, and the share of candidates
 * that survive at that coefficient (both from the calibration table). */
double smp_layout_exclusion_for_regularity (double regularity);
double smp_layout_survival_for_exclusion   (double exclusion);

/* Calibration only: a layout that keeps every surviving site as a single
 * dot and reports candidate levels directly (appears_at = level in
 * candidates per mm²), so that a tool can measure survival and spacing. */
void   smp_layout_init_raw     (SmpLayout             *layout,
                                double                 exclusion,
                                uint32_t               seed);

void   smp_dot_array_free      (SmpDotArray           *array);

#endif
