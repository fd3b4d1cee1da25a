import { classCount } from '../../src/sentiment/linear-model.js';
import { naiveBayesRatios } from './naive-bayes-ratios.js';
import { shuffledIndices } from './random.js';
import type { SparseRows } from './sparse-rows.js';

export interface RegressionOptions {
  /** L2 penalty on the feature weights (not the biases), per unit of training weight. */
  l2: number;
  /** Weight of each class's examples in the loss; 'balanced' gives every class the same total. */
  classWeighting: 'balanced' | 'none';
  /** Balanced weights raised to this power (1: every class counts the same; 0: unweighted). */
  classWeightPower?: number;
  /** AdaGrad's base step and the starting value of its squared-gradient sums. */
  learningRate: number;
  initialAccumulator: number;
  epochs: number;
  /** Return the mean of the weights over the last half of the steps instead of the last weights. */
  averaged: boolean;
  /** Scale each feature, per class, by its Naive Bayes log-count ratio (NBSVM-style), folded into the weights at the end. */
  naiveBayesScaling: boolean;
  /** Seeds the order in which examples are visited. */
  seed: number;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/** Weights per column: weights[column * 3 + class], then the 3 biases. */
export interface TrainedRegression {
  weights: Float64Array;
  bias: Float64Array;
  /** Mean weighted cross-entropy over the last epoch, as it was seen. */
  loss: number;
}

/** Per class: total / (classes × count), from the labels given (the training data's own mix). */
export function balancedClassWeights(labels: readonly number[]): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const label of labels) counts[label] = (counts[label] as number) + 1;
  return counts.map((count) => (count > 0 ? labels.length / (classCount * count) : 0));
}

/**
 * Multinomial logistic regression (softmax) on weighted cross-entropy, fitted by AdaGrad over
 * the examples in a seeded random order each epoch. The L2 penalty is applied to the weights an
 * example touches, as it is seen (the usual sparse form: frequent features are held back more).
 */
