/* gimp-smp: telling visible scalp from hair, for the density illusion
 * (SMP between the hairs of a thinning crown).
 *
 * Plain C, no GEGL.  The colours of this photo's skin and hair are learnt
 * from samples of it, not from fixed thresholds:
 *
 *  - two clusters (k-means in CIELAB, started along the samples' main
 *    axis) split the samples into two colours;
 *  - in linear light a pixel is a mix of the two, hair over skin, so the
 *    share of hair in it is read along a linear discriminant
 *    (Fisher's: the pooled within-class covariance's inverse times the
 *    difference of the means).  It weighs chroma where the luminance
 *    difference drowns in the skin's grain (dark hair on dark skin), and
 *    it stays linear, so a pixel averaged over a preview level gives the
 *    average share;
 *  - which cluster is hair: strands are thin (0.05-0.15 mm) and their
 *    width is bounded, while the gaps of scalp between them have a long
 *    tail of wide ones, so fewer hair pixels have a 5×5 neighbourhood of
 *    their own class alone.  That share is read relative to the class's
 *    share of the samples, as the larger class has more such pixels by
 *    chance alone.  When the two are within a factor 2 (a dense tangle
 *    of 65 % hair and more leaves only narrow gaps), the class with less
 *    chroma is hair (black, brown, grey hair on any skin; red hair would
 *    be taken for skin there).  Heuristics, measured on the synthetic
 *    fixtures at 40-70 % hair cover; hair lying in wide mats breaks the
 *    first.
 *
 * The share of hair is then smoothed (mm) and turned into a visibility of
 * the scalp, 1 on scalp and 0 on hair, with a sensitivity.
 */
#ifndef SMP_SCALP_H
#define SMP_SCALP_H

#include <stddef.h>

typedef struct
{
  int    valid;          /* 0: too few samples or a single colour */
  double skin[3];        /* mean linear RGB of confident scalp samples */
  double hair[3];        /* mean linear RGB of confident hair samples */
  double skin_lab[3];    /* the same in CIELAB, as given with the samples */
  double hair_lab[3];
  double w[3];           /* share of hair = w · (rgb - skin) */
  double hair_share;     /* share of the samples that are hair */
  double interior[2];    /* 5×5 interior share over the class's share:
                          * scalp, hair */
  int    by_chroma;      /* 1: the interiors were too close, the class
                          * with less chroma was taken for hair */
  long   samples;
} SmpScalpModel;

/* Learns the model from @n samples.  @patches holds for each sample the
 * 5×5 pixels around it (row by row) as linear RGB, 75 floats; @lab the
 * centre pixel's CIELAB, 3 floats.  Returns model->valid. */
int    smp_scalp_learn (const float   *patches,
                        const float   *lab,
                        size_t         n,
                        SmpScalpModel *model);

/* The share of hair in one linear RGB pixel (not clamped). */
static inline float
smp_scalp_hair (const SmpScalpModel *model,
                const float         *rgb)
{
  return (float) (model->w[0] * (rgb[0] - model->skin[0])
                  + model->w[1] * (rgb[1] - model->skin[1])
                  + model->w[2] * (rgb[2] - model->skin[2]));
}

/* What the visibility is read with: the colours learnt from the photo,
 * and how the share of hair is judged. */
typedef struct
{
  const SmpScalpModel *model;
  double               sigma_px;     /* smooths the share of hair */
  double               sensitivity;  /* 0..1: how readily a pixel counts as
                                      * hair: it is hair when its share
                                      * passes 1 - sensitivity */
} SmpScalpReading;

/* Visibility of the scalp, 0..1, for the pixels of @rgba (w×h linear
 * RGBA floats) that lie reach = smp_scalp_reach (sigma_px) px inside its
 * edges, written to @out ((w - 2 reach) × (h - 2 reach)).  An invalid
 * model gives 1 everywhere. */
void   smp_scalp_visibility (const SmpScalpReading *reading,
                             const float           *rgba,
                             int                    w,
                             int                    h,
                             float                 *out);

/* How far (px) the smoothing reads around a pixel. */
int    smp_scalp_reach (double sigma_px);

#endif
