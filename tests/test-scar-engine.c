/* gimp-smp: the scar engine (ops/engine/smp-scar.c and its stages,
 * smp-scar-stages.h) called directly, on scalps made here in plain C.
 *
 * stage-*: each stage of the measurement on a scalp whose scar, dots and
 * streaks are known: telling scar from skin, finding the existing dots,
 * measuring the ring, building the fields, blending the tone.
 *
 * work-scales: the measurement and the tone blend cost the same per pixel
 * whatever the image's size, its scale and the blend's width (issue 13,
 * "the tone blend's cost grows no faster than the area").  Measured as
 * the engine's own count of pixel visits, not as time: before, finding
 * the dots summed windows of 0.2 and 0.4 mm around every pixel (5,314
 * visits a pixel at 160 px/mm), and the op's tone blend read a 0.5 mm
 * margin around every tile it rendered. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "smp-random.h"
#include "smp-scar-stages.h"

static const double luminance[3] = { 0.2126, 0.7152, 0.0722 };
static const double skin_rgb[3] = { 0.52, 0.25, 0.12 };

/* Uniform 0..1 keyed on two integers and a seed. */
static double
uniform (long a, long b, guint32 seed)
{
  return smp_uniform (smp_key (seed, 0, a, b, 0), 0);
}

/* What a scalp holds: a straight scar across the middle, its mask, and
 * dots on a jittered grid beside it (none within 3 deviations of it). */
typedef struct
{
  double px_per_mm;
  double scar_mm;       /* the scar's width */
  double lift;          /* its tone: 0.12 is 12 % lighter than the skin */
  double mask_grow_mm;  /* how far the mask reaches beyond the scar */
  double density;       /* dots per cm² */
  double streak_share;  /* how many of them are streaks (clipped hair) */
} Scene;

typedef struct
{
  double x, y;          /* px */
  int    streak;
} Placed;

typedef struct
{
  int     w, h;
  Scene   scene;
  float  *rgb;          /* linear RGB */
  float  *mask;         /* the scar's mask, 0..1 */
  float  *cover;        /* the scar itself, 0..1 */
  GArray *dots;         /* Placed */
} Scalp;

static Scene
scene_at (double px_per_mm)
{
  Scene scene = { px_per_mm, 1.5, 0.12, 0.0, 120.0, 0.0 };

  return scene;
}

/* The scar's coverage of pixel row @y, grown by @grow_mm. */
static double
scar_cover (const Scalp *s,
            int          y,
            double       grow_mm)
{
  double half = (0.5 * s->scene.scar_mm + grow_mm) * s->scene.px_per_mm;

  return CLAMP (half - fabs (y + 0.5 - s->h / 2.0) + 0.5, 0.0, 1.0);
}

/* Darkens @s by a dot at (cx, cy): round, of deviation 0.075 mm, or a
 * streak 0.12 by 0.03 mm at @angle; either takes up to 60 % of the light
 * at its centre. */
static void
draw_dot (Scalp *s,
          double cx,
          double cy,
          int    streak,
          double angle)
{
  double ppm = s->scene.px_per_mm;
  double along = (streak ? 0.12 : 0.075) * ppm, across = (streak ? 0.03 : 0.075) * ppm;
  int    r = (int) ceil (3 * along), x, y, c;

  for (y = MAX ((int) cy - r, 0); y <= MIN ((int) cy + r, s->h - 1); y++)
    for (x = MAX ((int) cx - r, 0); x <= MIN ((int) cx + r, s->w - 1); x++)
      {
        double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
        double u = dx * cos (angle) + dy * sin (angle), v = -dx * sin (angle) + dy * cos (angle);
        double keep = 1.0 - 0.6 * exp (-0.5 * (u * u / (along * along) + v * v / (across * across)));

        for (c = 0; c < 3; c++)
          s->rgb[3 * ((gsize) y * s->w + x) + c] *= (float) keep;
      }
}

