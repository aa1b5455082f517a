/**
 * A small seeded random number generator (mulberry32) for generated test and benchmark data: the
 * same seed gives the same numbers on every machine and every run, so a figure or a failure comes
 * back. The synthetic barcode photos' `Prng` class (tests/scanner/synthetic/prng.ts) draws from it.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
