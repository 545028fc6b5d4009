// Seeded randomness for personas: one stream per lead, derived from (seed, lead id), so a lead's
// behaviour does not depend on which leads came before it and the same seed gives the same run.
// Split buckets are not drawn here: the engine hashes (lead, scenario, node) for those.

/** A stream of numbers in [0, 1). */
export interface Random {
  next(): number;
}

/** murmur3's finaliser: spreads nearby ids apart. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32: small, fast, and good enough for behaviour draws. */
class Sfc32 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, salt: number) {
    this.a = seed >>> 0;
    this.b = salt >>> 0;
    this.c = (seed ^ 0x9e3779b9) >>> 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}

/** The random stream of one lead in a run with this seed. */
export function leadRandom(seed: number, leadId: string): Random {
  // Two FNV-1a hashes of the id, one seeded with `seed` and one with `seed ^ 0x5bd1e995`, in one pass.
  let a = (0x811c9dc5 ^ seed) >>> 0;
  let b = (0x811c9dc5 ^ (seed ^ 0x5bd1e995)) >>> 0;
  for (let i = 0; i < leadId.length; i++) {
    const c = leadId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return new Sfc32(finish(a), finish(b));
}

/** A stream for anything else in a run (lead generation), named by purpose. */
export function namedRandom(seed: number, name: string): Random {
  return leadRandom(seed, `\u0000${name}`);
}

/** An exponentially distributed delay with the given mean, from a uniform draw `u` in [0, 1). */
export function exponential(u: number, mean: number): number {
  return mean <= 0 ? 0 : -mean * Math.log(1 - u);
}
