/* gimp-smp: the one Gaussian blur of the engine.  See smp-blur.h. */
#include "smp-blur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double *
gaussian_kernel (double sigma,
                 int    radius)
{
  double *kernel = malloc (sizeof (double) * (2 * radius + 1)), sum = 0.0;
  int     k;

  for (k = -radius; k <= radius; k++)
    sum += kernel[k + radius] = exp (-0.5 * k * k / (sigma * sigma));
  for (k = 0; k <= 2 * radius; k++)
    kernel[k] /= sum;
  return kernel;
}

static inline int
clamp_index (int i,
             int n)
{
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

#define BLUR_TYPE float
#define BLUR_NAME smp_blur_gaussian_f
#include "smp-blur-body.h"
#undef BLUR_TYPE
#undef BLUR_NAME

#define BLUR_TYPE double
#define BLUR_NAME smp_blur_gaussian_d
#include "smp-blur-body.h"
#undef BLUR_TYPE
#undef BLUR_NAME
