/* gimp-smp: concealing a scar the way SMP does.
 *
 * Plain C, no GEGL.  A practitioner fills a scar with dots at the density
 * and look of the scalp around it, and adds nothing where the scalp already
 * has its dots or stubble.  What a viewer judges is the look at a
 * distance, so a scar lighter than the skin is built up, as over several
 * sessions, until it is as dark at a distance as the ring around it: each
 * impression on it with more pigment, up to a halo that takes all the
 * light at its centre, then more impressions, up to 1.25 times the ring's
 * count (the limit: beyond it the fill turns into a tint).  This file
 * measures what is there and says where dots are still needed:
 *
 *  - the ring's tone at a distance (its mean luminance, dots and all) and
 *    the scar's bare tone, which set the build-up; with no shade (the
 *    crisp cores alone) the scar is filled dot for dot instead;
 *  - it finds the existing dots (stubble or earlier SMP) as dark blobs
 *    against the skin's local background, measured on each side of the
 *    scar (the one told below, or else the mask) separately so the
 *    lighter scar is never taken for a background that makes the skin
 *    beside it look like dots;
 *  - in a ring around the mask it measures their density, size and
 *    darkness, and the skin's tone;
 *  - it tells the scar from the skin inside the mask, since users select
 *    loosely: scar tissue is lighter (or darker) than the skin nearby;
 *  - it marks where added dots are wanted: on the scar (the one told, or
 *    else the mask), and ramping out over the blend width beyond it.  On the scar an added dot only
 *    keeps clear of the dots right beside it, so the pattern runs on
 *    across the scar's edge; on skin (in the mask or not) none is added
 *    within about a dot spacing of an existing dot, nor next to the scar.
 *    Stubble on what looks like scar (a shine) counts as skin.  When the
 *    tone tells nothing, dots inside the mask only count when they form a
 *    patch of stubble (a loosely drawn selection), not when a stray one
 *    sits at the edge of a small, tightly selected FUE spot.
 *
 * The stages are in smp-scar-skin.c, smp-scar-dots.c, smp-scar-ring.c,
 * smp-scar-fields.c and smp-scar-tone.c (see smp-scar-stages.h).
 *
 * Everything is measured once on a region that depends only on the mask
 * (its bounding box grown by the ring), at full resolution, so the result
 * is the same for every tile, region of interest and preview level.
 */
#ifndef SMP_SCAR_H
#define SMP_SCAR_H

#include "smp-rect.h"
#include <stdint.h>

typedef struct
{
  double px_per_mm;          /* at full resolution */
  double sample_width_mm;    /* width of the ring measured around the mask */
  double blend_width_mm;     /* ramp of the added density beyond the mask */
  int    match_surroundings; /* 0: use the three values below as they are */
  double density_per_cm2;    /* used when not matching, or nothing is found */
  double dot_diameter_mm;    /* likewise; also for dots below a pixel */
  double darkness;           /* likewise */
  double softness_mm;        /* ink diffusion, to read the dots' size */
  double pigment_luminance;  /* linear Y of the pigment (0 = black) */
  /* The look at a distance (all 0: the crisp cores alone, and the scar
   * filled dot for dot at the ring's density, as a look with no halo
   * asks).  With a shade, the scar is built up to the ring's tone at a
   * distance: see smp_scar_new. */
  double shade;              /* of the look; 0: no halo, no build-up */
  double halo_mm;            /* deviation of an impression's halo */
  double halo_strength;      /* of the dots used on bald skin */
  double size_variation;     /* the layout, for the tone a fill gives */
  double darkness_variation;
  double regularity;
  double clustering;
  double uptake;             /* how well the scar takes pigment, 0..1 */
  double tone_blend;         /* for smp_scar_tone; 0: no tone field is built */
} SmpScarParams;

