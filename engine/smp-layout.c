/* gimp-smp: where the SMP impressions go.  See smp-layout.h. */
#include "smp-layout.h"
#include "smp-random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Candidate levels are in candidates per mm².  Below LEVEL_FLOOR (a site
 * density of about one per cm²) the exclusion radius stops growing, which
 * is what bounds the halo a tile needs. */
#define LEVEL_FLOOR   0.01
/* Cell size in units of the spacing of a band's lowest level. */
#define CELL_SCALE    1.0
#define MAX_PER_CELL  24
#define MAX_BANDS     24

enum
{
  STREAM_CELL = 1,
  STREAM_SITE = 2,
  STREAM_DOT  = 3
};

/* Measured by tests/smp-calibrate (200 mm squares, 8 seeds): for an
 * exclusion coefficient c, the share of candidates that survive and the
 * Clark-Evans ratio of the survivors.  Neither depends on the level,
 * because the rule is scale-invariant; that is why one number per c turns
 * a density in dots/cm² into a candidate level exactly.  Past c = 2 the
 * pattern gets hardly more even while the candidates per dot keep rising. */
static const double calibration[][3] =
{
  /* c      survival  Clark-Evans R */
  { 0.00,   1.0000,   1.000 },
  { 0.10,   0.9722,   1.035 },
  { 0.20,   0.8921,   1.108 },
  { 0.30,   0.7864,   1.188 },
  { 0.40,   0.6774,   1.259 },
  { 0.50,   0.5782,   1.321 },
  { 0.60,   0.4926,   1.369 },
  { 0.70,   0.4213,   1.410 },
  { 0.80,   0.3623,   1.443 },
  { 0.90,   0.3132,   1.472 },
  { 1.00,   0.2731,   1.496 },
  { 1.10,   0.2402,   1.516 },
  { 1.20,   0.2128,   1.534 },
  { 1.30,   0.1894,   1.549 },
  { 1.40,   0.1700,   1.562 },
  { 1.50,   0.1529,   1.573 },
  { 1.60,   0.1380,   1.584 },
  { 1.70,   0.1255,   1.593 },
  { 1.80,   0.1148,   1.601 },
  { 1.90,   0.1052,   1.610 },
  { 2.00,   0.0967,   1.614 },
};
#define N_CALIBRATION (sizeof (calibration) / sizeof (calibration[0]))

typedef struct
{
  double   x, y, level;
  uint64_t key;
  int8_t   status;       /* -1 not known yet, else survives or not */
} Candidate;

/* One generated cell of one level band, found through an open-addressing
 * hash table keyed on (band, cell x, cell y). */
typedef struct
{
  int64_t  cx, cy;
  int32_t  band;         /* -1: empty slot */
  uint32_t first, count;
} Cell;

typedef struct
{
  const SmpLayout *layout;
  double     max_level;
  int        nbands;
  Cell      *cells;
  size_t     ncells, cells_used;
  Candidate *cand;
  size_t     ncand, cand_allocated;
} Field;

double
smp_layout_exclusion_for_regularity (double regularity)
{
  /* 0 gives a Poisson pattern (R = 1), 0.5 the R of about 1.5 that
   * natural SMP shows, 1 the most even the table holds (R about 1.6) */
  return 2.0 * fmin (fmax (regularity, 0.0), 1.0);
}

double
smp_layout_survival_for_exclusion (double c)
{
  size_t i;

  for (i = 1; i < N_CALIBRATION; i++)
    if (calibration[i][0] >= c)
      {
        /* survival falls roughly exponentially: interpolate its log */
        double t = (c - calibration[i - 1][0])
                   / (calibration[i][0] - calibration[i - 1][0]);
        return exp ((1 - t) * log (calibration[i - 1][1]) + t * log (calibration[i][1]));
      }
  return calibration[N_CALIBRATION - 1][1];
}

