/* gimp-smp: the stages of concealing a scar (smp-scar.h), for the
 * engine's own files and for the unit tests that call each stage
 * directly.  The ops use smp-scar.h alone.
 *
 * smp_scar_new runs them in this order on a region at full resolution:
 *
 *  1. telling scar from skin (smp-scar-skin.c): each pixel's darkening
 *     against the skin on its own side, the skin's noise, the pixels of
 *     dots, and inside the mask the scar by its tone;
 *  2. finding the existing dots (smp-scar-dots.c): their centres, peaks,
 *     pigment and shape, filed in a grid of buckets;
 *  3. measuring the ring (smp-scar-ring.c): its sums over the photo,
 *     then its tone, its dots, the density and look to match, and the
 *     build-up of a lighter scar;
 *  4. building the fields (smp-scar-fields.c): the maps the dots'
 *     evidence reads, then which dots keep added ones away, and the need
 *     and strength of added dots at each pixel;
 *  5. blending the tone (smp-scar-tone.c): the skin's local tone on each
 *     side, and the gain that pulls the scar's towards the ring's.
 *
 * What reads the photo and not the look (1, 2, the ring's sums, the
 * evidence's maps and the extent) runs first, so that a preview can keep
 * it and run only the rest after a slider moves (smp_scar_new_seen).
 *
 * The box means and quantiles they share are in smp-scar-means.c.  Each
 * stage reads what the ones before it left in SmpScar.
 */
#ifndef SMP_SCAR_STAGES_H
#define SMP_SCAR_STAGES_H

#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include "smp-scar.h"
#include "smp-buckets.h"

#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* The skin's background around a pixel is its mean over this half-width:
 * wide against a healed dot (0.1-0.25 mm), narrow against shading. */
#define BACKGROUND_HALF_MM 0.5
/* Existing dots suppress added ones within this many mean spacings
 * (1/sqrt (density)): measured on the layout at 40-120/cm², 1.6 % of
 * the skin between its dots lies farther than that from every dot, so
 * on stubble almost nothing is added, and a dot is never put on top of
 * another. */
#define SUPPRESS_SPACINGS  0.9
/* A dot whose skin is scar-toned all round at this distance sits on a
 * patch of stubble, not beside the scar. */
#define ON_SCAR_MM         0.25
/* Fewer dots than MIN_DENSITY per cm² in the ring is bald skin (the
 * properties are used); the widest suppression radius follows from it. */
#define MIN_DENSITY        5.0
/* When more than this share of the ring's dots are streaks (see
 * smp-scar-dots.c), the ring holds clipped hair, and its dots say nothing
 * of its density. */
#define STREAK_SHARE       0.5

/* Fixed point for running sums: integers add exactly in any order. */
#define FIX 16777216.0

/* llround (@t), the same to the bit, inline where it is in range: the
 * running sums round twice per pixel, and the library call was a tenth
 * of the scar's measuring time. */
static inline int64_t
smp_scar_round (double t)
{
  int64_t q;
  double  f;

  if (! (fabs (t) < 0x1p62))
    return llround (t);
  q = (int64_t) t;
  f = t - (double) q;
  if (f >= 0.5)
    q++;
  else if (f <= -0.5)
    q--;
  return q;
}

/* smp_scar_round (@v * FIX), the same to the bit (checked over every
 * finite float), without its branches: the running sums of
 * smp-scar-means.c round each pixel twice, and the branches were a third
 * of their time.  @v × FIX is exact in a double, and so is adding ½ while
 * it is under 2^51 in magnitude, except where it is under 2^-29, far from
 * where rounding could reach the next integer. */
static inline int64_t
smp_scar_fix (float v)
{
  double t = (double) v * FIX;

  if (fabs (t) < 0x1p51)
    return (int64_t) (t + copysign (0.5, t));
  return smp_scar_round (t);
}

/* An existing dot (stubble or earlier SMP) found in the photo. */
typedef struct
{
  double  x, y;            /* full-resolution pixels, absolute */
  double  mass;            /* darkening summed over the dot, px */
  double  peak;            /* largest darkening of a pixel */
  uint8_t inside;          /* centre inside the mask */
  uint8_t evidence;        /* suppresses added dots inside the mask */
  uint8_t streak;          /* a streak (a hair shaft), not a round dot */
} SmpFoundDot;

