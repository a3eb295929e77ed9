/* gimp-smp: the point process measured directly (ops/engine/smp-layout.c).
 *
 * Fast checks over many settings that would take minutes through
 * rendered images: density over the whole range, spacing statistics,
 * the power spectrum, follicular groups, nesting and locality. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "smp-layout.h"
#include "smp-stats.h"

static SmpDotArray
collect (double      density,
         double      regularity,
         double      clustering,
         uint32_t    seed,
         double x0, double y0, double x1, double y1)
{
  SmpLayoutParams p = { density, regularity, clustering, 0.15, 0.25, 0.15, seed };
  SmpLayout       layout;
  SmpDotArray     dots = { 0 };

  smp_layout_init (&layout, &p);
  smp_layout_collect (&layout, &(SmpBoxMm) { x0, y0, x1, y1 }, density, &dots);
  return dots;
}

static SmpPoint *
points_of (const SmpDotArray *dots)
{
  SmpPoint *p = g_new (SmpPoint, dots->n + 1);
  size_t    i;

  for (i = 0; i < dots->n; i++)
    {
      p[i].x = dots->dots[i].x_mm;
      p[i].y = dots->dots[i].y_mm;
    }
  return p;
}

/* Dots per cm² within ± 5 % of the request, over the whole slider range
 * of density, regularity and clustering. */
static void
test_density_range (void)
{
  double densities[] = { 10, 45, 90, 150, 250 };
  double regularities[] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
  double clusterings[] = { 0.0, 0.3, 0.8 };
  int    d, r, c;

  for (d = 0; d < 5; d++)
    for (r = 0; r < 5; r++)
      for (c = 0; c < 3; c++)
        {
          /* enough area for about 20 000 dots, so counting noise is < 1 % */
          double      side = sqrt (20000.0 / densities[d]) * 10.0;
          SmpDotArray dots = collect (densities[d], regularities[r], clusterings[c],
                                      (uint32_t) (d * 100 + r * 10 + c), 0, 0, side, side);
          double      per_cm2 = dots.n / (side * side / 100.0);

          if (fabs (per_cm2 / densities[d] - 1.0) > 0.02)
            g_test_message ("density %.0f regularity %.2f clustering %.1f: %.1f/cm²",
                            densities[d], regularities[r], clusterings[c], per_cm2);
          g_assert_cmpfloat (fabs (per_cm2 / densities[d] - 1.0), <=, 0.05);
          smp_dot_array_free (&dots);
        }
}

/* Clark-Evans R: about 1 at regularity 0, in [1.3, 1.7] at the default,
 * rising with regularity. */
static void
test_clark_evans (void)
{
  double regularities[] = { 0.0, 0.5, 1.0 }, last = 0.0;
  int    r, d;

  for (d = 0; d < 2; d++)
    for (r = 0; r < 3; r++)
      {
        double      density = d ? 40.0 : 120.0;
        double      side = 150.0;
        SmpDotArray dots = collect (density, regularities[r], 0.0, 77 + d, 0, 0, side, side);
        SmpPoint   *p = points_of (&dots);
        double      ce = smp_stats_clark_evans (p, dots.n, 5, 5, side - 5, side - 5);

        g_test_message ("density %.0f regularity %.1f: R = %.3f", density, regularities[r], ce);
        if (r == 0)
          {
            g_assert_cmpfloat (ce, >=, 0.9);
            g_assert_cmpfloat (ce, <=, 1.1);
          }
        else if (r == 1)
          {
            g_assert_cmpfloat (ce, >=, 1.3);
            g_assert_cmpfloat (ce, <=, 1.7);
          }
        else
          g_assert_cmpfloat (ce, >, last);
        last = ce;
        g_free (p);
        smp_dot_array_free (&dots);
      }
}

/* Never a grid: no bin of the power spectrum of the dot centres exceeds
 * 25 × the mean of its ring, at any setting. */
