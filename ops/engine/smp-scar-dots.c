/* gimp-smp: concealing a scar, stage 2: finding the existing dots
 * (stubble or earlier SMP) as dark blobs against the skin's local
 * background, with their pigment and shape, filed in a grid of buckets
 * for the stages after.  See smp-scar-stages.h. */
#include "smp-scar-stages.h"
#include "smp-parallel.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Half-width of the window a dot is detected in (the peak's own
 * neighbourhood), and of the one its pigment is summed over. */
#define PEAK_HALF_MM       0.1
#define MASS_HALF_MM       0.25
/* A found "dot" is a streak when, within STREAK_MM of its peak, its
 * darkening spreads STREAK_RATIO times as far (in variance) along one
 * axis as across it. */
#define STREAK_MM          0.25
#define STREAK_RATIO       4.0

/* ---- the grid of buckets ---------------------------------------------------- */

void
smp_scar_file_dots (SmpScar *s)
{
  int cell = MAX (1, (int) ceil (s->suppress_px));

  s->buckets = (SmpBuckets) { .x0 = s->x0, .y0 = s->y0, .cell = cell,
                              .nx = s->w / cell + 1, .ny = s->h / cell + 1 };
  smp_buckets_build (&s->buckets, s->dots, sizeof (SmpFoundDot), s->n_dots);
}

int
smp_scar_near_dots (const SmpScar     *s,
                    double             x,
                    double             y,
                    double             radius,
                    SmpScarDotVisit    visit,
                    const SmpFoundDot *self,
                    void              *data)
{
  const SmpBuckets *b = &s->buckets;
  int64_t bx0 = MAX (smp_buckets_cell_of (x - radius, b->x0, b->cell), 0);
  int64_t bx1 = MIN (smp_buckets_cell_of (x + radius, b->x0, b->cell), b->nx - 1);
  int64_t by0 = MAX (smp_buckets_cell_of (y - radius, b->y0, b->cell), 0);
  int64_t by1 = MIN (smp_buckets_cell_of (y + radius, b->y0, b->cell), b->ny - 1);
  int64_t bx, by;
  uint32_t k;

  for (by = by0; by <= by1; by++)
    for (bx = bx0; bx <= bx1; bx++)
      for (k = b->start[by * b->nx + bx]; k < b->start[by * b->nx + bx + 1]; k++)
        {
          const SmpFoundDot *d = &s->dots[b->index[k]];

          if (d != self && (d->x - x) * (d->x - x) + (d->y - y) * (d->y - y) < radius * radius
              && visit (d, self, data))
            return 1;
        }
  return 0;
}

/* ---- telling dots from the skin ------------------------------------------- */

/* Whether the skin at distance @r on both sides of (x, y), in each of
 * four directions, is lighter than the pixel by @contrast: true of a dot,
 * not of the dark side of an edge (the border of a lighter scar, or of a
 * loosely drawn selection), where along the edge it is not. */
static int
lighter_all_round (const float *luma,
                   int          w,
                   int          h,
                   int          x,
                   int          y,
                   int          r,
                   double       contrast)
{
  static const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 1, -1 } };
  double           centre = luma[(size_t) y * w + x];
  int              k;

  for (k = 0; k < 4; k++)
    {
      int xa = MIN (MAX (x + r * dirs[k][0], 0), w - 1), ya = MIN (MAX (y + r * dirs[k][1], 0), h - 1);
      int xb = MIN (MAX (x - r * dirs[k][0], 0), w - 1), yb = MIN (MAX (y - r * dirs[k][1], 0), h - 1);
      double around = 0.5 * (luma[(size_t) ya * w + xa] + luma[(size_t) yb * w + xb]);

      if (! (around > 0.0) || 1.0 - centre / around < contrast)
        return 0;
    }
  return 1;
}

/* Whether the darkening around the peak (x, y) is a streak rather than a
 * round dot: over the pixels within @r darker than @floor, the second
 * moment along one axis is STREAK_RATIO times that across it.  Clipped
 * hair seen from above is a shaft 0.05-0.1 mm wide and several tenths of
 * a mm long; an impression, with its halo, is round. */
