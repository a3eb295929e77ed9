/* gimp-smp: a rectangle of pixels, for the engine's signatures.
 *
 * The engine takes no GEGL, so not GeglRectangle; the fields are the same
 * and in the same order, so the op files pass one for the other field by
 * field. */
#ifndef SMP_RECT_H
#define SMP_RECT_H

#include <stddef.h>

typedef struct
{
  int x, y;          /* the top-left pixel */
  int w, h;          /* in pixels; w = 0 is empty */
} SmpRect;

/* The number of pixels. */
static inline size_t
smp_rect_pixels (const SmpRect *r)
{
  return (size_t) r->w * r->h;
}

#endif