static Scalp
make_scalp (int          w,
            int          h,
            const Scene *scene,
            guint32      seed)
{
  Scalp  s = { w, h, *scene, g_new (float, (gsize) w * h * 3), g_new (float, (gsize) w * h),
               g_new (float, (gsize) w * h), g_array_new (FALSE, FALSE, sizeof (Placed)) };
  double ppm = scene->px_per_mm, spacing = 10.0 / sqrt (scene->density) * ppm;
  double clear = 0.5 * scene->scar_mm * ppm + 3 * 0.12 * ppm;
  int    x, y, c, i, j;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        gsize  k = (gsize) y * w + x;
        double grain = 1.0 + 0.03 * (uniform (x, y, seed) - 0.5);

        s.cover[k] = (float) scar_cover (&s, y, 0.0);
        s.mask[k] = (float) scar_cover (&s, y, scene->mask_grow_mm);
        for (c = 0; c < 3; c++)
          s.rgb[3 * k + c] = (float) (skin_rgb[c] * grain * (1.0 + scene->lift * s.cover[k]));
      }
  for (j = 0; j < h / spacing; j++)
    for (i = 0; i < w / spacing; i++)
      {
        Placed dot = { (i + 0.25 + 0.5 * uniform (i, j, seed + 1)) * spacing,
                       (j + 0.25 + 0.5 * uniform (i, j, seed + 2)) * spacing,
                       uniform (i, j, seed + 3) < scene->streak_share };

        if (fabs (dot.y - h / 2.0) < clear || dot.x < 3 || dot.y < 3 || dot.x > w - 3 || dot.y > h - 3)
          continue;
        draw_dot (&s, dot.x, dot.y, dot.streak, M_PI * uniform (i, j, seed + 4));
        g_array_append_val (s.dots, dot);
      }
  return s;
}

static void
free_scalp (Scalp *s)
{
  g_free (s->rgb);
  g_free (s->mask);
  g_free (s->cover);
  g_array_unref (s->dots);
}

/* Linear Y of linear RGB. */
static double
y_of (const double rgb[3])
{
  return luminance[0] * rgb[0] + luminance[1] * rgb[1] + luminance[2] * rgb[2];
}

/* Distance (mm) of pixel row @y from the scar's edge, positive outside. */
static double
out_of_scar_mm (const Scalp *s,
                int          y)
{
  return (fabs (y + 0.5 - s->h / 2.0) - 0.5 * s->scene.scar_mm * s->scene.px_per_mm)
         / s->scene.px_per_mm;
}

static SmpScarParams
params_at (double px_per_mm,
           double blend_width_mm)
{
  SmpScarParams p;

  memset (&p, 0, sizeof p);
  p.px_per_mm = px_per_mm;
  p.sample_width_mm = 4.0;
  p.blend_width_mm = blend_width_mm;
  p.match_surroundings = 1;
  p.density_per_cm2 = 90.0;
  p.dot_diameter_mm = 0.15;
  p.darkness = 0.7;
  p.softness_mm = 0.03;
  p.pigment_luminance = 0.05;
  p.uptake = 0.85;
  p.tone_blend = 1.0;
  return p;
}

/* The stages run by hand, as smp_scar_new runs them, up to @last:
 * 1 telling scar from skin, 2 finding the dots, 3 measuring the ring,
 * 4 building the fields (with the extent), 5 blending the tone. */
typedef struct
{
  SmpScar *scar;
  float   *luma, *dark;
  uint8_t *inside, *skip, *side;
} Staged;

static Staged
run_stages (const Scalp         *s,
            const SmpScarParams *p,
            int                  last)
{
  gsize  n = (gsize) s->w * s->h, i;
  Staged st = { NULL, g_new (float, n), g_new0 (float, n), g_new0 (guint8, n), g_new0 (guint8, n),
                g_new0 (guint8, n) };

  st.scar = smp_scar_start (p, s->mask, &(SmpRect) { 0, 0, s->w, s->h }, st.inside);
  for (i = 0; i < n; i++)
    st.luma[i] = (float) (luminance[0] * s->rgb[3 * i] + luminance[1] * s->rgb[3 * i + 1]
                          + luminance[2] * s->rgb[3 * i + 2]);
  if (last >= 1)
    smp_scar_tell_scar (st.scar, st.luma, st.inside, st.dark, st.skip, st.side);
  if (last >= 2)
    smp_scar_read_dots (st.scar, st.luma, st.dark, st.inside);
  if (last >= 3)
    {
      smp_scar_sum_ring (st.scar, s->rgb, st.luma, st.inside, st.skip);
      smp_scar_measure_ring (st.scar, luminance);
    }
  if (last >= 4)
    {
      smp_scar_evidence_maps (st.scar, st.inside);
      smp_scar_mark_evidence (st.scar);
      smp_scar_find_extent (st.scar, st.inside);
    }
  if (last >= 5)
    smp_scar_measure_tone (st.scar, s->rgb, st.inside);
  return st;
}

