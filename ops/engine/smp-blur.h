/* gimp-smp: the one Gaussian blur of the engine.
 *
 * Separable, in place, edges clamped, the kernel cut at 3 deviations and
 * normalised; sums in double whatever the image's type.  The hairline's
 * density field is a grid of doubles, the texture's images are floats.
 */
#ifndef SMP_BLUR_H
#define SMP_BLUR_H

void smp_blur_gaussian_f (float  *image,
                          int     w,
                          int     h,
                          double  sigma_px);
void smp_blur_gaussian_d (double *image,
                          int     w,
                          int     h,
                          double  sigma_px);

#endif
