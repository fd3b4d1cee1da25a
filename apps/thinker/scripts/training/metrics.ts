/** TweetEval's measures over 3 classes: macro-averaged recall (its official score), accuracy, macro-F1. */
export interface ClassificationScores {
  macroRecall: number;
  accuracy: number;
  macroF1: number;
  recall: number[];
  /** confusion[truth][predicted] */
  confusion: number[][];
}

export function classificationScores(truth: readonly number[], predicted: readonly number[], classes = 3): ClassificationScores {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => {
    const row = confusion[t] as number[];
    row[predicted[i] as number] = (row[predicted[i] as number] as number) + 1;
  });
  const recall: number[] = [];
  const f1: number[] = [];
  let correct = 0;
  for (let k = 0; k < classes; k++) {
    const hits = (confusion[k] as number[])[k] as number;
    correct += hits;
    const actual = (confusion[k] as number[]).reduce((a, b) => a + b, 0);
    const claimed = confusion.reduce((sum, row) => sum + (row[k] as number), 0);
    const r = actual > 0 ? hits / actual : 0;
    const p = claimed > 0 ? hits / claimed : 0;
    recall.push(r);
    f1.push(r + p > 0 ? (2 * r * p) / (r + p) : 0);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { macroRecall: mean(recall), accuracy: correct / truth.length, macroF1: mean(f1), recall, confusion };
}

/** Spearman's rank correlation (ties get their mean rank). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (values: readonly number[]) => {
    const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
    const result = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
      for (let k = i; k <= j; k++) result[(order[k] as readonly [number, number])[1]] = (i + j) / 2;
      i = j + 1;
    }
    return result;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    const x = (ra[i] as number) - mean;
    const y = (rb[i] as number) - mean;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return num / Math.sqrt(da * db);
}