static void
free_staged (Staged *st)
{
  smp_scar_free (st->scar);
  g_free (st->luma);
  g_free (st->dark);
  g_free (st->inside);
  g_free (st->skip);
  g_free (st->side);
}

/* Telling scar from skin: in a mask 1 mm wider than the scar on each
 * side, the scar told by its tone covers the scar (intersection over
 * union at least 0.9) with its lift read within 0.03 of 12 %, and every
 * placed dot's centre is left out of the skin's tone; a scar no lighter
 * than the skin is not told. */
static void
test_stage_skin (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams p = params_at (20.0, 2.0);
  int           lift;

  scene.mask_grow_mm = 1.0;
  for (lift = 0; lift < 2; lift++)
    {
      Scalp  s;
      Staged st;
      long   both = 0, either = 0, skipped = 0;
      gsize  i;

      scene.lift = lift ? 0.12 : 0.0;
      s = make_scalp (400, 300, &scene, 11);
      st = run_stages (&s, &p, 1);
      if (! lift)
        {
          g_test_message ("a scar as dark as the skin: %s", st.scar->scar_skin ? "told" : "not told");
          g_assert_null (st.scar->scar_skin);
        }
      else
        {
          g_assert_nonnull (st.scar->scar_skin);
          for (i = 0; i < (gsize) s.w * s.h; i++)
            {
              int scar = s.cover[i] >= 0.5f;

              both += scar && st.scar->scar_skin[i];
              either += scar || st.scar->scar_skin[i];
            }
          for (i = 0; i < s.dots->len; i++)
            {
              const Placed *d = &g_array_index (s.dots, Placed, i);

              skipped += st.skip[(gsize) (int) d->y * s.w + (int) d->x];
            }
          g_test_message ("told scar: intersection over union %.3f, lift %+.3f, noise %.4f; "
                          "%ld of %u dot centres left out of the skin's tone",
                          (double) both / either, st.scar->stats.scar_lift, st.scar->stats.noise,
                          skipped, s.dots->len);
          g_assert_cmpfloat ((double) both / either, >=, 0.9);
          g_assert_cmpfloat (fabs (st.scar->stats.scar_lift - 0.12), <=, 0.03);
          g_assert_cmpint (skipped, ==, s.dots->len);
        }
      free_staged (&st);
      free_scalp (&s);
    }
}

/* Finding the existing dots: every dot placed (round, and streaks of
 * clipped hair) is found within 1 px of where it is, nothing else is,
 * and the streaks, and only they, are marked as such. */
static void
test_stage_dots (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams p = params_at (20.0, 2.0);
  Scalp         s;
  Staged        st;
  guint         i;
  gsize         k;
  int           found = 0, wrong_shape = 0;

  scene.streak_share = 0.3;
  s = make_scalp (400, 300, &scene, 12);
  st = run_stages (&s, &p, 2);
  for (i = 0; i < s.dots->len; i++)
    {
      const Placed *d = &g_array_index (s.dots, Placed, i);

      for (k = 0; k < st.scar->n_dots; k++)
        {
          const SmpFoundDot *f = &st.scar->dots[k];

          if (hypot (f->x - d->x, f->y - d->y) <= 1.0)
            {
              found++;
              wrong_shape += f->streak != d->streak;
              g_assert_cmpfloat (f->mass, >, 0.0);
              break;
            }
        }
    }
  g_test_message ("%u dots placed (a third of them streaks): %d found within 1 px, "
                  "%zu found in all, %d of the wrong shape",
                  s.dots->len, found, st.scar->n_dots, wrong_shape);
  g_assert_cmpint (found, ==, s.dots->len);
  g_assert_cmpuint (st.scar->n_dots, ==, s.dots->len);
  g_assert_cmpint (wrong_shape, ==, 0);
  g_assert_cmpint (st.scar->stats.existing_dots, ==, s.dots->len);
  free_staged (&st);
  free_scalp (&s);
}

