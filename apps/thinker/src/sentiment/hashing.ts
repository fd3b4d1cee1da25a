/**
 * 32-bit hashing on char codes, so features are hashed without building a string per n-gram.
 * A step folds one char code into a running state; `finish` mixes the state (murmur3's fmix32)
 * so that neighbouring n-grams land in unrelated buckets.
 */
export function hashStep(state: number, charCode: number): number {
  return Math.imul(state ^ charCode, 0x01000193);
}

export function finish(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two finished hashes into one (word bigrams, negation marks, feature kinds). */
export function combine(a: number, b: number): number {
  return finish(Math.imul(a ^ 0x9e3779b9, 0x01000193) ^ b);
}

export function hashString(text: string, seed: number): number {
  let state = seed ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) state = hashStep(state, text.charCodeAt(i));
  return finish(state);
}
