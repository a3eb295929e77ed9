/* gimp-smp: where the SMP impressions go.  See smp-layout.h. */
#include "smp-layout.h"
#include "smp-random.h"
#include "smp-buckets.h"

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
  double    lo, hi;      /* candidate levels in this band */
  double    cell_mm;     /* as wide as the largest exclusion radius in it */
  double    per_cell;    /* mean candidates per cell, and exp (-per_cell) */
  double    none_in_cell;
  /* the cells generated up front, in a dense block: cell (i, j) holds
   * candidates first[k] .. first[k + 1] - 1, k = (j - j0) * ni + i - i0 */
  int64_t   i0, j0, ni, nj;
  uint32_t *first;
} Band;

/* All candidates of a rectangle in one uniform grid, for the common case
 * of an exclusion disc that lies wholly inside it; lowest level first in
 * each cell. */
typedef struct
{
  SmpBuckets b;
  double     x1, y1;     /* the far corner of the rectangle */
} Grid;

typedef struct
{
  const SmpLayout *layout;
  double     max_level;
  int        nbands;
  Band       bands[MAX_BANDS];
  Cell      *cells;
  size_t     ncells, cells_used;
  Candidate *cand;
  size_t     ncand, cand_allocated;
  Grid       grid;
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

/* Poisson count with mean mu (p0 = exp (-mu)) from one uniform, by
 * inversion. */
static int
poisson_count (double mu,
               double p0,
               double u)
{
  double p = p0, cdf = p;
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
field_init_bands (Field *field)
{
  double scale = fmax (field->layout->exclusion, CELL_SCALE);
  int    b;

  field->nbands = 1;
  while (field->nbands < MAX_BANDS
         && LEVEL_FLOOR * ldexp (1.0, field->nbands - 1) < field->max_level)
    field->nbands++;
  for (b = 0; b < field->nbands; b++)
    {
      Band *band = &field->bands[b];

      band->lo = b == 0 ? 0.0 : LEVEL_FLOOR * ldexp (1.0, b - 1);
      band->hi = LEVEL_FLOOR * ldexp (1.0, b);
      /* a cell is as wide as the largest exclusion radius in its band,
       * so a neighbour search never looks beyond the 3×3 cells around */
      band->cell_mm = scale / sqrt (fmax (band->lo, LEVEL_FLOOR));
      band->per_cell = (band->hi - band->lo) * band->cell_mm * band->cell_mm;
      band->none_in_cell = exp (-band->per_cell);
    }
}

static int
band_of_level (const Field *field,
               double       level)
{
  int b = 0;

  while (b + 1 < field->nbands && field->bands[b].hi <= level)
    b++;
  return b;
}

static size_t
cell_hash (int band, int64_t cx, int64_t cy)
{
  return (size_t) smp_mix64 ((uint64_t) band * UINT64_C (0x9e3779b97f4a7c15)
                             ^ (uint64_t) cx * UINT64_C (0xc2b2ae3d27d4eb4f)
                             ^ (uint64_t) cy);
}

static void field_generate (Field *field, Cell *cell);
static Cell *field_cell (Field *field, int band, int64_t cx, int64_t cy);

/* Candidates first .. end-1 are those of cell (band, cx, cy). */
static void
field_cell_range (Field    *field,
                  int       band,
                  int64_t   cx,
                  int64_t   cy,
                  uint32_t *first,
                  uint32_t *end)
{
  const Band *b = &field->bands[band];
  int64_t     i = cx - b->i0, j = cy - b->j0;

  if (b->first && i >= 0 && j >= 0 && i < b->ni && j < b->nj)
    {
      *first = b->first[j * b->ni + i];
      *end = b->first[j * b->ni + i + 1];
    }
  else
    {
      Cell *cell = field_cell (field, band, cx, cy);

      *first = cell->first;
      *end = cell->first + cell->count;
    }
}

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
  const Band      *band = &field->bands[cell->band];
  double   lo = band->lo, hi = band->hi, size = band->cell_mm;
  uint64_t key = smp_key (layout->params.seed, STREAM_CELL + 16 * cell->band, cell->cx, cell->cy, 0);
  int      k, count;

  count = poisson_count (band->per_cell, band->none_in_cell, smp_uniform (key, 0));
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

/* Generates every band cell over a rectangle, then files all candidates
 * generated so far into the uniform grid, which is then complete there. */
static void
field_build_grid (Field  *field,
                  double  x0,
                  double  y0,
                  double  x1,
                  double  y1,
                  double  cell_mm)
{
  Grid    *g = &field->grid;
  uint32_t k;
  int      b;

  for (b = 0; b < field->nbands; b++)
    {
      Band   *band = &field->bands[b];
      int64_t i, j, k = 0;

      band->i0 = (int64_t) floor (x0 / band->cell_mm);
      band->j0 = (int64_t) floor (y0 / band->cell_mm);
      band->ni = (int64_t) floor (x1 / band->cell_mm) - band->i0 + 1;
      band->nj = (int64_t) floor (y1 / band->cell_mm) - band->j0 + 1;
      band->first = malloc (sizeof (uint32_t) * (size_t) (band->ni * band->nj + 1));
      for (j = 0; j < band->nj; j++)
        for (i = 0; i < band->ni; i++)
          {
            Cell cell = { band->i0 + i, band->j0 + j, b, 0, 0 };

            band->first[k++] = (uint32_t) field->ncand;
            field_generate (field, &cell);
          }
      band->first[k] = (uint32_t) field->ncand;
    }

  g->x1 = x1;
  g->y1 = y1;
  g->b = (SmpBuckets) { .x0 = x0, .y0 = y0, .cell = cell_mm,
                        .nx = (int64_t) ((x1 - x0) / cell_mm) + 1,
                        .ny = (int64_t) ((y1 - y0) / cell_mm) + 1 };
  smp_buckets_build (&g->b, field->cand, sizeof (Candidate), field->ncand);

  /* lowest level first in each cell, so a search can stop at its own */
  for (k = 0; k < (uint32_t) (g->b.nx * g->b.ny); k++)
    {
      uint32_t a, b;

      for (a = g->b.start[k] + 1; a < g->b.start[k + 1]; a++)
        for (b = a; b > g->b.start[k]
             && field->cand[g->b.index[b - 1]].level > field->cand[g->b.index[b]].level; b--)
          {
            uint32_t t = g->b.index[b];

            g->b.index[b] = g->b.index[b - 1];
            g->b.index[b - 1] = t;
          }
    }
}

static int survives (Field *field, size_t index);

/* Is any candidate in cells [i0,i1]×[j0,j1] of the grid lower than
 * @level, within r of (x, y), and a survivor? */
static int
grid_blocked (Field  *field,
              double  x,
              double  y,
              double  level,
              double  r)
{
  Grid   *g = &field->grid;
  int64_t i0 = (int64_t) floor ((x - r - g->b.x0) / g->b.cell);
  int64_t i1 = (int64_t) floor ((x + r - g->b.x0) / g->b.cell);
  int64_t j0 = (int64_t) floor ((y - r - g->b.y0) / g->b.cell);
  int64_t j1 = (int64_t) floor ((y + r - g->b.y0) / g->b.cell);
  int64_t i, j;

  for (j = j0; j <= j1; j++)
    for (i = i0; i <= i1; i++)
      {
        uint32_t k, end = g->b.start[j * g->b.nx + i + 1];

        for (k = g->b.start[j * g->b.nx + i]; k < end; k++)
          {
            uint32_t o = g->b.index[k];
            double   dx = field->cand[o].x - x, dy = field->cand[o].y - y;

            if (field->cand[o].level >= level)
              break;
            if (dx * dx + dy * dy < r * r && survives (field, o))
              return 1;
          }
      }
  return 0;
}

/* The same question asked band by band through the cell table, for discs
 * that reach outside the grid (rare: low levels near its border). */
static int
bands_blocked (Field  *field,
               double  x,
               double  y,
               double  level,
               double  r)
{
  int b, last = band_of_level (field, level);

  for (b = 0; b <= last; b++)
    {
      double  size = field->bands[b].cell_mm;
      int64_t i0 = (int64_t) floor ((x - r) / size), i1 = (int64_t) floor ((x + r) / size);
      int64_t j0 = (int64_t) floor ((y - r) / size), j1 = (int64_t) floor ((y + r) / size);
      int64_t i, j;

      for (j = j0; j <= j1; j++)
        for (i = i0; i <= i1; i++)
          {
            uint32_t k, first, end;

            /* generating cells and recursing may move candidates in
             * memory: work with indices from here on */
            field_cell_range (field, b, i, j, &first, &end);
            for (k = first; k < end; k++)
              {
                double dx = field->cand[k].x - x, dy = field->cand[k].y - y;

                if (field->cand[k].level < level && dx * dx + dy * dy < r * r
                    && survives (field, k))
                  return 1;
              }
          }
    }
  return 0;
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
  const Grid *g = &field->grid;
  double      x = field->cand[index].x, y = field->cand[index].y;
  double      level = field->cand[index].level;
  double      r = field->layout->exclusion / sqrt (fmax (level, LEVEL_FLOOR));
  int         blocked;

  if (field->cand[index].status >= 0)
    return field->cand[index].status;
  if (r <= 0.0)
    blocked = 0;
  else if (x - r >= g->b.x0 && x + r < g->x1 && y - r >= g->b.y0 && y + r < g->y1)
    blocked = grid_blocked (field, x, y, level, r);
  else
    blocked = bands_blocked (field, x, y, level, r);
  field->cand[index].status = (int8_t) ! blocked;
  return ! blocked;
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
      dot_array_push (out, &dot);
    }
}

void
smp_layout_collect (const SmpLayout *layout,
                    const SmpBoxMm  *box,
                    double           max_density,
                    SmpDotArray     *out)
{
  double x0 = box->x0, y0 = box->y0, x1 = box->x1, y1 = box->y1;
  Field  field = { 0 };
  int    raw = layout->survival == 0.0;
  /* dots per cm² of the displayed pattern per candidate level */
  double level_to_density = raw ? 1.0 : 100.0 * layout->survival * layout->mean_group_size;
  double margin = layout->group_spacing_mm;
  double spacing, halo;
  size_t k, n;

  field.layout = layout;
  field.max_level = max_density / level_to_density;
  if (! (field.max_level > 0.0) || ! (x1 > x0) || ! (y1 > y0))
    return;
  field_init_bands (&field);

  /* The grid covers the sites that may show plus a halo of a few
   * exclusion radii, where nearly every chain of dependencies ends; its
   * cells, 1.5 of the smallest radius wide, measured fastest. */
  spacing = fmax (layout->exclusion, 0.25) / sqrt (fmax (field.max_level, LEVEL_FLOOR));
  halo = 2.0 * spacing;
  field_build_grid (&field, x0 - margin - halo, y0 - margin - halo,
                    x1 + margin + halo, y1 + margin + halo, 1.5 * spacing);

  /* every candidate that can show lies inside the grid's inner part */
  n = field.ncand;
  for (k = 0; k < n; k++)
    {
      const Candidate *c = &field.cand[k];

      if (c->x < x0 - margin || c->x >= x1 + margin || c->y < y0 - margin || c->y >= y1 + margin)
        continue;
      if (survives (&field, k))
        emit_site (layout, &field.cand[k], field.cand[k].level * level_to_density,
                   x0, y0, x1, y1, out);
    }

  for (k = 0; k < (size_t) field.nbands; k++)
    free (field.bands[k].first);
  smp_buckets_free (&field.grid.b);
  free (field.cells);
  free (field.cand);
}

void
smp_dot_array_free (SmpDotArray *array)
{
  free (array->dots);
  memset (array, 0, sizeof (*array));
}
