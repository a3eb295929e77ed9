/* gimp-smp: counter-based random numbers.
 *
 * Every random quantity in the simulation is a pure function of the seed
 * and of where the thing is (a cell in mm, an index inside it), never of
 * the order in which tiles are processed.  That is what makes the output
 * the same for any tiling, thread count or region of interest.
 */
#ifndef SMP_RANDOM_H
#define SMP_RANDOM_H

#include <stdint.h>
#include <math.h>

/* SplitMix64's finaliser: a bijective mix with good avalanche. */
static inline uint64_t
smp_mix64 (uint64_t z)
{
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* A key for one thing: seed, a stream tag and three integer coordinates. */
static inline uint64_t
smp_key (uint32_t seed, uint32_t stream, int64_t a, int64_t b, int64_t c)
{
  uint64_t h = smp_mix64 (((uint64_t) seed << 32) ^ stream ^ UINT64_C (0x9e3779b97f4a7c15));
  h = smp_mix64 (h ^ (uint64_t) a);
  h = smp_mix64 (h ^ ((uint64_t) b * UINT64_C (0xd6e8feb86659fd93)));
  return smp_mix64 (h ^ ((uint64_t) c * UINT64_C (0xa0761d6478bd642f)));
}

/* The n-th uniform double in [0, 1) drawn from a key. */
static inline double
smp_uniform (uint64_t key, uint32_t n)
{
  uint64_t z = smp_mix64 (key + (uint64_t) (n + 1) * UINT64_C (0x9e3779b97f4a7c15));
  return (double) (z >> 11) * (1.0 / 9007199254740992.0);
}

/* A standard normal deviate from two uniforms (Box-Muller). */
static inline double
smp_normal (uint64_t key, uint32_t n)
{
  double u1 = smp_uniform (key, n);
  double u2 = smp_uniform (key, n + 1);
  return sqrt (-2.0 * log (1.0 - u1)) * cos (6.283185307179586 * u2);
}

#endif
