/* gimp-smp: the body of the engine's Gaussian blur, for one pixel type.
 * Included by smp-blur.c once per type, with BLUR_TYPE and BLUR_NAME set;
 * see smp-blur.h. */
void
BLUR_NAME (BLUR_TYPE *image,
           int        w,
           int        h,
           double     sigma)
{
  int        radius = (int) ceil (3.0 * sigma), x, y, k;
  double    *kernel = gaussian_kernel (sigma, radius);
  BLUR_TYPE *line = malloc (sizeof (BLUR_TYPE) * (w > h ? w : h));

  for (y = 0; y < h; y++)
    {
      BLUR_TYPE *row = image + (size_t) y * w;

      for (x = 0; x < w; x++)
        {
          double v = 0.0;

          for (k = -radius; k <= radius; k++)
            v += kernel[k + radius] * row[clamp_index (x + k, w)];
          line[x] = (BLUR_TYPE) v;
        }
      memcpy (row, line, sizeof (BLUR_TYPE) * w);
    }
  for (x = 0; x < w; x++)
    {
      for (y = 0; y < h; y++)
        {
          double v = 0.0;

          for (k = -radius; k <= radius; k++)
            v += kernel[k + radius] * image[(size_t) clamp_index (y + k, h) * w + x];
          line[y] = (BLUR_TYPE) v;
        }
      for (y = 0; y < h; y++)
        image[(size_t) y * w + x] = line[y];
    }
  free (kernel);
  free (line);
}
