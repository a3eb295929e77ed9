/* gimp-smp: the GEGL side of telling scalp from hair (ops/engine/smp-scalp),
 * shared by smp:scalp-mask and smp:thicken.
 *
 * The skin and hair colours are learnt once per evaluation of the graph
 * (and per level a preview learns them at, smp_scalp_measure), from
 * samples on a grid keyed on a region that does
 * not depend on what is rendered: where the aux region is at least 0.5
 * inside its box (the whole photo without aux).  Every tile, thread and
 * region of interest at a level then uses the same model.
 * prepare() drops it (GEGL calls prepare again after any change upstream
 * or to a property). */
#ifndef SMP_SCALP_OP_H
#define SMP_SCALP_OP_H

#include <gegl.h>

#include "smp-dots.h"
#include "smp-scalp.h"

typedef struct SmpScalpCache SmpScalpCache;

/* The cache kept in an op's user_data: created on first use, emptied. */
void                 smp_scalp_cache_reset   (gpointer *user_data);

/* An op's finalize: frees the cache in its @user_data, then chains up to
 * @parent_class (the op's own gegl_op_parent_class, which only the op's
 * file can name). */
void                 smp_scalp_op_finalize   (GObject  *object,
                                              gpointer *user_data,
                                              gpointer  parent_class);

/* The region the colours are learnt from (input box, or its part inside
 * the aux box). */
GeglRectangle        smp_scalp_region        (GeglOperation *operation);

/* The model for a render at mipmap @level of a photo at @px_per_mm,
 * measured on the first call of an evaluation at the level it is learnt
 * at: the full render's at full resolution, a zoomed-out preview's at the
 * coarsest level that keeps 10 px/mm. */
const SmpScalpModel *smp_scalp_measure       (gpointer       user_data,
                                              GeglOperation *operation,
                                              GeglBuffer    *input,
                                              GeglBuffer    *aux,
                                              gdouble        px_per_mm,
                                              gint           level);

/* The properties both ops tell scalp from hair with, from the
 * GeglProperties @o. */
typedef struct
{
  gdouble px_per_mm;
  gdouble smoothing_mm;  /* the share of hair is smoothed over it */
  gdouble sensitivity;   /* SmpScalpReading's */
} SmpScalpSettings;

#define SMP_SCALP_SETTINGS_OF(o) \
  (&(SmpScalpSettings) { (o)->px_per_mm, (o)->smoothing, (o)->sensitivity })

/* Visibility of the scalp (0..1) over @chunk's roi (coordinates at its
 * level), read from its input by @model with @settings; g_free the
 * result.  At a preview level it is made up to two levels finer and
 * averaged down, weighted by each fine pixel's light when @by_light
 * (what a gain or a dot changes is in proportion to it, so a preview
 * pixel changes by what its full-size pixels change on average). */
gfloat              *smp_scalp_visibility_at (const SmpScalpModel    *model,
                                              const SmpScalpSettings *settings,
                                              const SmpDotsChunk     *chunk,
                                              gboolean                by_light);

/* How far (px at level 0) the visibility reads around a pixel. */
gint                 smp_scalp_reach_px      (gdouble px_per_mm,
                                              gdouble smoothing_mm);

#endif
