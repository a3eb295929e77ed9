/* gimp-smp: the GEGL side of drawing SMP impressions, shared by the smp:
 * operations.  Layout and ink are in engine/ (ops/engine); this file only moves pixels
 * between GEGL buffers and them. */
#ifndef SMP_DOTS_H
#define SMP_DOTS_H

#include <gegl.h>

#include "smp-layout.h"
#include "smp-ink.h"
#include "smp-rect.h"

/* A GeglRectangle as the engine's SmpRect (the same fields in the same
 * order), for passing to it. */
#define SMP_RECT_OF(r) (&(SmpRect) { (r)->x, (r)->y, (r)->width, (r)->height })

typedef struct
{
  SmpLayoutParams layout;
  double          px_per_mm;
  double          darkness;
  double          softness_mm;
  double          cool_shift;
  GeglColor      *pigment;
  double          photo_blur_px;  /* at level 0 */
  gint            look;           /* SMP_LOOK_ID_*: custom keeps the values above */
  double          shade;          /* share of the light taken at a distance */
  double          halo_mm;        /* the halo's deviation (solved: may widen) */
  double          halo_strength;  /* solved from shade by smp_dots_params_resolve */
  double          tone;           /* the tone at a distance that gives, 0..1 */
  gint            session;        /* shown after this session of sessions */
  gint            sessions;
  gint            stage;          /* SMP_STAGE_* */
  double          redness;        /* resolved from the stage */
} SmpDotsParams;

/* A density mask (0..1) as floats over @area, in the pixel coordinates
 * of the level being rendered. */
typedef struct
{
  const gfloat  *values;
  GeglRectangle  area;
} SmpDotsMask;

/* The look properties every dot-drawing op shares (smp-look-properties.h),
 * from its GeglProperties @o. */
#define SMP_DOTS_PARAMS_FROM_PROPERTIES(params, o)                  \
  G_STMT_START {                                                    \
    (params)->layout.density_per_cm2 = (o)->density;                \
    (params)->layout.regularity = (o)->regularity;                  \
    (params)->layout.clustering = (o)->clustering;                  \
    (params)->layout.dot_diameter_mm = (o)->dot_diameter;           \
    (params)->layout.size_variation = (o)->size_variation;          \
    (params)->layout.darkness_variation = (o)->darkness_variation;  \
    (params)->layout.seed = (uint32_t) (o)->seed;                   \
    (params)->px_per_mm = (o)->px_per_mm;                           \
    (params)->darkness = (o)->darkness;                             \
    (params)->softness_mm = (o)->softness;                          \
    (params)->cool_shift = (o)->cool_shift;                         \
    (params)->pigment = (o)->pigment;                               \
    (params)->photo_blur_px = (o)->photo_blur;                      \
    (params)->look = (o)->look;                                     \
    (params)->shade = (o)->shade;                                   \
    (params)->halo_mm = (o)->halo;                                  \
    (params)->session = (o)->session;                               \
    (params)->sessions = (o)->sessions;                             \
    (params)->stage = (o)->stage;                                   \
    smp_dots_params_resolve (params);                               \
  } G_STMT_END

/* Applies @params->look (unless custom), then the session and the stage,
 * and chooses the halo strength that gives the shade at a distance.  The answer depends only on the
 * values, so every tile, thread and preview level gets the same; it is
 * cached, because GIMP renders many small tiles. */
void          smp_dots_params_resolve (SmpDotsParams *params);

/* What every dot-drawing op does the same way: the input's own format
 * (output keeps it, so untouched pixels are copied, never converted), the
 * input's box (never the union with an aux that may be infinite), and a
 * rectangle grown on every side. */
const Babl   *smp_dots_input_format (GeglOperation       *operation);
GeglRectangle smp_dots_input_box    (GeglOperation       *operation);
GeglRectangle smp_grow              (const GeglRectangle *rect,
                                     gint                 by);