export function trainSoftmaxRegression(matrix: SparseRows, labels: readonly number[], options: RegressionOptions): TrainedRegression {
  const power = options.classWeightPower ?? 1;
  const classWeights = options.classWeighting === 'balanced' ? balancedClassWeights(labels).map((w) => w ** power) : [1, 1, 1];
  const weightCount = matrix.columnCount * classCount;
  const weights = new Float64Array(weightCount);
  const squares = new Float64Array(weightCount).fill(options.initialAccumulator);
  const bias = new Float64Array(classCount);
  const biasSquares = new Float64Array(classCount).fill(options.initialAccumulator);
  const { rowStart, columns, values } = matrix;
  const { l2, learningRate } = options;
  const scales = options.naiveBayesScaling ? naiveBayesRatios(matrix, labels) : new Float64Array(weightCount).fill(1);
  // Averaging without touching every weight at every step: with t counting the averaged steps,
  // mean = last weights − Σ (t − 1)·change_t / T, so each change also goes into `weighted`.
  const averageFrom = options.averaged ? Math.floor(options.epochs / 2) * matrix.rowCount : Infinity;
  const weighted = options.averaged ? new Float64Array(weightCount) : undefined;
  const weightedBias = new Float64Array(classCount);
  let stepNumber = 0;
  let loss = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    loss = 0;
    for (const row of shuffledIndices(matrix.rowCount, options.seed + epoch)) {
      stepNumber++;
      const age = stepNumber > averageFrom ? stepNumber - averageFrom - 1 : 0;
      const from = rowStart[row] as number;
      const to = rowStart[row + 1] as number;
      let z0 = bias[0] as number;
      let z1 = bias[1] as number;
      let z2 = bias[2] as number;
      for (let i = from; i < to; i++) {
        const at = (columns[i] as number) * 3;
        const v = values[i] as number;
        z0 += (weights[at] as number) * v * (scales[at] as number);
        z1 += (weights[at + 1] as number) * v * (scales[at + 1] as number);
        z2 += (weights[at + 2] as number) * v * (scales[at + 2] as number);
      }
      const top = Math.max(z0, z1, z2);
      const e0 = Math.exp(z0 - top);
      const e1 = Math.exp(z1 - top);
      const e2 = Math.exp(z2 - top);
      const sum = e0 + e1 + e2;
      const label = labels[row] as number;
      const w = classWeights[label] as number;
      loss -= w * Math.log(Math.max(1e-300, (label === 0 ? e0 : label === 1 ? e1 : e2) / sum));
      const g0 = w * (e0 / sum - (label === 0 ? 1 : 0));
      const g1 = w * (e1 / sum - (label === 1 ? 1 : 0));
      const g2 = w * (e2 / sum - (label === 2 ? 1 : 0));
      for (let i = from; i < to; i++) {
        const at = (columns[i] as number) * 3;
        const v = values[i] as number;
        step(weights, squares, weighted, age, at, g0 * v * (scales[at] as number) + l2 * (weights[at] as number), learningRate);
        step(weights, squares, weighted, age, at + 1, g1 * v * (scales[at + 1] as number) + l2 * (weights[at + 1] as number), learningRate);
        step(weights, squares, weighted, age, at + 2, g2 * v * (scales[at + 2] as number) + l2 * (weights[at + 2] as number), learningRate);
      }
      step(bias, biasSquares, weighted && weightedBias, age, 0, g0, learningRate);
      step(bias, biasSquares, weighted && weightedBias, age, 1, g1, learningRate);
      step(bias, biasSquares, weighted && weightedBias, age, 2, g2, learningRate);
    }
    options.onEpoch?.(epoch + 1, loss / matrix.rowCount);
  }
  if (weighted !== undefined) {
    const averagedSteps = stepNumber - averageFrom;
    for (let i = 0; i < weightCount; i++) weights[i] = (weights[i] as number) - (weighted[i] as number) / averagedSteps;
    for (let k = 0; k < classCount; k++) bias[k] = (bias[k] as number) - (weightedBias[k] as number) / averagedSteps;
  }
  for (let i = 0; i < weightCount; i++) weights[i] = (weights[i] as number) * (scales[i] as number);
  return { weights, bias, loss: loss / matrix.rowCount };
}

function step(
  weights: Float64Array,
  squares: Float64Array,
  weighted: Float64Array | undefined,
  age: number,
  at: number,
  gradient: number,
  learningRate: number,
): void {
  const accumulated = (squares[at] as number) + gradient * gradient;
  squares[at] = accumulated;
  const change = -(learningRate * gradient) / Math.sqrt(accumulated);
  weights[at] = (weights[at] as number) + change;
  if (weighted !== undefined && age > 0) weighted[at] = (weighted[at] as number) + age * change;
}

/** Class probabilities of every row, 3 per row. */
export function predictRows(model: TrainedRegression, matrix: SparseRows): Float64Array {
  const out = new Float64Array(matrix.rowCount * classCount);
  for (let row = 0; row < matrix.rowCount; row++) {
    const z = [model.bias[0] as number, model.bias[1] as number, model.bias[2] as number];
    for (let i = matrix.rowStart[row] as number; i < (matrix.rowStart[row + 1] as number); i++) {
      const at = (matrix.columns[i] as number) * 3;
      const v = matrix.values[i] as number;
      for (let k = 0; k < 3; k++) z[k] = (z[k] as number) + (model.weights[at + k] as number) * v;
    }
    const top = Math.max(...z);
    const e = z.map((value) => Math.exp(value - top));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < 3; k++) out[row * 3 + k] = (e[k] as number) / sum;
  }
  return out;
}

export function argmaxRows(probabilities: Float64Array): number[] {
  const labels: number[] = [];
  for (let i = 0; i < probabilities.length; i += 3) {
    const a = probabilities[i] as number;
    const b = probabilities[i + 1] as number;
    const c = probabilities[i + 2] as number;
    labels.push(a >= b && a >= c ? 0 : b >= c ? 1 : 2);
  }
  return labels;
}
