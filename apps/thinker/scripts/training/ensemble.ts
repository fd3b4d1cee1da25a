import { classCount } from '../../src/sentiment/linear-model.js';
import { trainSoftmaxRegression, type RegressionOptions, type TrainedRegression } from './logistic-regression.js';
import type { SparseRows } from './sparse-rows.js';

/**
 * Several regressions fitted to the same features, their logits averaged. Each member's logits
 * are linear in the features, so the mean of their weights is one linear model that scores
 * exactly as the average does: the ensemble costs training time, never scoring time.
 */
export function trainEnsemble(
  matrix: SparseRows,
  labels: readonly number[],
  members: readonly RegressionOptions[],
): TrainedRegression {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const weights = new Float64Array(matrix.columnCount * classCount);
  const bias = new Float64Array(classCount);
  let loss = 0;
  for (const options of members) {
    const member = trainSoftmaxRegression(matrix, labels, options);
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) + (member.weights[i] as number) / members.length;
    for (let k = 0; k < classCount; k++) bias[k] = (bias[k] as number) + (member.bias[k] as number) / members.length;
    loss += member.loss / members.length;
  }
  return { weights, bias, loss };
}