static int
is_streak (const float *dark,
           int          w,
           int          h,
           int          x,
           int          y,
           int          r,
           double       floor)
{
  double sxx = 0, syy = 0, sxy = 0, m = 0, half, root;
  int    i, j;

  for (j = MAX (y - r, 0); j <= MIN (y + r, h - 1); j++)
    for (i = MAX (x - r, 0); i <= MIN (x + r, w - 1); i++)
      {
        double d = dark[(size_t) j * w + i] - floor;

        if (d <= 0.0 || (i - x) * (i - x) + (j - y) * (j - y) > r * r)
          continue;
        sxx += d * (i - x) * (i - x);
        syy += d * (j - y) * (j - y);
        sxy += d * (i - x) * (j - y);
        m += d;
      }
  if (m <= 0.0)
    return 0;
  half = 0.5 * (sxx + syy) / m;
  root = sqrt (fmax (half * half - (sxx * syy - sxy * sxy) / (m * m), 0.0));
  return half + root > STREAK_RATIO * fmax (half - root, 1e-9);
}

/* ---- peaks of the darkening, in time proportional to the area -------------- */

/* A dot is a pixel darker than the peak threshold whose darkening summed
 * over its peak window (half-width rn) is above the sum threshold, and
 * whose darkening raised above its surroundings (the mean over half-width
 * 2 rn) is the largest in its peak window: a strict maximum over the
 * pixels before it in scan order, at least as large as those after it,
 * so a plateau has one winner.  The reference for each value is its sum
 * in double, added pixel by pixel in scan order (window_sum), which costs
 * the window's area per pixel: some 5,000 additions a pixel at 160 px/mm.
 * So the sums are read with integer running sums instead, whose cost per
 * pixel is the same for any window, and bounded: the two differ by less
 * than a bound worked out below, and only a comparison that falls within
 * it reads the reference.  The dots found are the reference's, to the
 * bit. */

/* Fixed point of the running sums: a value is off by at most
 * PEAK_FIX_ERROR. */
#define PEAK_FIX_BITS  32
#define PEAK_FIX_ERROR 0x1p-33

typedef struct
{
  const float *dark;
  int          w, h, rn;
  double       threshold, peak_threshold;
  double       largest;     /* the largest magnitude summed, for the bound */
  double       wild;        /* magnitudes from this on are left to the reference */
  uint8_t     *candidate;   /* dark enough, and its window sum above the threshold */
  float       *lo, *hi;     /* the reference's raised darkening lies within */
  float       *raised;      /* the reference, once read */
  uint8_t     *known;
  long         work;        /* pixel visits */
} Peaks;

/* The reference window sum over the (2r+1)² pixels around (x, y) within
 * the image, and their number. */
static double
window_sum (const Peaks *pk,
            int          x,
            int          y,
            int          r,
            int         *count)
{
  double t = 0.0;
  int    i, j, n = 0;

  for (j = MAX (y - r, 0); j <= MIN (y + r, pk->h - 1); j++)
    for (i = MAX (x - r, 0); i <= MIN (x + r, pk->w - 1); i++)
      {
        t += pk->dark[(size_t) j * pk->w + i];
        n++;
      }
  *count = n;
  return t;
}

/* The reference raised darkening of pixel @i, read once. */
static float
reference_raised (Peaks  *pk,
                  size_t  i)
{
  int count;

  float raised;

  /* the bands of rows share the memo: a pixel near a band's edge may be
   * read by both, which compute the same value */
  if (__atomic_load_n (&pk->known[i], __ATOMIC_ACQUIRE))
    {
      __atomic_load (&pk->raised[i], &raised, __ATOMIC_RELAXED);
      return raised;
    }
  {
    double t = window_sum (pk, (int) (i % pk->w), (int) (i / pk->w), 2 * pk->rn, &count);

    raised = (float) (pk->dark[i] - t / count);
    __atomic_store (&pk->raised[i], &raised, __ATOMIC_RELAXED);
    __atomic_store_n (&pk->known[i], 1, __ATOMIC_RELEASE);
    pk->work += count;
  }
  return raised;
}

/* How far a running sum over @n pixels (@t, in double) can lie from the
 * reference: the fixed point's rounding, the reference's own (at most
 * (n - 1) 2^-53 times the sum of magnitudes, each below pk->largest), and
 * the rounding of @t and of what is made of it, with room to spare. */
static double
sum_bound (const Peaks *pk,
           int          n,
           double       t)
{
  return 2.0 * (n * PEAK_FIX_ERROR + 1.01 * n * (double) n * pk->largest * DBL_EPSILON / 2)
         + fabs (t) * 0x1p-21 + 1e-37;
}