/* Measuring the ring: at 60 and 120 dots per cm², the dots placed in the
 * ring (outside the mask, within the sample width of it) are counted
 * within 2 %, and the density matched is theirs; the ring's mean is
 * darker than its skin between them. */
static void
test_stage_ring (void)
{
  static const double densities[] = { 60.0, 120.0 };
  gsize               k;

  for (k = 0; k < G_N_ELEMENTS (densities); k++)
    {
      Scene         scene = scene_at (20.0);
      SmpScarParams p = params_at (20.0, 2.0);
      Scalp         s;
      Staged        st;
      double        ring_y, skin_y;
      long          placed = 0;
      guint         i;

      scene.density = densities[k];
      s = make_scalp (600, 400, &scene, 13 + k);
      st = run_stages (&s, &p, 3);
      for (i = 0; i < s.dots->len; i++)
        {
          const Placed *d = &g_array_index (s.dots, Placed, i);

          placed += out_of_scar_mm (&s, (int) d->y) <= p.sample_width_mm;
        }
      ring_y = y_of (st.scar->stats.ring_mean);
      skin_y = y_of (st.scar->stats.ring_tone);
      g_test_message ("%.0f/cm² placed: %ld dots in the ring, %ld found in %.1f mm² of it, "
                      "%.1f/cm² matched, dots %.3f mm at darkness %.2f; ring %.4f, its skin %.4f",
                      densities[k], placed, st.scar->stats.ring_dots, st.scar->stats.ring_area_mm2,
                      st.scar->stats.density_per_cm2, st.scar->stats.dot_diameter_mm,
                      st.scar->stats.darkness, ring_y, skin_y);
      g_assert_true (st.scar->stats.from_ring);
      g_assert_cmpfloat (fabs ((double) st.scar->stats.ring_dots / placed - 1.0), <=, 0.02);
      g_assert_cmpfloat (st.scar->stats.density_per_cm2, ==,
                         100.0 * st.scar->stats.ring_dots / st.scar->stats.ring_area_mm2);
      g_assert_cmpfloat (ring_y, <, skin_y);
      free_staged (&st);
      free_scalp (&s);
    }
}

/* Building the fields: on the scar, away from the dots beside it, all of
 * the density is needed; on the skin within half a spacing of a dot
 * none; beyond the blend width none at all; and a dot's strength stays
 * within 0..1. */
static void
test_stage_fields (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams p = params_at (20.0, 2.0);
  Scalp         s = make_scalp (400, 300, &scene, 14);
  Staged        st = run_stages (&s, &p, 4);
  gsize         n = (gsize) s.w * s.h, i;
  float        *need = g_new (float, n), *strength = g_new (float, n);
  long          scar = 0, scar_needed = 0, near = 0, near_needed = 0, far_needed = 0;
  double        half_spacing = 0.5 * 10.0 / sqrt (scene.density) * scene.px_per_mm;
  int           x, y;

  smp_scar_fields (st.scar, 0, p.uptake, &(SmpRect) { 0, 0, s.w, s.h }, need, strength);
  for (y = 0; y < s.h; y++)
    for (x = 0; x < s.w; x++)
      {
        gsize  k = (gsize) y * s.w + x;
        double out_mm = out_of_scar_mm (&s, y);
        double nearest = INFINITY;

        g_assert_cmpfloat (strength[k], >, 0.0f);
        g_assert_cmpfloat (strength[k], <=, 1.0f);
        for (i = 0; i < s.dots->len; i++)
          {
            const Placed *d = &g_array_index (s.dots, Placed, i);

            nearest = fmin (nearest, hypot (x + 0.5 - d->x, y + 0.5 - d->y));
          }
        if (out_mm < -0.25 && nearest > half_spacing)
          {
            scar++;
            scar_needed += need[k] == 1.0f;
          }
        if (out_mm > 0.25 && nearest < half_spacing)
          {
            near++;
            near_needed += need[k] > 0.0f;
          }
        if (out_mm > p.blend_width_mm + 0.1)
          far_needed += need[k] > 0.0f;
      }
  g_test_message ("all the density needed on %ld of %ld scar pixels; some on %ld of %ld skin "
                  "pixels within half a spacing of a dot; some on %ld beyond the blend width",
                  scar_needed, scar, near_needed, near, far_needed);
  g_assert_cmpint (scar_needed, ==, scar);
  g_assert_cmpint (near_needed, ==, 0);
  g_assert_cmpint (far_needed, ==, 0);
  g_free (need);
  g_free (strength);
  free_staged (&st);
  free_scalp (&s);
}

