/* gimp-smp: concealing a scar the way SMP does.  See smp-scar.h. */
#include "smp-scar.h"
#include "smp-distance.h"
#include "smp-ink.h"
#include "smp-look.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* The skin's background around a pixel is its mean over this half-width:
 * wide against a healed dot (0.1-0.25 mm), narrow against shading. */
#define BACKGROUND_HALF_MM 0.5
/* Half-width of the window a dot is detected in (the peak's own
 * neighbourhood), and of the one its pigment is summed over. */
#define PEAK_HALF_MM       0.1
#define MASS_HALF_MM       0.25
/* Existing dots suppress added ones within this many mean spacings
 * (1/sqrt (density)): measured on the layout at 40-120/cm², 1.6 % of
 * the skin between its dots lies farther than that from every dot, so
 * on stubble almost nothing is added, and a dot is never put on top of
 * another. */
#define SUPPRESS_SPACINGS  0.9
/* Where the scar itself is known (below), an added dot only keeps this
 * many spacings clear of an existing one: about the closest two dots of
 * the layout come, so the pattern runs on across the scar's edge without
 * a gap along it (a wider berth left a band at 0.4 of the density). */
#define CLEAR_SPACINGS     0.25
/* Skin within this many spacings of the scar gets no dot of its own: the
 * scar's dots are there, and a gap in the stubble beside it is not one
 * to fill. */
#define BERTH_SPACINGS     0.5
/* A dot whose skin is scar-toned all round at this distance sits on a
 * patch of stubble, not beside the scar. */
#define ON_SCAR_MM         0.25
/* Scar tissue is lighter (sometimes darker) than the skin around it.
 * Inside a loose mask, the scar is told from the stubbled skin it also
 * covers by its tone between the dots, read over TONE_HALF_MM, against
 * the skin's tone nearby (over REFERENCE_HALF_MM, or four times that
 * where there is no skin closer).  The tone tells only when the mask's
 * SCAR_PERCENTILE lightest (or darkest) pixels differ from the skin by
 * SCAR_NOISES times the skin's own variation and by at least
 * MIN_SCAR_LIFT. */
#define TONE_HALF_MM       0.05
#define REFERENCE_HALF_MM  4.0
#define SCAR_NOISES        6.0
#define MIN_SCAR_LIFT      0.04
#define SCAR_PERCENTILE    0.05
/* Grain leaves specks and holes in the told scar: a majority over this
 * half-width clears them. */
#define MAJORITY_HALF_MM   0.2
/* The scar's edge runs through pixels it half covers, which the tone puts
 * on either side: the pixels right next to the scar count as its own. */
#define EDGE_PX            1.0
/* Without a tone cue, a dot inside the mask is stubble (a loose
 * selection) when the dots within EVIDENCE_SPACINGS of it number at least
 * this share of those expected and the mask covers at least EVIDENCE_MASK
 * of that disc; a stray one at the edge of a small FUE spot's selection is
 * not. */
#define EVIDENCE_SPACINGS  1.5
#define EVIDENCE_SHARE     0.3
#define EVIDENCE_MASK      0.4
/* Fewer dots than this in the ring, or a lower density, is bald skin:
 * the properties are used. */
#define MIN_RING_DOTS      10
#define MIN_DENSITY        5.0
#define MAX_DENSITY        250.0
/* Below this diameter in pixels a dot's peak says nothing about its
 * size, only its pigment (mass) can be read. */
#define RESOLVED_PX        1.5
/* A ring whose mean luminance lies this share or more below that of its
 * skin between the dark specks holds stubble (or SMP) even when no round
 * dots are found in it: clipped hair shafts are streaks, not dots.  Bald
 * skin's own grain stays well below it. */
#define MIN_RING_SHADE     0.03
/* The skin's variation at the scale of its background is taken for its
 * noise unless it is this many times its variation from pixel to pixel
 * (grain and blotches: about 1.3 times; the halos of the default look at
 * 10 px/mm: about 5 times). */
#define FINE_NOISE_RATIO   2.5
/* A found "dot" is a streak when, within STREAK_MM of its peak, its
 * darkening spreads STREAK_RATIO times as far (in variance) along one
 * axis as across it; when more than STREAK_SHARE of the ring's are, the
 * ring holds clipped hair, and its dots say nothing of its density. */
#define STREAK_MM          0.25
#define STREAK_RATIO       4.0
#define STREAK_SHARE       0.5
/* Impressions closer than this many pixels (at the look's density) touch
 * in the photo: at portrait scale (about 5 px/mm) their peaks merge and a
 * count finds a third of them.  The ring is then read by its tone. */
#define MIN_SPACING_PX     7.0
/* The build-up's limits.  Scar tissue takes pigment unevenly, so
 * practitioners go over a lighter scar again: first each impression gets
 * more pigment, up to a halo that takes all the light at its centre (the
 * most one deposit can show); then more impressions, up to MAX_COUNT
 * times the ring's.  Past that the fill stops reading as dots: at
 * 20 px/mm the default look's impressions at full pigment leave 40 % of
 * the light they take in their darkest tenth of pixels, at 1.25 times
 * the density 36 %, at 1.6 times 30 %, at 2 times 24 % (a tint leaves
 * 10 %).  It never becomes a solid fill. */
#define MAX_HALO_STRENGTH  1.0
#define MAX_COUNT          1.25

typedef struct
{
  double  x, y;            /* full-resolution pixels, absolute */
  double  mass;            /* darkening summed over the dot, px */
  double  peak;            /* largest darkening of a pixel */
  uint8_t inside;          /* centre inside the mask */
  uint8_t evidence;        /* suppresses added dots inside the mask */
  uint8_t streak;          /* a streak (a hair shaft), not a round dot */
} Found;

struct SmpScar
{
  SmpScarParams p;
  SmpScarStats  stats;
  int           x0, y0, w, h;
  float        *mask;
  float        *outside_mm;  /* distance from the mask (0.5 contour), 0 inside */
  uint8_t      *scar_skin;   /* inside the mask and scar-toned; NULL: tone tells nothing */
  float        *scar_px;     /* with it, distance (px) from the nearest scar-toned pixel */
  double        berth_px;
  Found        *dots;
  size_t        n_dots;
  double        clear_px;
  /* the dots filed in square buckets of suppress_px */
  double        suppress_px;
  int           bucket_px, bw, bh;
  int          *bucket_start;   /* bw * bh + 1 */
  int          *bucket_dots;
  int           ex, ey, ew, eh; /* extent, absolute full-resolution px */
  /* the skin's local tone on each side, for the tone blend (see
   * build_tone_field); NULL without one */
  int           tone_cell, tone_x0, tone_y0, tone_gw, tone_gh;
  float        *tone_means;
};

double
smp_scar_margin_mm (const SmpScarParams *p)
{
  /* the widest suppression radius, at the lowest density */
  double suppress = SUPPRESS_SPACINGS * 10.0 / sqrt (MIN_DENSITY);

  return fmax (p->sample_width_mm, p->blend_width_mm + suppress) + 1.0
         + 4.0 / p->px_per_mm;
}

/* ---- box means on each side of the mask ---------------------------------- */

/* Fixed point for running sums: integers add exactly in any order. */
#define FIX 16777216.0