/* gegl_buffer_get of @rect (coordinates at mipmap @level) into @dest,
 * rows of @rect's width in @format, split in bands of rows over the
 * cores: for the measurements an op makes once before it draws, which
 * read a whole region while GEGL's other threads wait on them.  Each
 * band reads its own rows: the pixels are those of one read. */
void          smp_dots_get_bands    (GeglBuffer          *buffer,
                                     const GeglRectangle *rect,
                                     gint                 level,
                                     const Babl          *format,
                                     gpointer             dest,
                                     GeglAbyssPolicy      abyss);

/* @rect (full-resolution coordinates) at mipmap @level: every pixel it
 * touches there. */
GeglRectangle smp_rect_at_level     (const GeglRectangle *rect,
                                     gint                 level);

/* The mipmap level a zoomed-out preview at @level measures a photo at
 * @px_per_mm: the coarsest that keeps @least_px_per_mm (what the
 * measurement needs to resolve), never coarser than @level nor than
 * @levels - 1, so the full render (level 0) measures at full
 * resolution. */
gint          smp_measure_level     (gdouble              px_per_mm,
                                     gint                 level,
                                     gdouble              least_px_per_mm,
                                     gint                 levels);

/* Whether @operation has a mask on its aux pad.  Decided from the graph:
 * GEGL passes a NULL aux buffer for every chunk the mask's extent does not
 * reach, and there the mask is 0, not absent. */
gboolean      smp_dots_mask_connected (GeglOperation     *operation);

/* Reads @mask->area (level coordinates) of @aux into a new array in
 * @mask->values (0 outside the mask's extent, and everywhere when @aux is
 * NULL); g_free it.  Returns whether any value is above 0, so that a chunk
 * the mask leaves out costs no dots. */
gboolean      smp_dots_mask_read      (GeglOperation     *operation,
                                       GeglBuffer        *aux,
                                       SmpDotsMask       *mask,
                                       gint               level);

/* How far (pixels at level 0) a dot can reach from its centre. */
gint          smp_dots_reach_px (const SmpDotsParams *params);

/* @roi grown by the reach of a dot at @level: every dot that can touch
 * roi has its centre there, and that is where a mask must be given. */
GeglRectangle smp_dots_area     (const SmpDotsParams *params,
                                 const GeglRectangle *roi,
                                 gint                 level);

/* What a dot-drawing op's process () is asked for: @roi (coordinates at
 * mipmap @level) of @output, from @input, both in @format, the input's
 * own (smp_dots_input_format). */
typedef struct
{
  const Babl          *format;
  GeglBuffer          *input;
  GeglBuffer          *output;
  const GeglRectangle *roi;
  gint                 level;
} SmpDotsChunk;

/* What an op can add to the drawing: a strength map (each dot's darkness
 * times the value at its centre, like the density mask; NULL: 1), a
 * change to each piece of the input's native pixels before the dots are
 * drawn on it, and one after (each NULL: none).  A piece is in level
 * coordinates, inside roi. */
typedef struct
{
  const SmpDotsMask *strength;
  void             (*before_dots) (gpointer             data,
                                   guchar              *pixels,
                                   const GeglRectangle *piece);
  gpointer           data;
  void             (*after_dots)  (gpointer             data,
                                   guchar              *pixels,
                                   const GeglRectangle *piece);
} SmpDotsExtras;

/* Renders @chunk: its input with the dots whose density threshold lies
 * below density × @mask, read at each dot's centre (NULL: 1 everywhere;
 * it must cover smp_dots_area), and what @extras adds (NULL: nothing).
 * Pixels no dot reaches are copied bit for bit, never converted. */
gboolean      smp_dots_process  (const SmpDotsParams *params,
                                 const SmpDotsChunk  *chunk,
                                 const SmpDotsMask   *mask,
                                 const SmpDotsExtras *extras);

/* Copies @chunk's roi of its input to its output, bytes unchanged. */
void          smp_dots_copy     (const SmpDotsChunk  *chunk);

#endif