static double
clampd (double v, double lo, double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

void
smp_layout_init (SmpLayout             *layout,
                 const SmpLayoutParams *params)
{
  /* Groups are 2 or 3 dots, in the 45:30 ratio that two- and three-hair
   * follicular units have on a natural scalp. */
  const double share2 = 0.6, group_mean = 2.0 * share2 + 3.0 * (1.0 - share2);
  double s;

  memset (layout, 0, sizeof (*layout));
  layout->params = *params;
  layout->exclusion = smp_layout_exclusion_for_regularity (params->regularity);
  layout->survival = smp_layout_survival_for_exclusion (layout->exclusion);

  /* share s of dots in groups: s = q m / (1 - q + q m), solved for q */
  s = clampd (params->clustering, 0.0, 1.0);
  layout->group_chance = s / (group_mean - s * (group_mean - 1.0));
  layout->mean_group_size = 1.0 + layout->group_chance * (group_mean - 1.0);
  /* the dots of a group sit about two diameters apart, as hairs of one
   * follicular unit do, whatever the density */
  layout->group_spacing_mm = fmax (2.0 * params->dot_diameter_mm, 0.25);
  layout->max_diameter_mm = 3.0 * params->dot_diameter_mm;
}

void
smp_layout_init_raw (SmpLayout *layout,
                     double     exclusion,
                     uint32_t   seed)
{
  memset (layout, 0, sizeof (*layout));
  layout->params.seed = seed;
  layout->params.dot_diameter_mm = 0.1;
  layout->exclusion = exclusion;
  layout->survival = 0.0;       /* marks the raw mode */
  layout->mean_group_size = 1.0;
  layout->max_diameter_mm = 0.1;
}

/* Poisson count with mean mu from one uniform, by inversion. */
static int
poisson_count (double mu,
               double u)
{
  double p = exp (-mu), cdf = p;
  int    k = 0;

  while (u > cdf && k < MAX_PER_CELL)
    {
      k++;
      p *= mu / k;
      cdf += p;
    }
  return k;
}

static void
band_geometry (const SmpLayout *layout,
               int              band,
               double          *lo,
               double          *hi,
               double          *cell_mm)
{
  *lo = band == 0 ? 0.0 : LEVEL_FLOOR * ldexp (1.0, band - 1);
  *hi = LEVEL_FLOOR * ldexp (1.0, band);
  /* a cell is as wide as the largest exclusion radius in its band, so a
   * neighbour search never looks further than the 3×3 cells around */
  *cell_mm = fmax (layout->exclusion, CELL_SCALE) / sqrt (fmax (*lo, LEVEL_FLOOR));
}

static size_t
cell_hash (int band, int64_t cx, int64_t cy)
{
  return (size_t) smp_mix64 ((uint64_t) band * UINT64_C (0x9e3779b97f4a7c15)
                             ^ (uint64_t) cx * UINT64_C (0xc2b2ae3d27d4eb4f)
                             ^ (uint64_t) cy);
}

static void field_generate (Field *field, Cell *cell);

/* The cell (band, cx, cy), generated on first use. */
static Cell *
field_cell (Field   *field,
            int      band,
            int64_t  cx,
            int64_t  cy)
{
  size_t mask, i;

  if (2 * (field->cells_used + 1) > field->ncells)
    {
      Cell  *old = field->cells;
      size_t nold = field->ncells, k;

      field->ncells = nold ? 2 * nold : 1024;
      field->cells = malloc (sizeof (Cell) * field->ncells);
      for (k = 0; k < field->ncells; k++)
        field->cells[k].band = -1;
      for (k = 0; k < nold; k++)
        if (old[k].band >= 0)
          {
            i = cell_hash (old[k].band, old[k].cx, old[k].cy) & (field->ncells - 1);
            while (field->cells[i].band >= 0)
              i = (i + 1) & (field->ncells - 1);
            field->cells[i] = old[k];
          }
      free (old);
    }

  mask = field->ncells - 1;
  for (i = cell_hash (band, cx, cy) & mask; field->cells[i].band >= 0; i = (i + 1) & mask)
    if (field->cells[i].band == band && field->cells[i].cx == cx && field->cells[i].cy == cy)
      return &field->cells[i];

  field->cells[i].band = band;
  field->cells[i].cx = cx;
  field->cells[i].cy = cy;
  field->cells_used++;
  field_generate (field, &field->cells[i]);
  return &field->cells[i];
}

static void
field_generate (Field *field,
                Cell  *cell)
{
  const SmpLayout *layout = field->layout;
  double   lo, hi, size;
  uint64_t key = smp_key (layout->params.seed, STREAM_CELL + 16 * cell->band, cell->cx, cell->cy, 0);
  int      k, count;

  band_geometry (layout, cell->band, &lo, &hi, &size);
  count = poisson_count ((hi - lo) * size * size, smp_uniform (key, 0));
  cell->first = (uint32_t) field->ncand;
  cell->count = 0;
  for (k = 0; k < count; k++)
    {
      Candidate *c;
      double     level = lo + (hi - lo) * smp_uniform (key, 3 * k + 3);

      /* levels above what this render can show never matter: a candidate
       * only ever has to keep clear of lower ones */
      if (level >= field->max_level)
        continue;
      if (field->ncand == field->cand_allocated)
        {
          field->cand_allocated = field->cand_allocated ? 2 * field->cand_allocated : 4096;
          field->cand = realloc (field->cand, sizeof (Candidate) * field->cand_allocated);
        }
      c = &field->cand[field->ncand++];
      c->x = (cell->cx + smp_uniform (key, 3 * k + 1)) * size;
      c->y = (cell->cy + smp_uniform (key, 3 * k + 2)) * size;
      c->level = level;
      c->key = smp_key (layout->params.seed, STREAM_SITE + 16 * cell->band, cell->cx, cell->cy, k);
      c->status = -1;
      cell->count++;
    }
}

/* Random sequential adsorption in level order: a candidate survives when
 * no surviving candidate of a lower level lies within its exclusion
 * radius.  Levels strictly fall along any chain of calls, so this ends;
 * the answer is memoised, and it is a property of the candidate alone,
 * not of the region that asked. */
static int
survives (Field  *field,
          size_t  index)
{
  double x = field->cand[index].x, y = field->cand[index].y;
  double level = field->cand[index].level;
  double r = field->layout->exclusion / sqrt (fmax (level, LEVEL_FLOOR));
  int    band_of = 0, b, result = 1;

  if (field->cand[index].status >= 0)
    return field->cand[index].status;

  while (band_of + 1 < field->nbands && LEVEL_FLOOR * ldexp (1.0, band_of) <= level)
    band_of++;

  for (b = 0; b <= band_of && result && r > 0.0; b++)
    {
      double  lo, hi, size;
      int64_t ci, cj, i, j;

      band_geometry (field->layout, b, &lo, &hi, &size);
      ci = (int64_t) floor (x / size);
      cj = (int64_t) floor (y / size);
      for (j = cj - 1; j <= cj + 1 && result; j++)
        for (i = ci - 1; i <= ci + 1 && result; i++)
          {
            Cell    *cell = field_cell (field, b, i, j);
            uint32_t k, first = cell->first, end = cell->first + cell->count;

            /* field_cell and survives may move cells and candidates:
             * work with indices from here on */
            for (k = first; k < end; k++)
              {
                double dx = field->cand[k].x - x, dy = field->cand[k].y - y;

                if (field->cand[k].level >= level || dx * dx + dy * dy >= r * r)
                  continue;
                if (survives (field, k))
                  {
                    result = 0;
                    break;
                  }
              }
          }
    }
  field->cand[index].status = (int8_t) result;
  return result;
}
static void
dot_array_push (SmpDotArray  *array,
                const SmpDot *dot)
{
  if (array->n == array->allocated)
    {
      array->allocated = array->allocated ? 2 * array->allocated : 256;
      array->dots = realloc (array->dots, sizeof (SmpDot) * array->allocated);
    }
  array->dots[array->n++] = *dot;
}

/* Log-normal with mean 1 and coefficient of variation cv, capped. */
static double
lognormal_unit (double z,
                double cv,
                double cap)
{
  double s2 = log (1.0 + cv * cv);

  return fmin (exp (sqrt (s2) * z - 0.5 * s2), cap);
}

static void
emit_site (const SmpLayout *layout,
           const Candidate *c,
           double           appears_at,
           double x0, double y0, double x1, double y1,
           SmpDotArray     *out)
{
  const SmpLayoutParams *p = &layout->params;
  uint64_t key = c->key;
  int      n = 1, k;
  double   angle = 0.0;
  SmpDot   dot;

  if (layout->group_chance > 0.0 && smp_uniform (key, 0) < layout->group_chance)
    n = smp_uniform (key, 1) < 0.6 ? 2 : 3;
  angle = 6.283185307179586 * smp_uniform (key, 2);

  for (k = 0; k < n; k++)
    {
      uint64_t dkey = smp_mix64 (key ^ (UINT64_C (0x51ed27) * (k + 1)));

      dot.x_mm = c->x;
      dot.y_mm = c->y;
      if (n > 1)
        {
          /* a pair straddles the site, a triple sits on a triangle round
           * it; spacing jittered so groups do not look stamped */
          double spacing = layout->group_spacing_mm * (0.85 + 0.3 * smp_uniform (dkey, 0));
          double radius = n == 2 ? 0.5 * spacing : spacing / sqrt (3.0);
          double a = angle + k * 6.283185307179586 / n + 0.4 * (smp_uniform (dkey, 1) - 0.5);

          dot.x_mm += radius * cos (a);
          dot.y_mm += radius * sin (a);
        }
      if (dot.x_mm < x0 || dot.x_mm >= x1 || dot.y_mm < y0 || dot.y_mm >= y1)
        continue;
      dot.diameter_mm = p->dot_diameter_mm
                        * lognormal_unit (smp_normal (dkey, 2), p->size_variation, 3.0);
      dot.strength = lognormal_unit (smp_normal (dkey, 4), p->darkness_variation, 2.5);
      dot.appears_at = appears_at;
      dot.group_size = (uint32_t) n;
      dot.group_id = (uint32_t) (key >> 32);
      dot_array_push (out, &dot);
    }
}

void
smp_layout_collect (const SmpLayout *layout,
                    double           x0,
                    double           y0,
                    double           x1,
                    double           y1,
                    double           max_density,
                    SmpDotArray     *out)
{
  Field  field = { 0 };
  int    raw = layout->survival == 0.0;
  /* dots per cm² of the displayed pattern per candidate level */
  double level_to_density = raw ? 1.0 : 100.0 * layout->survival * layout->mean_group_size;
  double margin = layout->group_spacing_mm;
  int    b;

  field.layout = layout;
  field.max_level = max_density / level_to_density;
  if (! (field.max_level > 0.0) || ! (x1 > x0) || ! (y1 > y0))
    return;
  field.nbands = 1;
  while (field.nbands < MAX_BANDS
         && LEVEL_FLOOR * ldexp (1.0, field.nbands - 1) < field.max_level)
    field.nbands++;

  for (b = 0; b < field.nbands; b++)
    {
      double  lo, hi, size;
      int64_t i, j, i0, j0, i1, j1;

      band_geometry (layout, b, &lo, &hi, &size);
      i0 = (int64_t) floor ((x0 - margin) / size);
      j0 = (int64_t) floor ((y0 - margin) / size);
      i1 = (int64_t) floor ((x1 + margin) / size);
      j1 = (int64_t) floor ((y1 + margin) / size);
      for (j = j0; j <= j1; j++)
        for (i = i0; i <= i1; i++)
          {
            Cell    *cell = field_cell (&field, b, i, j);
            uint32_t k, first = cell->first, end = cell->first + cell->count;

            for (k = first; k < end; k++)
              if (survives (&field, k))
                emit_site (layout, &field.cand[k], field.cand[k].level * level_to_density,
                           x0, y0, x1, y1, out);
          }
    }

  free (field.cells);
  free (field.cand);
}
void
smp_dot_array_clear (SmpDotArray *array)
{
  array->n = 0;
}

void
smp_dot_array_free (SmpDotArray *array)
{
  free (array->dots);
  memset (array, 0, sizeof (*array));
}