/* Per pixel, the mean of @value over the (2r+1)² window around it, taken
 * only over pixels on the pixel's own side (@side 0 or 1), or on side
 * @from_side when that is 0 or 1, and not in @skip (may be NULL); where
 * the window holds none, @fallback, or the pixel's own value when that is
 * NaN.  O(w h) whatever r, with integer running sums. */
static void
sided_box_mean (const float   *value,
                int            stride,
                const uint8_t *side,
                const uint8_t *skip,
                int            w,
                int            h,
                int            r,
                int            from_side,
                float          fallback,
                float         *mean,
                int            mean_stride)
{
  int64_t *col = calloc ((size_t) 4 * w, sizeof (int64_t));
  int      x, y, k;

  /* col[4x + 2s] = sum, col[4x + 2s + 1] = count over the rows in the window */
  for (y = -r; y < h; y++)
    {
      int add = y + r, sub = y - r - 1;

      if (add < h)
        for (x = 0; x < w; x++)
          {
            size_t i = (size_t) add * w + x;
            float  v = value[i * stride];

            if ((skip && skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * side[i]] += (int64_t) llround (v * FIX);
            col[4 * x + 2 * side[i] + 1]++;
          }
      if (sub >= 0)
        for (x = 0; x < w; x++)
          {
            size_t i = (size_t) sub * w + x;
            float  v = value[i * stride];

            if ((skip && skip[i]) || ! isfinite (v))
              continue;
            col[4 * x + 2 * side[i]] -= (int64_t) llround (v * FIX);
            col[4 * x + 2 * side[i] + 1]--;
          }
      if (y < 0)
        continue;
      {
        int64_t run[4] = { 0, 0, 0, 0 };

        for (x = -r; x < w; x++)
          {
            int xa = x + r, xs = x - r - 1;

            if (xa < w)
              for (k = 0; k < 4; k++)
                run[k] += col[4 * xa + k];
            if (xs >= 0)
              for (k = 0; k < 4; k++)
                run[k] -= col[4 * xs + k];
            if (x >= 0)
              {
                size_t i = (size_t) y * w + x;
                int    s = from_side >= 0 ? from_side : side[i];

                mean[i * mean_stride] = run[2 * s + 1] > 0
                                        ? (float) (run[2 * s] / FIX / run[2 * s + 1])
                                        : isnan (fallback) ? value[i * stride] : fallback;
              }
          }
      }
    }
  free (col);
}


/* ---- reading the existing dots ------------------------------------------- */

/* The value below which a share @q of the finite @v (their magnitudes
 * if @magnitude) where @use is set (NULL: all) lie, from a histogram over
 * 0..@top in 5000 steps; NaN when there are none. */
static double
quantile (const float   *v,
          const uint8_t *use,
          size_t         n,
          double         q,
          double         top,
          int            magnitude)
{
  enum { BINS = 5000 };
  size_t *hist = calloc (BINS + 1, sizeof (size_t)), i, seen = 0, total = 0;
  double  value = NAN;
  int     b;

  for (i = 0; i < n; i++)
    if ((! use || use[i]) && isfinite (v[i]))
      {
        double x = magnitude ? fabs (v[i]) : v[i];

        hist[MIN (MAX ((int) (x * (BINS / top)), 0), BINS)]++;
        total++;
      }
  for (b = 0; b <= BINS && total > 0; b++)
    {
      seen += hist[b];
      if (seen >= q * total)
        {
          value = (b + 0.5) * (top / BINS);
          break;
        }
    }
  free (hist);
  return value;
}

/* The skin's noise from pixel to pixel: the robust deviation of each
 * pixel's luminance relative to the mean of its eight neighbours (scaled
 * to one pixel's own deviation).  Structure as smooth as a halo barely
 * shows in it; the few dots do not move a median. */
static double
fine_noise (const float *luma,
            int          w,
            int          h)
{
  float  *v = malloc (sizeof (float) * (size_t) w * h);
  double  noise;
  int     x, y, i, j;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        double m = 0.0;

        v[(size_t) y * w + x] = NAN;
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
          continue;
        for (j = -1; j <= 1; j++)
          for (i = -1; i <= 1; i++)
            if (i || j)
              m += luma[(size_t) (y + j) * w + x + i] / 8.0;
        if (m > 0.0 && isfinite (m) && isfinite (luma[(size_t) y * w + x]))
          v[(size_t) y * w + x] = (float) (1.0 - luma[(size_t) y * w + x] / m);
      }
  noise = 1.4826 * quantile (v, NULL, (size_t) w * h, 0.5, 0.5, 1) / sqrt (1.125);
  free (v);
  return isfinite (noise) ? noise : INFINITY;
}

static void
file_dots (SmpScar *s)
{
  size_t i;
  int    b, nb;

  s->bucket_px = MAX (1, (int) ceil (s->suppress_px));
  s->bw = s->w / s->bucket_px + 1;
  s->bh = s->h / s->bucket_px + 1;
  nb = s->bw * s->bh;
  s->bucket_start = calloc ((size_t) nb + 1, sizeof (int));
  s->bucket_dots = malloc (sizeof (int) * (s->n_dots + 1));
  for (i = 0; i < s->n_dots; i++)
    {
      int bx = (int) ((s->dots[i].x - s->x0) / s->bucket_px);
      int by = (int) ((s->dots[i].y - s->y0) / s->bucket_px);

      s->bucket_start[by * s->bw + bx + 1]++;
    }
  for (b = 0; b < nb; b++)
    s->bucket_start[b + 1] += s->bucket_start[b];
  {
    int *fill = malloc (sizeof (int) * nb);

    memcpy (fill, s->bucket_start, sizeof (int) * nb);
    for (i = 0; i < s->n_dots; i++)
      {
        int bx = (int) ((s->dots[i].x - s->x0) / s->bucket_px);
        int by = (int) ((s->dots[i].y - s->y0) / s->bucket_px);

        s->bucket_dots[fill[by * s->bw + bx]++] = (int) i;
      }
    free (fill);
  }
}

/* Calls back for every dot within @radius px of (x, y) (absolute px);
 * stops and returns 1 as soon as @visit does. */
typedef int (*DotVisit) (const Found *dot, const Found *self, void *data);

static int
near_dots (const SmpScar *s,
           double         x,
           double         y,
           double         radius,
           DotVisit       visit,
           const Found   *self,
           void          *data)
{
  int bx0 = (int) floor ((x - radius - s->x0) / s->bucket_px);
  int bx1 = (int) floor ((x + radius - s->x0) / s->bucket_px);
  int by0 = (int) floor ((y - radius - s->y0) / s->bucket_px);
  int by1 = (int) floor ((y + radius - s->y0) / s->bucket_px);
  int bx, by, k;

  for (by = MAX (by0, 0); by <= MIN (by1, s->bh - 1); by++)
    for (bx = MAX (bx0, 0); bx <= MIN (bx1, s->bw - 1); bx++)
      for (k = s->bucket_start[by * s->bw + bx]; k < s->bucket_start[by * s->bw + bx + 1]; k++)
        {
          const Found *d = &s->dots[s->bucket_dots[k]];

          if (d != self && (d->x - x) * (d->x - x) + (d->y - y) * (d->y - y) < radius * radius
              && visit (d, self, data))
            return 1;
        }
  return 0;
}

