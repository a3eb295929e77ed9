/* smp:scar-conceal — conceal a scar the way SMP does: fill it with dots at
 * the density and look of the scalp around it, blended above and below,
 * without painting the scar away.
 *
 * Input: the photo.  Aux: the scar mask (feathered allowed).  The dots or
 * stubble already in a ring around the mask are measured (density, and
 * the tone at a distance) and matched with the look's impressions; a
 * lighter scar is built up with more strongly pigmented and then more
 * impressions until it is as dark at a distance as the ring, within the
 * engine's limits (smp-scar.h).  Dots are only added where the scalp
 * still lacks them, so a loosely drawn mask adds nothing on the stubble
 * it covers.  An optional tone blend pulls the scar's base tone towards
 * the surrounding skin as a gain in linear light, so its texture stays.
 */
#include "config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef GEGL_PROPERTIES

#include "smp-look-properties.h"

property_boolean (match_surroundings, _("Match surroundings"), TRUE)
  description (_("Measure the dots or stubble in a ring around the scar "
                 "(their density, and their tone at a distance) and match "
                 "them, building a lighter scar up until it is as dark at a "
                 "distance; on bald skin the look is used as it is.  With "
                 "the custom look and shade 0, the ring's dot size and "
                 "darkness are matched dot for dot instead"))

property_double (sample_width, _("Sample width (mm)"), 4.0)
  description (_("Width of the ring around the scar that is measured"))
  value_range (1.0, 20.0)

property_double (uptake, _("Uptake"), 0.85)
  description (_("How well scar tissue takes pigment: 1 is like normal "
                 "skin, lower values give lighter dots in the scar (with a "
                 "shade, the build-up makes up for it within its limits)"))
  value_range (0.3, 1.0)

property_double (tone_blend, _("Tone blend"), 0.0)
  description (_("Pull of the scar's base tone towards the surrounding "
                 "skin.  Real SMP does not change the scar's tone: this is "
                 "a separate, optional retouch, off by default"))
  value_range (0.0, 1.0)

property_double (blend_width, _("Blend width (mm)"), 2.0)
  description (_("Distance over which added density and tone ramp out "
                 "beyond the scar's border"))
  value_range (0.0, 10.0)

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     smp_scar_conceal
#define GEGL_OP_C_SOURCE smp-scar-conceal.c

#include "gegl-op.h"
#include "smp-dots.h"
#include "smp-scar.h"
#include "smp-parallel.h"

/* The measurement is made once per evaluation of the graph and shared by
 * every tile and thread: it reads the mask's whole extent and the photo
 * around it, which is far too much work per tile.  The full render
 * measures at full resolution; a zoomed-out preview measures at the
 * coarsest mipmap level that keeps SMP_SCAR_MEASURE_PX_PER_MM (and never
 * coarser than its own level), once per such level.  prepare() drops
 * them all; GEGL calls prepare again after any change to a property or
 * upstream (aux or input content), so none goes stale. */
#define SMP_SCAR_LEVELS 8
/* The least scale (px per mm) a preview's measurement is made at.  At
 * 5 px/mm the crisp cores (0.15 mm) are under a pixel: measured there, a
 * ring of 67.6 dots/cm² read as 43.1 (tests/test-scar.c) */
#define SMP_SCAR_MEASURE_PX_PER_MM 10.0

/* A dialog's preview is a new graph after every slider, and measures
 * again: the first stages of the last preview's measurement (which read
 * the photo and the mask, not the look) are kept here for the next one,
 * at some SMP_SCAR_SEEN_BYTES_PER_PIXEL.  They may take a quarter of the
 * tile cache GEGL was given (GIMP gives its plug-ins its own, by default
 * half the machine's memory), and never less than 4 megapixels' worth:
 * at 10 px/mm a third of a 24-megapixel photo is a 9-megapixel region, and
 * measuring it again took 2.9 s after each slider.  One is enough: every
 * preview coarser than the measuring level's floor measures at that
 * floor.  smp_scar_new_seen uses it only when the photo and the mask read
 * (and their level) are the same to the bit, so the result is the same
 * either way.  The full render keeps nothing. */
