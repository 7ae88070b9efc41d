// Seeded pseudo-random numbers for the randomized unit tests: a failure reproduces with the same seed.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  bytes(length: number): Uint8Array;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough to spread test inputs. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = int(256);
      return out;
    },
    pick(items) {
      return items[int(items.length)]!;
    },
  };
}

/** A random Unicode scalar value (never a surrogate), spread over the 1-, 2-, 3- and 4-byte UTF-8 ranges. */
export function randomScalar(r: Rng): number {
  switch (r.int(4)) {
    case 0:
      return r.int(0x80);
    case 1:
      return 0x80 + r.int(0x800 - 0x80);
    case 2: {
      const cp = 0x800 + r.int(0x10000 - 0x800 - 0x800);
      return cp >= 0xd800 ? cp + 0x800 : cp;
    }
    default:
      return 0x10000 + r.int(0x110000 - 0x10000);
  }
}

/** A random well-formed string of `length` code points. */
export function randomString(r: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCodePoint(randomScalar(r));
  return out;
}
