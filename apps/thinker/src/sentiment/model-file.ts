import { createHash } from 'node:crypto';
import { z } from 'zod';
import { featuriserConfigSchema, featuriserVersion } from './featuriser-config.js';
import { sentimentLabels } from './sentiment-scorer.js';

/**
 * The weights file: 8 magic bytes, a little-endian uint32 header length, a UTF-8 JSON header,
 * then the weight table (int8 or int16, little-endian) starting at a multiple of 8 bytes.
 */
export const modelFormatVersion = 1;
const magic = Buffer.from('TCSENTIM', 'ascii');
const prefixBytes = magic.length + 4;

/**
 * A record whose values all pass `valid`, checked in one plain loop: the lexicon has thousands
 * of entries, and validating each through its own schema made loading 40 ms slower.
 */
function recordOf<T>(valid: (value: unknown) => value is T, what: string) {
  return z.custom<Record<string, T>>(
    (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => valid(entry)),
    { message: `expected an object of ${what}` },
  );
}
const isRating = (value: unknown): value is number => typeof value === 'number' && value >= -4 && value <= 4;
const isName = (value: unknown): value is string => typeof value === 'string';

export const modelHeaderSchema = z.strictObject({
  formatVersion: z.number().int(),
  featuriserVersion: z.number().int(),
  featuriser: featuriserConfigSchema,
  /** Fingerprint of what the featuriser makes of sample texts (see feature-hash.ts). */
  featureHash: z.string().regex(/^[0-9a-f]{16}$/),
  classes: z.tuple([z.literal(sentimentLabels[0]), z.literal(sentimentLabels[1]), z.literal(sentimentLabels[2])]),
  encoding: z.enum(['int8', 'int16']),
  /** Real weight = stored integer × scale. */
  scale: z.number().positive(),
  bias: z.tuple([z.number(), z.number(), z.number()]),
  weightCount: z.number().int().positive(),
  weightsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Prior polarity of words (normalised token → rating −4…4), when the featuriser uses one. */
  lexicon: recordOf(isRating, 'ratings from −4 to 4').optional(),
  /** Emoji → its Unicode name as the normaliser writes it, when the featuriser names emoji. */
  emojiNames: recordOf(isName, 'names').optional(),
  /** How the model was made, for people reading the file; not used to score. */
  training: z.record(z.string(), z.unknown()),
});
export type ModelHeader = z.infer<typeof modelHeaderSchema>;

export class SentimentModelError extends Error {
  override readonly name = 'SentimentModelError';
}

export interface ModelFile {
  header: ModelHeader;
  weights: Int8Array | Int16Array;
}

const bytesPerWeight = { int8: 1, int16: 2 } as const;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function weightBytes(weights: Int8Array | Int16Array): Uint8Array {
  return new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
}

export function encodeModelFile(header: Omit<ModelHeader, 'weightsSha256' | 'weightCount' | 'formatVersion'>, weights: Int8Array | Int16Array): Buffer {
  const complete: ModelHeader = {
    formatVersion: modelFormatVersion,
    ...header,
    weightCount: weights.length,
    weightsSha256: sha256(weightBytes(weights)),
  };
  const json = Buffer.from(JSON.stringify(complete), 'utf8');
  const padding = (8 - ((prefixBytes + json.length) % 8)) % 8;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length + padding);
  return Buffer.concat([magic, length, json, Buffer.alloc(padding, 0x20), weightBytes(weights)]);
}

/** Parses and checks a weights file; `source` names it in errors. The feature hash is checked by the caller. */
export function decodeModelFile(bytes: Uint8Array, source: string): ModelFile {
  const fail = (problem: string): never => {
    throw new SentimentModelError(`sentiment model ${source}: ${problem}`);
  };
  if (bytes.length < prefixBytes || !magic.equals(bytes.subarray(0, magic.length))) fail('not a sentiment model file (bad magic bytes)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(magic.length, true);
  if (prefixBytes + headerLength > bytes.length) fail(`truncated: header of ${headerLength} bytes does not fit in ${bytes.length}`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.subarray(prefixBytes, prefixBytes + headerLength)).toString('utf8'));
  } catch (error) {
    fail(`header is not JSON (${(error as Error).message})`);
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== modelFormatVersion) fail(`format version ${String(version)}, this code reads version ${modelFormatVersion}`);
  // Checked before the rest of the header, whose fields may have changed with the featuriser.
  const trainedWith = (json as { featuriserVersion?: unknown }).featuriserVersion;
  if (trainedWith !== featuriserVersion) {
    fail(`trained with featuriser version ${String(trainedWith)}, this code is version ${featuriserVersion}; retrain with npm run train:sentiment -w @trendcast/thinker`);
  }
  const parsed = modelHeaderSchema.safeParse(json);
  if (!parsed.success) fail(`invalid header: ${z.prettifyError(parsed.error)}`);
  const header = (parsed as { data: ModelHeader }).data;

  const start = prefixBytes + headerLength;
  const expectedBytes = header.weightCount * bytesPerWeight[header.encoding];
  if (bytes.length - start < expectedBytes) fail(`truncated: ${bytes.length - start} weight bytes, expected ${expectedBytes}`);
  if (bytes.length - start > expectedBytes) fail(`${bytes.length - start - expectedBytes} unexpected bytes after the weights`);
  // Copied so the typed array is aligned whatever buffer the bytes came in.
  const raw = new Uint8Array(bytes.subarray(start, start + expectedBytes));
  if (sha256(raw) !== header.weightsSha256) fail('weights do not match their checksum (corrupted file)');
  const weights = header.encoding === 'int8' ? new Int8Array(raw.buffer) : new Int16Array(raw.buffer);
  const buckets = 2 ** header.featuriser.hashBits;
  if (header.weightCount !== buckets * 3) fail(`${header.weightCount} weights, expected 3 per bucket (${buckets * 3})`);
  return { header, weights };
}
