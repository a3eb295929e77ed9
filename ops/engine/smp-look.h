/* gimp-smp: looks, and the tone an SMP treatment has at a distance.
 *
 * Plain C, no GEGL.  What a viewer sees at conversation distance, or in a
 * portrait at 4-6 px per mm, is the share of the skin's light the pigment
 * takes away, averaged over many impressions.  That share follows from the
 * density, the crisp cores and the soft halo around them, and it does not
 * depend on the skin's colour: an impression absorbs a share of whatever
 * light the skin sends back.  A look is a set of values users can name
 * ("shaved, healed"); `shade` is that share, asked for directly, and the
 * halo's strength is chosen to give it.
 */
#ifndef SMP_LOOK_H
#define SMP_LOOK_H

#include "smp-layout.h"

/* The looks, in the order of every op's `look` property. */
enum
{
  SMP_LOOK_ID_CUSTOM,
  SMP_LOOK_ID_SHAVED_HEALED,
  SMP_LOOK_ID_SHAVED_1_GUARD,
  SMP_LOOK_ID_DUSTY,
  SMP_LOOK_ID_DEFINED,
  SMP_LOOK_ID_COUNT
};

typedef struct
{
  const char *name;               /* the property's nick, e.g. "shaved-healed" */
  const char *label;              /* what a menu shows */
  double      density_per_cm2;
  double      dot_diameter_mm;    /* the crisp core */
  double      size_variation;
  double      darkness;           /* of the core */
  double      darkness_variation;
  double      softness_mm;
  double      halo_mm;            /* deviation of the halo */
  double      shade;              /* share of the light taken away at a distance */
} SmpLook;

/* The preset @id (SMP_LOOK_ID_*; custom has the ops' own defaults). */
const SmpLook *smp_look_preset (int id);

/* The stages of an impression's life, in the order of every op's
 * `stage` property. */
enum
{
  SMP_STAGE_HEALED,
  SMP_STAGE_FRESH,
  SMP_STAGE_FADED,
  SMP_STAGE_COUNT
};

/* The values a session or a stage changes. */
typedef struct
{
  double density_per_cm2;
  double dot_diameter_mm;
  double darkness;
  double shade;
  double halo_mm;
  double cool_shift;
  double redness;          /* 0..1: the red of fresh skin around a dot */
} SmpLookValues;

/* After session @session of @sessions (1-4; a session past the last is
 * the last): the density and pigment built up so far.  Session 1 is
 * light and sparse, as practitioners start conservative; each later one
 * adds impressions between the earlier ones (the layout is nested) and
 * more pigment to all, up to the look as set after the last.  For 3
 * sessions: 45, 75 and 100 % of the density, 70, 85 and 100 % of the
 * pigment per impression. */
void smp_look_for_session (SmpLookValues *values,
                           int            session,
                           int            sessions);

/* A healed impression as it is at @stage (SMP_STAGE_*): fresh ones are
 * darker and larger, with redness around them for the first days; faded
 * ones (several years on) lighter, spread and cooler. */
void smp_look_for_stage   (SmpLookValues *values,
                           int            stage);

/* What decides the tone at a distance. */
typedef struct
{
  SmpLayoutParams layout;
  double          darkness;           /* of the core */
  double          softness_mm;
  double          halo_mm;
  double          pigment_luminance;  /* Y of the pigment on white skin, linear */
} SmpLookInk;

/* Fills @ink with the look @id's impressions (SMP_LOOK_ID_*; custom has
 * the ops' defaults), the layout's defaults, and a pigment of linear
 * luminance @pigment_luminance. */
void   smp_look_ink_init  (SmpLookInk *ink,
                           int         id,
                           double      pigment_luminance);

/* White skin under @look's impressions (halo @halo_strength, photo blur
 * @photo_blur_px) over a square of @mm at @px_per_mm, from a fixed seed:
 * its linear luminance, n×n floats row by row (free() them), with n in
 * @n and the number of dots centred inside it in @inside. */
float *smp_look_patch     (const SmpLookInk *look,
                           double            halo_strength,
                           double            px_per_mm,
                           double            photo_blur_px,
                           double            mm,
                           int              *n,
                           int              *inside);

/* Mean linear luminance of skin treated at full density, relative to the
 * bare skin's (1 = unchanged), with a halo of @halo_strength.  Measured by
 * drawing the impressions of a fixed 16 × 16 mm patch at 10 px/mm; the
 * layout's seed is not used, so the answer depends only on the look. */
double smp_look_tone      (const SmpLookInk *ink,
                           double            halo_strength);

/* The halo strength (its pigment at the centre, see smp-ink.h) that
 * gives a tone of 1 - @shade.  When the cores alone take more, 0.
 * When even a halo taking 0.9 of the light at its centre gives too
 * little, the halo is widened (@ink->halo_mm grows, up to 1 mm) as a
 * deposit of more pigment spreads wider; a shade that a light pigment
 * cannot reach is not reached.  The tone reached is in @tone. */
double smp_look_halo_for_shade (SmpLookInk *ink,
                                double      shade,
                                double     *tone);

#endif