static int
count_dot (const Found *dot,
           const Found *self,
           void        *data)
{
  ++*(int *) data;
  return 0;
}

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

  if (! pk->known[i])
    {
      double t = window_sum (pk, (int) (i % pk->w), (int) (i / pk->w), 2 * pk->rn, &count);

      pk->raised[i] = (float) (pk->dark[i] - t / count);
      pk->known[i] = 1;
      pk->work += count;
    }
  return pk->raised[i];
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
        sum[x] += sign * (int64_t) llround (v * scale);
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

/* Candidates and bounds for every pixel: column sums at both half-widths
 * kept as the rows go down, each read across once. */
static void
bound_peaks (Peaks *pk)
{
  int      w = pk->w, h = pk->h, r1 = pk->rn, r2 = 2 * pk->rn, y;
  int64_t *sum1 = calloc (w, sizeof (int64_t)), *sum2 = calloc (w, sizeof (int64_t));
  int     *wild1 = calloc (w, sizeof (int)), *wild2 = calloc (w, sizeof (int));
  int     *n1 = malloc (sizeof (int) * w), *n2 = malloc (sizeof (int) * w);
  double  *t1 = malloc (sizeof (double) * w), *t2 = malloc (sizeof (double) * w);
  uint8_t *bad1 = malloc (w), *bad2 = malloc (w);

  for (y = 0; y < r1; y++)
    peak_columns (pk, y, 1, sum1, wild1);
  for (y = 0; y < r2; y++)
    peak_columns (pk, y, 1, sum2, wild2);
  for (y = 0; y < h; y++)
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
 * is above a pixel's upper bound, a neighbour is surely higher. */
static float *
window_max_lo (Peaks *pk)
{
  int    w = pk->w, h = pk->h, x, y;
  float *across = malloc (sizeof (float) * (size_t) w * h);
  float *both = malloc (sizeof (float) * (size_t) w * h);
  int   *queue = malloc (sizeof (int) * MAX (w, h));

  for (y = 0; y < h; y++)
    sliding_max (pk->lo + (size_t) y * w, across + (size_t) y * w, w, 1, pk->rn, queue);
  for (x = 0; x < w; x++)
    sliding_max (across + x, both + x, h, w, pk->rn, queue);
  pk->work += 4 * (long) w * h;
  free (across);
  free (queue);
  return both;
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
  int    w = s->w, h = s->h, rn = pk->rn, i, j;
  int    rs = MAX (2, (int) lround (STREAK_MM * s->p.px_per_mm));
  double cx = 0, cy = 0, cw = 0, peak = 0;
  Found *dot;

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
      s->dots = realloc (s->dots, sizeof (Found) * *allocated);
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
  bound_peaks (&pk);
  max_lo = window_max_lo (&pk);

  s->dots = malloc (sizeof (Found) * allocated);
  for (i = 0; i < n; i++)
    {
      int x = (int) (i % s->w), y = (int) (i / s->w);

      if (pk.candidate[i] && is_peak (&pk, max_lo, x, y)
          && lighter_all_round (luma, s->w, s->h, x, y, rd, pk.peak_threshold / 2))
        add_dot (s, &pk, dark, inside, x, y, &allocated);
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
is_nearer (const Found *dot,
           const Found *self,
           void        *data)
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
      Found *dot = &s->dots[k];
      int    x0 = (int) floor (dot->x) - s->x0, y0 = (int) floor (dot->y) - s->y0, i, j;

      for (j = MAX (y0 - r, 0); j <= MIN (y0 + r, s->h - 1); j++)
        for (i = MAX (x0 - r, 0); i <= MIN (x0 + r, s->w - 1); i++)
          {
            Nearer n;

            n.x = s->x0 + i + 0.5;
            n.y = s->y0 + j + 0.5;
            n.d2 = (n.x - dot->x) * (n.x - dot->x) + (n.y - dot->y) * (n.y - dot->y);
            if (n.d2 > reach * reach
                || near_dots (s, n.x, n.y, sqrt (n.d2) + 1e-9, is_nearer, dot, &n))
              continue;
            dot->mass += dark[(size_t) j * s->w + i];
          }
    }
}

/* ---- the size and darkness of a dot from its peak and pigment ------------- */

/* Peak and summed darkening of one dot of @diameter mm and darkness 1,
 * drawn by the ink model, averaged over sub-pixel positions. */
static void
model_dot (double  px_per_mm,
           double  softness_mm,
           double  diameter,
           double *peak,
           double *mass)
{
  static const double lum[3] = { 0.2126, 0.7152, 0.0722 };
  float  black[3] = { 0, 0, 0 };
  SmpInk ink;
  SmpDot dot = { 0 };
  int    n, ox, oy, k;
  float *patch;

  smp_ink_init (&ink, px_per_mm, 1.0, softness_mm, black, 0.0, lum);
  n = 2 * (int) ceil (smp_ink_reach_px (&ink, diameter)) + 3;
  patch = malloc (sizeof (float) * 4 * n * n);
  *peak = *mass = 0.0;
  for (oy = 0; oy < 4; oy++)
    for (ox = 0; ox < 4; ox++)
      {
        double p = 0.0;

        for (k = 0; k < 4 * n * n; k++)
          patch[k] = 1.0f;
        dot.x_mm = (n / 2 + (ox + 0.5) / 4.0) / px_per_mm;
        dot.y_mm = (n / 2 + (oy + 0.5) / 4.0) / px_per_mm;
        dot.diameter_mm = diameter;
        dot.strength = 1.0;
        smp_ink_apply_dot (&ink, &dot, patch, 4 * n, 0, 0, n, n, NULL);
        for (k = 0; k < n * n; k++)
          {
            double d = 1.0 - patch[4 * k];

            *mass += d / 16.0;
            p = fmax (p, d);
          }
        *peak += p / 16.0;
      }
  free (patch);
}

/* The diameter whose peak-to-pigment ratio is the measured one, and the
 * darkness that gives the measured pigment; for dots too small to
 * resolve, the given diameter with the darkness that gives the pigment. */
static void
fit_dot (const SmpScarParams *p,
         double               mass,
         double               peak,
         double              *diameter,
         double              *darkness)
{
  double q = peak / mass, best = p->dot_diameter_mm, best_err = INFINITY;
  double scale = 1.0 - p->pigment_luminance, m, pk, d;

  for (d = 0.03; d <= 1.0; d *= 1.05)
    {
      model_dot (p->px_per_mm, p->softness_mm, d, &pk, &m);
      if (fabs (pk / m - q) < best_err)
        {
          best_err = fabs (pk / m - q);
          best = d;
        }
    }
  if (best * p->px_per_mm < RESOLVED_PX)
    best = fmax (p->dot_diameter_mm, 0.03);
  model_dot (p->px_per_mm, p->softness_mm, best, &pk, &m);
  *darkness = mass / (m * scale);
  /* more pigment than a fully dark dot of that size holds: a larger dot */
  while (*darkness > 1.0 && best < 1.0)
    {
      best *= 1.05;
      model_dot (p->px_per_mm, p->softness_mm, best, &pk, &m);
      *darkness = mass / (m * scale);
    }
  *diameter = fmin (best, 1.0);
  *darkness = fmin (*darkness, 1.0);
}

/* ---- the scar inside the mask, by its tone -------------------------------- */

/* Marks in s->scar_skin the pixels of the mask that are scar, not the
 * stubbled skin a loose mask also covers, or leaves it NULL when the tone
 * does not tell them apart: the skin's luminance between the dots (not in
 * @skip), relative to the skin's tone nearby and over a small window on
 * the pixel's side of the mask, lies past the midpoint between the skin's
 * (1) and the scar's, read as the mask's lightest (or darkest) few
 * percent.  (Smoothness, the other mark of scar tissue, was tried as a
 * second cue and dropped: on the sample photo five of six selections of
 * skin with no scar had patches smoother than a synthetic scar.)
 *
 * The skin's tone nearby is first the ring's, then, in a second round,
 * that of the ring and of the skin the first round found inside the mask:
 * a scar's tone differs from the skin right beside it, shading's does
 * not, and deep inside a wide mask the ring is far.
 *
 * A pixel whose window is all dot is not scar (scars hold no stubble),
 * but @side, the side to measure dots against, takes it as the skin
 * around the dot is, read over a window reaching past the dot. */
static void
find_scar_skin (SmpScar       *s,
                const float   *luma,
                const uint8_t *skip,
                const uint8_t *inside,
                uint8_t       *side)
{
  size_t   n = (size_t) s->w * s->h, i;
  double   ppm = s->p.px_per_mm, ring_tone = 0, noise, lo, hi, lift = 0, threshold;
  float   *ratio = malloc (sizeof (float) * n), *tone = malloc (sizeof (float) * n);
  float   *tone_wide = malloc (sizeof (float) * n), *work = malloc (sizeof (float) * n);
  float   *work_wide = malloc (sizeof (float) * n);
  uint8_t *ring = calloc (n, 1), *inner = calloc (n, 1), *skin = calloc (n, 1);
  uint8_t *ring_skin = calloc (n, 1), *found = calloc (n, 1);
  long     ring_n = 0;
  int      rs = MAX (1, (int) lround (TONE_HALF_MM * ppm));
  int      rr = MAX (rs + 1, (int) lround (REFERENCE_HALF_MM * ppm));
  int      rw = MAX (rs + 1, (int) lround (ON_SCAR_MM * ppm));
  int      pass, told = 0;

  for (i = 0; i < n; i++)
    {
      ring[i] = ! inside[i] && s->outside_mm[i] <= s->p.sample_width_mm;
      skin[i] = ring_skin[i] = ring[i] && ! skip[i] && isfinite (luma[i]);
      inner[i] = inside[i] && ! skip[i] && isfinite (luma[i]);
      if (skin[i])
        {
          ring_tone += luma[i];
          ring_n++;
        }
    }
  if (ring_n == 0 || ! (ring_tone > 0))
    goto done;
  ring_tone /= ring_n;

  for (pass = 0; pass < 2; pass++)
    {
      /* the skin's tone nearby, or over a window four times wider where
       * there is none, or the ring's mean */
      sided_box_mean (luma, 1, skin, NULL, s->w, s->h, 4 * rr, 1, (float) ring_tone, tone, 1);
      sided_box_mean (luma, 1, skin, NULL, s->w, s->h, rr, 1, INFINITY, work, 1);
      for (i = 0; i < n; i++)
        {
          float reference = isfinite (work[i]) ? work[i] : tone[i];

          ratio[i] = reference > 0.0f && isfinite (luma[i]) ? luma[i] / reference : NAN;
        }
      sided_box_mean (ratio, 1, inside, skip, s->w, s->h, rs, -1, INFINITY, tone, 1);
      sided_box_mean (ratio, 1, inside, skip, s->w, s->h, rw, -1, NAN, tone_wide, 1);

      /* tone */
      for (i = 0; i < n; i++)
        work[i] = tone[i] - 1.0f;
      noise = 1.4826 * quantile (work, ring_skin, n, 0.5, 0.5, 1);
      lo = quantile (tone, inner, n, SCAR_PERCENTILE, 4.0, 0);
      hi = quantile (tone, inner, n, 1.0 - SCAR_PERCENTILE, 4.0, 0);
      lift = hi - 1.0 >= 1.0 - lo ? hi - 1.0 : lo - 1.0;
      if (fabs (lift) >= fmax (SCAR_NOISES * noise, MIN_SCAR_LIFT))
        {
          /* work and work_wide: how far past the midpoint, scar positive */
          threshold = 1.0 + lift / 2;
          for (i = 0; i < n; i++)
            {
              work[i] = (float) ((tone[i] - threshold) * lift);
              work_wide[i] = (float) ((tone_wide[i] - threshold) * lift);
            }
        }
      else
        {
          told = 0;
          break;
        }
      told = 1;
      for (i = 0; i < n; i++)
        {
          int known = isfinite (tone[i]);

          found[i] = inside[i] && known && work[i] > 0.0f;
          side[i] = found[i] || (inside[i] && ! known && work_wide[i] > 0.0f);
          /* the second round's skin: the ring's and the mask's */
          skin[i] = (ring[i] || (inside[i] && ! found[i])) && ! skip[i] && isfinite (luma[i]);
        }
    }
  if (told)
    {
      /* the skin's own grain leaves holes in the scar and specks beside
       * it: a majority over a small window closes them and keeps a
       * straight edge where it is */
      int rm = MAX (1, (int) lround (MAJORITY_HALF_MM * ppm));

      for (i = 0; i < n; i++)
        work[i] = found[i];
      sided_box_mean (work, 1, inside, NULL, s->w, s->h, rm, -1, NAN, tone, 1);
      for (i = 0; i < n; i++)
        found[i] = inside[i] && tone[i] > 0.5f;
      s->scar_skin = found;
      found = NULL;
      s->stats.scar_lift = lift;
    }

done:
  free (ratio);
  free (tone);
  free (tone_wide);
  free (work);
  free (work_wide);
  free (ring);
  free (inner);
  free (skin);
  free (ring_skin);
  free (found);
}

/* ---- the look at a distance, and the build-up ------------------------------ */

/* The tone at a distance (Y relative to bare skin) of impressions at
 * @density of the ring's dot with @pigment times its pigment (core and
 * halo alike: a deposit of more pigment is darker throughout). */
static double
fill_tone (const SmpScar *s,
           double         density,
           double         pigment)
{
  const SmpScarParams *p = &s->p;
  SmpLookInk           ink;

  memset (&ink, 0, sizeof ink);
  ink.layout.density_per_cm2 = density;
  ink.layout.regularity = p->regularity;
  ink.layout.clustering = p->clustering;
  ink.layout.dot_diameter_mm = s->stats.dot_diameter_mm;
  ink.layout.size_variation = p->size_variation;
  ink.layout.darkness_variation = p->darkness_variation;
  ink.darkness = s->stats.darkness * pigment;
  ink.softness_mm = p->softness_mm;
  ink.halo_mm = s->stats.halo_mm;
  ink.pigment_luminance = p->pigment_luminance;
  return smp_look_tone (&ink, s->stats.halo_strength * pigment);
}

/* What a viewer judges is the tone at a distance: the ring's is its mean
 * luminance @ring_y, dots, stubble and all.  (Its skin between the dots,
 * @skin_y, is no measure of its bare skin: the halos of SMP and the hair
 * under the skin darken all of it.)  The impression added is the look's,
 * at the ring's density.  The scar (@scar_y between its dots, bare)
 * should end as dark as the ring: where scar tissue is lighter, that
 * takes more pigment than the ring's dots hold, and more still through
 * the scar's poorer uptake.  So the scar is built up as practitioners do
 * over sessions: more pigment per impression first (up to
 * MAX_HALO_STRENGTH shown), then more impressions (up to MAX_COUNT times
 * the ring's); a scar the limits cannot darken enough stays lighter,
 * still dots.  With no shade (the crisp cores alone) the scar is filled
 * dot for dot, as the ring holds them. */
static void
build_up (SmpScar *s,
          double   ring_y,
          double   skin_y,
          double   scar_y)
{
  const SmpScarParams *p = &s->p;
  SmpScarStats        *st = &s->stats;
  double               uptake = fmin (fmax (p->uptake, 0.05), 1.0), want, bare, lo, hi, most;
  int                  i;

  st->halo_mm = p->halo_mm;
  st->halo_strength = p->halo_strength;
  st->pigment = 1.0;
  st->count = 1.0;
  st->strongest = 1.0;
  st->scar_shade = st->scar_shade_reached = 0.0;
  if (p->shade <= 0.0 || p->halo_mm <= 0.0)
    return;
  if (! (scar_y > 0.0) || ! (skin_y > 0.0) || ! (ring_y > 0.0))
    return;

  /* the scar's bare tone once the optional tone blend has pulled it
   * towards the skin's, and the tone it should have at a distance: the
   * ring's; on bald skin, the look's own on the scar's skin */
  bare = scar_y * pow (skin_y / scar_y, fmin (fmax (p->tone_blend, 0.0), 1.0));
  want = st->from_ring ? ring_y / bare : fill_tone (s, st->density_per_cm2, 1.0);
  st->scar_shade = 1.0 - want;

  /* pigment shown per impression, up to a halo that takes all the light
   * at its centre */
  most = st->halo_strength > 0.0 ? fmax (MAX_HALO_STRENGTH / st->halo_strength, 1.0) : 1.0;
  if (fill_tone (s, st->density_per_cm2, uptake) <= want)
    st->pigment = 1.0;
  else if (fill_tone (s, st->density_per_cm2, most) > want)
    {
      st->pigment = most / uptake;
      lo = 1.0;
      hi = MAX_COUNT;
      if (fill_tone (s, st->density_per_cm2 * hi, most) > want)
        lo = hi;
      for (i = 0; i < 14 && lo < hi; i++)
        {
          double mid = 0.5 * (lo + hi);

          if (fill_tone (s, st->density_per_cm2 * mid, most) > want)
            lo = mid;
          else
            hi = mid;
        }
      st->count = hi;
    }
  else
    {
      lo = uptake;
      hi = most;
      for (i = 0; i < 16; i++)
        {
          double mid = 0.5 * (lo + hi);

          if (fill_tone (s, st->density_per_cm2, mid) > want)
            lo = mid;
          else
            hi = mid;
        }
      st->pigment = hi / uptake;
    }
  st->strongest = fmax (1.0, st->pigment * uptake);
  st->scar_shade_reached = 1.0 - fill_tone (s, st->density_per_cm2 * st->count,
                                            st->pigment * uptake);
}

/* ---- measuring ------------------------------------------------------------ */

static void build_tone_field (SmpScar       *s,
                              const float   *rgb,
                              const uint8_t *side);

SmpScar *
smp_scar_new (const SmpScarParams *params,
              const float         *rgb,
              const float         *mask,
              const double         luminance[3],
              int x0, int y0, int w, int h)
{
  SmpScar      *s = calloc (1, sizeof (SmpScar));
  SmpScarStats *st = &s->stats;
  size_t        n = (size_t) w * h, i, k;
  double        ppm = params->px_per_mm, sums[3][4] = { { 0 } }, counts[3] = { 0 };
  double        scar_y = 0.0, ring_y, skin_y, fine;
  long          scar_n = 0;
  float        *luma, *bg, *dark;
  uint8_t      *inside, *skip, *side;
  int           rb = MAX (2, (int) lround (BACKGROUND_HALF_MM * ppm)), x, y, pass;
  long          ring_dots = 0, ring_streaks = 0;
  double        ring_mass = 0, ring_peak = 0, spacing_mm;
  int           ex0 = w, ey0 = h, ex1 = -1, ey1 = -1;

  s->p = *params;
  s->x0 = x0;
  s->y0 = y0;
  s->w = w;
  s->h = h;
  s->mask = malloc (sizeof (float) * n);
  s->outside_mm = malloc (sizeof (float) * n);
  luma = calloc (n, sizeof (float));
  bg = malloc (sizeof (float) * n);
  dark = calloc (n, sizeof (float));
  inside = calloc (n, 1);
  skip = calloc (n, 1);
  side = calloc (n, 1);

  for (i = 0; i < n; i++)
    {
      float m = mask[i];

      s->mask[i] = m > 0.0f ? fminf (m, 1.0f) : 0.0f;   /* also NaN */
      inside[i] = s->mask[i] >= 0.5f;
      luma[i] = (float) (luminance[0] * rgb[3 * i] + luminance[1] * rgb[3 * i + 1]
                         + luminance[2] * rgb[3 * i + 2]);
    }
  smp_distance_2d (inside, w, h, s->outside_mm);
  for (i = 0; i < n; i++)
    s->outside_mm[i] /= (float) ppm;
  fine = fine_noise (luma, w, h);

  /* the darkening of each pixel against the skin around it on its own side
   * of the mask, to leave the darkest pixels (the dots) out of the skin's
   * tone; then the scar, told inside the mask by that tone.  Where it is,
   * a second round measures the skin beside it in a loose mask against
   * skin, not against the lighter scar, which made it look like dots */
  for (pass = 0; pass < 2; pass++)
    {
      sided_box_mean (luma, 1, s->scar_skin ? side : inside, NULL, w, h, rb, -1, NAN, bg, 1);
      for (i = 0; i < n; i++)
        dark[i] = bg[i] > 0.0f && isfinite (luma[i]) ? 1.0f - luma[i] / bg[i] : 0.0f;
      st->noise = 1.4826 * quantile (dark, NULL, n, 0.5, 0.5, 1);
      /* variation at the background's scale far above the variation
       * from pixel to pixel is not noise but structure: the halos of
       * SMP, or hair under the skin, which cover all of it.  Dots are
       * found against the noise */
      if (fine < st->noise / FINE_NOISE_RATIO)
        st->noise = fine;
      memset (skip, 0, n);
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          if (dark[(size_t) y * w + x] > fmax (3.0 * st->noise, 0.02))
            {
              int i2, j2;

              for (j2 = MAX (y - 1, 0); j2 <= MIN (y + 1, h - 1); j2++)
                for (i2 = MAX (x - 1, 0); i2 <= MIN (x + 1, w - 1); i2++)
                  skip[(size_t) j2 * w + i2] = 1;
            }
      free (s->scar_skin);
      s->scar_skin = NULL;
      st->scar_lift = 0.0;
      find_scar_skin (s, luma, skip, inside, side);
      if (! s->scar_skin)
        break;
    }
  /* the dots' darkening, with them left out of the skin's tone */
  sided_box_mean (luma, 1, s->scar_skin ? side : inside, skip, w, h, rb, -1, NAN, bg, 1);
  for (i = 0; i < n; i++)
    dark[i] = bg[i] > 0.0f && isfinite (luma[i]) ? 1.0f - luma[i] / bg[i] : 0.0f;

  find_dots (s, luma, dark, st->noise, inside);
  st->existing_dots = (long) s->n_dots;

  /* the dots' pigment, with the bucket grid at a provisional radius */
  s->suppress_px = MAX (MASS_HALF_MM * ppm, 2.0);
  file_dots (s);
  weigh_dots (s, dark, MAX (2.0, ceil (MASS_HALF_MM * ppm)));

  /* the ring: outside the mask, within the sample width of it */
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        size_t j = (size_t) y * w + x;
        int    c;

        if (inside[j])
          {
            ex0 = MIN (ex0, x); ey0 = MIN (ey0, y);
            ex1 = MAX (ex1, x); ey1 = MAX (ey1, y);
          }
        if (! isfinite (luma[j]))
          continue;
        if (! inside[j] && s->outside_mm[j] <= params->sample_width_mm)
          {
            counts[0]++;
            for (c = 0; c < 3; c++)
              sums[0][c] += rgb[3 * j + c];
            if (! skip[j])
              {
                counts[1]++;
                for (c = 0; c < 3; c++)
                  sums[1][c] += rgb[3 * j + c];
              }
          }
        else if (inside[j] && ! skip[j])
          {
            counts[2]++;
            for (c = 0; c < 3; c++)
              sums[2][c] += rgb[3 * j + c];
          }
        /* the scar's own skin: the one told, or else the mask */
        if ((s->scar_skin ? s->scar_skin[j] : inside[j]) && ! skip[j])
          {
            scar_n++;
            scar_y += luma[j];
          }
      }
  for (k = 0; k < 3; k++)
    {
      st->ring_mean[k] = counts[0] > 0 ? sums[0][k] / counts[0] : 0.0;
      st->ring_tone[k] = counts[1] > 0 ? sums[1][k] / counts[1] : 0.0;
      st->scar_tone[k] = counts[2] > 0 ? sums[2][k] / counts[2] : 0.0;
    }
  st->ring_area_mm2 = counts[0] / (ppm * ppm);
  for (k = 0; k < s->n_dots; k++)
    {
      const Found *d = &s->dots[k];
      int          dx = (int) floor (d->x) - x0, dy = (int) floor (d->y) - y0;
      size_t       j = (size_t) dy * w + dx;

      if (! inside[j] && s->outside_mm[j] <= params->sample_width_mm)
        {
          ring_dots++;
          ring_mass += d->mass;
          ring_peak += d->peak;
          ring_streaks += d->streak;
        }
    }
  st->ring_dots = ring_dots;

  st->density_per_cm2 = params->density_per_cm2;
  st->dot_diameter_mm = params->dot_diameter_mm;
  st->darkness = params->darkness;
  st->from_ring = 0;
  st->from_look = 0;
  /* the tone at a distance: the ring's mean, dots and all, against its
   * skin between them */
  ring_y = luminance[0] * st->ring_mean[0] + luminance[1] * st->ring_mean[1]
           + luminance[2] * st->ring_mean[2];
  skin_y = luminance[0] * st->ring_tone[0] + luminance[1] * st->ring_tone[1]
           + luminance[2] * st->ring_tone[2];
  scar_y = scar_n > 0 ? scar_y / scar_n : skin_y;
  st->ring_shade = skin_y > 0.0 ? fmin (fmax (1.0 - ring_y / skin_y, 0.0), 0.9) : 0.0;
  if (params->match_surroundings && st->ring_area_mm2 > 0.0)
    {
      double density = 100.0 * ring_dots / st->ring_area_mm2;

      int dots = ring_dots >= MIN_RING_DOTS && density >= MIN_DENSITY;
      int resolved = 10.0 / sqrt (params->density_per_cm2) * ppm >= MIN_SPACING_PX;

      st->ring_streaks = dots ? (double) ring_streaks / ring_dots : 0.0;
      if (params->shade > 0.0 && st->ring_shade >= MIN_RING_SHADE
          && (! dots || ! resolved || st->ring_streaks > STREAK_SHARE))
        {
          /* stubble that is not round dots (clipped hair shafts are
           * streaks, and their peaks are anywhere along them), or dots
           * too close for this scale to tell apart: its tone at a
           * distance is matched with the look's own impressions */
          st->from_ring = 1;
          st->from_look = 1;
        }
      else if (dots)
        {
          st->from_ring = 1;
          st->density_per_cm2 = fmin (density, MAX_DENSITY);
          /* with a look, its impression (a crisp core in a soft halo,
           * which reads as one large dot) at the ring's density; without
           * one, the crisp cores the ring's dots show */
          if (params->shade <= 0.0)
            fit_dot (params, ring_mass / ring_dots, ring_peak / ring_dots,
                     &st->dot_diameter_mm, &st->darkness);
        }
    }
  build_up (s, ring_y, skin_y, scar_y);

  /* the dots to keep clear of, at the density being matched */
  spacing_mm = 10.0 / sqrt (st->density_per_cm2);
  s->suppress_px = SUPPRESS_SPACINGS * spacing_mm * ppm;
  s->clear_px = CLEAR_SPACINGS * spacing_mm * ppm;
  free (s->bucket_start);
  free (s->bucket_dots);
  file_dots (s);

  st->scar_found = s->scar_skin != NULL;
  if (s->scar_skin)
    {
      /* a dot with scar-toned skin all round it is not beside the scar
       * but on skin that only looks like it (a shine on stubbled skin):
       * real scars hold no stubble */
      int r = MAX (2, (int) lround (ON_SCAR_MM * ppm));

      for (k = 0; k < s->n_dots; k++)
        {
          static const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
          int cx = (int) floor (s->dots[k].x) - x0, cy = (int) floor (s->dots[k].y) - y0, d, around = 0;

          for (d = 0; d < 4; d++)
            {
              int xa = MIN (MAX (cx + r * dirs[d][0], 0), w - 1), ya = MIN (MAX (cy + r * dirs[d][1], 0), h - 1);

              around += s->scar_skin[(size_t) ya * w + xa];
            }
          /* but in clipped hair, a shaft lying across the scar grew
           * beside it: it says nothing of the skin under it */
          s->dots[k].evidence = around == 4
                                && ! (s->dots[k].streak && st->ring_streaks > STREAK_SHARE);
        }
      s->scar_px = malloc (sizeof (float) * n);
      smp_distance_2d (s->scar_skin, w, h, s->scar_px);
      s->berth_px = BERTH_SPACINGS * spacing_mm * ppm;
    }
  if (! s->scar_skin)
    {
      /* a square as large as the evidence disc, to read the mask's share
       * of it from running sums */
      double   radius = EVIDENCE_SPACINGS * spacing_mm * ppm;
      double   expected = st->density_per_cm2 / 100.0 * M_PI
                          * (EVIDENCE_SPACINGS * spacing_mm) * (EVIDENCE_SPACINGS * spacing_mm);
      int      half = MAX (1, (int) lround (radius * sqrt (M_PI) / 2));
      int64_t *sum = calloc ((size_t) (w + 1) * (h + 1), sizeof (int64_t));

      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          sum[(size_t) (y + 1) * (w + 1) + x + 1] = inside[(size_t) y * w + x]
                                                   + sum[(size_t) y * (w + 1) + x + 1]
                                                   + sum[(size_t) (y + 1) * (w + 1) + x]
                                                   - sum[(size_t) y * (w + 1) + x];
      for (k = 0; k < s->n_dots; k++)
        if (s->dots[k].inside)
          {
            int others = 0;
            int cx = (int) floor (s->dots[k].x) - x0, cy = (int) floor (s->dots[k].y) - y0;
            int xa = MAX (cx - half, 0), xb = MIN (cx + half + 1, w);
            int ya = MAX (cy - half, 0), yb = MIN (cy + half + 1, h);
            double covered = (double) (sum[(size_t) yb * (w + 1) + xb] - sum[(size_t) ya * (w + 1) + xb]
                                       - sum[(size_t) yb * (w + 1) + xa] + sum[(size_t) ya * (w + 1) + xa])
                             / ((2.0 * half + 1) * (2.0 * half + 1));

            near_dots (s, s->dots[k].x, s->dots[k].y, radius, count_dot, &s->dots[k], &others);
            s->dots[k].evidence = others >= EVIDENCE_SHARE * expected && covered >= EVIDENCE_MASK;
          }
      free (sum);
    }

  /* nothing changes beyond the blend width outside the mask */
  if (ex1 < 0)
    s->ew = s->eh = 0;
  else
    {
      int grow = (int) ceil (params->blend_width_mm * ppm) + 1;

      s->ex = x0 + ex0 - grow;
      s->ey = y0 + ey0 - grow;
      s->ew = ex1 - ex0 + 1 + 2 * grow;
      s->eh = ey1 - ey0 + 1 + 2 * grow;
    }

  /* the skin's local tone on each side, for the tone blend */
  if (params->tone_blend > 0.0)
    {
      for (i = 0; i < n; i++)
        side[i] = s->scar_skin ? s->scar_skin[i] : inside[i];
      build_tone_field (s, rgb, side);
    }

  free (luma);
  free (bg);
  free (dark);
  free (inside);
  free (skip);
  free (side);
  return s;
}