#define SMP_SCAR_SEEN_BYTES_PER_PIXEL 40
#define SMP_SCAR_SEEN_MIN_PIXELS      (4 << 20)
static GMutex       smp_scar_seen_lock;
static SmpScarSeen *smp_scar_seen;

static gint64
smp_scar_seen_max_pixels (void)
{
  guint64 cache_bytes = 0;

  g_object_get (gegl_config (), "tile-cache-size", &cache_bytes, NULL);
  return MAX ((gint64) (cache_bytes / 4 / SMP_SCAR_SEEN_BYTES_PER_PIXEL),
              SMP_SCAR_SEEN_MIN_PIXELS);
}

typedef struct
{
  GMutex   lock;
  gboolean measured[SMP_SCAR_LEVELS];
  SmpScar *scar[SMP_SCAR_LEVELS];       /* NULL: no mask, or an empty one */
} ScarCache;

static void
smp_scar_conceal_params (GeglOperation *operation,
                         SmpDotsParams *dots,
                         SmpScarParams *scar)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const Babl     *format = smp_dots_input_format (operation);
  gfloat          pigment_y = 0.0f;

  /* the look, resolved: on bald skin its dots are used as they are, and
   * its halo width and shade say how the ring's look is matched */
  SMP_DOTS_PARAMS_FROM_PROPERTIES (dots, o);
  gegl_color_get_pixel (o->pigment, babl_format_with_space ("Y float", format), &pigment_y);
  memset (scar, 0, sizeof *scar);
  scar->px_per_mm = o->px_per_mm;
  scar->sample_width_mm = o->sample_width;
  scar->blend_width_mm = o->blend_width;
  scar->match_surroundings = o->match_surroundings;
  scar->density_per_cm2 = dots->layout.density_per_cm2;
  scar->dot_diameter_mm = dots->layout.dot_diameter_mm;
  scar->darkness = dots->darkness;
  scar->softness_mm = dots->softness_mm;
  scar->pigment_luminance = pigment_y;
  scar->shade = dots->shade;
  scar->halo_mm = dots->halo_mm;
  scar->halo_strength = dots->halo_strength;
  scar->size_variation = dots->layout.size_variation;
  scar->darkness_variation = dots->layout.darkness_variation;
  scar->regularity = dots->layout.regularity;
  scar->clustering = dots->layout.clustering;
  scar->uptake = o->uptake;
  scar->tone_blend = o->tone_blend;
}

static void
prepare (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  const Babl     *format = smp_dots_input_format (operation);
  ScarCache      *cache = o->user_data;
  gint            level;

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", babl_format ("Y float"));
  gegl_operation_set_format (operation, "output", format);

  if (! cache)
    {
      cache = g_new0 (ScarCache, 1);
      g_mutex_init (&cache->lock);
      o->user_data = cache;
    }
  g_mutex_lock (&cache->lock);
  for (level = 0; level < SMP_SCAR_LEVELS; level++)
    {
      smp_scar_free (cache->scar[level]);
      cache->scar[level] = NULL;
      cache->measured[level] = FALSE;
    }
  g_mutex_unlock (&cache->lock);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  return smp_dots_input_box (operation);
}

/* How far (px) beyond the mask the measured region reaches. */
static gint
smp_scar_conceal_margin (GeglOperation *operation)
{
  SmpDotsParams dots;
  SmpScarParams scar;

  smp_scar_conceal_params (operation, &dots, &scar);
  return (gint) ceil (smp_scar_margin_mm (&scar) * scar.px_per_mm);
}

/* The mask's box (as declared, not its non-zero part, which only the
 * pixels tell), limited to the photo grown by the margin. */