/* Blending the tone: at tone-blend 1 the scar's skin between its dots
 * ends within 1 % of the ring's skin (it was 12 % lighter), its grain
 * kept (the gain varies by under 0.5 % across it), and nothing beyond
 * the blend width changes. */
static void
test_stage_tone (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams p = params_at (20.0, 2.0);
  Scalp         s = make_scalp (400, 300, &scene, 15);
  Staged        st = run_stages (&s, &p, 5);
  gsize         n = (gsize) s.w * s.h, i;
  float        *rgba = g_new (float, n * 4);
  guint8       *changed = g_malloc (n);
  double        ring_y, sum = 0, gain_sum = 0, gain_sq = 0, spread;
  long          count = 0, far_changed = 0;
  int           x, y;

  for (i = 0; i < n; i++)
    {
      memcpy (rgba + 4 * i, s.rgb + 3 * i, sizeof (float) * 3);
      rgba[4 * i + 3] = 1.0f;
    }
  smp_scar_tone (st.scar, 0, rgba, &(SmpRect) { 0, 0, s.w, s.h }, changed);
  ring_y = y_of (st.scar->stats.ring_tone);
  for (y = 0; y < s.h; y++)
    for (x = 0; x < s.w; x++)
      {
        gsize  k = (gsize) y * s.w + x;
        double out_mm = out_of_scar_mm (&s, y);
        double after = luminance[0] * rgba[4 * k] + luminance[1] * rgba[4 * k + 1]
                       + luminance[2] * rgba[4 * k + 2];

        if (out_mm < -0.6)
          {
            double gain = after / st.luma[k];

            sum += after;
            gain_sum += gain;
            gain_sq += gain * gain;
            count++;
          }
        if (out_mm > p.blend_width_mm + 0.1)
          far_changed += changed[k];
      }
  spread = sqrt (fmax (gain_sq / count - (gain_sum / count) * (gain_sum / count), 0.0))
           / (gain_sum / count);
  g_test_message ("the scar's skin after the blend at %.4f of the ring's skin; its gain varies "
                  "by %.3f %%; %ld pixels changed beyond the blend width",
                  sum / count / ring_y, 100 * spread, far_changed);
  g_assert_cmpfloat (fabs (sum / count / ring_y - 1.0), <=, 0.01);
  g_assert_cmpfloat (spread, <=, 0.005);
  g_assert_cmpint (far_changed, ==, 0);
  g_free (rgba);
  g_free (changed);
  free_staged (&st);
  free_scalp (&s);
}

/* The measurement split over the cores gives what one thread gives, to
 * the bit: telling scar from skin, the dots found (where, how dark, what
 * shape) and the distances from the scar, with the region split in one,
 * two and five bands (bands of rows and of columns start their own
 * running sums, and a wrong start shows first at a band's edge). */