void
smp_scar_free (SmpScar *s)
{
  if (! s)
    return;
  free (s->mask);
  free (s->outside_mm);
  free (s->scar_skin);
  free (s->scar_px);
  free (s->dots);
  free (s->bucket_start);
  free (s->bucket_dots);
  free (s->tone_means);
  free (s);
}

const SmpScarStats *
smp_scar_stats (const SmpScar *s)
{
  return &s->stats;
}

void
smp_scar_extent (const SmpScar *s,
                 int *x, int *y, int *w, int *h)
{
  *x = s->ex;
  *y = s->ey;
  *w = s->ew;
  *h = s->eh;
}

/* ---- where dots are needed ------------------------------------------------ */

/* The full-resolution pixel under the centre of level pixel (i, j), as
 * an index into the region, or -1 outside it. */
static long
region_index (const SmpScar *s,
              int            level,
              int            i,
              int            j,
              double        *fx,
              double        *fy)
{
  double f = (double) (1 << level);
  int    x, y;

  *fx = (i + 0.5) * f;
  *fy = (j + 0.5) * f;
  x = (int) floor (*fx) - s->x0;
  y = (int) floor (*fy) - s->y0;
  if (x < 0 || y < 0 || x >= s->w || y >= s->h)
    return -1;
  return (long) y * s->w + x;
}

