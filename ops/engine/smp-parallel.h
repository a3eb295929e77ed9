/* gimp-smp: splitting one engine computation over the machine's cores.
 *
 * For the measurements an op makes once before it draws anything (the
 * scar's surroundings): GEGL's other threads wait on them, so they may
 * use every core.  A job is split into bands that write disjoint parts
 * of the result, so the result is the same for any number of threads.
 */
#ifndef SMP_PARALLEL_H
#define SMP_PARALLEL_H

/* Computes band @band of @n_bands. */
typedef void (*SmpBandFunc) (void *data,
                             int   band,
                             int   n_bands);

/* The number of bands worth splitting @items independent items into
 * (at least 1): one per core, none smaller than @min_items.  The
 * environment variable SMP_ENGINE_THREADS, when set, stands for the
 * number of cores: the tests split the same work in different numbers
 * of bands and compare. */
int  smp_parallel_bands (long items,
                         long min_items);

/* Runs @func for bands 0 .. @n_bands - 1 and returns when all are done;
 * band 0 on the calling thread.  Bands a thread cannot be started for
 * run on the caller too. */
void smp_parallel_run   (SmpBandFunc func,
                         void       *data,
                         int         n_bands);

/* The half-open share [*begin, *end) of @n items that band @band of
 * @n_bands covers. */
void smp_parallel_share (long  n,
                         int   band,
                         int   n_bands,
                         long *begin,
                         long *end);

#endif