static GeglRectangle
smp_scar_conceal_mask_box (GeglOperation *operation,
                           gint           margin)
{
  const GeglRectangle *aux = gegl_operation_source_get_bounding_box (operation, "aux");
  GeglRectangle        input = smp_dots_input_box (operation), grown, box = { 0, 0, 0, 0 };

  grown = smp_grow (&input, margin);
  if (aux)
    gegl_rectangle_intersect (&box, aux, &grown);
  return box;
}

/* The region the measurement may read (the mask's box grown by the
 * margin), and the mask's box itself in @mask_box; returns the margin. */
static gint
smp_scar_conceal_region (GeglOperation *operation,
                         GeglRectangle *mask_box,
                         GeglRectangle *region)
{
  gint margin = smp_scar_conceal_margin (operation);

  *mask_box = smp_scar_conceal_mask_box (operation, margin);
  *region = smp_grow (mask_box, margin);
  return margin;
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  GeglRectangle mask_box, region, reach, result = *roi;
  gint          margin = smp_scar_conceal_region (operation, &mask_box, &region);

  /* the whole mask is scanned for its extent */
  if (! strcmp (input_pad, "aux"))
    return mask_box;
  /* the measured region, whatever part of the image is rendered, when the
   * rendered part is near the scar at all */
  reach = smp_grow (roi, margin);
  if (gegl_rectangle_intersect (NULL, &region, &reach))
    {
      GeglRectangle input = smp_dots_input_box (operation);

      gegl_rectangle_intersect (&region, &region, &input);
      gegl_rectangle_bounding_box (&result, roi, &region);
    }
  return result;
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  GeglRectangle mask_box, region, grown, result;
  gint          margin = smp_scar_conceal_region (operation, &mask_box, &region);

  grown = smp_grow (input_region, margin);
  result = grown;

  /* a change anywhere near the scar can change what the ring measures,
   * and that changes every added dot */
  if (gegl_rectangle_intersect (NULL, &region, &grown))
    gegl_rectangle_bounding_box (&result, &grown, &region);
  return result;
}

/* The non-zero extent of the mask over @box, read a strip of rows at a
 * time, in bands of rows over the cores (each band's extent in @found,
 * inclusive). */
typedef struct
{
  gint x0, y0, x1, y1;
} ScarBounds;

typedef struct
{
  GeglBuffer          *aux;
  const GeglRectangle *box;
  gint                 level;
  ScarBounds          *found;
} ScarNonzeroJob;