/* The ring's linear RGB summed over its pixels (0), its skin between the
 * dots (1) and the mask's skin between the dots (2), with their counts;
 * the luminance of the scar's own skin between the dots; and the dots
 * found in the ring: their number, streaks, and pigment and peaks
 * summed. */
typedef struct
{
  double sums[3][3];
  double counts[3];
  double scar_y;
  long   scar_n;
  long   dots, streaks;
  double mass, peak;
} SmpScarRingSums;

/* The per-pixel arrays of a scar, which the first stages make and
 * nothing changes after, held by reference count when scars share them
 * (smp_scar_new_seen): freed with the last. */
typedef struct SmpScarShared SmpScarShared;

struct SmpScar
{
  SmpScarParams p;
  SmpScarStats  stats;
  int           x0, y0, w, h;
  SmpScarShared *shared;     /* NULL: the arrays below are this scar's own */
  float        *mask;
  float        *outside_mm;  /* distance from the mask (0.5 contour), 0 inside */
  uint8_t      *scar_skin;   /* inside the mask and scar-toned; NULL: tone tells nothing */
  float        *scar_px;     /* with it, distance (px) from the nearest scar-toned pixel */
  /* without it, running sums of the mask at 0.5, (w + 1) × (h + 1):
   * 32 bits hold any region that fits in memory (its maps alone take
   * 40 bytes a pixel) */
  uint32_t     *inside_sum;
  SmpScarRingSums ring;
  double        berth_px;
  SmpFoundDot        *dots;
  size_t        n_dots;
  double        clear_px;
  /* the dots filed in square buckets of suppress_px */
  double        suppress_px;
  SmpBuckets    buckets;        /* cells of a whole number of px */
  int           ex, ey, ew, eh; /* extent, absolute full-resolution px */
  /* the skin's local tone on each side, for the tone blend (see
   * smp-scar-tone.c); NULL without one */
  int           tone_cell, tone_x0, tone_y0, tone_gw, tone_gh;
  float        *tone_means;
};

/* smp-scar.c: a scar measured on nothing yet, for @region: its
 * parameters, its mask (clamped to 0..1, NaN as 0) and the distance from
 * it, and in @inside (the region's pixels) those at 0.5 or more. */
SmpScar *smp_scar_start          (const SmpScarParams *params,
                                  const float         *mask,
                                  const SmpRect       *region,
                                  uint8_t             *inside);

/* smp-scar-means.c, smp_scar_sided_mean: per pixel of the w×h region,
 * the mean of @value over the (2r+1)² window around it, taken only over
 * pixels on the pixel's own side (@side 0 or 1), or on side @from_side
 * when that is 0 or 1, and not in @skip (may be NULL); where the window
 * holds none, @fallback, or the pixel's own value when that is NaN.
 * Into @mean.  O(w h) whatever r.  It is split in bands of columns over
 * the cores (smp-parallel.h): the scar is measured before any tile can
 * be drawn, and the other cores would wait.  The sums are integers, so
 * the results are the same for any split. */
typedef struct
{
  const float   *value;
  const uint8_t *side, *skip;
  int            w, h, r, from_side;
  float          fallback;
  float         *mean;
} SmpScarMeanJob;

void     smp_scar_sided_mean     (const SmpScarMeanJob *job);

/* Two independent smp_scar_sided_mean, one after the other. */
void     smp_scar_sided_means    (const SmpScarMeanJob *a,
                                  const SmpScarMeanJob *b);
/* The value below which a share @q of the finite @v (their magnitudes
 * if @magnitude) where @use is set (NULL: all) lie, from a histogram over
 * 0..@top in 5000 steps; NaN when there are none. */
double   smp_scar_quantile       (const float   *v,
                                  const uint8_t *use,
                                  size_t         n,
                                  double         q,
                                  double         top,
                                  int            magnitude);
/* The skin's noise from pixel to pixel (a robust deviation of each
 * pixel's luminance against its eight neighbours); INFINITY if none. */
double   smp_scar_fine_noise     (const float   *luma,
                                  int            w,
                                  int            h);

