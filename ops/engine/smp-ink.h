/* gimp-smp: what one SMP impression does to the skin under it.
 *
 * Plain C, no GEGL.  Pigment sits under the epidermis: the light that
 * reaches a pixel has passed through it, so a dot is an absorption in
 * linear light (shading and highlights of the photo stay on top), and
 * what is absorbed is replaced by the skin's own luminance seen through a
 * charcoal, slightly cool pigment (the Tyndall effect greys it).
 */
#ifndef SMP_INK_H
#define SMP_INK_H

#include <stddef.h>
#include <stdint.h>

#include "smp-layout.h"
#include "smp-rect.h"

typedef struct
{
  double px_per_mm;     /* at the level being rendered */
  double darkness;      /* 0..1: share of the skin's light the core absorbs */
  double softness_mm;   /* ink diffusion at the dot edge */
  float  pigment[3];    /* linear RGB (image space) of the pigment, cool shift applied */
  float  luminance[3];  /* the image space's luminance weights */
  /* The halo: the deposit's pigment seen through the skin's own light
   * diffusion, a soft Gaussian around the crisp core.  It carries most of
   * the light an impression takes away at a distance. */
  double halo_mm;       /* its standard deviation; 0: none */
  /* its pigment at its centre: a lone halo takes that share of the
   * light there while it is at most 0.8, and saturates beyond (1 takes
   * 0.9); overlapping halos add their pigment */
  double halo_strength;
  float  halo_pigment[3]; /* cooler than the core: more of it is seen through skin */
  double photo_blur_px; /* the photo's own blur (lens, focus, demosaicing), px at this level */
  double redness;       /* 0..1: fresh skin's red around a dot, over the halo */
  /* derived by the functions below, never set by hand */
  double ink_sigma_px;  /* the ink's diffusion with the photo's blur */
  double edge_sigma_px; /* that and the pixel's own footprint */
  double halo_px;       /* the halo's deviation with the photo's blur */
  double halo_reach_px; /* beyond it a halo changes nothing */
  double halo_mass_px2; /* its pigment over the plane, for a dot of strength 1 */
} SmpInk;

/* Fills @ink; @pigment is the linear RGB of the pigment colour in the
 * image's space, @cool_shift 0..1 the blue-grey tinge. */
void   smp_ink_init       (SmpInk       *ink,
                           double        px_per_mm,
                           double        darkness,
                           double        softness_mm,
                           const float   pigment[3],
                           double        cool_shift,
                           const double  luminance[3]);

/* Gives @ink a halo of deviation @halo_mm and pigment @strength at its
 * centre (0: none, as smp_ink_init leaves it). */
void   smp_ink_set_halo   (SmpInk       *ink,
                           double        halo_mm,
                           double        strength);

/* Blurs every dot by the photo's own blur, @blur_px (deviation, pixels
 * at the level being rendered; 0 as smp_ink_init leaves it).  A dot drawn
 * sharper than the photo's finest detail looks pasted on. */
void   smp_ink_set_photo_blur (SmpInk   *ink,
                               double    blur_px);

/* Fresh skin's redness around each dot, over its halo (0: none, as
 * smp_ink_init leaves it): the light the skin sends back loses some of
 * its green and blue, not its red. */
void   smp_ink_set_redness    (SmpInk   *ink,
                               double    redness);

/* Distance in pixels from a dot's centre beyond which it changes nothing. */
double smp_ink_reach_px   (const SmpInk *ink,
                           double        diameter_mm);

/* A patch of the image to draw on: linear RGBA floats over @area (image
 * pixels), row by row, 4 area.w floats a row. */
typedef struct
{
  float   *rgba;
  SmpRect  area;
  uint8_t *touched;  /* area.w × area.h flags, set to 1 where a dot
                      * reached the pixel; may be NULL */
} SmpInkPatch;

/* Draws @n dots (in one global order, so that every tile gets the same
 * result) onto @patch: first their halos, as pigment that adds up and
 * takes its share of the light, then their cores one by one.  @amount
 * is scratch of a float per pixel of the patch.  Returns how many pixels
 * changed, counted once per halo pass and once per core. */
int    smp_ink_draw_dots  (const SmpInk      *ink,
                           const SmpDot      *dots,
                           size_t             n,
                           const SmpInkPatch *patch,
                           float             *amount);

/* The strongest halo a look uses: it takes 0.9 of the light at its
 * centre. */
#define SMP_INK_HALO_MOST 1.0

/* One dot's core alone, as smp_ink_draw_dots draws it after the halos. */
int    smp_ink_apply_dot  (const SmpInk      *ink,
                           const SmpDot      *dot,
                           const SmpInkPatch *patch);

#endif
