/* The benchmarks' generated photo.  See bench-photo.h. */
#include <math.h>

#include "bench-photo.h"

static inline guint32
hash32 (guint32 x)
{
  /* lowbias32: cheap and well mixed, so that neighbouring pixels get
   * unrelated noise */
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

static inline guint32
hash_xy (gint    x,
         gint    y,
         guint32 seed)
{
  return hash32 ((guint32) x ^ hash32 ((guint32) y ^ hash32 (seed)));
}

/* Value noise in -1..1 with a smooth interpolation, keyed on absolute
 * coordinates so that the photo does not depend on the iteration order. */
static gfloat
value_noise (gint    x,
             gint    y,
             gint    cell,
             guint32 seed)
{
  gint   gx = x / cell, gy = y / cell;
  gfloat fx = (gfloat) (x - gx * cell) / cell;
  gfloat fy = (gfloat) (y - gy * cell) / cell;
  gfloat a, b, c, d;

  fx = fx * fx * (3.0f - 2.0f * fx);
  fy = fy * fy * (3.0f - 2.0f * fy);
  a = hash_xy (gx, gy, seed) / 2147483648.0f - 1.0f;
  b = hash_xy (gx + 1, gy, seed) / 2147483648.0f - 1.0f;
  c = hash_xy (gx, gy + 1, seed) / 2147483648.0f - 1.0f;
  d = hash_xy (gx + 1, gy + 1, seed) / 2147483648.0f - 1.0f;
  return (a + (b - a) * fx) + ((c + (d - c) * fx) - (a + (b - a) * fx)) * fy;
}

static inline guint8
to_u8 (gfloat v)
{
  v = v * 255.0f + 0.5f;
  return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (guint8) v;
}

/* A shaved scalp seen from above: skin tone lit from the upper left
 * across a dome, with blotches and per-pixel grain.  A flat or synthetic
 * image would let the operations take shortcuts a photo never allows. */
GeglBuffer *
make_photo (gint    width,
            gint    height,
            guint32 seed)
{
  static const gfloat skin[3] = { 0.87f, 0.67f, 0.56f };
  const Babl         *format = babl_format (BENCH_PHOTO_FORMAT);
  GeglRectangle       extent = { 0, 0, width, height };
  GeglBuffer         *buffer = gegl_buffer_new (&extent, format);
  GeglBufferIterator *it;
  gfloat              cx = 0.5f * width, cy = 0.62f * height;
  gfloat              radius = 1.1f * hypotf (0.5f * width, 0.62f * height);
  gfloat              lx = -0.45f, ly = -0.6f, lz = 0.66f;
  gfloat              hx, hy, hz, hn;

  /* half vector between the light and a viewer straight above */
  hx = lx, hy = ly, hz = lz + 1.0f;
  hn = sqrtf (hx * hx + hy * hy + hz * hz);
  hx /= hn, hy /= hn, hz /= hn;

  it = gegl_buffer_iterator_new (buffer, &extent, 0, format,
                                 GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 1);
  while (gegl_buffer_iterator_next (it))
    {
      const GeglRectangle *roi = &it->items[0].roi;
      guint8              *p = it->items[0].data;
      gint                 x, y;

      for (y = roi->y; y < roi->y + roi->height; y++)
        for (x = roi->x; x < roi->x + roi->width; x++, p += 4)
          {
            gfloat u = (x - cx) / radius, v = (y - cy) / radius;
            gfloat z = sqrtf (MAX (1.0f - u * u - v * v, 0.0f));
            gfloat diffuse = MAX (u * lx + v * ly + z * lz, 0.0f);
            gfloat spec = powf (MAX (u * hx + v * hy + z * hz, 0.0f), 40.0f);
            gfloat blotch = 0.035f * value_noise (x, y, 90, seed)
                            + 0.02f * value_noise (x, y, 17, seed + 1);
            gfloat shade = (0.32f + 0.72f * diffuse) * (1.0f + blotch);
            guint32 h = hash_xy (x, y, seed + 2);
            gfloat grain = ((h & 0xff) - 127.5f) * (0.03f / 127.5f);
            gint   c;

            for (c = 0; c < 3; c++)
              {
                /* chroma noise is weaker than luminance noise in a
                 * camera's output */
                gfloat chroma = (((h >> (8 + 8 * c)) & 0xff) - 127.5f)
                                * (0.008f / 127.5f);

                p[c] = to_u8 (skin[c] * shade + 0.1f * spec + grain + chroma);
              }
            p[3] = 255;
          }
    }
  return buffer;
}

/* Thinning hair over the photo, for smp:thicken (which learns the skin
 * and hair colours from it): thin curved dark strands, 1-2 px wide, the
 * level lines of a smooth field, over about 40 % of it.  Made once per
 * photo and kept, so that it is not timed; hair_over (NULL) drops it. */
GeglBuffer *
hair_over (GeglBuffer *photo)
{
  static GeglBuffer *from = NULL, *hair = NULL;
  const Babl        *format = babl_format (BENCH_PHOTO_FORMAT);
  GeglBufferIterator *it;

  if (photo == from)
    return hair;
  g_clear_object (&hair);
  from = photo;
  if (! photo)
    return NULL;
  hair = gegl_buffer_dup (photo);
  it = gegl_buffer_iterator_new (hair, gegl_buffer_get_extent (hair), 0, format,
                                 GEGL_ACCESS_READWRITE, GEGL_ABYSS_NONE, 1);
  while (gegl_buffer_iterator_next (it))
    {
      const GeglRectangle *roi = &it->items[0].roi;
      guint8              *p = it->items[0].data;
      gint                 x, y, c;

      for (y = roi->y; y < roi->y + roi->height; y++)
        for (x = roi->x; x < roi->x + roi->width; x++, p += 4)
          {
            gfloat t = 22.0f * value_noise (x, y, 150, 77) + 3.0f * value_noise (x, y, 40, 78)
                       + 0.06f * x;
            gfloat d = fabsf (t - roundf (t));
            gfloat a = CLAMP ((0.22f - d) / 0.08f, 0.0f, 1.0f);
            static const guint8 strand[3] = { 52, 38, 30 };

            for (c = 0; c < 3; c++)
              p[c] = (guint8) (p[c] + a * (strand[c] - p[c]) + 0.5f);
          }
    }
  return hair;
}