static void
test_bands (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams p = params_at (20.0, 2.0);
  Scalp         s;
  Staged        one, split;
  const char   *threads[] = { "2", "5" };
  gsize         n, k;
  int           t;

  scene.streak_share = 0.3;
  scene.lift = 0.12;
  scene.mask_grow_mm = 1.0;
  s = make_scalp (360, 700, &scene, 31);
  n = (gsize) s.w * s.h;
  g_setenv ("SMP_ENGINE_THREADS", "1", TRUE);
  one = run_stages (&s, &p, 4);
  for (t = 0; t < 2; t++)
    {
      g_setenv ("SMP_ENGINE_THREADS", threads[t], TRUE);
      split = run_stages (&s, &p, 4);
      g_test_message ("%s bands: %zu dots found (%zu in one), scar told: %s",
                      threads[t], split.scar->n_dots, one.scar->n_dots,
                      split.scar->scar_skin ? "yes" : "no");
      g_assert_cmpuint (split.scar->n_dots, ==, one.scar->n_dots);
      for (k = 0; k < one.scar->n_dots; k++)
        {
          g_assert_cmpfloat (split.scar->dots[k].x, ==, one.scar->dots[k].x);
          g_assert_cmpfloat (split.scar->dots[k].y, ==, one.scar->dots[k].y);
          g_assert_cmpfloat (split.scar->dots[k].mass, ==, one.scar->dots[k].mass);
          g_assert_cmpint (split.scar->dots[k].streak, ==, one.scar->dots[k].streak);
        }
      g_assert_true ((one.scar->scar_skin == NULL) == (split.scar->scar_skin == NULL));
      if (one.scar->scar_skin)
        g_assert_cmpmem (split.scar->scar_skin, n, one.scar->scar_skin, n);
      g_assert_cmpmem (split.dark, n * sizeof (float), one.dark, n * sizeof (float));
      g_assert_cmpmem (split.skip, n, one.skip, n);
      g_assert_cmpmem (split.scar->outside_mm, n * sizeof (float),
                       one.scar->outside_mm, n * sizeof (float));
      free_staged (&split);
    }
  g_unsetenv ("SMP_ENGINE_THREADS");
  free_staged (&one);
  free_scalp (&s);
}

/* Two scars the same to the bit: what every stage left (the stats, the
 * dots with their pigment and the evidence they give, the scar told, the
 * extent, the skin's tone grid). */
static void
assert_same_scar (const SmpScar *a,
                  const SmpScar *b)
{
  gsize n = (gsize) a->w * a->h, k;

  g_assert_cmpmem (&a->stats, sizeof a->stats, &b->stats, sizeof b->stats);
  g_assert_cmpuint (a->n_dots, ==, b->n_dots);
  for (k = 0; k < a->n_dots; k++)
    {
      g_assert_cmpfloat (a->dots[k].x, ==, b->dots[k].x);
      g_assert_cmpfloat (a->dots[k].y, ==, b->dots[k].y);
      g_assert_cmpfloat (a->dots[k].mass, ==, b->dots[k].mass);
      g_assert_cmpfloat (a->dots[k].peak, ==, b->dots[k].peak);
      g_assert_cmpint (a->dots[k].inside, ==, b->dots[k].inside);
      g_assert_cmpint (a->dots[k].evidence, ==, b->dots[k].evidence);
      g_assert_cmpint (a->dots[k].streak, ==, b->dots[k].streak);
    }
  g_assert_true ((a->scar_skin == NULL) == (b->scar_skin == NULL));
  if (a->scar_skin)
    g_assert_cmpmem (a->scar_skin, n, b->scar_skin, n);
  g_assert_cmpmem (a->outside_mm, n * sizeof (float), b->outside_mm, n * sizeof (float));
  g_assert_cmpmem (&a->ring, sizeof a->ring, &b->ring, sizeof b->ring);
  if (a->scar_skin)
    g_assert_cmpmem (a->scar_px, n * sizeof (float), b->scar_px, n * sizeof (float));
  else
    g_assert_cmpmem (a->inside_sum, (a->w + 1) * (a->h + 1) * sizeof (guint32),
                     b->inside_sum, (b->w + 1) * (b->h + 1) * sizeof (guint32));
  g_assert_cmpint (a->ex, ==, b->ex);
  g_assert_cmpint (a->ew, ==, b->ew);
  g_assert_cmpint (a->tone_gw * a->tone_gh, ==, b->tone_gw * b->tone_gh);
  g_assert_cmpmem (a->tone_means, (gsize) a->tone_gw * a->tone_gh * sizeof (float),
                   b->tone_means, (gsize) b->tone_gw * b->tone_gh * sizeof (float));
}