/* 1. smp-scar-skin.c: the darkening of each pixel of @luma against the
 * skin around it on its own side into @dark, the skin's noise into
 * stats.noise, the pixels of dots and their neighbours into @skip, and
 * inside the mask the scar told by its tone into s->scar_skin (NULL when
 * the tone tells nothing) and stats.scar_lift; @side, the side each pixel
 * was measured on. */
void     smp_scar_tell_scar      (SmpScar       *s,
                                  const float   *luma,
                                  const uint8_t *inside,
                                  float         *dark,
                                  uint8_t       *skip,
                                  uint8_t       *side);
/* The scar told inside the mask by its tone alone (one call of the
 * above's), given the pixels of dots in @skip. */
void     smp_scar_find_scar_skin (SmpScar       *s,
                                  const float   *luma,
                                  const uint8_t *skip,
                                  const uint8_t *inside,
                                  uint8_t       *side);

/* 2. smp-scar-dots.c: the existing dots, found in the darkening @dark
 * against the skin's noise (stats.noise): s->dots and s->n_dots with
 * their pigment, stats.existing_dots and stats.dots_work, and the grid of
 * buckets at a provisional radius. */
void     smp_scar_read_dots      (SmpScar       *s,
                                  const float   *luma,
                                  const float   *dark,
                                  const uint8_t *inside);
/* Files s->dots in square buckets of s->suppress_px. */
void     smp_scar_file_dots      (SmpScar       *s);
/* Calls back for every dot but @self within @radius px of (x, y)
 * (absolute px); stops and returns 1 as soon as @visit does. */
typedef int (*SmpScarDotVisit) (const SmpFoundDot *dot,
                                const SmpFoundDot *self,
                                void              *data);
int      smp_scar_near_dots      (const SmpScar     *s,
                                  double             x,
                                  double             y,
                                  double             radius,
                                  SmpScarDotVisit    visit,
                                  const SmpFoundDot *self,
                                  void              *data);

/* 3. smp-scar-ring.c: the ring's sums over its pixels and dots
 * (s->ring), which read the photo and not the look; @rgb is the region's
 * linear RGB. */
void     smp_scar_sum_ring       (SmpScar       *s,
                                  const float   *rgb,
                                  const float   *luma,
                                  const uint8_t *inside,
                                  const uint8_t *skip);
/* Then from them the ring's tone, dots and the look to match, and the
 * build-up of the scar: every field of the stats from ring_dots to
 * strongest.  @luminance: the Y weights. */
void     smp_scar_measure_ring   (SmpScar       *s,
                                  const double   luminance[3]);

/* 4. smp-scar-fields.c: what the dots' evidence reads and the look does
 * not change: the distance from the told scar (s->scar_px), or without
 * one the running sums of @inside (s->inside_sum). */
void     smp_scar_evidence_maps  (SmpScar       *s,
                                  const uint8_t *inside);
/* Then which existing dots keep added ones away (their evidence flag,
 * the radii), at the density being matched; stats.scar_found. */
void     smp_scar_mark_evidence  (SmpScar       *s);
/* The full-resolution pixel under the centre of level pixel (i, j), as
 * an index into the region, or -1 outside it; its centre in @fx, @fy. */
long     smp_scar_region_index   (const SmpScar *s,
                                  int            level,
                                  int            i,
                                  int            j,
                                  double        *fx,
                                  double        *fy);
/* Share of the density to aim at in region pixel @k: all of it on the
 * scar, ramping to none over the blend width beyond it. */
double   smp_scar_target         (const SmpScar *s,
                                  long           k);

/* smp-scar.c: the pixels outside which nothing changes, the mask's
 * reach grown by the blend width (s->ex..). */
void     smp_scar_find_extent    (SmpScar       *s,
                                  const uint8_t *inside);

/* 5. smp-scar-tone.c: the skin's local tone on each side (the scar told,
 * or else the mask), for smp_scar_tone, from the region's linear @rgb;
 * stats.tone_field_work.  Needs the extent. */
void     smp_scar_measure_tone   (SmpScar       *s,
                                  const float   *rgb,
                                  const uint8_t *inside);

#endif
