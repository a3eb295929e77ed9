/* gimp-smp: smp:scar-conceal measured on rendered images (issue 4, a-f;
 * issue 10, e: the look at a distance, at the end of this file).
 *
 * The tests of issue 4 draw the crisp cores alone (the custom look, shade
 * 0), where the scar is filled dot for dot; those of issue 10 use the
 * default look, where a lighter scar is built up.
 *
 * The scalps are generated here from a seed: skin with grain and blotches,
 * a curved strip scar 2.5 mm wide, 10 L* lighter and smoother, and stubble
 * drawn around it by smp:stipple (its own seed, thinned to nothing on the
 * scar).  Three images hold about 620 mm of scar, pooled, so counting
 * noise stays well inside the tolerances.  Dots are counted as blobs of
 * darkening: the stubble against the bare skin, added dots against the
 * stubbled photo, so each count is independent of the op's own reading. */
#include <math.h>
#include <string.h>

#include <gmodule.h>

#include "smp-scar.h"
#include "smp-test-util.h"

#define PX_PER_MM  10.0
#define W          2000
#define H          400
#define N_IMAGES   3
#define SCAR_MM    2.5
#define RING_MM    4.0
#define EDGE_PX    60      /* columns left out at each side of an image */
#define SKIN       "#c68642"

typedef struct
{
  double amplitude, period, phase;   /* px */
} Curve;

static const Curve curves[N_IMAGES] =
{
  { 60, 1700, 0.4 },
  { 45, 1300, 2.1 },
  { 70, 2100, 4.4 },
};

typedef struct
{
  GeglBuffer *skin;      /* bare skin with the scar */
  GeglBuffer *photo;     /* with stubble around the scar */
  GeglBuffer *scar;      /* the scar's coverage (Y float) */
  float      *signed_mm; /* distance from the scar's edge, positive outside */
} Scalp;

static double
centre_y (const Curve *c, double x)
{
  return H / 2.0 + c->amplitude * sin (2 * M_PI * x / c->period + c->phase);
}

/* Signed distance (mm) of (x, y) from the scar's edge, positive outside;
 * exact enough for a curve this gentle. */
static double
scar_distance (const Curve *c, double x, double y, double half_width_mm)
{
  double slope = c->amplitude * 2 * M_PI / c->period * cos (2 * M_PI * x / c->period + c->phase);

  return fabs (y - centre_y (c, x)) / sqrt (1.0 + slope * slope) / PX_PER_MM - half_width_mm;
}

static guint32
hash (guint32 x)
{
  x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
  return x;
}

/* Uniform -1..1 keyed on a pixel and a seed. */
static double
noise (int x, int y, guint32 seed)
{
  return hash ((guint32) x ^ hash ((guint32) y ^ hash (seed))) / 2147483648.0 - 1.0;
}

static double
smooth_noise (int x, int y, int cell, guint32 seed)
{
  int    gx = x / cell, gy = y / cell;
  double fx = (double) (x - gx * cell) / cell, fy = (double) (y - gy * cell) / cell;
  double a = noise (gx, gy, seed), b = noise (gx + 1, gy, seed);
  double c = noise (gx, gy + 1, seed), d = noise (gx + 1, gy + 1, seed);

  fx = fx * fx * (3 - 2 * fx);
  fy = fy * fy * (3 - 2 * fy);
  return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
}

/* Y of an L*, and back. */
static double
y_of_l (double l)
{
  double f = (l + 16.0) / 116.0;

  return f > 6.0 / 29.0 ? f * f * f : 3 * (6.0 / 29.0) * (6.0 / 29.0) * (f - 4.0 / 29.0);
}

static double
l_of_y (double y)
{
  return y > 0.008856 ? 116.0 * cbrt (y) - 16.0 : 903.3 * y;
}

/* Skin and scar (@cover: the scar's coverage per pixel) as linear RGBA
 * float: the scar 10 L* lighter, a little less saturated, with a third of
 * the skin's grain and none of its blotches. */
static GeglBuffer *
make_skin_as (const float *cover, int w, int h, guint32 seed, const char *format,
              const char *skin_hex, double lift_l)
{
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format (format));
  float      *px = g_new (float, (gsize) w * h * 4);
  float       skin[4];
  double      y_skin = smp_test_luminance (skin_hex), lift;
  GeglColor  *color = gegl_color_new (skin_hex);
  int         x, y, c;

  gegl_color_get_pixel (color, babl_format ("RGBA float"), skin);
  g_object_unref (color);
  /* the scar's lift is measured on the scar's own, greyer colour */
  lift = y_of_l (l_of_y (y_skin) + lift_l) / y_skin;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        double t = cover[(gsize) y * w + x];
        double skin_gain = 1.0 + 0.04 * smooth_noise (x, y, 70, seed) + 0.025 * noise (x, y, seed + 1);
        double scar_gain = lift * (1.0 + 0.008 * noise (x, y, seed + 2));
        float *p = px + ((gsize) y * w + x) * 4;

        for (c = 0; c < 3; c++)
          {
            double scar_c = scar_gain * (0.85 * skin[c] + 0.15 * y_skin);

            p[c] = (float) ((1 - t) * skin_gain * skin[c] + t * scar_c);
          }
        p[3] = 1.0f;
      }
  gegl_buffer_set (buffer, NULL, 0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
  return buffer;
}

static GeglBuffer *
make_skin (const float *cover, int w, int h, guint32 seed, const char *format)
{
  return make_skin_as (cover, w, h, seed, format, SKIN, 10.0);
}

static GeglBuffer *
mask_buffer (const float *m, int w, int h)
{
  GeglBuffer *buffer = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"));

  gegl_buffer_set (buffer, NULL, 0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE);
  return buffer;
}

/* A strip scar's coverage with its edge @grow_mm out from the scar's. */
static float *
strip_cover (const Curve *c, double grow_mm)
{
  float *m = g_new (float, W * H);
  int    x, y;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      {
        double s = scar_distance (c, x + 0.5, y + 0.5, SCAR_MM / 2 + grow_mm);

        m[y * W + x] = (float) CLAMP (0.5 - s * PX_PER_MM, 0.0, 1.0);
      }
  return m;
}

static Scalp
make_scalp (int k, double density, gboolean stubble, const char *format)
{
  Scalp       s;
  float      *cover = strip_cover (&curves[k], 0.0);
  float      *bare = g_new (float, W * H);
  GeglBuffer *stubble_mask;
  int         i, x, y;

  s.skin = make_skin (cover, W, H, 100 + k, format);
  s.scar = mask_buffer (cover, W, H);
  for (i = 0; i < W * H; i++)
    bare[i] = 1.0f - cover[i];
  stubble_mask = mask_buffer (bare, W, H);
  s.photo = stubble ? smp_test_render (s.skin, stubble_mask, "seed", 900 + k, "density", density,
                                       "px-per-mm", PX_PER_MM, NULL)
                    : g_object_ref (s.skin);
  s.signed_mm = g_new (float, W * H);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      s.signed_mm[y * W + x] = (float) scar_distance (&curves[k], x + 0.5, y + 0.5, SCAR_MM / 2);
  g_object_unref (stubble_mask);
  g_free (cover);
  g_free (bare);
  return s;
}

static void
free_scalp (Scalp *s)
{
  g_object_unref (s->skin);
  g_object_unref (s->photo);
  g_object_unref (s->scar);
  g_free (s->signed_mm);
}

static GeglBuffer *
conceal (const Scalp *s, GeglBuffer *mask, int seed, const char *first_property, ...)
{
  GeglNode   *root, *op, *sink;
  GeglBuffer *out = NULL;
  va_list     args;

  va_start (args, first_property);
  op = smp_test_graph (&root, "smp:scar-conceal", s->photo, mask ? mask : s->scar,
                       first_property, args);
  va_end (args);
  gegl_node_set (op, "seed", seed, "px-per-mm", PX_PER_MM, NULL);
  sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &out, NULL);
  gegl_node_link (op, sink);
  gegl_node_process (sink);
  g_object_unref (root);
  return out;
}

/* Blobs of darkening of @after against @before, with their radius of
 * gyration (px) and peak in the extra fields of the array. */
typedef struct
{
  double x, y, mass, peak, gyration;
} Dot;

static GArray *
dots_of (GeglBuffer *before, GeglBuffer *after)
{
  gfloat *d = smp_test_darkening (before, after);
  GArray *blobs = smp_test_blobs (d, W, H, 0.03, 3);
  GArray *dots = g_array_new (FALSE, TRUE, sizeof (Dot));
  guint   i;

  for (i = 0; i < blobs->len; i++)
    {
      SmpBlob *b = &g_array_index (blobs, SmpBlob, i);
      Dot      dot = { b->x, b->y, 0, 0, 0 };
      double   r2 = 0, m = 0;
      int      x, y;

      for (y = (int) b->y - 3; y <= (int) b->y + 3; y++)
        for (x = (int) b->x - 3; x <= (int) b->x + 3; x++)
          if (x >= 0 && y >= 0 && x < W && y < H && d[y * W + x] > 0)
            {
              double dd = d[y * W + x], rr = (x + 0.5 - b->x) * (x + 0.5 - b->x)
                                             + (y + 0.5 - b->y) * (y + 0.5 - b->y);

              if (rr > 9.0)
                continue;
              r2 += dd * rr;
              m += dd;
              dot.peak = fmax (dot.peak, dd);
            }
      dot.mass = m;
      dot.gyration = m > 0 ? sqrt (r2 / m) : 0;
      g_array_append_val (dots, dot);
    }
  g_array_unref (blobs);
  g_free (d);
  return dots;
}

static gboolean
counted_column (double x)
{
  return x >= EDGE_PX && x < W - EDGE_PX;
}

/* Pixel area (mm²) where lo <= signed distance < hi. */
static double
band_area (const float *signed_mm, double lo, double hi)
{
  long n = 0;
  int  x, y;

  for (y = 0; y < H; y++)
    for (x = EDGE_PX; x < W - EDGE_PX; x++)
      n += signed_mm[y * W + x] >= lo && signed_mm[y * W + x] < hi;
  return n / (PX_PER_MM * PX_PER_MM);
}

static long
band_count (const GArray *dots, const float *signed_mm, double lo, double hi)
{
  long  n = 0;
  guint i;

  for (i = 0; i < dots->len; i++)
    {
      const Dot *d = &g_array_index (dots, Dot, i);
      int        x = (int) d->x, y = (int) d->y;
      double     s = signed_mm[y * W + x];

      n += counted_column (d->x) && s >= lo && s < hi;
    }
  return n;
}

/* Mean gyration radius and peak of the dots in a band. */
static void
band_look (const GArray *dots, const float *signed_mm, double lo, double hi,
           double *gyration, double *peak, long *n)
{
  guint i;

  for (i = 0; i < dots->len; i++)
    {
      const Dot *d = &g_array_index (dots, Dot, i);
      double     s = signed_mm[(int) d->y * W + (int) d->x];

      if (counted_column (d->x) && s >= lo && s < hi)
        {
          *gyration += d->gyration;
          *peak += d->peak;
          (*n)++;
        }
    }
}

