import { trainEnsemble } from './ensemble.js';
import { argmaxRows, predictRows, type RegressionOptions } from './logistic-regression.js';
import { classificationScores, type ClassificationScores } from './metrics.js';
import { shuffledIndices } from './random.js';
import { selectRows, type SparseRows } from './sparse-rows.js';

/**
 * k-fold cross-validation on the training data alone: how settings are chosen without looking
 * at the validation split. Every fold is scored; the mean of each measure is returned. Several
 * options make an ensemble (see ensemble.ts), fitted on each fold's training part.
 */
export function crossValidate(
  matrix: SparseRows,
  labels: readonly number[],
  options: RegressionOptions | readonly RegressionOptions[],
  folds: number,
  seed: number,
): { mean: Pick<ClassificationScores, 'macroRecall' | 'accuracy' | 'macroF1'>; perFold: ClassificationScores[] } {
  const order = shuffledIndices(matrix.rowCount, seed);
  const perFold: ClassificationScores[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const held = order.filter((_, i) => i % folds === fold);
    const kept = order.filter((_, i) => i % folds !== fold);
    const model = trainEnsemble(
      selectRows(matrix, kept),
      kept.map((row) => labels[row] as number),
      Array.isArray(options) ? options : [options as RegressionOptions],
    );
    const predicted = argmaxRows(predictRows(model, selectRows(matrix, held)));
    perFold.push(classificationScores(held.map((row) => labels[row] as number), predicted));
  }
  const mean = (pick: (s: ClassificationScores) => number) => perFold.reduce((sum, s) => sum + pick(s), 0) / folds;
  return {
    mean: { macroRecall: mean((s) => s.macroRecall), accuracy: mean((s) => s.accuracy), macroF1: mean((s) => s.macroF1) },
    perFold,
  };
}