/* Adds (@sign 1) or takes out (-1) row @row in the column sums @sum, and
 * the count of wild values in @wild. */
static void
peak_columns (Peaks   *pk,
              int      row,
              int      sign,
              int64_t *sum,
              int     *wild)
{
  double scale = ldexp (1.0, PEAK_FIX_BITS);
  int    x;

  if (row < 0 || row >= pk->h)
    return;
  for (x = 0; x < pk->w; x++)
    {
      float v = pk->dark[(size_t) row * pk->w + x];

      if (! (fabsf (v) < pk->wild))
        wild[x] += sign;
      else
        sum[x] += sign * smp_scar_round (v * scale);
    }
  pk->work += pk->w;
}

/* The window sums of row @y at half-width @r, from the column sums, in
 * @t (as doubles) and @n (their pixels); @bad, whether a wild value is in
 * the window. */
static void
peak_row (Peaks         *pk,
          int            y,
          int            r,
          const int64_t *sum,
          const int     *wild,
          double        *t,
          int           *n,
          uint8_t       *bad)
{
  double  scale = ldexp (1.0, -PEAK_FIX_BITS);
  int64_t run = 0;
  int     x, bads = 0, rows = MIN (y + r, pk->h - 1) - MAX (y - r, 0) + 1;

  for (x = -r; x < pk->w; x++)
    {
      if (x + r < pk->w)
        {
          run += sum[x + r];
          bads += wild[x + r];
        }
      if (x - r - 1 >= 0)
        {
          run -= sum[x - r - 1];
          bads -= wild[x - r - 1];
        }
      if (x < 0)
        continue;
      t[x] = (double) run * scale;
      n[x] = rows * (MIN (x + r, pk->w - 1) - MAX (x - r, 0) + 1);
      bad[x] = bads > 0;
    }
  pk->work += pk->w + r;
}

/* For the pixels of row @y: whether each is a candidate, and the bounds
 * of its raised darkening, from the window sums at rn (@t1, @n1, @bad1)
 * and 2 rn (@t2, ...). */
static void
peak_bounds (Peaks        *pk,
             int           y,
             const double *t1,
             const int    *n1,
             const uint8_t *bad1,
             const double *t2,
             const int    *n2,
             const uint8_t *bad2)
{
  int x;

  for (x = 0; x < pk->w; x++)
    {
      size_t i = (size_t) y * pk->w + x;
      double d = pk->dark[i], m, raised, bound;
      int    count;

      if (d > pk->peak_threshold)
        {
          m = sum_bound (pk, n1[x], t1[x]);
          if (! bad1[x] && t1[x] - m > pk->threshold)
            pk->candidate[i] = 1;
          else if (bad1[x] || t1[x] + m > pk->threshold)
            {
              pk->candidate[i] = (float) window_sum (pk, x, y, pk->rn, &count) > pk->threshold;
              pk->work += count;
            }
        }
      if (bad2[x] || ! isfinite (d))
        {
          pk->lo[i] = -INFINITY;
          pk->hi[i] = INFINITY;
          continue;
        }
      raised = d - t2[x] / n2[x];
      bound = sum_bound (pk, n2[x], t2[x]) / n2[x] + (fabs (d) + fabs (raised)) * 0x1p-21;
      pk->lo[i] = nextafterf ((float) (raised - bound), -INFINITY);
      pk->hi[i] = nextafterf ((float) (raised + bound), INFINITY);
    }
}

/* Candidates and bounds for rows [ya, yb): column sums at both
 * half-widths kept as the rows go down, each read across once.  The sums
 * are integers, so a band that starts its own from its first window
 * gets the very sums one pass from the top would. */
