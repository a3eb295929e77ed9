/* gimp-smp: measures the calibration table of ops/engine/smp-layout.c.
 *
 * For each exclusion coefficient it generates the raw candidate process
 * over a large square, counts the sites that survive below one level and
 * measures their Clark-Evans ratio.  The rule is scale-invariant, so one
 * level is enough.  Run it after changing the layout rule and paste its
 * output into the table; tests/test-layout checks the result. */
#include "smp-layout.h"
#include "smp-stats.h"

#include <stdio.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
  const double level = 1.0, side = argc > 1 ? atof (argv[1]) : 160.0;
  double c;

  for (c = 0.0; c <= 2.0001; c += 0.1)
    {
      double   survival = 0.0, ce = 0.0;
      int      s, seeds = 8;

      for (s = 0; s < seeds; s++)
        {
          SmpLayout   layout;
          SmpDotArray dots = { 0 };
          SmpPoint   *pts;
          size_t      i;

          smp_layout_init_raw (&layout, c, 1000 + s);
          smp_layout_collect (&layout, &(SmpBoxMm) { 0, 0, side, side }, level, &dots);
          pts = malloc (sizeof (SmpPoint) * (dots.n + 1));
          for (i = 0; i < dots.n; i++)
            {
              pts[i].x = dots.dots[i].x_mm;
              pts[i].y = dots.dots[i].y_mm;
            }
          survival += dots.n / (level * side * side) / seeds;
          ce += smp_stats_clark_evans (pts, dots.n, 5, 5, side - 5, side - 5) / seeds;
          free (pts);
          smp_dot_array_free (&dots);
        }
      printf ("  { %.2f,   %.4f,   %.3f },\n", c, survival, ce);
    }
  return 0;
}
