/* gimp-smp: splitting one engine computation over the machine's cores.
 * See smp-parallel.h. */
#include "smp-parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* More threads than this gain nothing on the region sizes measured. */
#define MAX_BANDS 8

typedef struct
{
  SmpBandFunc func;
  void       *data;
  int         band, n_bands;
} Band;

static void *
band_run (void *data)
{
  Band *b = data;

  b->func (b->data, b->band, b->n_bands);
  return NULL;
}

int
smp_parallel_bands (long items,
                    long min_items)
{
  const char *threads = getenv ("SMP_ENGINE_THREADS");
  long        cores = threads ? atol (threads) : sysconf (_SC_NPROCESSORS_ONLN), bands;

  if (cores < 1)
    cores = 1;
  bands = min_items > 0 ? items / min_items : cores;
  if (bands > cores)
    bands = cores;
  if (bands > MAX_BANDS)
    bands = MAX_BANDS;
  return bands < 1 ? 1 : (int) bands;
}

void
smp_parallel_run (SmpBandFunc func,
                  void       *data,
                  int         n_bands)
{
  pthread_t thread[MAX_BANDS];
  Band      band[MAX_BANDS];
  int       started[MAX_BANDS] = { 0 }, k;

  if (n_bands > MAX_BANDS)
    n_bands = MAX_BANDS;
  for (k = 0; k < n_bands; k++)
    band[k] = (Band) { func, data, k, n_bands };
  for (k = 1; k < n_bands; k++)
    started[k] = pthread_create (&thread[k], NULL, band_run, &band[k]) == 0;
  band_run (&band[0]);
  for (k = 1; k < n_bands; k++)
    if (started[k])
      pthread_join (thread[k], NULL);
    else
      band_run (&band[k]);
}

void
smp_parallel_share (long  n,
                    int   band,
                    int   n_bands,
                    long *begin,
                    long *end)
{
  *begin = n * band / n_bands;
  *end = n * (band + 1) / n_bands;
}