static void
bound_peak_rows (Peaks *pk,
                 int    ya,
                 int    yb)
{
  int      w = pk->w, r1 = pk->rn, r2 = 2 * pk->rn, y;
  int64_t *sum1 = calloc (w, sizeof (int64_t)), *sum2 = calloc (w, sizeof (int64_t));
  int     *wild1 = calloc (w, sizeof (int)), *wild2 = calloc (w, sizeof (int));
  int     *n1 = malloc (sizeof (int) * w), *n2 = malloc (sizeof (int) * w);
  double  *t1 = malloc (sizeof (double) * w), *t2 = malloc (sizeof (double) * w);
  uint8_t *bad1 = malloc (w), *bad2 = malloc (w);

  /* from the row the first step takes out, so that it cancels */
  for (y = ya - r1 - 1; y < ya + r1; y++)
    peak_columns (pk, y, 1, sum1, wild1);
  for (y = ya - r2 - 1; y < ya + r2; y++)
    peak_columns (pk, y, 1, sum2, wild2);
  for (y = ya; y < yb; y++)
    {
      peak_columns (pk, y + r1, 1, sum1, wild1);
      peak_columns (pk, y - r1 - 1, -1, sum1, wild1);
      peak_columns (pk, y + r2, 1, sum2, wild2);
      peak_columns (pk, y - r2 - 1, -1, sum2, wild2);
      peak_row (pk, y, r1, sum1, wild1, t1, n1, bad1);
      peak_row (pk, y, r2, sum2, wild2, t2, n2, bad2);
      peak_bounds (pk, y, t1, n1, bad1, t2, n2, bad2);
    }
  free (sum1);
  free (sum2);
  free (wild1);
  free (wild2);
  free (n1);
  free (n2);
  free (t1);
  free (t2);
  free (bad1);
  free (bad2);
}

/* @out[k] = the largest of @in[k - r .. k + r] (within 0..n-1, @stride
 * apart), with a queue of the indices still in the running (@queue, n). */
static void
sliding_max (const float *in,
             float       *out,
             int          n,
             size_t       stride,
             int          r,
             int         *queue)
{
  int head = 0, tail = 0, k;

  for (k = 0; k < n + r; k++)
    {
      if (k < n)
        {
          while (tail > head && in[queue[tail - 1] * stride] <= in[k * stride])
            tail--;
          queue[tail++] = k;
        }
      if (k - r < 0)
        continue;
      while (queue[head] < k - 2 * r)
        head++;
      out[(k - r) * stride] = in[queue[head] * stride];
    }
}

/* The largest lower bound within the peak window of each pixel: where it
 * is above a pixel's upper bound, a neighbour is surely higher.  Rows
 * [ya, yb) across into @across, or columns [ya, yb) of @across down into
 * @both. */
static void
window_max_lo_lines (Peaks       *pk,
                     const float *across,
                     float       *both,
                     int          down,
                     int          ya,
                     int          yb)
{
  int  w = pk->w, h = pk->h, k;
  int *queue = malloc (sizeof (int) * MAX (w, h));

  for (k = ya; k < yb; k++)
    if (! down)
      sliding_max (pk->lo + (size_t) k * w, both + (size_t) k * w, w, 1, pk->rn, queue);
    else
      sliding_max (across + k, both + k, h, w, pk->rn, queue);
  pk->work += 2 * (long) (yb - ya) * (down ? h : w);
  free (queue);
}

/* Whether candidate (x, y) is the peak of its window, as the reference
 * decides: from the bounds where they tell, else from the reference. */
static int
is_peak (Peaks       *pk,
         const float *max_lo,
         int          x,
         int          y)
{
  size_t p = (size_t) y * pk->w + x;
  int    i, j;

  if (max_lo[p] > pk->hi[p])
    return 0;
  for (j = MAX (y - pk->rn, 0); j <= MIN (y + pk->rn, pk->h - 1); j++)
    for (i = MAX (x - pk->rn, 0); i <= MIN (x + pk->rn, pk->w - 1); i++)
      {
        size_t q = (size_t) j * pk->w + i;
        int    before = j < y || (j == y && i < x);
        float  u, v;

        pk->work++;
        if (q == p || pk->hi[q] < pk->lo[p])
          continue;
        if (pk->lo[q] > pk->hi[p])
          return 0;
        u = reference_raised (pk, q);
        v = reference_raised (pk, p);
        if (before ? u >= v : u > v)
          return 0;
      }
  return 1;
}

/* A found dot at peak (x, y): its centre (the darkening's centroid over
 * the peak window), peak and shape. */
