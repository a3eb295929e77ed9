/* gimp-smp tests: fixtures made from a seed, rendering through the real
 * GEGL op, and measurements on the result. */
#ifndef SMP_TEST_UTIL_H
#define SMP_TEST_UTIL_H

#include <gegl.h>

#include "smp-layout.h"

/* gegl_init, load the module under test, nonfatal-free GLib test setup. */
void        smp_test_init        (int *argc, char ***argv);

/* A w×h buffer of one sRGB colour (e.g. "#c68642") in @format. */
GeglBuffer *smp_test_flat        (const char *srgb_hex, int w, int h,
                                  const char *format);
/* A w×h "Y float" mask, constant value. */
GeglBuffer *smp_test_mask        (float value, int w, int h);

/* Renders @input (with optional @mask on aux) through smp:stipple with
 * the given NULL-terminated property list; output in the input's format.
 * Unless the list says otherwise, an op with a `look` gets the custom look
 * with shade 0 and photo-blur 0: the crisp cores alone, as the tests of
 * the layout and of one dot's ink measure them. */
GeglBuffer *smp_test_render      (GeglBuffer *input, GeglBuffer *mask,
                                  const char *first_property, ...) G_GNUC_NULL_TERMINATED;
/* The same through any smp: operation. */
GeglBuffer *smp_test_render_op   (const char *operation, GeglBuffer *input,
                                  GeglBuffer *mask,
                                  const char *first_property, ...) G_GNUC_NULL_TERMINATED;
/* The graph, for tests that need to blit it themselves. */
/* Puts a pass-through op in front of @op's input and clears the deepest
 * mipmap level it has been asked for; smp_test_probe_deepest_level ()
 * then tells the level @op rendered at. */
GeglNode   *smp_test_probe_before (GeglNode *op);
gint        smp_test_probe_deepest_level (void);
GeglNode   *smp_test_graph       (GeglNode **root, const char *operation,
                                  GeglBuffer *input, GeglBuffer *mask,
                                  const char *first_property, va_list args);

/* @buffer scaled up @f times (linear), cropped to @f times its extent:
 * the same photo at @f times the scale. */
GeglBuffer *smp_test_scaled_up   (GeglBuffer *buffer, int f);

/* The mipmap level and region width of the last measurement an op
 * reported in its debug line ("... at level L over WxH px": the scar's
 * and the scalp model's), caught from smp_test_measured_start () to
 * smp_test_measured_stop (); -1 before any. */
void        smp_test_measured_start (void);
void        smp_test_measured_stop  (void);
int         smp_test_measured_level (int *width);

/* Darkening per pixel, 1 - Y(out)/Y(in), in linear light. */
gfloat     *smp_test_darkening   (GeglBuffer *before, GeglBuffer *after);

typedef struct
{
  double x, y;      /* centroid, px */
  double mass;      /* sum of darkening within the blob's window */
  int    area;      /* pixels above the threshold */
} SmpBlob;

/* Connected groups of pixels darkened by more than @threshold; mass is
 * summed over a disc of @window px around each centroid. */
GArray     *smp_test_blobs       (const gfloat *darkening, int w, int h,
                                  double threshold, double window);

/* Linear luminance of a colour given as sRGB hex. */
double      smp_test_luminance   (const char *srgb_hex);

/* Pearson correlation of two series of n values, and the ratio of their
 * totals (b over a) in @ratio: how a zoomed-out preview's signal per cell
 * compares with the full render's. */
double      smp_test_correlation (const double *a, const double *b, int n,
                                  double *ratio);

/* True when two buffers hold identical bytes over @rect in @format. */
gboolean    smp_test_identical   (GeglBuffer *a, GeglBuffer *b,
                                  const GeglRectangle *rect, const char *format);

/* The tone at a distance: mean linear luminance Y of @after over @rect,
 * relative to @before's. */
double      smp_test_tone          (GeglBuffer *before, GeglBuffer *after,
                                    const GeglRectangle *rect);
/* Concentration: the share of all the light lost over @rect (per pixel,
 * 1 - Y(after)/Y(before)) carried by the 10 % of pixels that lost the
 * most.  A uniform tint gives 0.10, separate dots much more. */
double      smp_test_concentration (GeglBuffer *before, GeglBuffer *after,
                                    const GeglRectangle *rect);

#endif
