/* The benchmarks' generated photo: a shaved scalp seen from above, made
 * from a seed, so that every run and every benchmark renders the same
 * workload. */
#ifndef BENCH_PHOTO_H
#define BENCH_PHOTO_H

#include <gegl.h>

#define BENCH_PHOTO_FORMAT "R'G'B'A u8"

/* Skin lit from the upper left across a dome, with blotches and grain:
 * a flat image would let the operations take shortcuts a photo never
 * allows. */
GeglBuffer *make_photo (gint        width,
                        gint        height,
                        guint32     seed);

/* @photo with thinning hair over it (thin curved dark strands over about
 * 40 % of it), for smp:thicken; made once per photo and kept, owned
 * here; hair_over (NULL) drops it. */
GeglBuffer *hair_over  (GeglBuffer *photo);

#endif