typedef struct
{
  int    from_ring;          /* 1: the three below were measured in the ring */
  double density_per_cm2;    /* of the dots to add */
  double dot_diameter_mm;
  double darkness;
  long   ring_dots;          /* existing dots found in the ring */
  double ring_area_mm2;
  double ring_tone[3];       /* mean linear RGB of the ring's skin between dots */
  double ring_mean[3];       /* mean linear RGB of the ring, dots included */
  double scar_tone[3];       /* mean linear RGB inside the mask, between dots */
  long   existing_dots;      /* existing dots found in the whole region */
  int    scar_found;         /* 1: the scar was told from skin inside the mask */
  double scar_lift;          /* by its tone: relative to the skin's, minus 1 */
  double noise;              /* robust deviation of the skin's darkening */
  /* The look at a distance and the build-up (see smp_scar_new).  The op
   * draws its dots at density_per_cm2 × count where smp_scar_fields asks
   * for all of it, each at darkness × strongest and with a halo of
   * halo_mm at halo_strength × strongest; the strength field scales each
   * dot down to what it should be where it lies. */
  int    from_look;          /* 1: the ring read by its tone, not by its dots */
  double ring_streaks;       /* share of the ring's "dots" that are streaks */
  double halo_mm;            /* the halo of the ring's own impression */
  double halo_strength;
  double ring_shade;         /* 1 - the ring's Y over its skin's between the dots */
  double scar_shade;         /* wanted on the scar: 1 - the ring's Y over the scar's */
  double scar_shade_reached; /* what the build-up gives, by the tone model */
  double pigment;            /* deposited per impression on the scar ÷ the ring's */
  double count;              /* impressions per cm² on the scar ÷ the ring's, 1..2 */
  double strongest;          /* the strongest dot drawn ÷ the ring's */
  /* The work done, in pixel visits, for the tests that it grows with the
   * region's area alone, whatever the scale: finding the existing dots,
   * and building the tone field (each pixel within a window's reach of
   * the blend's extent added and taken out once, the node rows read
   * across). */
  long   dots_work;
  long   tone_field_work;
} SmpScarStats;

typedef struct SmpScar SmpScar;

/* How far (mm) beyond the mask's non-zero bounding box the region given
 * to smp_scar_new must reach: the ring, or the blend zone plus the reach
 * of an existing dot, whichever is wider. */
double        smp_scar_margin_mm (const SmpScarParams *params);

/* What a scar is measured on: @region (pixels at full resolution) of
 * the photo. */
typedef struct
{
  const float  *rgb;        /* linear RGB, 3 floats a pixel, the image's own space */
  const float  *mask;       /* the scar mask, 0..1 */
  const double *luminance;  /* the space's 3 Y weights */
  SmpRect       region;
} SmpScarPhoto;

/* Measures @photo. */
SmpScar      *smp_scar_new       (const SmpScarParams *params,
                                  const SmpScarPhoto  *photo);
void          smp_scar_free      (SmpScar             *scar);

/* What the first stages made of a region: they read the photo, the mask,
 * px/mm and the sample and blend widths, never the look.  With @seen,
 * smp_scar_new_seen takes them from *@seen when those inputs are the
 * same to the bit (a preview measured again after a slider moved), and
 * otherwise runs them and keeps them in *@seen (freeing what was there):
 * the scar is the same to the bit as smp_scar_new's either way.  What
 * is kept holds some 40 bytes a pixel of the region, part of it shared
 * with the scars it measured (not copied: a restore costs next to
 * nothing). */
typedef struct SmpScarSeen SmpScarSeen;
SmpScar      *smp_scar_new_seen  (const SmpScarParams *params,
                                  const SmpScarPhoto  *photo,
                                  SmpScarSeen        **seen);
void          smp_scar_seen_free (SmpScarSeen         *seen);
const SmpScarStats *
              smp_scar_stats     (const SmpScar       *scar);

/* The pixels (full resolution) outside which nothing changes: the mask's
 * reach grown by the blend width.  Empty (w = 0) when the mask is. */
SmpRect       smp_scar_extent    (const SmpScar       *scar);

/* For the pixels of @target, of the image at mipmap @level:
 * @need, the share (0..1) of stats->density_per_cm2 × stats->count still
 * to add there (all of it on the scar, the ring's density ramping out
 * beyond it); @strength (may be NULL), how strong a dot centred there
 * comes out relative to the strongest drawn (stats->strongest): the
 * ring's own dot on skin, and inside the scar the build-up's pigment of
 * which the scar takes @uptake.  With no build-up: 1 on skin, @uptake in
 * the scar. */
void          smp_scar_fields    (const SmpScar       *scar,
                                  int                  level,
                                  double               uptake,
                                  const SmpRect       *target,
                                  float               *need,
                                  float               *strength);

/* Pulls the scar's base tone towards the ring's by the tone_blend it was
 * measured for (0..1), as a gain in linear light on each pixel, so the
 * skin's texture stays: on the scar (the one told, or else the mask) the
 * gain takes the local skin tone to the ring's, ramping out over the
 * blend width; on skin that already has the ring's tone it is 1.  The
 * local tone was measured once by smp_scar_new, at full resolution, so
 * a pixel needs nothing around it: @rgba holds linear RGBA of the pixels
 * of @target at @level, changed in place and flagged in
 * @changed.  Returns the number changed. */
long          smp_scar_tone      (const SmpScar       *scar,
                                  int                  level,
                                  float               *rgba,
                                  const SmpRect       *target,
                                  uint8_t             *changed);

#endif