/* Share of the density to aim at: all of it on the scar, ramping to none
 * over the blend width beyond it.  The scar is the one told inside the
 * mask when it could be (so a loose selection gives what a close one
 * would), else the mask. */
static double
target (const SmpScar *s,
        long           k)
{
  double out = s->scar_skin ? s->scar_px[k] / s->p.px_per_mm : s->outside_mm[k];

  if (out <= 0.0)
    return 1.0;
  if (s->p.blend_width_mm <= 0.0)
    return 0.0;
  return fmax (0.0, 1.0 - out / s->p.blend_width_mm);
}

static int
suppresses (const Found *dot,
            const Found *self,
            void        *data)
{
  return 1;
}

/* inside the mask, or on what looks like scar: dots that stand for
 * stubble there (a patch of it in the mask, or stubble on scar-toned
 * skin), and any dot too close to put another beside */
typedef struct
{
  double x, y, clear2;
} Query;

static int
suppresses_inside (const Found *dot,
                   const Found *self,
                   void        *data)
{
  const Query *q = data;

  return dot->evidence || (dot->x - q->x) * (dot->x - q->x) + (dot->y - q->y) * (dot->y - q->y) < q->clear2;
}

void
smp_scar_fields (const SmpScar *s,
                 int            level,
                 double         uptake,
                 int tx, int ty, int tw, int th,
                 float         *need,
                 float         *strength)
{
  int i, j;

  for (j = 0; j < th; j++)
    for (i = 0; i < tw; i++)
      {
        size_t o = (size_t) j * tw + i;
        double fx, fy, t;
        long   k = region_index (s, level, tx + i, ty + j, &fx, &fy);
        int    in;

        need[o] = 0.0f;
        if (strength)
          strength[o] = 1.0f;
        if (k < 0 || (t = target (s, k)) <= 0.0)
          continue;
        in = s->outside_mm[k] <= 0.0;
        /* on skin the ring's own dot; on the scar what the build-up
         * deposits, of which the scar takes @uptake */
        if (strength)
          strength[o] = (float) ((1.0 - (1.0 - s->stats.pigment * uptake)
                                        * (s->scar_skin ? s->scar_skin[k] : s->mask[k]))
                                 / s->stats.strongest);
        if (s->scar_skin && s->scar_px[k] <= EDGE_PX)
          {
            /* on the scar (and its edge), only keep clear of the dots
             * beside it */
            Query q = { fx, fy, s->clear_px * s->clear_px };

            if (near_dots (s, fx, fy, s->suppress_px, suppresses_inside, NULL, &q))
              continue;
          }
        else if (s->scar_skin)
          {
            /* on skin, in the mask or not, the stubble already has its
             * dots, and the scar's own reach up to the skin beside it */
            if (s->scar_px[k] < s->berth_px
                || near_dots (s, fx, fy, s->suppress_px, suppresses, NULL, NULL))
              continue;
          }
        else
          {
            Query q = { fx, fy, s->clear_px * s->clear_px };

            if (near_dots (s, fx, fy, s->suppress_px, in ? suppresses_inside : suppresses,
                           NULL, &q))
              continue;
          }
        /* the density is the build-up's on the scar: beyond it, the
         * ring's ramping out */
        need[o] = (float) (t >= 1.0 ? 1.0 : t / s->stats.count);
      }
}