static void
smp_scar_conceal_nonzero_band (void *data,
                               int   band,
                               int   n_bands)
{
  const ScarNonzeroJob *job = data;
  const GeglRectangle  *box = job->box;
  const gint            strip = 64;
  gint                  y, x, x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;
  gfloat               *rows = g_new (gfloat, (gsize) MAX (box->width, 1) * strip);
  long                  begin, end;

  smp_parallel_share (box->height, band, n_bands, &begin, &end);
  for (y = box->y + begin; y < box->y + end; y += strip)
    {
      GeglRectangle part = { box->x, y, box->width, MIN (strip, box->y + end - y) };
      gint          j;

      gegl_buffer_get (job->aux, &part, 1.0 / (1 << job->level), babl_format ("Y float"), rows,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      for (j = 0; j < part.height; j++)
        for (x = 0; x < part.width; x++)
          if (rows[(gsize) j * part.width + x] > 0.0f)
            {
              x0 = MIN (x0, box->x + x);
              x1 = MAX (x1, box->x + x);
              y0 = MIN (y0, y + j);
              y1 = MAX (y1, y + j);
            }
    }
  g_free (rows);
  job->found[band] = (ScarBounds) { x0, y0, x1, y1 };
}

/* The non-zero extent of the mask over @box; empty when there is none. */
static GeglRectangle
smp_scar_conceal_nonzero (GeglBuffer          *aux,
                          const GeglRectangle *box,
                          gint                 level)
{
  gint           n_bands = smp_parallel_bands ((long) box->width * box->height, 1 << 18);
  ScarBounds    *found = g_new (ScarBounds, n_bands);
  ScarNonzeroJob job = { aux, box, level, found };
  gint           x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT, k;

  smp_parallel_run (smp_scar_conceal_nonzero_band, &job, n_bands);
  for (k = 0; k < n_bands; k++)
    {
      x0 = MIN (x0, found[k].x0);
      y0 = MIN (y0, found[k].y0);
      x1 = MAX (x1, found[k].x1);
      y1 = MAX (y1, found[k].y1);
    }
  g_free (found);
  if (x1 < x0)
    return *GEGL_RECTANGLE (0, 0, 0, 0);
  return *GEGL_RECTANGLE (x0, y0, x1 - x0 + 1, y1 - y0 + 1);
}

/* G_MESSAGES_DEBUG=all shows what was matched. */
static void
smp_scar_conceal_report (const SmpScar       *scar,
                         const GeglRectangle *region,
                         gint                 level)
{
  const SmpScarStats *st = smp_scar_stats (scar);
  double              pixels = (double) region->width * region->height;

  g_debug ("smp:scar-conceal: measured at level %d over %dx%d px; "
           "%ld dots in %.0f mm² of ring (%ld in the region); %s: "
           "%.1f dots/cm², diameter %.3f mm, darkness %.2f, halo %.3f mm at %.2f "
           "(ring's shade %.3f); scar told in the mask %s (tone %+.3f); build-up: "
           "shade %.3f wanted, %.3f reached with %.2f × the pigment, %.2f × the count; "
           "%.1f pixel visits a pixel finding dots, %.1f building the tone field",
           level, region->width, region->height,
           st->ring_dots, st->ring_area_mm2, st->existing_dots,
           st->from_look ? "matched by its look" : st->from_ring ? "matched" : "properties used",
           st->density_per_cm2, st->dot_diameter_mm, st->darkness, st->halo_mm,
           st->halo_strength, st->ring_shade,
           st->scar_found ? "by its tone" : "by nothing (the mask is used)",
           st->scar_lift, st->scar_shade, st->scar_shade_reached, st->pigment, st->count,
           (double) st->dots_work / pixels, (double) st->tone_field_work / pixels);
}

/* Measures the scar and its surroundings once per change of the op and
 * per measuring @level (smp_scar_conceal_measure_level): the photo at
 * that level around the mask's non-zero extent, in that level's pixels
 * and at that level's scale.  For a @preview the first stages are kept
 * for the next preview (smp_scar_seen). */
static SmpScar *
smp_scar_conceal_measure (GeglOperation *operation,
                          GeglBuffer    *input,
                          GeglBuffer    *aux,
                          gint           level,
                          gboolean       preview)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  ScarCache      *cache = o->user_data;
  SmpDotsParams   dots;
  SmpScarParams   params;
  const Babl     *format = smp_dots_input_format (operation);
  GeglRectangle   input_box = smp_dots_input_box (operation), box, nonzero, region;
  gint            margin;
  gfloat         *rgb, *mask;
  double          luminance[3];
  SmpScarPhoto    photo;

  g_mutex_lock (&cache->lock);
  if (cache->measured[level] || ! aux)
    {
      g_mutex_unlock (&cache->lock);
      return cache->scar[level];
    }
  smp_scar_conceal_params (operation, &dots, &params);
  params.px_per_mm /= 1 << level;
  margin = (gint) ceil (smp_scar_margin_mm (&params) * o->px_per_mm);
  box = smp_scar_conceal_mask_box (operation, margin);
  box = smp_rect_at_level (&box, level);
  input_box = smp_rect_at_level (&input_box, level);
  nonzero = smp_scar_conceal_nonzero (aux, &box, level);
  cache->measured[level] = TRUE;
  region = smp_grow (&nonzero, (gint) ceil (smp_scar_margin_mm (&params) * params.px_per_mm));
  if (nonzero.width == 0 || ! gegl_rectangle_intersect (&region, &region, &input_box))
    {
      g_mutex_unlock (&cache->lock);
      return NULL;
    }

  rgb = g_new (gfloat, (gsize) region.width * region.height * 3);
  mask = g_new (gfloat, (gsize) region.width * region.height);
  smp_dots_get_bands (input, &region, level, babl_format_with_space ("RGB float", format), rgb,
                      GEGL_ABYSS_CLAMP);
  smp_dots_get_bands (aux, &region, level, babl_format ("Y float"), mask, GEGL_ABYSS_NONE);
  babl_space_get_rgb_luminance (babl_format_get_space (format),
                                &luminance[0], &luminance[1], &luminance[2]);
  photo = (SmpScarPhoto) { rgb, mask, luminance, *SMP_RECT_OF (&region) };
  if (preview && (gint64) region.width * region.height <= smp_scar_seen_max_pixels ())
    {
      g_mutex_lock (&smp_scar_seen_lock);
      cache->scar[level] = smp_scar_new_seen (&params, &photo, &smp_scar_seen);
      g_mutex_unlock (&smp_scar_seen_lock);
    }
  else
    cache->scar[level] = smp_scar_new (&params, &photo);
  smp_scar_conceal_report (cache->scar[level], &region, level);
  g_free (rgb);
  g_free (mask);
  g_mutex_unlock (&cache->lock);
  return cache->scar[level];
}