static void
add_dot (SmpScar       *s,
         const Peaks   *pk,
         const float   *dark,
         const uint8_t *inside,
         int            x,
         int            y,
         size_t        *allocated)
{
  int          w = s->w, h = s->h, rn = pk->rn, i, j;
  int          rs = MAX (2, (int) lround (STREAK_MM * s->p.px_per_mm));
  double       cx = 0, cy = 0, cw = 0, peak = 0;
  SmpFoundDot *dot;

  for (j = MAX (y - rn, 0); j <= MIN (y + rn, h - 1); j++)
    for (i = MAX (x - rn, 0); i <= MIN (x + rn, w - 1); i++)
      {
        double d = dark[(size_t) j * w + i];

        if (d > 0)
          {
            cx += d * (i + 0.5);
            cy += d * (j + 0.5);
            cw += d;
          }
        peak = fmax (peak, d);
      }
  if (s->n_dots == *allocated)
    {
      *allocated *= 2;
      s->dots = realloc (s->dots, sizeof (SmpFoundDot) * *allocated);
    }
  dot = &s->dots[s->n_dots++];
  dot->x = s->x0 + cx / cw;
  dot->y = s->y0 + cy / cw;
  dot->peak = peak;
  dot->mass = 0.0;
  dot->inside = inside[(size_t) y * w + x];
  dot->evidence = 0;
  dot->streak = is_streak (dark, w, h, x, y, rs, pk->peak_threshold / 2);
}

/* The peaks of a band of rows, in scan order. */
typedef struct
{
  int   *xy;
  size_t n, allocated;
} PeakList;

#define PEAK_BANDS 8

/* One stage of find_dots, run on bands of rows (or of columns): each band
 * works on a copy of the Peaks, sharing its buffers, with a count of its
 * own work. */
typedef struct
{
  Peaks       *pk;
  const float *luma;
  int          rd, stage;
  float       *across, *max_lo;
  long         work[PEAK_BANDS];
  PeakList     found[PEAK_BANDS];
} PeakStage;

enum { STAGE_BOUNDS, STAGE_ACROSS, STAGE_DOWN, STAGE_PEAKS };

static void
peak_list_push (PeakList *list,
                int       x,
                int       y)
{
  if (list->n == list->allocated)
    {
      list->allocated = list->allocated ? 2 * list->allocated : 64;
      list->xy = realloc (list->xy, sizeof (int) * 2 * list->allocated);
    }
  list->xy[2 * list->n] = x;
  list->xy[2 * list->n + 1] = y;
  list->n++;
}

static void
peak_stage_band (void *data,
                 int   band,
                 int   n_bands)
{
  PeakStage *st = data;
  Peaks      pk = *st->pk;
  long       a, b;
  int        x, y;

  pk.work = 0;
  smp_parallel_share (st->stage == STAGE_DOWN ? pk.w : pk.h, band, n_bands, &a, &b);
  switch (st->stage)
    {
    case STAGE_BOUNDS:
      bound_peak_rows (&pk, (int) a, (int) b);
      break;
    case STAGE_ACROSS:
      window_max_lo_lines (&pk, NULL, st->across, 0, (int) a, (int) b);
      break;
    case STAGE_DOWN:
      window_max_lo_lines (&pk, st->across, st->max_lo, 1, (int) a, (int) b);
      break;
    default:
      for (y = (int) a; y < b; y++)
        for (x = 0; x < pk.w; x++)
          if (pk.candidate[(size_t) y * pk.w + x] && is_peak (&pk, st->max_lo, x, y)
              && lighter_all_round (st->luma, pk.w, pk.h, x, y, st->rd, pk.peak_threshold / 2))
            peak_list_push (&st->found[band], x, y);
    }
  st->work[band] += pk.work;
}

static void
peak_stage_run (PeakStage *st,
                int        stage)
{
  st->stage = stage;
  smp_parallel_run (peak_stage_band, st,
                    MIN (smp_parallel_bands (stage == STAGE_DOWN ? st->pk->w : st->pk->h, 64),
                         PEAK_BANDS));
}

/* Finds the existing dots: local maxima of the darkening summed over a
 * peak-sized window, well above the skin's own noise.  The peak pixel
 * itself, not the window sum, is the maximum: two dots of a group 0.3 mm
 * apart have a peak each, while their window sums merge; and it is the
 * darkening above its surroundings, since the soft halos of two dots of
 * a group make one hill, on which their crisp cores still stand out. */