/* The op's own reading of the scalp, straight from the engine. */
static SmpScarStats
engine_stats (GeglBuffer *photo, GeglBuffer *mask, double density)
{
  float        *rgb = g_new (float, W * H * 3), *m = g_new (float, W * H);
  double        lum[3];
  SmpScarParams p = { PX_PER_MM, RING_MM, 2.0, 1, density, 0.15, 0.7, 0.03, 0.0 };
  SmpScar      *scar;
  SmpScarStats  stats;

  gegl_buffer_get (photo, NULL, 1.0, babl_format ("RGB float"), rgb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (mask, NULL, 1.0, babl_format ("Y float"), m, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  babl_space_get_rgb_luminance (babl_space ("sRGB"), &lum[0], &lum[1], &lum[2]);
  p.pigment_luminance = smp_test_luminance ("#3d3e42");
  scar = smp_scar_new (&p, &(SmpScarPhoto) { rgb, m, lum, { 0, 0, W, H } });
  stats = *smp_scar_stats (scar);
  smp_scar_free (scar);
  g_free (rgb);
  g_free (m);
  return stats;
}

/* a. The density inside the scar matches the ring's within ±10 % at 40,
 * 70 and 120/cm², and the added dots' size the stubble's within ±25 %. */
static void
test_density (void)
{
  static const double densities[] = { 40.0, 70.0, 120.0 };
  guint               r;

  for (r = 0; r < G_N_ELEMENTS (densities); r++)
    {
      long   ring = 0, inside = 0, n_ring = 0, n_in = 0;
      double ring_area = 0, scar_area = 0, g_ring = 0, g_in = 0, p_ring = 0, p_in = 0;
      int    k;

      for (k = 0; k < N_IMAGES; k++)
        {
          Scalp         s = make_scalp (k, densities[r], TRUE, "RGBA float");
          GeglBuffer   *out = conceal (&s, NULL, 40 + k, NULL);
          GArray       *stubble = dots_of (s.skin, s.photo), *added = dots_of (s.photo, out);
          SmpScarStats  st = engine_stats (s.photo, s.scar, 90.0);

          ring += band_count (stubble, s.signed_mm, 0.0, RING_MM);
          inside += band_count (added, s.signed_mm, -10.0, 0.0) + band_count (stubble, s.signed_mm, -10.0, 0.0);
          ring_area += band_area (s.signed_mm, 0.0, RING_MM);
          scar_area += band_area (s.signed_mm, -10.0, 0.0);
          band_look (stubble, s.signed_mm, 0.0, RING_MM, &g_ring, &p_ring, &n_ring);
          band_look (added, s.signed_mm, -10.0, 0.0, &g_in, &p_in, &n_in);
          if (k == 0)
            g_test_message ("%.0f/cm² stubble: the op reads %.1f/cm² from %ld dots, "
                            "diameter %.3f mm, darkness %.2f%s", densities[r],
                            st.density_per_cm2, st.ring_dots, st.dot_diameter_mm, st.darkness,
                            st.from_ring ? "" : " (NOT from the ring)");
          g_assert_true (st.from_ring);
          g_array_unref (stubble);
          g_array_unref (added);
          g_object_unref (out);
          free_scalp (&s);
        }
      {
        double d_ring = 100 * ring / ring_area, d_in = 100 * inside / scar_area;
        double size = (g_in / n_in) / (g_ring / n_ring);

        g_test_message ("%.0f/cm² stubble, %.0f mm² of scar: ring %.1f/cm² (%ld dots), scar %.1f/cm² "
                        "(%ld dots), ratio %.3f; added dots' radius of gyration %.2f px against "
                        "the stubble's %.2f px (ratio %.3f), peak darkening %.3f against %.3f",
                        densities[r], scar_area, d_ring, ring, d_in, inside, d_in / d_ring,
                        g_in / n_in, g_ring / n_ring, size, p_in / n_in, p_ring / n_ring);
        g_assert_cmpfloat (fabs (d_in / d_ring - 1.0), <=, 0.10);
        g_assert_cmpfloat (fabs (size - 1.0), <=, 0.25);
      }
    }
}

/* Mean L* of the pixels of @buffer whose signed distance is in [lo, hi). */
static double
band_lightness (GeglBuffer *buffer, const float *signed_mm, double lo, double hi)
{
  float *y = g_new (float, W * H);
  double sum = 0;
  long   n = 0;
  int    i, x;

  gegl_buffer_get (buffer, NULL, 1.0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < W * H; i++)
    {
      x = i % W;
      if (x >= EDGE_PX && x < W - EDGE_PX && signed_mm[i] >= lo && signed_mm[i] < hi)
        {
          sum += l_of_y (y[i]);
          n++;
        }
    }
  g_free (y);
  return sum / n;
}

/* b. Seam: the tone difference follows tone-blend; no band of changed
 * tone or density along the border; no edge step; a loose mask adds
 * nothing on the stubble it covers. */
static void
test_seam (void)
{
  static const double blends[] = { 0.0, 0.5, 1.0 };
  enum { NB = 9 };
  static const double edges[NB + 1] = { -1.25, -0.6, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0 };
  double before = 0, after[3] = { 0 }, step_before = 0, step_after[3] = { 0 };
  double change[3][NB] = { { 0 } }, area[NB] = { 0 };
  long   total[NB] = { 0 }, loose_added = 0, ring = 0;
  double loose_area = 0, ring_area = 0;
  int    k, b, t;

  for (k = 0; k < N_IMAGES; k++)
    {
      Scalp   s = make_scalp (k, 70.0, TRUE, "RGBA float");
      GArray *stubble = dots_of (s.skin, s.photo);
      float  *loose = strip_cover (&curves[k], 3.0);
      GeglBuffer *loose_mask = mask_buffer (loose, W, H), *out;
      GArray *added;

      before += band_lightness (s.photo, s.signed_mm, -10, 0) - band_lightness (s.photo, s.signed_mm, 0, 2);
      step_before += band_lightness (s.photo, s.signed_mm, -0.3, 0) - band_lightness (s.photo, s.signed_mm, 0, 0.3);
      for (t = 0; t < 3; t++)
        {
          out = conceal (&s, NULL, 50 + k, "tone-blend", blends[t], NULL);
          after[t] += band_lightness (out, s.signed_mm, -10, 0) - band_lightness (out, s.signed_mm, 0, 2);
          step_after[t] += band_lightness (out, s.signed_mm, -0.3, 0) - band_lightness (out, s.signed_mm, 0, 0.3);
          for (b = 0; b < NB; b++)
            change[t][b] += band_lightness (out, s.signed_mm, edges[b], edges[b + 1])
                            - band_lightness (s.photo, s.signed_mm, edges[b], edges[b + 1]);
          if (t == 0)
            {
              added = dots_of (s.photo, out);
              for (b = 0; b < NB; b++)
                {
                  total[b] += band_count (stubble, s.signed_mm, edges[b], edges[b + 1])
                              + band_count (added, s.signed_mm, edges[b], edges[b + 1]);
                  area[b] += band_area (s.signed_mm, edges[b], edges[b + 1]);
                }
              g_array_unref (added);
            }
          g_object_unref (out);
        }
      ring += band_count (stubble, s.signed_mm, 0.0, RING_MM);
      ring_area += band_area (s.signed_mm, 0.0, RING_MM);

      /* a mask 3 mm wider than the scar all round */
      out = conceal (&s, loose_mask, 60 + k, NULL);
      added = dots_of (s.photo, out);
      loose_added += band_count (added, s.signed_mm, 0.0, 3.0);
      loose_area += band_area (s.signed_mm, 0.0, 3.0);
      g_array_unref (added);
      g_object_unref (out);
      g_object_unref (loose_mask);
      g_free (loose);
      g_array_unref (stubble);
      free_scalp (&s);
    }

  {
    double ring_density = 100 * ring / ring_area;

    g_test_message ("scar minus the 2 mm band outside it: %+.2f L* before", before / N_IMAGES);
    for (t = 0; t < 3; t++)
      g_test_message ("tone-blend %.1f: %+.2f L* (falls by %.0f %%); step across the border "
                      "%+.2f L* (before %+.2f)", blends[t], after[t] / N_IMAGES,
                      100 * (1 - after[t] / before), step_after[t] / N_IMAGES, step_before / N_IMAGES);
    g_assert_cmpfloat (1 - after[1] / before, >=, 0.40);
    g_assert_cmpfloat (1 - after[1] / before, <=, 0.60);
    g_assert_cmpfloat (1 - after[2] / before, >=, 0.85);
    /* no visible step: under 1.5 L* once the tone is blended */
    g_assert_cmpfloat (fabs (step_after[2] / N_IMAGES), <=, 1.5);

    for (b = 0; b < NB; b++)
      {
        double d = 100 * total[b] / area[b];

        g_test_message ("band %+.2f..%+.2f mm: %4ld dots, %.1f/cm² (%.2f of the ring's %.1f); "
                        "L* change %+.2f / %+.2f / %+.2f at tone-blend 0 / 0.5 / 1",
                        edges[b], edges[b + 1], total[b], d, d / ring_density, ring_density,
                        change[0][b] / N_IMAGES, change[1][b] / N_IMAGES, change[2][b] / N_IMAGES);
        g_assert_cmpfloat (fabs (d / ring_density - 1.0), <=, 0.15);
        /* outside the scar the tone stays (the dots added there are the
         * few that fill gaps in the stubble) */
        if (edges[b] >= 0.0)
          for (t = 0; t < 3; t++)
            g_assert_cmpfloat (fabs (change[t][b] / N_IMAGES), <=, 0.5);
      }
    /* inside, the change is the same across the scar: no band at its edge */
    for (t = 0; t < 3; t++)
      g_assert_cmpfloat (fabs (change[t][0] - change[t][1]) / N_IMAGES, <=, 1.0);

    g_test_message ("mask 3 mm wider than the scar: %ld dots added on the %.0f mm² of stubble "
                    "it covers, %.1f/cm² = %.1f %% of the ring's %.1f/cm²", loose_added, loose_area,
                    100 * loose_added / loose_area, 100 * (100 * loose_added / loose_area) / ring_density,
                    ring_density);
    g_assert_cmpfloat ((100 * loose_added / loose_area) / ring_density, <, 0.10);
  }
}

/* b, loose masks: users select a scar loosely, so masks 0.2 to 3 mm
 * wider than the scar all round must give the same total density profile
 * across the scar's edge (stubble plus added dots, within ±15 % of the
 * ring in every band), and the engine must tell the scar from the
 * stubbled skin the mask also covers by its tone. */
static void
test_loose_mask (void)
{
  static const double grows[] = { 0.2, 0.5, 1.0, 3.0 };
  enum { NB = 8 };
  static const double edges[NB + 1] = { -1.25, -0.6, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0 };
  long   total[G_N_ELEMENTS (grows)][NB] = { { 0 } }, ring = 0;
  double area[NB] = { 0 }, ring_area = 0;
  int    k, b;
  guint  g;

  for (k = 0; k < N_IMAGES; k++)
    {
      Scalp   s = make_scalp (k, 70.0, TRUE, "RGBA float");
      GArray *stubble = dots_of (s.skin, s.photo);

      for (b = 0; b < NB; b++)
        area[b] += band_area (s.signed_mm, edges[b], edges[b + 1]);
      ring += band_count (stubble, s.signed_mm, 0.0, RING_MM);
      ring_area += band_area (s.signed_mm, 0.0, RING_MM);
      for (g = 0; g < G_N_ELEMENTS (grows); g++)
        {
          float        *loose = strip_cover (&curves[k], grows[g]);
          GeglBuffer   *mask = mask_buffer (loose, W, H);
          GeglBuffer   *out = conceal (&s, mask, 110 + k, NULL);
          GArray       *added = dots_of (s.photo, out);
          SmpScarStats  st = engine_stats (s.photo, mask, 70.0);

          if (k == 0)
            g_test_message ("mask %.1f mm wider: scar told %d, its tone %+.3f", grows[g],
                            st.scar_found, st.scar_lift);
          g_assert_true (st.scar_found);
          g_assert_cmpfloat (st.scar_lift, >, 0.0);
          for (b = 0; b < NB; b++)
            total[g][b] += band_count (stubble, s.signed_mm, edges[b], edges[b + 1])
                           + band_count (added, s.signed_mm, edges[b], edges[b + 1]);
          g_array_unref (added);
          g_object_unref (out);
          g_object_unref (mask);
          g_free (loose);
        }
      g_array_unref (stubble);
      free_scalp (&s);
    }
  for (g = 0; g < G_N_ELEMENTS (grows); g++)
    {
      GString *line = g_string_new (NULL);
      double   ring_density = 100 * ring / ring_area, worst = 0;

      for (b = 0; b < NB; b++)
        {
          double r = 100 * total[g][b] / area[b] / ring_density;

          g_string_append_printf (line, " %.2f", r);
          worst = fmax (worst, fabs (r - 1.0));
        }
      g_test_message ("mask %.1f mm wider: total density ÷ ring's %.1f/cm² in bands "
                      "-1.25 -0.6 0 0.5 1 1.5 2 3 4 mm:%s (worst %.2f)", grows[g],
                      ring_density, line->str, worst);
      g_string_free (line, TRUE);
      g_assert_cmpfloat (worst, <=, 0.15);
    }
}

/* Adds to @stubble_n and @added_n the dots of the stubble (@photo against
 * @skin) and the added ones (@out against @photo) centred where @mask is
 * at least 0.5. */
static void
count_under (GeglBuffer  *skin,
             GeglBuffer  *photo,
             GeglBuffer  *out,
             const float *mask,
             long        *stubble_n,
             long        *added_n)
{
  GArray *added = dots_of (photo, out), *stubble = dots_of (skin, photo);
  guint   i;

  for (i = 0; i < added->len; i++)
    {
      Dot *d = &g_array_index (added, Dot, i);

      *added_n += mask[(int) d->y * W + (int) d->x] >= 0.5f;
    }
  for (i = 0; i < stubble->len; i++)
    {
      Dot *d = &g_array_index (stubble, Dot, i);

      *stubble_n += mask[(int) d->y * W + (int) d->x] >= 0.5f;
    }
  g_array_unref (added);
  g_array_unref (stubble);
}

/* b, a shine: a lighter, smoother patch of skin that has its stubble (a
 * highlight, or skin that only looks like scar) under a loose mask takes
 * the cue for a scar, but the stubble on it says otherwise: the op adds
 * under 10 % of the ring's density there. */
static void
test_shine (void)
{
  long   added_n = 0, stubble_n = 0;
  int    k;

  for (k = 0; k < N_IMAGES; k++)
    {
      float      *shine = g_new (float, W * H), *mask = g_new (float, W * H);
      GeglBuffer *skin, *photo, *mbuf, *out;
      double      cx = 600 + 400 * k, cy = H / 2.0;
      SmpScarStats st;
      int         x, y;

      for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
          {
            /* an ellipse 40 × 12 mm, and the mask 2 mm wider all round */
            double e = hypot ((x + 0.5 - cx) / 200.0, (y + 0.5 - cy) / 60.0);
            double edge_px = (e - 1.0) * 60.0;

            shine[y * W + x] = (float) CLAMP (0.5 - edge_px, 0.0, 1.0);
            mask[y * W + x] = (float) CLAMP (0.5 - (edge_px - 2.0 * PX_PER_MM), 0.0, 1.0);
          }
      skin = make_skin (shine, W, H, 200 + k, "RGBA float");
      photo = smp_test_render (skin, NULL, "seed", 950 + k, "density", 70.0, "px-per-mm", PX_PER_MM, NULL);
      mbuf = mask_buffer (mask, W, H);
      {
        Scalp s = { skin, photo, mbuf, NULL };

        out = conceal (&s, mbuf, 120 + k, NULL);
      }
      st = engine_stats (photo, mbuf, 70.0);
      g_test_message ("shine %d: told as scar %d (tone %+.3f), %ld dots found on stubble", k,
                      st.scar_found, st.scar_lift, st.existing_dots);
      g_assert_true (st.scar_found);
      count_under (skin, photo, out, mask, &stubble_n, &added_n);
      g_object_unref (out);
      g_object_unref (mbuf);
      g_object_unref (photo);
      g_object_unref (skin);
      g_free (shine);
      g_free (mask);
    }
  g_test_message ("under the masks: %ld stubble dots, %ld added (%.1f %%)", stubble_n, added_n,
                  100.0 * added_n / stubble_n);
  g_assert_cmpfloat ((double) added_n / stubble_n, <, 0.10);
}

/* b, shading: a wide mask over stubbled skin under strong shading (the
 * light falling off by half across the head) and no scar at all: the
 * shading is not taken for a scar's tone, and nothing is stacked. */
static void
test_shading (void)
{
  float      *none = g_new0 (float, W * H), *mask = g_new (float, W * H), *px = g_new (float, W * H * 4);
  GeglBuffer *skin = make_skin (none, W, H, 300, "RGBA float"), *photo, *mbuf, *out;
  SmpScarStats st;
  long        added_n = 0, stubble_n = 0;
  int         x, y, c;

  gegl_buffer_get (skin, NULL, 1.0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      for (c = 0; c < 3; c++)
        px[(y * W + x) * 4 + c] *= (float) (0.5 + 1.0 * y / H);
  gegl_buffer_set (skin, NULL, 0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      mask[y * W + x] = (float) CLAMP (150.5 - fabs (y + 0.5 - H / 2.0), 0.0, 1.0);
  photo = smp_test_render (skin, NULL, "seed", 960, "density", 70.0, "px-per-mm", PX_PER_MM, NULL);
  mbuf = mask_buffer (mask, W, H);
  {
    Scalp s = { skin, photo, mbuf, NULL };

    out = conceal (&s, mbuf, 130, NULL);
  }
  st = engine_stats (photo, mbuf, 70.0);
  count_under (skin, photo, out, mask, &stubble_n, &added_n);
  g_test_message ("shading ×0.5-1.5 under a 30 mm mask with no scar: told %d (tone %+.3f); "
                  "%ld stubble dots under it, %ld added (%.1f %%)", st.scar_found, st.scar_lift,
                  stubble_n, added_n, 100.0 * added_n / stubble_n);
  g_assert_false (st.scar_found);
  g_assert_cmpfloat ((double) added_n / stubble_n, <, 0.10);
  g_object_unref (out);
  g_object_unref (mbuf);
  g_object_unref (photo);
  g_object_unref (skin);
  g_free (none);
  g_free (mask);
  g_free (px);
}

/* b, on real photos (the bundled sample and a side-lit forehead, both
 * about 4.8 px/mm, no scar): six selections of scar-free skin on each are
 * not told as a scar by their tone, whatever the highlights and shading
 * under them; a scar drawn into it
 * about 11 L* lighter, under a selection 3 mm wider, is told, and the
 * margin is not taken for it, read through the uptake each pixel gets. */
#define SAMPLE_PX_PER_MM 4.8
/* The demo's recipe gives 1.45 (about 9 L* lighter on this skin), which at
 * this scale lies inside the photo's own texture: a loose selection of it
 * is not told, and falls back to the mask.  1.6 is about 11 L*. */
#define SCAR_GAIN 1.6

/* Loads the photo at the path in environment variable @variable as
 * linear RGB floats. */
static float *
load_photo (const char *variable, int *w, int *h, GeglBuffer **buffer)
{
  const char *path = g_getenv (variable);
  GeglNode   *root = gegl_node_new (), *load, *sink;
  float      *rgb;

  g_assert_nonnull (path);
  *buffer = NULL;
  load = gegl_node_new_child (root, "operation", "gegl:load", "path", path, NULL);
  sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", buffer, NULL);
  gegl_node_link (load, sink);
  gegl_node_process (sink);
  g_object_unref (root);
  *w = gegl_buffer_get_extent (*buffer)->width;
  *h = gegl_buffer_get_extent (*buffer)->height;
  rgb = g_new (float, (gsize) *w * *h * 3);
  gegl_buffer_get (*buffer, NULL, 1.0, babl_format ("RGB float"), rgb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  return rgb;
}

/* Asserts that none of @n elliptic selections (centre x, y, radii) of
 * the scar-free photo @rgb is taken for a scar by its tone. */
static void
assert_no_cue (const char *name, const float *rgb, int w, int h,
               const double (*ellipses)[4], guint n)
{
  SmpScarParams p = { SAMPLE_PX_PER_MM, RING_MM, 2.0, 0, 90.0, 0.15, 0.7, 0.03, 0.0 };
  float        *m = g_new (float, (gsize) w * h);
  double        lum[3];
  guint         e;
  int           x, y;

  babl_space_get_rgb_luminance (babl_space ("sRGB"), &lum[0], &lum[1], &lum[2]);
  for (e = 0; e < n; e++)
    {
      SmpScar *scar;

      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          {
            double r = hypot ((x + 0.5 - ellipses[e][0]) / ellipses[e][2],
                              (y + 0.5 - ellipses[e][1]) / ellipses[e][3]);

            m[y * w + x] = (float) CLAMP ((1.0 - r) * ellipses[e][3] + 0.5, 0.0, 1.0);
          }
      scar = smp_scar_new (&p, &(SmpScarPhoto) { rgb, m, lum, { 0, 0, w, h } });
      g_test_message ("%s, scar-free selection %u: told %d (tone %+.3f)", name, e,
                      smp_scar_stats (scar)->scar_found, smp_scar_stats (scar)->scar_lift);
      g_assert_false (smp_scar_stats (scar)->scar_found);
      smp_scar_free (scar);
    }
  g_free (m);
}

static void
test_photo_cue (void)
{
  static const double glover[][4] =
  {
    { 400, 200, 150, 40 }, { 330, 330, 120, 35 }, { 250, 160, 100, 30 },
    { 560, 180, 100, 30 }, { 420, 120, 200, 30 }, { 300, 250, 60, 20 },
  };
  static const double sidelight[][4] =
  {
    { 250, 100, 120, 35 }, { 420, 90, 100, 30 }, { 330, 130, 180, 30 },
    { 200, 60, 80, 25 }, { 480, 110, 150, 40 }, { 150, 250, 60, 25 },
  };
  SmpScarParams p = { SAMPLE_PX_PER_MM, RING_MM, 2.0, 0, 90.0, 0.15, 0.7, 0.03, 0.0 };
  GeglBuffer   *photo;
  double        lum[3];
  float        *rgb, *m;
  int           w, h, x, y, i;

  rgb = load_photo ("SMP_SIDELIGHT", &w, &h, &photo);
  assert_no_cue ("side-lit forehead", rgb, w, h, sidelight, G_N_ELEMENTS (sidelight));
  g_free (rgb);
  g_object_unref (photo);

  rgb = load_photo ("SMP_SAMPLE", &w, &h, &photo);
  assert_no_cue ("sample", rgb, w, h, glover, G_N_ELEMENTS (glover));
  m = g_new (float, (gsize) w * h);
  babl_space_get_rgb_luminance (babl_space ("sRGB"), &lum[0], &lum[1], &lum[2]);

  {
    /* a scar 3.5 mm wide across the crown, lighter and paler, and a
     * selection 3 mm wider all round */
    double   half = 1.75 * SAMPLE_PX_PER_MM, grow = 3.0 * SAMPLE_PX_PER_MM;
    float   *need = g_new (float, (gsize) w * h), *strength = g_new (float, (gsize) w * h);
    long     scar_px = 0, scar_told = 0, margin_px = 0, margin_told = 0;
    SmpScar *scar;

    float   *plain = g_memdup2 (rgb, sizeof (float) * w * h * 3);

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        {
          double cx = CLAMP (x + 0.5, 260.0, 600.0);
          double d = hypot (x + 0.5 - cx, y + 0.5 - (110.0 + 8.0 * sin (cx / 40.0)));
          double cover = CLAMP (half + 0.5 - d, 0.0, 1.0);
          float *px = rgb + ((gsize) y * w + x) * 3;
          double grey = lum[0] * px[0] + lum[1] * px[1] + lum[2] * px[2];

          /* as the demo draws it (greyer, with a third of the skin's fine
           * texture, a 5 × 5 mean for the rest), but SCAR_GAIN lighter */
          for (i = 0; i < 3 && cover > 0.0; i++)
            {
              double mean = 0.0;
              int    j, k;

              for (j = -2; j <= 2; j++)
                for (k = -2; k <= 2; k++)
                  mean += plain[((gsize) CLAMP (y + j, 0, h - 1) * w + CLAMP (x + k, 0, w - 1)) * 3 + i] / 25.0;
              px[i] = (float) ((1.0 - cover) * px[i]
                               + cover * SCAR_GAIN * (0.75 * (0.35 * px[i] + 0.65 * mean) + 0.25 * grey));
            }
          m[y * w + x] = (float) CLAMP (half + grow + 0.5 - d, 0.0, 1.0);
          if (d < half - 1.0)
            scar_px++;
          else if (d > half + 1.0 && d < half + grow - 1.0)
            margin_px++;
        }
    scar = smp_scar_new (&p, &(SmpScarPhoto) { rgb, m, lum, { 0, 0, w, h } });
    smp_scar_fields (scar, 0, 0.5, &(SmpRect) { 0, 0, w, h }, need, strength);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        {
          double cx = CLAMP (x + 0.5, 260.0, 600.0);
          double d = hypot (x + 0.5 - cx, y + 0.5 - (110.0 + 8.0 * sin (cx / 40.0)));
          gboolean told = strength[y * w + x] < 0.75f;

          if (d < half - 1.0)
            scar_told += told;
          else if (d > half + 1.0 && d < half + grow - 1.0)
            margin_told += told;
        }
    g_test_message ("drawn scar under a selection 3 mm wider: told %d (tone %+.3f); %.1f %% of "
                    "the scar's pixels and %.2f %% of the margin's taken for scar",
                    smp_scar_stats (scar)->scar_found, smp_scar_stats (scar)->scar_lift,
                    100.0 * scar_told / scar_px, 100.0 * margin_told / margin_px);
    g_assert_true (smp_scar_stats (scar)->scar_found);
    g_assert_cmpfloat ((double) scar_told / scar_px, >=, 0.80);
    g_assert_cmpfloat ((double) margin_told / margin_px, <=, 0.02);
    smp_scar_free (scar);
    g_free (need);
    g_free (strength);
    g_free (plain);
  }
  g_free (rgb);
  g_free (m);
  g_object_unref (photo);
}

/* c. With tone-blend 0 the scar's texture is kept: every changed pixel
 * is darker and within a dot's reach of an added dot. */
static void
test_texture (void)
{
  Scalp    s = make_scalp (0, 70.0, TRUE, "R'G'B'A u8");
  GeglBuffer *out = conceal (&s, NULL, 70, NULL);
  GArray  *added = dots_of (s.photo, out);
  guint32 *a = g_new (guint32, W * H), *b = g_new (guint32, W * H);
  float   *ya = g_new (float, W * H), *yb = g_new (float, W * H);
  guint8  *near = g_new0 (guint8, W * H);
  long     changed = 0, stray = 0, lighter = 0, scar = 0, scar_same = 0;
  guint    i;
  int      p;

  gegl_buffer_get (s.photo, NULL, 1.0, babl_format ("R'G'B'A u8"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("R'G'B'A u8"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (s.photo, NULL, 1.0, babl_format ("Y float"), ya, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("Y float"), yb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  /* a 0.15 mm dot with 3 × its size at most reaches 4 px from its centre */
  for (i = 0; i < added->len; i++)
    {
      Dot *d = &g_array_index (added, Dot, i);
      int  x, y;

      for (y = (int) d->y - 5; y <= (int) d->y + 5; y++)
        for (x = (int) d->x - 5; x <= (int) d->x + 5; x++)
          if (x >= 0 && y >= 0 && x < W && y < H)
            near[y * W + x] = 1;
    }
  for (p = 0; p < W * H; p++)
    {
      gboolean same = a[p] == b[p];

      changed += ! same;
      stray += ! same && ! near[p];
      lighter += yb[p] > ya[p];
      if (s.signed_mm[p] < 0)
        {
          scar++;
          scar_same += same;
        }
    }
  g_test_message ("%ld pixels changed around %u added dots; %ld changed away from any dot, "
                  "%ld lighter; %.1f %% of the scar's pixels bit-identical", changed, added->len,
                  stray, lighter, 100.0 * scar_same / scar);
  g_assert_cmpint (changed, >, 1000);
  g_assert_cmpint (stray, ==, 0);
  g_assert_cmpint (lighter, ==, 0);
  g_assert_cmpfloat ((double) scar_same / scar, >=, 0.8);
  g_free (a); g_free (b); g_free (ya); g_free (yb); g_free (near);
  g_array_unref (added);
  g_object_unref (out);
  free_scalp (&s);
}

/* d. FUE: 60 pale spots 0.8 mm across in stubble at 90/cm², each under a
 * mask 1 mm across; pooled over eight scalps. */
#define FUE_SIZE   600
#define FUE_SPOTS  60
#define FUE_SCALPS 8
#define SPOT_MM    0.8
#define SPOT_MASK_MM 1.0

static void
fue_spots (double mask_mm)
{
  enum { NR = 20 };   /* 0.1 mm rings out to 2 mm */
  long   in_spots = 0, around = 0;
  double spot_area = 0, around_area = 0, profile_change[NR] = { 0 }, profile_before[NR] = { 0 };
  long   profile_n[NR] = { 0 };
  int    k, i, r;

  for (k = 0; k < FUE_SCALPS; k++)
    {
      int         n = FUE_SIZE * FUE_SIZE;
      double      sx[FUE_SPOTS], sy[FUE_SPOTS];
      float      *cover = g_new0 (float, n), *mask = g_new0 (float, n), *bare = g_new (float, n);
      float      *ya = g_new (float, n), *yb = g_new (float, n);
      GRand      *rand = g_rand_new_with_seed (300 + k);
      GeglBuffer *skin, *photo, *mbuf, *sbuf, *out;
      GeglNode   *root, *op, *sink;
      gfloat     *d;
      GArray     *blobs;
      va_list     none;
      int         placed = 0, x, y;
      guint       j;

      /* spots at least 4 mm apart and 3 mm from the edges */
      while (placed < FUE_SPOTS)
        {
          double px = g_rand_double_range (rand, 30, FUE_SIZE - 30);
          double py = g_rand_double_range (rand, 30, FUE_SIZE - 30);
          gboolean ok = TRUE;

          for (i = 0; i < placed; i++)
            ok = ok && hypot (px - sx[i], py - sy[i]) >= 40;
          if (! ok)
            continue;
          sx[placed] = px;
          sy[placed] = py;
          placed++;
        }
      g_rand_free (rand);
      for (y = 0; y < FUE_SIZE; y++)
        for (x = 0; x < FUE_SIZE; x++)
          for (i = 0; i < FUE_SPOTS; i++)
            {
              double dist = hypot (x + 0.5 - sx[i], y + 0.5 - sy[i]);

              cover[y * FUE_SIZE + x] = fmaxf (cover[y * FUE_SIZE + x],
                                               (float) CLAMP (0.5 + SPOT_MM * 5 - dist, 0, 1));
              mask[y * FUE_SIZE + x] = fmaxf (mask[y * FUE_SIZE + x],
                                              (float) CLAMP (0.5 + mask_mm * 5 - dist, 0, 1));
            }
      for (i = 0; i < n; i++)
        bare[i] = 1.0f - cover[i];
      skin = make_skin (cover, FUE_SIZE, FUE_SIZE, 400 + k, "RGBA float");
      sbuf = gegl_buffer_new (GEGL_RECTANGLE (0, 0, FUE_SIZE, FUE_SIZE), babl_format ("Y float"));
      gegl_buffer_set (sbuf, NULL, 0, babl_format ("Y float"), bare, GEGL_AUTO_ROWSTRIDE);
      mbuf = gegl_buffer_new (GEGL_RECTANGLE (0, 0, FUE_SIZE, FUE_SIZE), babl_format ("Y float"));
      gegl_buffer_set (mbuf, NULL, 0, babl_format ("Y float"), mask, GEGL_AUTO_ROWSTRIDE);
      photo = smp_test_render (skin, sbuf, "seed", 500 + k, "density", 90.0, "px-per-mm", PX_PER_MM, NULL);
      op = smp_test_graph (&root, "smp:scar-conceal", photo, mbuf, NULL, none);
      gegl_node_set (op, "seed", 600 + k, "px-per-mm", PX_PER_MM, NULL);
      out = NULL;
      sink = gegl_node_new_child (root, "operation", "gegl:buffer-sink", "buffer", &out, NULL);
      gegl_node_link (op, sink);
      gegl_node_process (sink);
      g_object_unref (root);

      /* added dots in the spots; stubble 1-2 mm around them */
      d = smp_test_darkening (photo, out);
      blobs = smp_test_blobs (d, FUE_SIZE, FUE_SIZE, 0.03, 3);
      for (j = 0; j < blobs->len; j++)
        {
          SmpBlob *b = &g_array_index (blobs, SmpBlob, j);

          for (i = 0; i < FUE_SPOTS; i++)
            in_spots += hypot (b->x - sx[i], b->y - sy[i]) <= SPOT_MM * 5;
        }
      g_array_unref (blobs);
      g_free (d);
      d = smp_test_darkening (skin, photo);
      blobs = smp_test_blobs (d, FUE_SIZE, FUE_SIZE, 0.03, 3);
      for (j = 0; j < blobs->len; j++)
        {
          SmpBlob *b = &g_array_index (blobs, SmpBlob, j);

          for (i = 0; i < FUE_SPOTS; i++)
            {
              double dist = hypot (b->x - sx[i], b->y - sy[i]);

              around += dist >= 10 && dist < 20;
              in_spots += dist <= SPOT_MM * 5;
            }
        }
      g_array_unref (blobs);
      g_free (d);
      spot_area += FUE_SPOTS * M_PI * (SPOT_MM / 2) * (SPOT_MM / 2);
      around_area += FUE_SPOTS * M_PI * (4.0 - 1.0);

      /* the radial L* profile around each spot, before and after */
      gegl_buffer_get (photo, NULL, 1.0, babl_format ("Y float"), ya, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      gegl_buffer_get (out, NULL, 1.0, babl_format ("Y float"), yb, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (i = 0; i < FUE_SPOTS; i++)
        for (y = (int) sy[i] - 20; y <= (int) sy[i] + 20; y++)
          for (x = (int) sx[i] - 20; x <= (int) sx[i] + 20; x++)
            {
              double dist = hypot (x + 0.5 - sx[i], y + 0.5 - sy[i]) / PX_PER_MM;

              r = (int) floor (dist / 0.1);
              if (r < 0 || r >= NR)
                continue;
              profile_before[r] += l_of_y (ya[y * FUE_SIZE + x]);
              profile_change[r] += l_of_y (yb[y * FUE_SIZE + x]) - l_of_y (ya[y * FUE_SIZE + x]);
              profile_n[r]++;
            }
      g_free (ya); g_free (yb);
      g_free (cover); g_free (mask); g_free (bare);
      g_object_unref (out); g_object_unref (photo); g_object_unref (skin);
      g_object_unref (sbuf); g_object_unref (mbuf);
    }

  {
    double d_spots = 100 * in_spots / spot_area, d_around = 100 * around / around_area;
    double mean = 0, spread = 0, worst = 0, rise = 0;

    g_test_message ("%d spots, each under a mask %.1f mm across: %ld dots in them, %.1f/cm²; "
                    "stubble 1-2 mm around them %.1f/cm²; ratio %.3f", FUE_SPOTS * FUE_SCALPS, mask_mm,
                    in_spots, d_spots, d_around, d_spots / d_around);
    g_assert_cmpfloat (fabs (d_spots / d_around - 1.0), <=, 0.15);
    /* the untouched image's own ring-to-ring spread 1-2 mm out is the
     * noise; the change must fall off from the spot's edge outwards, with no
     * ring where it rises again, and be lost in that noise beyond the
     * reach of the dots in the mask (0.5 mm + a dot) */
    for (r = 10; r < NR; r++)
      mean += profile_before[r] / profile_n[r] / (NR - 10);
    for (r = 10; r < NR; r++)
      {
        double v = profile_before[r] / profile_n[r] - mean;

        spread += v * v / (NR - 10);
      }
    spread = sqrt (spread);
    for (r = 0; r < NR; r++)
      {
        double change = fabs (profile_change[r] / profile_n[r]);

        g_test_message ("%.1f-%.1f mm from the centre: L* %.2f before, change %+.3f",
                        0.1 * r, 0.1 * (r + 1), profile_before[r] / profile_n[r],
                        profile_change[r] / profile_n[r]);
        /* inside the spot the dots' own count varies from ring to ring */
        if (r > SPOT_MM * 5)
          rise = fmax (rise, change - fabs (profile_change[r - 1] / profile_n[r - 1]));
        if (r >= 8)
          worst = fmax (worst, change);
      }
    g_test_message ("largest change 0.8-2 mm out %.3f L*, largest rise of the change outwards "
                    "%.3f L*; the untouched profile's own spread %.3f L*", worst, rise, spread);
    g_assert_cmpfloat (worst, <=, spread);
    g_assert_cmpfloat (rise, <=, spread);
  }
}

static void
test_fue (void)
{
  fue_spots (SPOT_MASK_MM);
}

/* The same spots selected loosely, each under a mask 2.5 mm across: the
 * pale spots are told by their tone, so the stubble round them in the mask
 * gets nothing. */
static void
test_fue_loose (void)
{
  fue_spots (2.5);
}

/* Blobs per cm² that a plain smp:stipple at @density gives, counted as the
 * tests count: dots of a group that touch make one blob. */
static double
counted_density (double density, double darkness)
{
  GeglBuffer *skin = smp_test_flat (SKIN, 1000, 1000, "RGBA float");
  GeglBuffer *out = smp_test_render (skin, NULL, "seed", 77, "density", density, "darkness", darkness,
                                     "px-per-mm", PX_PER_MM, NULL);
  gfloat     *d = smp_test_darkening (skin, out);
  GArray     *blobs = smp_test_blobs (d, 1000, 1000, 0.03, 3);
  double      counted = blobs->len / 100.0;

  g_array_unref (blobs);
  g_free (d);
  g_object_unref (out);
  g_object_unref (skin);
  return counted;
}

/* e. Bald surroundings: the density property is used, and the engine says
 * it did not read the ring; a loose mask gives the close one's result. */
static void
test_bald (void)
{
  static const double densities[] = { 60.0, 100.0 };
  guint r;

  for (r = 0; r < G_N_ELEMENTS (densities); r++)
    {
      long   inside = 0, outside = 0, loose_inside = 0;
      double scar_area = 0, far_area = 0;
      int    k;

      for (k = 0; k < N_IMAGES; k++)
        {
          Scalp        s = make_scalp (k, 0, FALSE, "RGBA float");
          GeglBuffer  *out = conceal (&s, NULL, 80 + k, "density", densities[r], NULL);
          GArray      *added = dots_of (s.photo, out);
          SmpScarStats st = engine_stats (s.photo, s.scar, densities[r]);

          if (k == 0)
            g_test_message ("bald: the engine found %ld dots in the ring (%ld in the region), "
                            "from_ring %d, density %.1f/cm²", st.ring_dots, st.existing_dots,
                            st.from_ring, st.density_per_cm2);
          g_assert_false (st.from_ring);
          g_assert_cmpfloat (st.density_per_cm2, ==, densities[r]);
          inside += band_count (added, s.signed_mm, -10.0, 0.0);
          outside += band_count (added, s.signed_mm, 2.5, 100.0);
          {
            /* a mask 3 mm wider: the scar is told by its tone, and the
             * result is the close selection's */
            float      *loose = strip_cover (&curves[k], 3.0);
            GeglBuffer *mask = mask_buffer (loose, W, H);
            GeglBuffer *out_loose = conceal (&s, mask, 80 + k, "density", densities[r], NULL);
            GArray     *added_loose = dots_of (s.photo, out_loose);

            loose_inside += band_count (added_loose, s.signed_mm, -10.0, 0.0);
            outside += band_count (added_loose, s.signed_mm, 2.5, 100.0);
            g_array_unref (added_loose);
            g_object_unref (out_loose);
            g_object_unref (mask);
            g_free (loose);
          }
          scar_area += band_area (s.signed_mm, -10.0, 0.0);
          far_area += band_area (s.signed_mm, 2.5, 100.0);
          g_array_unref (added);
          g_object_unref (out);
          free_scalp (&s);
        }
      {
        /* the dots in the scar at uptake 0.85 */
        double expected = counted_density (densities[r], 0.7 * 0.85);

        g_test_message ("density %.0f on bald skin: %.1f/cm² in the scar (%ld dots), against %.1f "
                        "blobs/cm² of smp:stipple at that density (%.3f); %ld beyond the blend "
                        "width", densities[r], 100 * inside / scar_area, inside, expected,
                        100 * inside / scar_area / expected, outside);
        g_assert_cmpfloat (fabs (100 * inside / scar_area / expected - 1.0), <=, 0.10);
      }
      g_test_message ("with a mask 3 mm wider: %ld dots in the scar against %ld (%.3f)",
                      loose_inside, inside, (double) loose_inside / inside);
      g_assert_cmpfloat (fabs ((double) loose_inside / inside - 1.0), <=, 0.10);
      g_assert_cmpint (outside, ==, 0);
    }
}

/* f. Far pixels bit-identical (also with the tone blended). */
static void
test_untouched (void)
{
  Scalp       s = make_scalp (1, 70.0, TRUE, "R'G'B'A u8");
  GeglBuffer *out = conceal (&s, NULL, 90, "tone-blend", 1.0, "blend-width", 2.0, NULL);
  guint32    *a = g_new (guint32, W * H), *b = g_new (guint32, W * H);
  long        far = 0, changed_far = 0, changed = 0;
  int         p;

  gegl_buffer_get (s.photo, NULL, 1.0, babl_format ("R'G'B'A u8"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (out, NULL, 1.0, babl_format ("R'G'B'A u8"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (p = 0; p < W * H; p++)
    {
      changed += a[p] != b[p];
      /* blend width plus a dot's reach (the largest dot, 0.45 mm, and
       * its soft edge) */
      if (s.signed_mm[p] > 2.0 + 0.4)
        {
          far++;
          changed_far += a[p] != b[p];
        }
    }
  g_test_message ("%ld pixels changed; %ld of %ld beyond blend width + a dot's reach", changed,
                  changed_far, far);
  g_assert_cmpint (changed, >, 10000);
  g_assert_cmpint (changed_far, ==, 0);
  g_free (a); g_free (b);
  g_object_unref (out);
  free_scalp (&s);
}

/* f. Same output for any threads, chunks or region rendered (so the ring
 * statistics do not depend on them either); with the crisp cores, and
 * with the default look, its halos and the build-up. */
static void
deterministic (int look)
{
  double        blur = look ? 0.6 : 0.0;
  Scalp         s = make_scalp (2, 70.0, TRUE, "R'G'B'A u8");
  GeglRectangle full = { 0, 0, W, H }, subs[2] = { { 311, 150, 257, 143 }, { 1500, 0, 64, 64 } };
  guchar       *ref = NULL, *part;
  int           run, y, k;
  va_list       none;

  for (run = 0; run < 3; run++)
    {
      static const int threads[] = { 1, 4, 2 }, chunks[] = { 1 << 20, 4096, 777 };
      GeglNode        *root, *op;
      guchar          *px = g_malloc ((gsize) W * H * 4);

      g_object_set (gegl_config (), "threads", threads[run], "chunk-size", chunks[run], NULL);
      op = smp_test_graph (&root, "smp:scar-conceal", s.photo, s.scar, NULL, none);
      gegl_node_set (op, "seed", 5, "px-per-mm", PX_PER_MM, "tone-blend", 0.6, "look", look,
                     "photo-blur", blur, NULL);
      if (run == 2)
        for (k = 0; k < 2; k++)
          {
            /* a part alone first, in a fresh graph: what it measures can
             * only come from the scar, not from what else was rendered */
            part = g_malloc ((gsize) subs[k].width * subs[k].height * 4);
            gegl_node_blit (op, 1.0, &subs[k], babl_format ("R'G'B'A u8"), part, GEGL_AUTO_ROWSTRIDE,
                            GEGL_BLIT_DEFAULT);
            for (y = 0; y < subs[k].height; y++)
              g_assert_cmpint (memcmp (part + (gsize) y * subs[k].width * 4,
                                       ref + ((gsize) (subs[k].y + y) * W + subs[k].x) * 4,
                                       (gsize) subs[k].width * 4), ==, 0);
            g_free (part);
            g_object_unref (root);
            op = smp_test_graph (&root, "smp:scar-conceal", s.photo, s.scar, NULL, none);
            gegl_node_set (op, "seed", 5, "px-per-mm", PX_PER_MM, "tone-blend", 0.6, "look", look,
                     "photo-blur", blur, NULL);
          }
      gegl_node_blit (op, 1.0, &full, babl_format ("R'G'B'A u8"), px, GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      if (ref)
        {
          g_assert_cmpint (memcmp (ref, px, (gsize) W * H * 4), ==, 0);
          g_free (px);
        }
      else
        ref = px;
      g_object_unref (root);
    }
  g_test_message ("%s: identical over 1/4/2 threads, chunks of 1M/4096/777 px and two "
                  "sub-rectangles rendered alone", look ? "the default look" : "crisp cores");
  g_object_set (gegl_config (), "threads", 1, "chunk-size", 1 << 20, NULL);
  g_free (ref);
  free_scalp (&s);
}

static void
test_deterministic (void)
{
  deterministic (0);
  deterministic (1);
}

/* f. Zoomed-out previews against the full render: the added darkening in
 * total and in 2 mm cells; with the crisp cores, and with the default
 * look, its halos and the build-up. */
static void
preview_levels (int look)
{
  const int   cell = 20;
  double      blur = look ? 0.6 : 0.0;
  Scalp       s = make_scalp (0, 70.0, TRUE, "RGBA float");
  GeglBuffer *full = conceal (&s, NULL, 6, "look", look, "photo-blur", blur, NULL);
  gfloat     *ya = g_new (gfloat, W * H), *yf = g_new (gfloat, W * H);
  int         level;
  va_list     none;

  gegl_buffer_get (s.photo, NULL, 1.0, babl_format ("Y float"), ya, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (full, NULL, 1.0, babl_format ("Y float"), yf, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  for (level = 1; level <= 2; level++)
    {
      int       f = 1 << level, lw = W / f, lh = H / f, ncx = W / cell, ncy = H / cell, n = ncx * ncy;
      gfloat   *low = g_new (gfloat, lw * lh), *low_before = g_new (gfloat, lw * lh);
      double   *a = g_new0 (double, n), *b = g_new0 (double, n);
      double    ratio, corr;
      GeglNode *root, *op = smp_test_graph (&root, "smp:scar-conceal", s.photo, s.scar, NULL, none);
      int       x, y;

      gegl_node_set (op, "seed", 6, "px-per-mm", PX_PER_MM, "look", look, "photo-blur", blur, NULL);
      gegl_node_blit (op, 1.0 / f, GEGL_RECTANGLE (0, 0, lw, lh), babl_format ("Y float"), low,
                      GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      gegl_buffer_get (s.photo, GEGL_RECTANGLE (0, 0, lw, lh), 1.0 / f, babl_format ("Y float"),
                       low_before, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (y = 0; y < ncy * cell; y++)
        for (x = 0; x < ncx * cell; x++)
          a[(y / cell) * ncx + x / cell] += ya[y * W + x] - yf[y * W + x];
      for (y = 0; y < ncy * cell / f; y++)
        for (x = 0; x < ncx * cell / f; x++)
          b[(y * f / cell) * ncx + x * f / cell] += (low_before[y * lw + x] - low[y * lw + x]) * f * f;
      corr = smp_test_correlation (a, b, n, &ratio);
      g_test_message ("%s, level %d: total added darkening %+.2f %% of the full render's, "
                      "2 mm cells correlated at %.3f", look ? "the default look" : "crisp cores",
                      level, 100 * (ratio - 1), corr);
      g_assert_cmpfloat (fabs (ratio - 1.0), <=, 0.05);
      g_assert_cmpfloat (corr, >=, 0.9);
      g_free (low); g_free (low_before); g_free (a); g_free (b);
      g_object_unref (root);
    }
  g_object_set (gegl_config (), "mipmap-rendering", FALSE, NULL);
  g_free (ya); g_free (yf);
  g_object_unref (full);
  free_scalp (&s);
}

static void
test_preview_levels (void)
{
  preview_levels (0);
  preview_levels (1);
}

/* f2. The measurement of a zoomed-out preview.  On a 20 px/mm scalp (the
 * 10 px/mm one scaled up twice), previews at levels 1 to 3 measure the
 * ring at 10 px/mm (level 1), never at full resolution, and that
 * measurement is read once per level: its region is half as wide as the
 * full render's.  Their added darkening stays near the full render's, in
 * total and per 2 mm cell. */
static void
preview_measure (int look)
{
  const int   f2 = 2, w = W * f2, h = H * f2, cell = 20 * f2;
  const double ppm = PX_PER_MM * f2, blur = look ? 0.6 : 0.0;
  Scalp       s = make_scalp (0, 70.0, TRUE, "RGBA float");
  GeglBuffer *photo = smp_test_scaled_up (s.photo, f2), *scar = smp_test_scaled_up (s.scar, f2);
  gfloat     *ya = g_new (gfloat, (gsize) w * h), *yf = g_new (gfloat, (gsize) w * h);
  int         ncx = w / cell, ncy = h / cell, n = ncx * ncy, level, full_width, width, at;
  GeglNode   *root, *op;
  va_list     none;

  smp_test_measured_start ();
  op = smp_test_graph (&root, "smp:scar-conceal", photo, scar, NULL, none);
  gegl_node_set (op, "seed", 6, "px-per-mm", ppm, "look", look, "photo-blur", blur, NULL);
  gegl_node_blit (op, 1.0, GEGL_RECTANGLE (0, 0, w, h), babl_format ("Y float"), yf,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_unref (root);
  g_assert_cmpint (smp_test_measured_level (&full_width), ==, 0);
  gegl_buffer_get (photo, NULL, 1.0, babl_format ("Y float"), ya, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_set (gegl_config (), "mipmap-rendering", TRUE, NULL);
  for (level = 1; level <= 3; level++)
    {
      int     f = 1 << level, lw = w / f, lh = h / f, x, y;
      gfloat *low = g_new (gfloat, lw * lh), *low_before = g_new (gfloat, lw * lh);
      double *a = g_new0 (double, n), *b = g_new0 (double, n), ratio, corr;

      op = smp_test_graph (&root, "smp:scar-conceal", photo, scar, NULL, none);
      gegl_node_set (op, "seed", 6, "px-per-mm", ppm, "look", look, "photo-blur", blur, NULL);
      smp_test_probe_before (op);
      gegl_node_blit (op, 1.0 / f, GEGL_RECTANGLE (0, 0, lw, lh), babl_format ("Y float"), low,
                      GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
      /* drawn at the preview's level, measured at level 1 */
      g_assert_cmpint (smp_test_probe_deepest_level (), ==, level);
      gegl_buffer_get (photo, GEGL_RECTANGLE (0, 0, lw, lh), 1.0 / f, babl_format ("Y float"),
                       low_before, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (y = 0; y < ncy * cell; y++)
        for (x = 0; x < ncx * cell; x++)
          a[(y / cell) * ncx + x / cell] += ya[(gsize) y * w + x] - yf[(gsize) y * w + x];
      for (y = 0; y < ncy * cell / f; y++)
        for (x = 0; x < ncx * cell / f; x++)
          b[(y * f / cell) * ncx + x * f / cell] += (low_before[y * lw + x] - low[y * lw + x]) * f * f;
      corr = smp_test_correlation (a, b, n, &ratio);
      at = smp_test_measured_level (&width);
      g_test_message ("%s at 20 px/mm, level %d: measured at level %d over %d px across "
                      "(full render: %d); added darkening %+.2f %% of the full render's, "
                      "2 mm cells correlated at %.3f", look ? "the default look" : "crisp cores",
                      level, at, width, full_width, 100 * (ratio - 1), corr);
      /* at 10 px/mm, never finer, never coarser */
      g_assert_cmpint (at, ==, 1);
      g_assert_cmpint (width, <=, full_width / 2 + 1);
      g_assert_cmpfloat (fabs (ratio - 1.0), <=, 0.08);
      g_assert_cmpfloat (corr, >=, 0.85);
      g_free (low); g_free (low_before); g_free (a); g_free (b);
      g_object_unref (root);
    }
  g_object_set (gegl_config (), "mipmap-rendering", FALSE, NULL);
  smp_test_measured_stop ();
  g_free (ya); g_free (yf);
  g_object_unref (photo);
  g_object_unref (scar);
  free_scalp (&s);
}

static void
test_preview_measure (void)
{
  preview_measure (0);
  preview_measure (1);
}

/* ---- the look at a distance (issue 10, e) ---------------------------------
 *
 * What a viewer judges is the scar's contrast at conversation distance: the
 * difference in L* between the scar and a ring 3-8 mm away once both are
 * blurred by a Gaussian of 0.5 mm.  The scenes: strip scars 5-12 L*
 * lighter and 1-3 mm wide, inside skin treated with the default look, or
 * inside short-clipped stubble; the op at its defaults (the default look,
 * tone-blend 0). */

#define LIGHT_SKIN     "#f1c9a5"
#define BLUR_MM        0.5
#define LOOK_EDGE_MM   6.0     /* left out at each side of an image */

/* A strip scar of half-width @half_mm on the gentle curve @curve (drawn
 * for 10 px/mm, scaled to @px_per_mm) across a w×h image. */
typedef struct
{
  const Curve *curve;
  double       half_mm, px_per_mm;
  int          w, h;
} Strip;

static double
strip_signed_mm (const Strip *s, double x, double y)
{
  double f = s->px_per_mm / PX_PER_MM, a = s->curve->amplitude * f, period = s->curve->period * f;
  double arg = 2 * M_PI * x / period + s->curve->phase;
  double slope = a * 2 * M_PI / period * cos (arg);

  return fabs (y - (s->h / 2.0 + a * sin (arg))) / sqrt (1.0 + slope * slope) / s->px_per_mm
         - s->half_mm;
}

typedef struct
{
  GeglBuffer *skin, *photo, *scar;
  float      *signed_mm;
  float      *cover;
} LookScene;

static void
free_look_scene (LookScene *s)
{
  g_object_unref (s->skin);
  g_object_unref (s->photo);
  g_object_unref (s->scar);
  g_free (s->signed_mm);
  g_free (s->cover);
}

/* The scar and its signed distances; the skin with it @lift_l L* lighter. */
static void
look_scene_base (LookScene *scene, const Strip *st, const char *skin_hex, double lift_l,
                 guint32 seed)
{
  gsize n = (gsize) st->w * st->h;
  int   x, y;

  scene->cover = g_new (float, n);
  scene->signed_mm = g_new (float, n);
  for (y = 0; y < st->h; y++)
    for (x = 0; x < st->w; x++)
      {
        double d = strip_signed_mm (st, x + 0.5, y + 0.5);

        scene->signed_mm[(gsize) y * st->w + x] = (float) d;
        scene->cover[(gsize) y * st->w + x] = (float) CLAMP (0.5 - d * st->px_per_mm, 0.0, 1.0);
      }
  scene->skin = make_skin_as (scene->cover, st->w, st->h, seed, "RGBA float", skin_hex, lift_l);
  scene->scar = gegl_buffer_new (GEGL_RECTANGLE (0, 0, st->w, st->h), babl_format ("Y float"));
  gegl_buffer_set (scene->scar, NULL, 0, babl_format ("Y float"), scene->cover, GEGL_AUTO_ROWSTRIDE);
}

/* Skin treated with the default look around a bare scar. */
static LookScene
look_scene (const Strip *st, const char *skin_hex, double lift_l, guint32 seed)
{
  LookScene   scene;
  gsize       n = (gsize) st->w * st->h, i;
  float      *bare = g_new (float, n);
  GeglBuffer *bare_mask;

  look_scene_base (&scene, st, skin_hex, lift_l, seed);
  for (i = 0; i < n; i++)
    bare[i] = 1.0f - scene.cover[i];
  bare_mask = gegl_buffer_new (GEGL_RECTANGLE (0, 0, st->w, st->h), babl_format ("Y float"));
  gegl_buffer_set (bare_mask, NULL, 0, babl_format ("Y float"), bare, GEGL_AUTO_ROWSTRIDE);
  scene.photo = smp_test_render (scene.skin, bare_mask, "look", 1, "photo-blur", 0.6,
                                 "seed", (int) seed + 7, "px-per-mm", st->px_per_mm, NULL);
  g_object_unref (bare_mask);
  g_free (bare);
  return scene;
}

/* smp:scar-conceal at its defaults (the default look, its photo blur,
 * tone-blend 0). */
static GeglBuffer *
conceal_default (GeglBuffer *photo, GeglBuffer *mask, double px_per_mm, int seed)
{
  return smp_test_render_op ("smp:scar-conceal", photo, mask, "look", 1, "photo-blur", 0.6,
                             "seed", seed, "px-per-mm", px_per_mm, NULL);
}

/* Blurs the w×h floats @v in place by a Gaussian of @sigma px, edges
 * clamped.  Each pass runs along rows, a whole row of sums at a time (a
 * pass down the columns took a fifth of the look tests' time); each sum
 * still adds its terms in the same order. */
static void
gauss_blur (float *v, int w, int h, double sigma)
{
  int              r = (int) ceil (3 * sigma), x, y, k;
  double          *kernel = g_new (double, 2 * r + 1), sum = 0;
  double *restrict t = g_new (double, w);
  float *restrict  pad = g_new (float, w + 2 * r);
  float           *out = g_new (float, (gsize) w * h);

  for (k = -r; k <= r; k++)
    sum += kernel[k + r] = exp (-0.5 * k * k / (sigma * sigma));
  for (k = 0; k <= 2 * r; k++)
    kernel[k] /= sum;
  for (y = 0; y < h; y++)
    {
      for (x = -r; x < w + r; x++)
        pad[x + r] = v[(gsize) y * w + CLAMP (x, 0, w - 1)];
      memset (t, 0, sizeof (double) * w);
      for (k = 0; k <= 2 * r; k++)
        for (x = 0; x < w; x++)
          t[x] += kernel[k] * pad[x + k];
      for (x = 0; x < w; x++)
        v[(gsize) y * w + x] = (float) t[x];
    }
  for (y = 0; y < h; y++)
    {
      memset (t, 0, sizeof (double) * w);
      for (k = -r; k <= r; k++)
        {
          const float *restrict row = v + (gsize) CLAMP (y + k, 0, h - 1) * w;

          for (x = 0; x < w; x++)
            t[x] += kernel[k + r] * row[x];
        }
      for (x = 0; x < w; x++)
        out[(gsize) y * w + x] = (float) t[x];
    }
  memcpy (v, out, sizeof (float) * w * h);
  g_free (kernel);
  g_free (t);
  g_free (pad);
  g_free (out);
}

/* The viewing-distance contrast: mean L* over the scar minus mean L* over
 * the ring 3-8 mm from it, after a blur of BLUR_MM. */
static double
viewing_contrast (GeglBuffer *buffer, const Strip *st, const float *signed_mm)
{
  gsize  n = (gsize) st->w * st->h;
  float *y = g_new (float, n);
  double scar = 0, ring = 0;
  long   ns = 0, nr = 0;
  int    edge = (int) (LOOK_EDGE_MM * st->px_per_mm), i, j;

  gegl_buffer_get (buffer, NULL, 1.0, babl_format ("Y float"), y, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gauss_blur (y, st->w, st->h, BLUR_MM * st->px_per_mm);
  for (j = 0; j < st->h; j++)
    for (i = edge; i < st->w - edge; i++)
      {
        gsize  k = (gsize) j * st->w + i;
        double d = signed_mm[k];

        if (d < 0)
          {
            scar += l_of_y (y[k]);
            ns++;
          }
        else if (d >= 3.0 && d < 8.0)
          {
            ring += l_of_y (y[k]);
            nr++;
          }
      }
  g_free (y);
  return scar / ns - ring / nr;
}

/* Mean linear Y of @after over @before's where @signed_mm is in [lo, hi),
 * away from the image's ends. */
static double
band_tone (GeglBuffer *before, GeglBuffer *after, const Strip *st, const float *signed_mm,
           double lo, double hi)
{
  gsize  n = (gsize) st->w * st->h;
  float *a = g_new (float, n), *b = g_new (float, n);
  double sa = 0, sb = 0;
  int    edge = (int) (LOOK_EDGE_MM * st->px_per_mm), i, j;

  gegl_buffer_get (before, NULL, 1.0, babl_format ("Y float"), a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  gegl_buffer_get (after, NULL, 1.0, babl_format ("Y float"), b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (j = 0; j < st->h; j++)
    for (i = edge; i < st->w - edge; i++)
      {
        gsize k = (gsize) j * st->w + i;

        if (signed_mm[k] >= lo && signed_mm[k] < hi)
          {
            sa += a[k];
            sb += b[k];
          }
      }
  g_free (a);
  g_free (b);
  return sb / sa;
}

/* e. Strip scars 5-12 L* lighter and 1-3 mm wide in skin treated with
 * the default look, on medium and light skin: the op at its defaults
 * lowers the scar's viewing-distance contrast by half or more. */
static void
test_look_contrast (void)
{
  static const char  *skins[] = { SKIN, LIGHT_SKIN };
  static const double lifts[] = { 5.0, 8.0, 12.0 }, halves[] = { 0.5, 1.0, 1.5 };
  guint               a, b, c, k = 0;
  double              worst = 1.0;

  for (a = 0; a < G_N_ELEMENTS (skins); a++)
    for (b = 0; b < G_N_ELEMENTS (lifts); b++)
      for (c = 0; c < G_N_ELEMENTS (halves); c++, k++)
        {
          Strip      st = { &curves[k % N_IMAGES], halves[c], PX_PER_MM, W, H };
          LookScene  scene = look_scene (&st, skins[a], lifts[b], 700 + k);
          GeglBuffer *out = conceal_default (scene.photo, scene.scar, PX_PER_MM, 20 + k);
          double     before = viewing_contrast (scene.photo, &st, scene.signed_mm);
          double     after = viewing_contrast (out, &st, scene.signed_mm);

          g_test_message ("%s, scar %.0f L* lighter, %.0f mm wide: contrast %.2f L* before, "
                          "%.2f after (falls by %.0f %%)", skins[a], lifts[b], 2 * halves[c],
                          before, after, 100 * (1 - after / before));
          worst = fmin (worst, 1 - fabs (after) / before);
          /* lower by half, and not past the ring's tone by as much */
          g_assert_cmpfloat (fabs (after), <=, 0.5 * before);
          g_object_unref (out);
          free_look_scene (&scene);
        }
  g_test_message ("the smallest fall: %.0f %%", 100 * worst);
}

/* Impressions: local maxima of the darkening @d (w×h) above @floor, one
 * in any 0.25 mm, counted where @signed_mm lies in [lo, hi) away from
 * the image's ends; the area in @area (mm²). */
static long
impressions (const float *d, const float *signed_mm, int w, int h, double px_per_mm,
             double lo, double hi, double floor, double *area)
{
  int  r = MAX (1, (int) lround (0.125 * px_per_mm)), edge = (int) (LOOK_EDGE_MM * px_per_mm);
  long n = 0, pixels = 0;
  int  x, y, i, j;

  for (y = r; y < h - r; y++)
    for (x = edge; x < w - edge; x++)
      {
        gsize  k = (gsize) y * w + x;
        float  v = d[k];
        gboolean peak = signed_mm[k] >= lo && signed_mm[k] < hi;

        pixels += peak;
        peak = peak && v > floor;
        for (j = -r; peak && j <= r; j++)
          for (i = -r; i <= r; i++)
            {
              float u = d[(gsize) (y + j) * w + x + i];

              /* one winner on a plateau: strict before, at least after */
              if ((j < 0 || (j == 0 && i < 0)) ? u >= v : u > v)
                {
                  peak = FALSE;
                  break;
                }
            }
        n += peak;
      }
  *area = pixels / (px_per_mm * px_per_mm);
  return n;
}

static gint
compare_descending (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

/* The share of the light lost over the pixels where @signed_mm < 0 that
 * the 10 % of them that lost the most carry. */
static double
concentration_in (GeglBuffer *before, GeglBuffer *after, const float *signed_mm, int w, int h,
                  double px_per_mm)
{
  gfloat *d = smp_test_darkening (before, after);
  GArray *lost = g_array_new (FALSE, FALSE, sizeof (float));
  int     edge = (int) (LOOK_EDGE_MM * px_per_mm), x, y;
  double  total = 0, top = 0;
  guint   i;

  for (y = 0; y < h; y++)
    for (x = edge; x < w - edge; x++)
      if (signed_mm[(gsize) y * w + x] < 0)
        {
          float v = MAX (d[(gsize) y * w + x], 0.0f);

          g_array_append_val (lost, v);
          total += v;
        }
  g_array_sort (lost, compare_descending);
  for (i = 0; i < lost->len / 10; i++)
    top += g_array_index (lost, float, i);
  g_array_unref (lost);
  g_free (d);
  return top / total;
}

/* e. Up close the built-up scar is still dots: at 20 px/mm the 10 % most
 * darkened of its pixels carry a third or more of the light it lost, and
 * it holds between 0.9 and 2 times the ring's impressions per cm², for
 * scars of the skin's own tone and 5 and 12 L* lighter. */
static void
test_look_dots (void)
{
  static const double lifts[] = { 0.0, 5.0, 12.0 };
  const double        ppm = 20.0;
  const int           w = 1600, h = 500;
  guint               b;
  int                 k;

  for (b = 0; b < G_N_ELEMENTS (lifts); b++)
    {
      long   ring = 0, fill = 0;
      double ring_area = 0, fill_area = 0, conc = 0, area;

      for (k = 0; k < 2; k++)
        {
          Strip       st = { &curves[k], 1.0, ppm, w, h };
          LookScene   scene = look_scene (&st, SKIN, lifts[b], 800 + 10 * b + k);
          GeglBuffer *out = conceal_default (scene.photo, scene.scar, ppm, 30 + k);
          gfloat     *stubble = smp_test_darkening (scene.skin, scene.photo);
          gfloat     *added = smp_test_darkening (scene.photo, out);

          ring += impressions (stubble, scene.signed_mm, w, h, ppm, 0.5, 4.0, 0.2, &area);
          ring_area += area;
          fill += impressions (added, scene.signed_mm, w, h, ppm, -10.0, 0.0, 0.2, &area);
          fill_area += area;
          conc += concentration_in (scene.photo, out, scene.signed_mm, w, h, ppm) / 2;
          g_free (stubble);
          g_free (added);
          g_object_unref (out);
          free_look_scene (&scene);
        }
      g_test_message ("scar %.0f L* lighter, 2 mm wide, at 20 px/mm: concentration %.3f; "
                      "%.1f impressions/cm² in it against the ring's %.1f (%.2f ×)", lifts[b],
                      conc, 100 * fill / fill_area, 100 * ring / ring_area,
                      (fill / fill_area) / (ring / ring_area));
      g_assert_cmpfloat (conc, >=, 0.35);
      g_assert_cmpfloat ((fill / fill_area) / (ring / ring_area), >=, 0.9);
      g_assert_cmpfloat ((fill / fill_area) / (ring / ring_area), <=, 2.0);
    }
}

/* Short-clipped stubble, as on the back of a head a few days after the
 * clipper: follicles at @density per cm² (uniformly random, none on the
 * scar, where @cover is above 0), each a dark hair shaft 0.07 mm wide and
 * 0.3-0.9 mm long lying roughly downwards, with its paler continuation
 * under the skin: a wider, fainter streak running back from where the
 * hair leaves the skin.  Drawn as absorption in linear light. */
static void
draw_streak (float *absorb, int w, int h, double ppm, double x0, double y0, double angle,
             double length_mm, double width_mm, double strength)
{
  double dx = cos (angle) * length_mm * ppm, dy = sin (angle) * length_mm * ppm;
  double half = 0.5 * width_mm * ppm, len2 = dx * dx + dy * dy;
  int    xa = (int) floor (MIN (x0, x0 + dx) - half - 1), xb = (int) ceil (MAX (x0, x0 + dx) + half + 1);
  int    ya = (int) floor (MIN (y0, y0 + dy) - half - 1), yb = (int) ceil (MAX (y0, y0 + dy) + half + 1);
  int    x, y;

  for (y = MAX (ya, 0); y <= MIN (yb, h - 1); y++)
    for (x = MAX (xa, 0); x <= MIN (xb, w - 1); x++)
      {
        double px = x + 0.5 - x0, py = y + 0.5 - y0;
        double t = CLAMP ((px * dx + py * dy) / len2, 0.0, 1.0);
        double d = hypot (px - t * dx, py - t * dy);
        /* a pixel's share of a line thinner than a pixel is its width */
        double cov = CLAMP (MIN (half + 0.5 - d, 2 * half), 0.0, 1.0);
        gsize  k = (gsize) y * w + x;

        absorb[k] = (float) (1.0 - (1.0 - absorb[k]) * (1.0 - cov * strength));
      }
}

static GeglBuffer *
clipped_stubble (GeglBuffer *skin, const float *cover, int w, int h, double ppm,
                 double density, guint32 seed)
{
  gsize       n = (gsize) w * h, i;
  float      *px = g_new (float, n * 4), *absorb = g_new0 (float, n);
  GRand      *rand = g_rand_new_with_seed (seed);
  long        hairs = lround (density / 100.0 * n / (ppm * ppm)), k;
  GeglBuffer *out = gegl_buffer_new (GEGL_RECTANGLE (0, 0, w, h), babl_format ("RGBA float"));
  int         c;

  for (k = 0; k < hairs; k++)
    {
      double x = g_rand_double_range (rand, 0, w), y = g_rand_double_range (rand, 0, h);
      double angle = M_PI / 2 + g_rand_double_range (rand, -0.5, 0.5);
      double length = g_rand_double_range (rand, 0.3, 0.9), dark = g_rand_double_range (rand, 0.75, 0.9);
      double under = g_rand_double_range (rand, 0.6, 1.0), pale = g_rand_double_range (rand, 0.15, 0.3);

      if (cover[(gsize) y * w + (gsize) x] > 0.0f)
        continue;
      draw_streak (absorb, w, h, ppm, x, y, angle + M_PI, under, 0.12, pale);
      draw_streak (absorb, w, h, ppm, x, y, angle, length, 0.07, dark);
    }
  g_rand_free (rand);
  gegl_buffer_get (skin, NULL, 1.0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (i = 0; i < n; i++)
    for (c = 0; c < 3; c++)
      px[i * 4 + c] *= 1.0f - absorb[i];
  gegl_buffer_set (out, NULL, 0, babl_format ("RGBA float"), px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
  g_free (absorb);
  return out;
}

/* e. An FUT strip scar in a short-clipped head: the ring is real stubble
 * (clipped hair shafts, 100-200/cm²), not round dots.  The op reads its
 * look (its tone at a distance), and the scar's viewing-distance contrast
 * falls by half or more. */
static void
test_stubble_look (void)
{
  static const struct { double width, lift, density; const char *skin; } cases[] =
  {
    { 1.0, 12.0, 100.0, LIGHT_SKIN }, { 2.0, 8.0, 150.0, LIGHT_SKIN },
    { 3.0, 5.0, 200.0, LIGHT_SKIN },  { 2.0, 12.0, 200.0, SKIN },
    { 3.0, 12.0, 120.0, LIGHT_SKIN }, { 1.0, 5.0, 150.0, SKIN },
  };
  guint k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      Strip       st = { &curves[k % N_IMAGES], cases[k].width / 2, PX_PER_MM, W, H };
      LookScene   scene;
      GeglBuffer *out;
      double      before, after;

      look_scene_base (&scene, &st, cases[k].skin, cases[k].lift, 1100 + k);
      scene.photo = clipped_stubble (scene.skin, scene.cover, W, H, PX_PER_MM, cases[k].density,
                                     1200 + k);
      out = conceal_default (scene.photo, scene.scar, PX_PER_MM, 40 + k);
      before = viewing_contrast (scene.photo, &st, scene.signed_mm);
      after = viewing_contrast (out, &st, scene.signed_mm);
      g_test_message ("%s, stubble %.0f/cm², scar %.0f L* lighter, %.0f mm wide: contrast "
                      "%.2f L* before, %.2f after (falls by %.0f %%); the scar keeps %.3f of "
                      "its light, the ring 3-8 mm out %.3f of its skin's", cases[k].skin,
                      cases[k].density, cases[k].lift, cases[k].width, before, after,
                      100 * (1 - after / before),
                      band_tone (scene.photo, out, &st, scene.signed_mm, -10, 0),
                      band_tone (scene.skin, scene.photo, &st, scene.signed_mm, 3, 8));
      g_assert_cmpfloat (fabs (after), <=, 0.5 * before);
      g_object_unref (out);
      free_look_scene (&scene);
    }
}

/* The dots smp:stipple placed at @density with @seed (the layout
 * defaults of the tests' stubble) whose centre lies where @signed_mm is
 * in [lo, hi), thinned as the stubble's mask (1 - @cover) thins them. */
static long
placed_dots (double density, guint32 seed, const float *cover, const float *signed_mm,
             double lo, double hi, double *area)
{
  SmpLayoutParams p = { density, 0.5, 0.3, 0.15, 0.25, 0.15, seed };
  SmpLayout       layout;
  SmpDotArray     dots = { 0 };
  long            n = 0, pixels = 0;
  gsize           i;

  smp_layout_init (&layout, &p);
  smp_layout_collect (&layout, &(SmpBoxMm) { 0, 0, W / PX_PER_MM, H / PX_PER_MM }, density, &dots);
  for (i = 0; i < dots.n; i++)
    {
      int   x = (int) floor (dots.dots[i].x_mm * PX_PER_MM), y = (int) floor (dots.dots[i].y_mm * PX_PER_MM);
      gsize k = (gsize) y * W + x;

      if (x < W && y < H && dots.dots[i].appears_at < density * (1.0 - cover[k])
          && signed_mm[k] >= lo && signed_mm[k] < hi)
        n++;
    }
  for (i = 0; i < (gsize) W * H; i++)
    pixels += signed_mm[i] >= lo && signed_mm[i] < hi;
  smp_dot_array_free (&dots);
  *area = pixels / (PX_PER_MM * PX_PER_MM);
  return n;
}

/* e. The ring's count finds faint stubble (70/cm², dots of opacity
 * 0.6-0.9) within ±5 % of the density placed there, in each image; and
 * the same for skin treated with the default look. */
static void
test_ring_count (void)
{
  int k;

  for (k = 0; k < N_IMAGES; k++)
    {
      Scalp         s = make_scalp (k, 70.0, TRUE, "RGBA float");
      float        *cover = strip_cover (&curves[k], 0.0);
      SmpScarStats  st = engine_stats (s.photo, s.scar, 90.0);
      double        area, placed = placed_dots (70.0, 900 + k, cover, s.signed_mm, 0.0, RING_MM, &area);

      g_test_message ("faint stubble, image %d: %.0f dots placed in the ring, %.1f/cm²; "
                      "the op reads %.1f/cm² (%+.1f %%; noise %.4f, streaks %.2f)", k, placed,
                      100 * placed / area, st.density_per_cm2,
                      100 * (st.density_per_cm2 / (100 * placed / area) - 1), st.noise, st.ring_streaks);
      g_assert_cmpfloat (fabs (st.density_per_cm2 / (100 * placed / area) - 1), <=, 0.05);
      g_free (cover);
      free_scalp (&s);
    }
  for (k = 0; k < N_IMAGES; k++)
    {
      Strip         strip = { &curves[k], SCAR_MM / 2, PX_PER_MM, W, H };
      LookScene     scene = look_scene (&strip, SKIN, 10.0, 1300 + k);
      SmpScarStats  st = engine_stats (scene.photo, scene.scar, 90.0);
      double        area, placed = placed_dots (90.0, 1300 + k + 7, scene.cover, scene.signed_mm,
                                                0.0, RING_MM, &area);

      g_test_message ("the default look, image %d: %.0f dots placed in the ring, %.1f/cm²; "
                      "the op reads %.1f/cm² (%+.1f %%; noise %.4f, streaks %.2f)", k, placed,
                      100 * placed / area, st.density_per_cm2,
                      100 * (st.density_per_cm2 / (100 * placed / area) - 1), st.noise, st.ring_streaks);
      g_assert_cmpfloat (fabs (st.density_per_cm2 / (100 * placed / area) - 1), <=, 0.05);
      free_look_scene (&scene);
    }
}

/* b and e, loose masks with the build-up: users select a scar loosely, so
 * masks 0.2 to 3 mm wider than the scar all round must give what the
 * close selection gives.  With the default look a lighter scar is built
 * up, so the density profile no longer tells (the scar holds more
 * impressions than the ring); its look does: in every band across the
 * scar's edge the tone the op leaves (Y after over before) is the close
 * mask's within 15 % of the darkening there (at least of the look's
 * shade, 0.12), and on the stubble beside the scar nothing is added:
 * the tone stays within 15 % of the look's shade of the photo's. */
static void
test_look_loose_mask (void)
{
  static const double grows[] = { 0.0, 0.2, 0.5, 1.0, 3.0 };
  enum { NB = 8 };
  static const double edges[NB + 1] = { -1.25, -0.6, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0 };
  double tone[G_N_ELEMENTS (grows)][NB] = { { 0 } };
  int    k, b;
  guint  g;

  for (k = 0; k < N_IMAGES; k++)
    {
      Strip     st = { &curves[k], SCAR_MM / 2, PX_PER_MM, W, H };
      LookScene scene = look_scene (&st, SKIN, 10.0, 1400 + k);

      for (g = 0; g < G_N_ELEMENTS (grows); g++)
        {
          float      *loose = strip_cover (&curves[k], grows[g]);
          GeglBuffer *mask = mask_buffer (loose, W, H);
          GeglBuffer *out = conceal_default (scene.photo, mask, PX_PER_MM, 50 + k);

          for (b = 0; b < NB; b++)
            tone[g][b] += band_tone (scene.photo, out, &st, scene.signed_mm, edges[b],
                                     edges[b + 1]) / N_IMAGES;
          g_object_unref (out);
          g_object_unref (mask);
          g_free (loose);
        }
      free_look_scene (&scene);
    }
  for (g = 0; g < G_N_ELEMENTS (grows); g++)
    {
      GString *line = g_string_new (NULL);
      double   worst = 0;

      for (b = 0; b < NB; b++)
        {
          double allowed = 0.15 * fmax (1.0 - tone[0][b], 0.12);

          g_string_append_printf (line, " %.3f", tone[g][b]);
          worst = fmax (worst, fabs (tone[g][b] - tone[0][b]) / allowed);
          if (edges[b] >= 0.5)
            g_assert_cmpfloat (fabs (tone[g][b] - 1.0), <=, 0.15 * 0.12);
        }
      g_test_message ("mask %.1f mm wider: Y after ÷ before in bands -1.25 -0.6 0 0.5 1 1.5 2 "
                      "3 4 mm:%s (worst %.2f of the allowance)", grows[g], line->str, worst);
      g_string_free (line, TRUE);
      g_assert_cmpfloat (worst, <=, 1.0);
    }
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_assert_true (gegl_has_operation ("smp:scar-conceal"));
  g_test_add_func ("/scar/density", test_density);
  g_test_add_func ("/scar/seam", test_seam);
  g_test_add_func ("/scar/loose-mask", test_loose_mask);
  g_test_add_func ("/scar/shine", test_shine);
  g_test_add_func ("/scar/shading", test_shading);
  g_test_add_func ("/scar/photo-cue", test_photo_cue);
  g_test_add_func ("/scar/texture", test_texture);
  g_test_add_func ("/scar/fue", test_fue);
  g_test_add_func ("/scar/fue-loose", test_fue_loose);
  g_test_add_func ("/scar/bald", test_bald);
  g_test_add_func ("/scar/untouched", test_untouched);
  g_test_add_func ("/scar/deterministic", test_deterministic);
  g_test_add_func ("/scar/preview-levels", test_preview_levels);
  g_test_add_func ("/scar/preview-measure", test_preview_measure);
  g_test_add_func ("/scar/look-contrast", test_look_contrast);
  g_test_add_func ("/scar/look-dots", test_look_dots);
  g_test_add_func ("/scar/stubble-look", test_stubble_look);
  g_test_add_func ("/scar/ring-count", test_ring_count);
  g_test_add_func ("/scar/look-loose-mask", test_look_loose_mask);
  return g_test_run ();
}