/* ---- tone ----------------------------------------------------------------- */

/* The skin's local tone on each side of the scar, the same as the
 * background its dots are read against: the mean over the window of half
 * BACKGROUND_HALF_MM, of the pixels on the same side.  It is computed
 * once, at full resolution, at nodes TONE_NODES_PER_HALF to a window's
 * half-width apart, and interpolated between them: the blend's cost per
 * pixel is then the same at any scale and blend width, no tile reads a
 * margin around itself, and every tile and preview level reads the same
 * field.  The window's sum moves by a few of its (2r+1) columns from
 * one node to the next, so the interpolated tone stays within a small
 * part of the local contrast. */
#define TONE_NODES_PER_HALF 8

/* At each node, for side 0 (skin) and 1 (scar): the mean R, G and B of
 * the window's pixels on that side, and their count. */
#define TONE_VALUES 4

static int
tone_half_px (const SmpScar *s)
{
  return MAX (1, (int) lround (BACKGROUND_HALF_MM * s->p.px_per_mm));
}

/* Sums of the rows in the window (2 sides × TONE_VALUES per column) with
 * row @row of the region added (@sign 1) or taken out (-1), over the
 * columns x0..x1; returns the pixels visited. */
static long
tone_columns (const SmpScar *s,
              const float   *rgb,
              const uint8_t *side,
              int            row,
              int            sign,
              int            x0,
              int            x1,
              int64_t       *col)
{
  int x, k;

  if (row < 0 || row >= s->h)
    return 0;
  for (x = x0; x <= x1; x++)
    {
      size_t   i = (size_t) row * s->w + x;
      int64_t *c = col + (2 * (x - x0) + side[i]) * TONE_VALUES;

      if (! isfinite (rgb[3 * i]) || ! isfinite (rgb[3 * i + 1]) || ! isfinite (rgb[3 * i + 2]))
        continue;
      for (k = 0; k < 3; k++)
        c[k] += sign * (int64_t) llround (rgb[3 * i + k] * FIX);
      c[3] += sign;
    }
  return x1 - x0 + 1;
}

