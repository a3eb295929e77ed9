/* gimp-smp: telling visible scalp from hair.  See smp-scalp.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "smp-scalp.h"

/* Half the width, in share of hair, of the ramp from scalp to hair. */
#define SMP_SCALP_RAMP 0.25

/* Below this ratio of the two classes' interior shares, geometry alone
 * does not tell hair from scalp. */
#define SMP_SCALP_GEOMETRY_RATIO 2.0

/* Solves the 3×3 symmetric system a x = b (Cramer); 0 when singular. */
static int
solve3 (const double a[3][3],
        const double b[3],
        double       x[3])
{
  double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
             - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
             + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  int    i, j;

  if (! (fabs (det) > 1e-30))
    return 0;
  for (i = 0; i < 3; i++)
    {
      double m[3][3];

      memcpy (m, a, sizeof m);
      for (j = 0; j < 3; j++)
        m[j][i] = b[j];
      x[i] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
              - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
              + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) / det;
    }
  return 1;
}

/* Two clusters of the centre pixels in CIELAB; labels 0/1. */
static void
kmeans_lab (const float *lab,
            size_t       n,
            unsigned char *label)
{
  double mean[3] = { 0, 0, 0 }, cov[3][3] = { { 0 } }, v[3] = { 1, 0.3, 0.2 };
  double c[2][3], var = 0, norm;
  size_t i;
  int    k, j, it;

  for (i = 0; i < n; i++)
    for (k = 0; k < 3; k++)
      mean[k] += lab[i * 3 + k] / n;
  for (i = 0; i < n; i++)
    for (k = 0; k < 3; k++)
      for (j = 0; j < 3; j++)
        cov[k][j] += (lab[i * 3 + k] - mean[k]) * (lab[i * 3 + j] - mean[j]) / n;
  /* the main axis, by power iteration */
  for (it = 0; it < 50; it++)
    {
      double u[3];

      for (k = 0; k < 3; k++)
        u[k] = cov[k][0] * v[0] + cov[k][1] * v[1] + cov[k][2] * v[2];
      norm = sqrt (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
      if (! (norm > 0))
        break;
      for (k = 0; k < 3; k++)
        v[k] = u[k] / norm;
    }
  for (k = 0; k < 3; k++)
    for (j = 0; j < 3; j++)
      var += v[k] * cov[k][j] * v[j];
  var = sqrt (fmax (var, 0.0));
  for (k = 0; k < 3; k++)
    {
      c[0][k] = mean[k] - var * v[k];
      c[1][k] = mean[k] + var * v[k];
    }
  for (it = 0; it < 20; it++)
    {
      double sum[2][3] = { { 0 } }, count[2] = { 0, 0 };

      for (i = 0; i < n; i++)
        {
          double d0 = 0, d1 = 0;

          for (k = 0; k < 3; k++)
            {
              d0 += (lab[i * 3 + k] - c[0][k]) * (lab[i * 3 + k] - c[0][k]);
              d1 += (lab[i * 3 + k] - c[1][k]) * (lab[i * 3 + k] - c[1][k]);
            }
          label[i] = d1 < d0;
          count[label[i]] += 1;
          for (k = 0; k < 3; k++)
            sum[label[i]][k] += lab[i * 3 + k];
        }
      for (j = 0; j < 2; j++)
        if (count[j] > 0)
          for (k = 0; k < 3; k++)
            c[j][k] = sum[j][k] / count[j];
    }
}

/* Linear discriminant from the samples labelled 0 (origin) and 1, using
 * only those whose current share (if @share) is confident.  Fills the
 * means and w (normalised so that w · (mean1 - mean0) = 1). */
static int
discriminant (const float         *patches,
              size_t               n,
              const unsigned char *label,
              const float         *share,
              double               mean[2][3],
              double               w[3])
{
  double sum[2][3] = { { 0 } }, count[2] = { 0, 0 }, cov[3][3] = { { 0 } }, d[3], dd = 0, wd;
  size_t i;
  int    k, j, c;

  for (i = 0; i < n; i++)
    {
      const float *p = patches + i * 75 + 36;

      c = label[i];
      if (share && (c ? share[i] < 0.75f : share[i] > 0.25f))
        continue;
      count[c] += 1;
      for (k = 0; k < 3; k++)
        sum[c][k] += p[k];
    }
  if (count[0] < 5 || count[1] < 5)
    return 0;
  for (c = 0; c < 2; c++)
    for (k = 0; k < 3; k++)
      mean[c][k] = sum[c][k] / count[c];
  for (i = 0; i < n; i++)
    {
      const float *p = patches + i * 75 + 36;

      c = label[i];
      if (share && (c ? share[i] < 0.75f : share[i] > 0.25f))
        continue;
      for (k = 0; k < 3; k++)
        for (j = 0; j < 3; j++)
          cov[k][j] += (p[k] - mean[c][k]) * (p[j] - mean[c][j]) / (count[0] + count[1]);
    }
  for (k = 0; k < 3; k++)
    {
      d[k] = mean[1][k] - mean[0][k];
      dd += d[k] * d[k];
    }
  if (! (dd > 1e-12))
    return 0;
  /* a little ridge, so a noise-free colour pair still has an inverse */
  for (k = 0; k < 3; k++)
    cov[k][k] += 1e-3 * dd + 1e-10;
  if (! solve3 ((const double (*)[3]) cov, d, w))
    return 0;
  wd = w[0] * d[0] + w[1] * d[1] + w[2] * d[2];
  if (! (fabs (wd) > 0))
    return 0;
  for (k = 0; k < 3; k++)
    w[k] /= wd;
  return 1;
}

static float
share_of (const double mean0[3],
          const double w[3],
          const float *rgb)
{
  return (float) (w[0] * (rgb[0] - mean0[0]) + w[1] * (rgb[1] - mean0[1])
                  + w[2] * (rgb[2] - mean0[2]));
}

/* Two classes of pixel by colour: k-means in Lab, then a discriminant
 * refined on the confident samples.  FALSE when the classes collapse. */
static int
scalp_classes (const float   *patches,
               const float   *lab,
               size_t         n,
               unsigned char *label,
               float         *share,
               double         mean[2][3],
               double         w[3])
{
  size_t i;
  int    it;

  kmeans_lab (lab, n, label);
  if (! discriminant (patches, n, label, NULL, mean, w))
    return 0;
  /* refine: relabel by the share, re-estimate from confident samples */
  for (it = 0; it < 4; it++)
    {
      for (i = 0; i < n; i++)
        {
          share[i] = share_of (mean[0], w, patches + i * 75 + 36);
          label[i] = share[i] > 0.5f;
        }
      if (! discriminant (patches, n, label, share, mean, w))
        return 0;
    }
  return 1;
}

/* Which class is hair, by geometry: hair is strands, so fewer of its
 * pixels have only their own class in the 5×5 (or 3×3) around them.
 * Fills each sample's @share and each class's @count and @interior. */
static int
scalp_hair_by_geometry (const float  *patches,
                        size_t        n,
                        const double  mean[2][3],
                        const double  w[3],
                        float        *share,
                        double        count[2],
                        double        interior[2])
{
  double inner3[2] = { 0, 0 };
  size_t i;
  int    k, wide;

  for (i = 0; i < n; i++)
    {
      const float *p = patches + i * 75;
      int          c = share_of (mean[0], w, p + 36) > 0.5f, same3 = 1, same5 = 1, dx, dy;

      for (dy = -2; dy <= 2; dy++)
        for (dx = -2; dx <= 2; dx++)
          if ((share_of (mean[0], w, p + ((2 + dy) * 5 + 2 + dx) * 3) > 0.5f) != c)
            {
              same5 = 0;
              if (abs (dx) <= 1 && abs (dy) <= 1)
                same3 = 0;
            }
      count[c] += 1;
      interior[c] += same5;
      inner3[c] += same3;
      share[i] = share_of (mean[0], w, p + 36);
    }
  /* the larger class has more interior pixels by chance alone, so each
   * is read relative to the class's share; with hardly any 5×5 interior
   * at all (hair under a pixel wide), the 3×3 one decides */
  wide = interior[0] >= 20 && interior[1] >= 20;
  for (k = 0; k < 2; k++)
    interior[k] = count[k] > 0 ? (wide ? interior[k] : inner3[k]) / count[k] / (count[k] / n) : 0;
  return interior[1] < interior[0];
}

/* Each class's mean Lab over its confident samples; FALSE if a class
 * has none. */
static int
scalp_class_lab (const float *lab,
                 const float *share,
                 size_t       n,
                 double       mean_lab[2][3])
{
  double labn[2] = { 0, 0 };
  size_t i;
  int    c, k;

  memset (mean_lab, 0, sizeof (double) * 6);
  for (i = 0; i < n; i++)
    {
      c = share[i] > 0.5f;
      if (c ? share[i] < 0.75f : share[i] > 0.25f)
        continue;
      labn[c] += 1;
      for (k = 0; k < 3; k++)
        mean_lab[c][k] += lab[i * 3 + k];
    }
  if (labn[0] < 1 || labn[1] < 1)
    return 0;
  for (c = 0; c < 2; c++)
    for (k = 0; k < 3; k++)
      mean_lab[c][k] /= labn[c];
  return 1;
}

int
smp_scalp_learn (const float   *patches,
                 const float   *lab,
                 size_t         n,
                 SmpScalpModel *model)
{
  unsigned char *label;
  float         *share;
  double         mean[2][3], w[3], interior[2] = { 0, 0 }, count[2] = { 0, 0 };
  double         mean_lab[2][3], dlab = 0;
  int            k, hair;

  memset (model, 0, sizeof *model);
  model->samples = (long) n;
  if (n < 50)
    return 0;
  label = malloc (n);
  share = malloc (n * sizeof (float));
  if (! scalp_classes (patches, lab, n, label, share, mean, w))
    goto done;
  hair = scalp_hair_by_geometry (patches, n, (const double (*)[3]) mean, w, share, count, interior);
  if (! scalp_class_lab (lab, share, n, mean_lab))
    goto done;
  /* weak geometric evidence (a dense tangle, 65 % hair and more, leaves
   * narrow gaps): hair has less chroma than skin (black, brown, grey;
   * not red or strawberry blond), when the two differ clearly */
  {
    double chroma[2], lo = fmin (interior[0], interior[1]), hi = fmax (interior[0], interior[1]);

    for (k = 0; k < 2; k++)
      chroma[k] = hypot (mean_lab[k][1], mean_lab[k][2]);
    if (hi < SMP_SCALP_GEOMETRY_RATIO * lo && fabs (chroma[0] - chroma[1]) >= 5.0)
      {
        hair = chroma[1] < chroma[0];
        model->by_chroma = 1;
      }
  }
  for (k = 0; k < 3; k++)
    {
      model->skin[k] = mean[! hair][k];
      model->hair[k] = mean[hair][k];
      model->skin_lab[k] = mean_lab[! hair][k];
      model->hair_lab[k] = mean_lab[hair][k];
      model->w[k] = hair ? w[k] : -w[k];
      dlab += (model->skin_lab[k] - model->hair_lab[k]) * (model->skin_lab[k] - model->hair_lab[k]);
    }
  model->interior[0] = interior[! hair];
  model->interior[1] = interior[hair];
  model->hair_share = count[hair] / (count[0] + count[1]);
  /* one colour only (bald skin, or hair everywhere): nothing to tell */
  model->valid = sqrt (dlab) >= 2.0 && model->hair_share > 0.01 && model->hair_share < 0.99;

done:
  free (label);
  free (share);
  return model->valid;
}

int
smp_scalp_reach (double sigma_px)
{
  return sigma_px < 0.2 ? 0 : (int) ceil (3.0 * sigma_px);
}

void
smp_scalp_visibility (const SmpScalpReading *reading,
                      const float           *rgba,
                      int                    w,
                      int                    h,
                      float                 *out)
{
  const SmpScalpModel *model = reading->model;
  double               sigma_px = reading->sigma_px;
  int                  r = smp_scalp_reach (sigma_px), x, y, k;
  /* the output's top-left pixel and size in @rgba's pixels */
  int                  ox = r, oy = r, ow = w - 2 * r, oh = h - 2 * r;
  int                  y0 = oy - r, rows = oh + 2 * r;
  double               threshold = 1.0 - reading->sensitivity;
  float               *share, *across, *down, kernel[64];
  double               ksum = 0;

  if (! model->valid)
    {
      for (k = 0; k < ow * oh; k++)
        out[k] = 1.0f;
      return;
    }
  if (r > 31)
    r = 31;
  for (k = -r; k <= r; k++)
    {
      kernel[k + r] = r ? (float) exp (-0.5 * k * k / (sigma_px * sigma_px)) : 1.0f;
      ksum += kernel[k + r];
    }
  for (k = 0; k <= 2 * r; k++)
    kernel[k] /= (float) ksum;

  /* the share of hair where the smoothing reads it */
  share = malloc (sizeof (float) * (size_t) rows * w);
  for (y = 0; y < rows; y++)
    for (x = 0; x < w; x++)
      share[(size_t) y * w + x] = smp_scalp_hair (model, rgba + ((size_t) (y + y0) * w + x) * 4);
  /* smoothed across, then down, a row of sums at a time: each sum adds
   * its terms in the order one pixel's loop would, and the rows
   * vectorise (pixel by pixel, this was most of the op's time) */
  across = calloc ((size_t) rows * ow, sizeof (float));
  for (y = 0; y < rows; y++)
    {
      const float *restrict from = share + (size_t) y * w + ox - r;
      float *restrict       to = across + (size_t) y * ow;

      for (k = 0; k <= 2 * r; k++)
        for (x = 0; x < ow; x++)
          to[x] += kernel[k] * from[x + k];
    }
  down = malloc (sizeof (float) * (size_t) (ow > 0 ? ow : 1));
  for (y = 0; y < oh; y++)
    {
      memset (down, 0, sizeof (float) * (size_t) ow);
      for (k = 0; k <= 2 * r; k++)
        {
          const float *restrict from = across + (size_t) (y + k) * ow;

          for (x = 0; x < ow; x++)
            down[x] += kernel[k] * from[x];
        }
      for (x = 0; x < ow; x++)
        {
          double vis = 0.5 + 0.5 * (threshold - down[x]) / SMP_SCALP_RAMP;

          out[(size_t) y * ow + x] = (float) (vis < 0 ? 0 : vis > 1 ? 1 : vis);
        }
    }
  free (share);
  free (across);
  free (down);
}
