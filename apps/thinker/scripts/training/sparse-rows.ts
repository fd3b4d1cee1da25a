import type { Featuriser } from '../../src/sentiment/featuriser.js';
import { groupScale } from '../../src/sentiment/linear-model.js';

/**
 * Featurised texts in compressed-row form. Training works on the buckets that occur at all
 * (columns), not the whole hash table, which keeps the optimiser's vectors small.
 */
export interface SparseRows {
  rowCount: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
  columnCount: number;
  /** The hash bucket each column stands for. */
  bucketOfColumn: Int32Array;
}

export function featuriseAll(texts: readonly string[], featuriser: Featuriser, hashBits: number): SparseRows {
  const columnOfBucket = new Int32Array(1 << hashBits).fill(-1);
  const buckets: number[] = [];
  const rowStart = new Int32Array(texts.length + 1);
  let columns = new Int32Array(texts.length * 256);
  let values = new Float32Array(texts.length * 256);
  let used = 0;
  texts.forEach((text, row) => {
    const { buckets: featureBuckets, wordCount, charCount } = featuriser.featurise(text);
    const total = wordCount + charCount;
    if (used + total > columns.length) {
      const grown = Math.max(columns.length * 2, used + total);
      columns = copyInto(new Int32Array(grown), columns);
      values = copyInto(new Float32Array(grown), values);
    }
    const wordScale = groupScale(wordCount);
    const charScale = groupScale(charCount);
    for (let i = 0; i < total; i++) {
      const bucket = featureBuckets[i] as number;
      let column = columnOfBucket[bucket] as number;
      if (column < 0) {
        column = buckets.length;
        columnOfBucket[bucket] = column;
        buckets.push(bucket);
      }
      columns[used] = column;
      values[used] = i < wordCount ? wordScale : charScale;
      used++;
    }
    rowStart[row + 1] = used;
  });
  return {
    rowCount: texts.length,
    rowStart,
    columns: columns.slice(0, used),
    values: values.slice(0, used),
    columnCount: buckets.length,
    bucketOfColumn: Int32Array.from(buckets),
  };
}

/** The rows listed in `rows`, in that order, sharing the parent's columns. */
export function selectRows(matrix: SparseRows, rows: readonly number[]): SparseRows {
  let total = 0;
  for (const row of rows) total += (matrix.rowStart[row + 1] as number) - (matrix.rowStart[row] as number);
  const rowStart = new Int32Array(rows.length + 1);
  const columns = new Int32Array(total);
  const values = new Float32Array(total);
  let used = 0;
  rows.forEach((row, i) => {
    const from = matrix.rowStart[row] as number;
    const to = matrix.rowStart[row + 1] as number;
    columns.set(matrix.columns.subarray(from, to), used);
    values.set(matrix.values.subarray(from, to), used);
    used += to - from;
    rowStart[i + 1] = used;
  });
  return { ...matrix, rowCount: rows.length, rowStart, columns, values };
}

function copyInto<T extends Int32Array | Float32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
