/**
 * Rounds weights to integers sharing one scale. The scale maps the largest weight to the top of
 * the integer range, so no weight is clipped.
 */
export function quantise(weights: Float64Array, encoding: 'int8' | 'int16'): { weights: Int8Array | Int16Array; scale: number } {
  const top = encoding === 'int8' ? 127 : 32767;
  let largest = 0;
  for (const w of weights) largest = Math.max(largest, Math.abs(w));
  const scale = largest > 0 ? largest / top : 1;
  const out = encoding === 'int8' ? new Int8Array(weights.length) : new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = Math.round((weights[i] as number) / scale);
  return { weights: out, scale };
}