/* The tone blend, applied to each piece of the output before its dots.
 * The skin's local tone was measured with the scar, so a piece reads
 * only its own pixels. */
typedef struct
{
  const SmpScar *scar;
  GeglBuffer    *input;
  const Babl    *format;
  gint           level;
  gint           scar_level; /* @level in the measurement's pixels */
  GeglRectangle  extent;     /* at level: nothing changes outside */
} ToneJob;

static void
tone_piece (gpointer             data,
            guchar              *pixels,
            const GeglRectangle *piece)
{
  ToneJob    *job = data;
  const Babl *linear = babl_format_with_space ("RGBA float", job->format);
  gint        bpp = babl_format_get_bytes_per_pixel (job->format);
  gsize       n = (gsize) piece->width * piece->height, i;
  gfloat     *rgba;
  guchar     *changed, *native;

  if (! gegl_rectangle_intersect (NULL, &job->extent, piece))
    return;
  rgba = g_new (gfloat, n * 4);
  changed = g_malloc (n);
  native = g_malloc (n * bpp);
  gegl_buffer_get (job->input, piece, 1.0 / (1 << job->level), linear, rgba,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  if (smp_scar_tone (job->scar, job->scar_level, rgba, SMP_RECT_OF (piece), changed) > 0)
    {
      babl_process (babl_fish (linear, job->format), rgba, native, (long) n);
      /* only the pixels the blend reaches: the rest keep their bytes */
      for (i = 0; i < n; i++)
        if (changed[i])
          memcpy (pixels + i * bpp, native + i * bpp, bpp);
    }
  g_free (rgba);
  g_free (changed);
  g_free (native);
}

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *roi,
         gint                 level)
{
  GeglProperties     *o = GEGL_PROPERTIES (operation);
  SmpDotsChunk        chunk = { smp_dots_input_format (operation), input, output, roi, level };
  const SmpScarStats *stats;
  SmpScar            *scar;
  SmpDotsParams       dots;
  SmpScarParams       params;
  SmpDotsMask         need, strength;
  SmpDotsExtras       extras = { NULL, NULL, NULL };
  ToneJob             job;
  GeglRectangle       extent, reach;
  SmpRect             ex;
  gint                grow, measured, rel;
  gboolean            done;

  if (! input || roi->width <= 0 || roi->height <= 0)
    return TRUE;
  /* the scar's fields are in the measurement's pixels: @rel levels finer
   * than the render's */
  measured = smp_measure_level (o->px_per_mm, level, SMP_SCAR_MEASURE_PX_PER_MM, SMP_SCAR_LEVELS);
  rel = level - measured;
  scar = smp_scar_conceal_measure (operation, input, aux, measured, level > 0);
  smp_scar_conceal_params (operation, &dots, &params);

  if (! scar)
    {
      smp_dots_copy (&chunk);
      return TRUE;
    }

  /* the dots of the ring (or the look's on bald skin), built up on the
   * scar: drawn at the strongest and densest, and scaled down by the
   * fields wherever less is wanted */
  stats = smp_scar_stats (scar);
  dots.layout.density_per_cm2 = stats->density_per_cm2 * stats->count;
  dots.layout.dot_diameter_mm = stats->dot_diameter_mm;
  dots.darkness = stats->darkness * stats->strongest;
  dots.halo_mm = stats->halo_mm;
  dots.halo_strength = stats->halo_strength * stats->strongest;

  /* far from the scar, the photo as it is */
  ex = smp_scar_extent (scar);
  grow = smp_dots_reach_px (&dots) + 1;
  extent = *GEGL_RECTANGLE (ex.x >> rel, ex.y >> rel, (ex.w >> rel) + 2, (ex.h >> rel) + 2);
  reach = smp_grow (roi, grow);
  if (ex.w <= 0 || ! gegl_rectangle_intersect (NULL, &extent, &reach))
    {
      smp_dots_copy (&chunk);
      return TRUE;
    }

  need.area = smp_dots_area (&dots, roi, level);
  strength.area = need.area;
  need.values = g_new (gfloat, (gsize) need.area.width * need.area.height);
  strength.values = g_new (gfloat, (gsize) need.area.width * need.area.height);
  smp_scar_fields (scar, rel, o->uptake, SMP_RECT_OF (&need.area),
                   (gfloat *) need.values, (gfloat *) strength.values);
  extras.strength = &strength;
  if (o->tone_blend > 0.0)
    {
      job.scar = scar;
      job.input = input;
      job.format = chunk.format;
      job.level = level;
      job.scar_level = rel;
      job.extent = extent;
      extras.before_dots = tone_piece;
      extras.data = &job;
    }
  done = smp_dots_process (&dots, &chunk, &need, &extras);
  g_free ((gfloat *) need.values);
  g_free ((gfloat *) strength.values);
  return done;
}