/* Fills s->tone_means over the extent (its part in the region) from the
 * region's linear @rgb, whose pixels lie on @side 0 or 1.  Integer
 * running sums down the columns, read across at the node rows only: each
 * pixel within a window's reach of the extent is visited twice, and each
 * node row once more, whatever the window's size. */
static void
build_tone_field (SmpScar       *s,
                  const float   *rgb,
                  const uint8_t *side)
{
  int      r = tone_half_px (s), cell = MAX (1, r / TONE_NODES_PER_HALF);
  int      fx0 = MAX (s->ex - s->x0, 0), fy0 = MAX (s->ey - s->y0, 0);
  int      fx1 = MIN (s->ex + s->ew - s->x0, s->w) - 1, fy1 = MIN (s->ey + s->eh - s->y0, s->h) - 1;
  int      cx0 = MAX (fx0 - r, 0), cx1, gx, gy, k;
  int      top = fy0 - r, bottom = fy0 - r - 1;  /* the rows in the column sums */
  int64_t *col;
  long     work = 0;

  if (fx1 < fx0 || fy1 < fy0)
    return;
  s->tone_cell = cell;
  s->tone_x0 = fx0;
  s->tone_y0 = fy0;
  s->tone_gw = (fx1 - fx0 + cell - 1) / cell + 1;
  s->tone_gh = (fy1 - fy0 + cell - 1) / cell + 1;
  cx1 = MIN (fx0 + (s->tone_gw - 1) * cell + r, s->w - 1);
  col = calloc ((size_t) 2 * TONE_VALUES * (cx1 - cx0 + 1), sizeof (int64_t));
  s->tone_means = calloc ((size_t) s->tone_gw * s->tone_gh * 2 * TONE_VALUES, sizeof (float));
  for (gy = 0; gy < s->tone_gh; gy++)
    {
      int64_t run[2 * TONE_VALUES] = { 0 };
      int     row = fy0 + gy * cell, x;

      /* the window's rows, row - r .. row + r, in the column sums */
      for (; bottom < row + r; bottom++)
        work += tone_columns (s, rgb, side, bottom + 1, 1, cx0, cx1, col);
      for (; top < row - r; top++)
        work += tone_columns (s, rgb, side, top, -1, cx0, cx1, col);
      /* across, from the first column summed: the window's columns
       * x - r .. x + r */
      for (x = cx0 - r, gx = 0; gx < s->tone_gw; x++)
        {
          int add = x + r, sub = x - r - 1;

          if (add >= cx0 && add <= cx1)
            for (k = 0; k < 2 * TONE_VALUES; k++)
              run[k] += col[2 * TONE_VALUES * (add - cx0) + k];
          if (sub >= cx0 && sub <= cx1)
            for (k = 0; k < 2 * TONE_VALUES; k++)
              run[k] -= col[2 * TONE_VALUES * (sub - cx0) + k];
          work++;
          if (x == fx0 + gx * cell)
            {
              float *node = s->tone_means + ((size_t) gy * s->tone_gw + gx) * 2 * TONE_VALUES;

              for (k = 0; k < 2 * TONE_VALUES; k++)
                {
                  int64_t count = run[k - k % TONE_VALUES + 3];

                  node[k] = k % TONE_VALUES == 3 ? (float) count
                            : count > 0 ? (float) (run[k] / FIX / count) : 0.0f;
                }
              gx++;
            }
        }
    }
  s->stats.tone_field_work = work;
  free (col);
}

