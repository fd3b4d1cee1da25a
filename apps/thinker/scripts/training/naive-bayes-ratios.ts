import { classCount } from '../../src/sentiment/linear-model.js';
import type { SparseRows } from './sparse-rows.js';

/**
 * Naive Bayes log-count ratios per column and class (Wang & Manning's NBSVM, one class against
 * the others): log of how much more often a feature occurs in that class's texts than in the
 * rest, with add-`alpha` smoothing. Scaling features by them makes the L2 penalty lighter on
 * features that Naive Bayes already finds telling.
 */
export function naiveBayesRatios(matrix: SparseRows, labels: readonly number[], alpha = 1): Float64Array {
  const inClass = new Float64Array(matrix.columnCount * classCount);
  const seenInRow = new Int32Array(matrix.columnCount).fill(-1);
  const totals = new Float64Array(classCount);
  for (let row = 0; row < matrix.rowCount; row++) {
    const label = labels[row] as number;
    for (let i = matrix.rowStart[row] as number; i < (matrix.rowStart[row + 1] as number); i++) {
      const column = matrix.columns[i] as number;
      if (seenInRow[column] === row) continue;
      seenInRow[column] = row;
      inClass[column * classCount + label] = (inClass[column * classCount + label] as number) + 1;
      totals[label] = (totals[label] as number) + 1;
    }
  }
  const all = totals.reduce((a, b) => a + b, 0);
  const smoothing = alpha * matrix.columnCount;
  const ratios = new Float64Array(matrix.columnCount * classCount);
  for (let column = 0; column < matrix.columnCount; column++) {
    let everywhere = 0;
    for (let k = 0; k < classCount; k++) everywhere += inClass[column * classCount + k] as number;
    for (let k = 0; k < classCount; k++) {
      const here = inClass[column * classCount + k] as number;
      const p = (alpha + here) / (smoothing + (totals[k] as number));
      const q = (alpha + everywhere - here) / (smoothing + all - (totals[k] as number));
      ratios[column * classCount + k] = Math.log(p / q);
    }
  }
  return ratios;
}