static void
finalize (GObject *object)
{
  GeglProperties *o = GEGL_PROPERTIES (object);
  ScarCache      *cache = o->user_data;

  if (cache)
    {
      gint level;

      for (level = 0; level < SMP_SCAR_LEVELS; level++)
        smp_scar_free (cache->scar[level]);
      g_mutex_clear (&cache->lock);
      g_free (cache);
      o->user_data = NULL;
    }
  G_OBJECT_CLASS (gegl_op_parent_class)->finalize (object);
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GObjectClass               *object_class = G_OBJECT_CLASS (klass);
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);

  object_class->finalize = finalize;
  operation_class->prepare = prepare;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_invalidated_by_change = get_invalidated_by_change;
  operation_class->threaded = TRUE;
  composer_class->process = process;
  composer_class->aux_label = _("Scar mask");
  composer_class->aux_description = _("The scar to conceal (a selection; "
                                       "feathered allowed)");

  gegl_operation_class_set_keys (operation_class,
    "name",            "smp:scar-conceal",
    "title",           _("SMP Scar Concealment"),
    "categories",      "render:smp",
    "gimp:menu-path",  "<Image>/Filters/Scalp Micropigmentation",
    "gimp:menu-label", _("SMP Scar Concealment..."),
    "description",     _("Simulated scalp micro-pigmentation over a scar: "
                         "dots at the density and look of the surrounding "
                         "scalp, added only where it lacks them, with the "
                         "scar's own texture kept"),
    NULL);
}

#endif