static void
test_no_lattice (void)
{
  double regularities[] = { 0.0, 0.5, 1.0 }, clusterings[] = { 0.0, 0.3 };
  int    r, c;

  for (r = 0; r < 3; r++)
    for (c = 0; c < 2; c++)
      {
        /* 60 mm at 90/cm² is about 3200 dots; 200 frequencies per side
         * reach 1.7 cycles/mm, beyond the spacing's own frequency */
        SmpDotArray dots = collect (90, regularities[r], clusterings[c], 5, 0, 0, 60, 60);
        SmpPoint   *p = points_of (&dots);
        double      peak = smp_stats_spectrum_peak (p, dots.n, 0, 0, 60, 200);

        g_test_message ("regularity %.1f clustering %.1f: spectrum peak %.1f × ring mean",
                        regularities[r], clusterings[c], peak);
        g_assert_cmpfloat (peak, <, 25.0);
        g_free (p);
        smp_dot_array_free (&dots);
      }

  /* and the measure does see a lattice: a jittered grid fails it */
  {
    SmpPoint *grid = g_new (SmpPoint, 3600);
    GRand    *rand = g_rand_new_with_seed (1);
    int       i;

    for (i = 0; i < 3600; i++)
      {
        grid[i].x = (i % 60 + 0.5 + 0.2 * (g_rand_double (rand) - 0.5));
        grid[i].y = (i / 60 + 0.5 + 0.2 * (g_rand_double (rand) - 0.5));
      }
    g_assert_cmpfloat (smp_stats_spectrum_peak (grid, 3600, 0, 0, 60, 200), >, 100.0);
    g_rand_free (rand);
    g_free (grid);
  }
}

/* The share of dots in 2-3 dot groups matches clustering ± 0.05. */
static void
test_groups (void)
{
  double shares[] = { 0.0, 0.15, 0.3, 0.6 }, densities[] = { 45, 90, 150 };
  int    s, d;

  for (d = 0; d < 3; d++)
    for (s = 0; s < 4; s++)
      {
        SmpDotArray dots = collect (densities[d], 0.5, shares[s], 31, 0, 0, 100, 100);
        SmpPoint   *p = points_of (&dots);
        /* group members sit 0.3 mm apart (±15 %); 0.36 mm links them */
        double      share = smp_stats_grouped_share (p, dots.n, 0.36, 2, 2, 98, 98);

        g_test_message ("density %.0f clustering %.2f: %.3f of dots in groups of 2-3",
                        densities[d], shares[s], share);
        g_assert_cmpfloat (fabs (share - shares[s]), <=, 0.05);
        g_free (p);
        smp_dot_array_free (&dots);
      }
}

static gboolean
contains (const SmpDotArray *dots,
          const SmpDot      *dot)
{
  size_t i;

  for (i = 0; i < dots->n; i++)
    if (dots->dots[i].x_mm == dot->x_mm && dots->dots[i].y_mm == dot->y_mm
        && dots->dots[i].diameter_mm == dot->diameter_mm)
      return TRUE;
  return FALSE;
}

/* Nested in density and independent of the rectangle asked for, also far
 * from the origin. */
static void
test_nested_and_local (void)
{
  double      ox = 12345.6, oy = -7890.1;
  SmpDotArray low = collect (45, 0.5, 0.3, 9, ox, oy, ox + 40, oy + 40);
  SmpDotArray high = collect (90, 0.5, 0.3, 9, ox, oy, ox + 40, oy + 40);
  SmpDotArray part = collect (90, 0.5, 0.3, 9, ox + 13.3, oy + 7.1, ox + 21.9, oy + 30.2);
  size_t      i, inside = 0;

  g_assert_cmpuint (low.n, >, 500);
  for (i = 0; i < low.n; i++)
    g_assert_true (contains (&high, &low.dots[i]));
  for (i = 0; i < part.n; i++)
    g_assert_true (contains (&high, &part.dots[i]));
  for (i = 0; i < high.n; i++)
    inside += high.dots[i].x_mm >= ox + 13.3 && high.dots[i].x_mm < ox + 21.9
              && high.dots[i].y_mm >= oy + 7.1 && high.dots[i].y_mm < oy + 30.2;
  g_assert_cmpuint (inside, ==, part.n);
  smp_dot_array_free (&low);
  smp_dot_array_free (&high);
  smp_dot_array_free (&part);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/layout/density-range", test_density_range);
  g_test_add_func ("/layout/clark-evans", test_clark_evans);
  g_test_add_func ("/layout/no-lattice", test_no_lattice);
  g_test_add_func ("/layout/groups", test_groups);
  g_test_add_func ("/layout/nested-and-local", test_nested_and_local);
  return g_test_run ();
}