/* The local tone (linear RGB) on @side around the full-resolution point
 * (fx, fy) (absolute px), interpolated between the nodes, each weighted
 * by its count of that side's pixels; 0 where the side has none near. */
static int
local_tone (const SmpScar *s,
            double         fx,
            double         fy,
            int            side,
            double         tone[3])
{
  double u = fmin (fmax ((fx - s->x0 - 0.5 - s->tone_x0) / s->tone_cell, 0.0), s->tone_gw - 1);
  double v = fmin (fmax ((fy - s->y0 - 0.5 - s->tone_y0) / s->tone_cell, 0.0), s->tone_gh - 1);
  int    gx = MIN ((int) u, MAX (s->tone_gw - 2, 0)), gy = MIN ((int) v, MAX (s->tone_gh - 2, 0));
  double sum[3] = { 0, 0, 0 }, count = 0;
  int    i, j, k;

  for (j = 0; j <= 1 && gy + j < s->tone_gh; j++)
    for (i = 0; i <= 1 && gx + i < s->tone_gw; i++)
      {
        const float *node = s->tone_means + ((size_t) (gy + j) * s->tone_gw + gx + i) * 2 * TONE_VALUES
                            + side * TONE_VALUES;
        double       weight = (i ? u - gx : 1.0 - (u - gx)) * (j ? v - gy : 1.0 - (v - gy)) * node[3];

        for (k = 0; k < 3; k++)
          sum[k] += weight * node[k];
        count += weight;
      }
  if (! (count > 0.0))
    return 0;
  for (k = 0; k < 3; k++)
    tone[k] = sum[k] / count;
  return 1;
}

long
smp_scar_tone (const SmpScar *s,
               int            level,
               float         *rgba,
               int tx, int ty, int tw, int th,
               uint8_t       *changed)
{
  double tone_blend = s->p.tone_blend;
  int    x, y, c;
  long   count = 0;

  memset (changed, 0, (size_t) tw * th);
  if (! s->tone_means || tone_blend <= 0.0)
    return 0;
  for (y = 0; y < th; y++)
    for (x = 0; x < tw; x++)
      {
        double fx, fy, t, local[3];
        long   k = region_index (s, level, tx + x, ty + y, &fx, &fy);
        size_t a = (size_t) y * tw + x;
        int    side;
        /* the ring's tone between its dots for the scar, which gets its
         * own dots; its plain mean for skin that keeps the dots it has */
        const double *ref;

        if (k < 0 || (t = target (s, k)) <= 0.0)
          continue;
        side = s->scar_skin ? s->scar_skin[k] : s->outside_mm[k] <= 0.0;
        ref = side ? s->stats.ring_tone : s->stats.ring_mean;
        if (! local_tone (s, fx, fy, side, local))
          continue;
        for (c = 0; c < 3; c++)
          if (local[c] > 0.0 && ref[c] > 0.0 && isfinite (rgba[4 * a + c]))
            rgba[4 * a + c] = (float) (rgba[4 * a + c] * pow (ref[c] / local[c], tone_blend * t));
        changed[a] = 1;
        count++;
      }
  return count;
}
