/* gimp-smp: statistics of dot patterns, for tests, calibration and the
 * plug-in's reports.  Plain C. */
#ifndef SMP_STATS_H
#define SMP_STATS_H

#include <stddef.h>

typedef struct
{
  double x, y;
} SmpPoint;

/* Clark-Evans ratio of the points inside [x0,x1)×[y0,y1): mean distance to
 * the nearest neighbour (searched among all @points, so points near the
 * border see their outside neighbours) over 0.5 / sqrt (density). */
double smp_stats_clark_evans (const SmpPoint *points,
                              size_t          n,
                              double x0, double y0, double x1, double y1);

/* Largest ratio, over the power spectrum of the point positions on an
 * n×n frequency grid (excluding the lowest frequencies), of a bin's
 * power to the mean power of its radial ring.  A lattice gives a large
 * value; blue or white noise stays small. */
double smp_stats_spectrum_peak (const SmpPoint *points,
                                size_t          n,
                                double x0, double y0, double size,
                                int             grid);

/* Share of points that have another point within @link_distance
 * (single linkage), and that sit in a group of 2 or 3. */
double smp_stats_grouped_share (const SmpPoint *points,
                                size_t          n,
                                double          link_distance,
                                double x0, double y0, double x1, double y1);

#endif