/* A preview measured again after a slider moved takes the first stages
 * from what it saw (smp_scar_new_seen): with another look the scar is the
 * one smp_scar_new makes, to the bit, also once the scar first measured
 * (whose arrays what was seen shares) is freed; after the photo changed
 * (a dark patch in the ring), the stages run again and the scar is the
 * new photo's, which differs from the old one's. */
static void
test_seen (void)
{
  Scene         scene = scene_at (20.0);
  SmpScarParams first = params_at (20.0, 2.0), look = first;
  SmpScarPhoto  photo;
  SmpScarSeen  *seen = NULL;
  SmpScar      *kept, *again, *fresh, *changed;
  Scalp         s;
  int           x, y;

  scene.lift = 0.12;
  scene.mask_grow_mm = 1.0;
  s = make_scalp (360, 700, &scene, 37);
  photo = (SmpScarPhoto) { s.rgb, s.mask, luminance, { 0, 0, s.w, s.h } };
  look.density_per_cm2 = 140.0;
  look.darkness = 0.5;
  look.shade = 0.1;
  look.halo_mm = 0.3;
  look.halo_strength = 0.4;
  look.match_surroundings = 0;

  kept = smp_scar_new_seen (&first, &photo, &seen);
  g_assert_nonnull (seen);
  fresh = smp_scar_new (&first, &photo);
  assert_same_scar (kept, fresh);
  smp_scar_free (fresh);
  smp_scar_free (kept);
  again = smp_scar_new_seen (&look, &photo, &seen);
  fresh = smp_scar_new (&look, &photo);
  g_test_message ("another look: %zu dots, %.1f dots/cm², shade %.3f", again->n_dots,
                  again->stats.density_per_cm2, again->stats.scar_shade);
  assert_same_scar (again, fresh);

  for (y = 40; y < 52; y++)
    for (x = 100; x < 112; x++)
      {
        s.rgb[3 * ((gsize) y * s.w + x)] *= 0.3f;
        s.rgb[3 * ((gsize) y * s.w + x) + 1] *= 0.3f;
        s.rgb[3 * ((gsize) y * s.w + x) + 2] *= 0.3f;
      }
  changed = smp_scar_new_seen (&look, &photo, &seen);
  smp_scar_free (fresh);
  fresh = smp_scar_new (&look, &photo);
  g_test_message ("a dark patch: %zu dots (%zu before)", changed->n_dots, again->n_dots);
  assert_same_scar (changed, fresh);
  g_assert_true (changed->n_dots != again->n_dots
                 || memcmp (&changed->stats, &again->stats, sizeof changed->stats));
  smp_scar_free (again);
  smp_scar_free (fresh);
  smp_scar_free (changed);
  smp_scar_seen_free (seen);
  free_scalp (&s);
}

/* Work per pixel: the measurement's and the tone field's pixel visits,
 * and the pixels the blend is given (a tile's own and no more: the API
 * takes nothing around it), over the image's pixels; @pieces_identical,
 * whether the blend in 128×64 pieces gives what it gives in one. */
