import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sentimentLabels } from '../../src/sentiment/sentiment-scorer.js';

/** Class numbers follow `sentimentLabels`: 0 negative, 1 neutral, 2 positive (TweetEval's too). */
export interface LabelledText {
  text: string;
  label: number;
}

export interface RatedText extends LabelledText {
  /** Mean human rating from −4 to 4. */
  meanRating: number;
}

const labelSchema = z.enum(sentimentLabels);
const trainingRow = z.object({ text: z.string(), label: labelSchema });
const vaderRow = z.object({ text: z.string(), mean_rating: z.number(), label: labelSchema });

function jsonLines<T>(path: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${z.prettifyError(parsed.error)}`);
      rows.push(parsed.data);
    });
  return rows;
}

export function loadTrainingSet(path: string): LabelledText[] {
  return jsonLines(path, trainingRow).map((row) => ({ text: row.text, label: sentimentLabels.indexOf(row.label) }));
}

/** TweetEval's validation split: one tweet a line, labels 0/1/2 in a parallel file. */
export function loadTweetEvalSplit(directory: string, split: 'val' | 'test'): LabelledText[] {
  const lines = (file: string) => readFileSync(join(directory, file), 'utf8').replace(/\n$/, '').split('\n');
  const texts = lines(`${split}_text.txt`);
  const labels = lines(`${split}_labels.txt`).map((value) => z.coerce.number().int().min(0).max(2).parse(value));
  if (texts.length !== labels.length) throw new Error(`${directory}: ${texts.length} texts but ${labels.length} labels`);
  return texts.map((text, i) => ({ text, label: labels[i] as number }));
}

export function loadVaderGroundTruth(path: string): RatedText[] {
  return jsonLines(path, vaderRow).map((row) => ({
    text: row.text,
    label: sentimentLabels.indexOf(row.label),
    meanRating: row.mean_rating,
  }));
}