static void
find_dots (SmpScar       *s,
           const float   *luma,
           const float   *dark,
           double         noise,
           const uint8_t *inside)
{
  size_t n = (size_t) s->w * s->h, i, allocated = 256;
  int    rn = MAX (1, (int) lround (PEAK_HALF_MM * s->p.px_per_mm));
  /* beyond a healed dot's radius, not yet at its neighbour's */
  int    rd = MAX (2, (int) lround (0.2 * s->p.px_per_mm));
  Peaks  pk = { dark, s->w, s->h, rn };
  float *max_lo;

  /* window sums: a dot's pigment adds up, the skin's noise averages out */
  pk.threshold = fmax (5.0 * noise * (2 * rn + 1), 0.12);
  pk.peak_threshold = fmax (4.0 * noise, 0.03);
  pk.wild = ldexp (1.0, 62 - PEAK_FIX_BITS) / ((4.0 * rn + 1) * (4.0 * rn + 1));
  for (i = 0; i < n; i++)
    if (fabsf (dark[i]) < pk.wild)
      pk.largest = fmax (pk.largest, fabsf (dark[i]));
  pk.candidate = calloc (n, 1);
  pk.known = calloc (n, 1);
  pk.lo = malloc (sizeof (float) * n);
  pk.hi = malloc (sizeof (float) * n);
  pk.raised = malloc (sizeof (float) * n);
  {
    PeakStage st;
    int       band;
    size_t    k;

    memset (&st, 0, sizeof st);
    st.pk = &pk;
    st.luma = luma;
    st.rd = rd;
    st.across = malloc (sizeof (float) * n);
    st.max_lo = max_lo = malloc (sizeof (float) * n);
    peak_stage_run (&st, STAGE_BOUNDS);
    peak_stage_run (&st, STAGE_ACROSS);
    peak_stage_run (&st, STAGE_DOWN);
    peak_stage_run (&st, STAGE_PEAKS);
    s->dots = malloc (sizeof (SmpFoundDot) * allocated);
    for (band = 0; band < PEAK_BANDS; band++)
      {
        for (k = 0; k < st.found[band].n; k++)
          add_dot (s, &pk, dark, inside, st.found[band].xy[2 * k],
                   st.found[band].xy[2 * k + 1], &allocated);
        free (st.found[band].xy);
        pk.work += st.work[band];
      }
    free (st.across);
  }
  s->stats.dots_work = pk.work;
  free (max_lo);
  free (pk.candidate);
  free (pk.known);
  free (pk.lo);
  free (pk.hi);
  free (pk.raised);
}

typedef struct
{
  double x, y, d2;
} Nearer;

static int
is_nearer (const SmpFoundDot *dot,
           const SmpFoundDot *self,
           void              *data)
{
  Nearer *n = data;

  return (dot->x - n->x) * (dot->x - n->x) + (dot->y - n->y) * (dot->y - n->y) < n->d2;
}

/* The pigment of each dot: the darkening summed over the pixels around it
 * that are nearer to it than to any other dot, so two dots of a group do
 * not count each other's. */
static void
weigh_dots (SmpScar     *s,
            const float *dark,
            double       reach)
{
  size_t k;
  int    r = (int) ceil (reach);

  for (k = 0; k < s->n_dots; k++)
    {
      SmpFoundDot *dot = &s->dots[k];
      int          x0 = (int) floor (dot->x) - s->x0, y0 = (int) floor (dot->y) - s->y0, i, j;

      for (j = MAX (y0 - r, 0); j <= MIN (y0 + r, s->h - 1); j++)
        for (i = MAX (x0 - r, 0); i <= MIN (x0 + r, s->w - 1); i++)
          {
            Nearer n;

            n.x = s->x0 + i + 0.5;
            n.y = s->y0 + j + 0.5;
            n.d2 = (n.x - dot->x) * (n.x - dot->x) + (n.y - dot->y) * (n.y - dot->y);
            if (n.d2 > reach * reach
                || smp_scar_near_dots (s, n.x, n.y, sqrt (n.d2) + 1e-9, is_nearer, dot, &n))
              continue;
            dot->mass += dark[(size_t) j * s->w + i];
          }
    }
}

void
smp_scar_read_dots (SmpScar       *s,
                    const float   *luma,
                    const float   *dark,
                    const uint8_t *inside)
{
  double ppm = s->p.px_per_mm;

  find_dots (s, luma, dark, s->stats.noise, inside);
  s->stats.existing_dots = (long) s->n_dots;

  /* the dots' pigment, with the bucket grid at a provisional radius */
  s->suppress_px = MAX (MASS_HALF_MM * ppm, 2.0);
  smp_scar_file_dots (s);
  weigh_dots (s, dark, MAX (2.0, ceil (MASS_HALF_MM * ppm)));
}