static double
work_per_pixel (int       size,
                double    px_per_mm,
                double    blend_width_mm,
                gboolean *pieces_identical)
{
  Scene               scene = scene_at (px_per_mm);
  Scalp               s = make_scalp (size, size, &scene, 7);
  SmpScarParams       p = params_at (px_per_mm, blend_width_mm);
  SmpScar            *scar = smp_scar_new (&p, &(SmpScarPhoto) { s.rgb, s.mask, luminance,
                                                                   { 0, 0, size, size } });
  const SmpScarStats *st = smp_scar_stats (scar);
  gsize               n = (gsize) size * size, i;
  float              *whole = g_new (float, n * 4), *pieces = g_new (float, n * 4);
  guint8             *changed = g_malloc (n);
  long                given = 0, blended;
  int                 x, y, tw = 128, th = 64;
  double              work;

  for (i = 0; i < n; i++)
    {
      memcpy (whole + 4 * i, s.rgb + 3 * i, sizeof (float) * 3);
      whole[4 * i + 3] = 1.0f;
    }
  memcpy (pieces, whole, sizeof (float) * n * 4);
  blended = smp_scar_tone (scar, 0, whole, &(SmpRect) { 0, 0, size, size }, changed);
  for (y = 0; y < size; y += th)
    for (x = 0; x < size; x += tw)
      {
        int    pw = MIN (tw, size - x), ph = MIN (th, size - y), j;
        float *tile = g_new (float, (gsize) pw * ph * 4);
        guint8 *flags = g_malloc ((gsize) pw * ph);

        for (j = 0; j < ph; j++)
          memcpy (tile + (gsize) j * pw * 4, pieces + ((gsize) (y + j) * size + x) * 4,
                  sizeof (float) * 4 * pw);
        smp_scar_tone (scar, 0, tile, &(SmpRect) { x, y, pw, ph }, flags);
        for (j = 0; j < ph; j++)
          memcpy (pieces + ((gsize) (y + j) * size + x) * 4, tile + (gsize) j * pw * 4,
                  sizeof (float) * 4 * pw);
        given += (long) pw * ph;
        g_free (tile);
        g_free (flags);
      }
  *pieces_identical = memcmp (whole, pieces, sizeof (float) * n * 4) == 0;
  work = (double) (st->dots_work + st->tone_field_work + given) / n;
  g_test_message ("%d² at %g px/mm, blend %g mm: %ld dots found, %ld pixels blended; "
                  "visits a pixel: %.1f finding dots, %.1f building the tone field, "
                  "%.1f given to the blend; %.1f in all",
                  size, px_per_mm, blend_width_mm, st->existing_dots, blended,
                  (double) st->dots_work / n, (double) st->tone_field_work / n,
                  (double) given / n, work);
  g_assert_cmpint (blended, >, 0);
  smp_scar_free (scar);
  free_scalp (&s);
  g_free (whole);
  g_free (pieces);
  g_free (changed);
  return work;
}

/* The measurement and the tone blend cost at most 40 visits a pixel, and
 * within 1.5 times as much a pixel at 2000² as at 500², at 160 px/mm as
 * at 20, and with a 10 mm blend as with 2 mm; the blend gives the same
 * bits in pieces as in one. */
static void
test_work_scales (void)
{
  static const struct
  {
    int    size;
    double px_per_mm, blend_mm;
  } cases[] = {
    { 500, 20.0, 2.0 },
    { 2000, 20.0, 2.0 },
    { 500, 160.0, 10.0 },
    { 2000, 160.0, 2.0 },
    { 2000, 160.0, 10.0 },
  };
  double   least = INFINITY, most = 0.0;
  gsize    k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      gboolean same = FALSE;
      double   work = work_per_pixel (cases[k].size, cases[k].px_per_mm, cases[k].blend_mm, &same);

      g_assert_true (same);
      g_assert_cmpfloat (work, <=, 40.0);
      least = fmin (least, work);
      most = fmax (most, work);
    }
  g_test_message ("visits a pixel from %.1f to %.1f (%.2f times)", least, most, most / least);
  g_assert_cmpfloat (most / least, <=, 1.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scar-engine/stage-skin", test_stage_skin);
  g_test_add_func ("/scar-engine/stage-dots", test_stage_dots);
  g_test_add_func ("/scar-engine/stage-ring", test_stage_ring);
  g_test_add_func ("/scar-engine/stage-fields", test_stage_fields);
  g_test_add_func ("/scar-engine/stage-tone", test_stage_tone);
  g_test_add_func ("/scar-engine/work-scales", test_work_scales);
  g_test_add_func ("/scar-engine/bands", test_bands);
  g_test_add_func ("/scar-engine/seen", test_seen);
  return g_test_run ();
}
