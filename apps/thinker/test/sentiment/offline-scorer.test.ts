import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadOfflineScorer,
  maxScoredLength,
  sentimentResultSchema,
  type OfflineSentimentScorer,
  type SentimentScorer,
} from '../../src/sentiment/index.js';

// Written for these tests (none is from the validation split or the training data).
const positives = [
  'I absolutely love this new phone, best purchase ever!',
  'What a wonderful day with my family :)',
  'Congratulations on the new job, so happy for you!!',
  'This pizza is amazing, thank you so much',
  'Had a great time at the concert last night, awesome show',
  'So excited for the weekend! 😍',
];
const negatives = [
  'This is the worst service I have ever had, absolutely terrible',
  'I hate waiting in line for hours, so annoying',
  'My flight got cancelled again. Awful experience :(',
  'Feeling sick and miserable today',
  'The update broke everything, what a disaster',
  'So disappointed and angry with this company',
];
const neutrals = [
  'The meeting is scheduled for Tuesday at 3pm',
  'The store opens at 9am on Saturdays',
  'New episode airs on Thursday on channel 4',
  'The report will be published next month',
  'Train to Boston leaves from platform 2',
  'The conference takes place in Berlin in October',
];

let scorer: OfflineSentimentScorer;
beforeAll(() => {
  scorer = loadOfflineScorer();
});

describe('the offline sentiment scorer', () => {
  it('when a text is plainly positive, negative or neutral, then it gets that label', async () => {
    const labels = async (texts: string[]) => (await scorer.score(texts)).map((r) => r.label);
    expect(await labels(positives)).toEqual(positives.map(() => 'positive'));
    expect(await labels(negatives)).toEqual(negatives.map(() => 'negative'));
    expect(await labels(neutrals)).toEqual(neutrals.map(() => 'neutral'));
  });

  it('when a text is only emoji, which the training tweets never had, then their names carry the sentiment', async () => {
    const [angry, adoring] = await scorer.score(['😡😡', '😍😍']);
    expect(angry?.label).toBe('negative');
    expect(adoring?.label).toBe('positive');
  });

  it('when a sentiment word is negated, then the polarity changes', async () => {
    const [plain, negated] = await scorer.score(['this movie was good', 'this movie was not good']);
    expect(negated?.score).toBeLessThan(plain?.score as number);
  });

  it('when texts are scored, then score is within −1..1, confidence within 0..1, and the sign follows the label', async () => {
    const results = await scorer.score([...positives, ...negatives, ...neutrals, '!!!', '😂😂😂', 'a'.repeat(300)]);
    for (const result of results) {
      expect(sentimentResultSchema.parse(result)).toEqual(result);
      expect(result.score).toBeGreaterThanOrEqual(-1);
      expect(result.score).toBeLessThanOrEqual(1);
      expect(result.confidence).toBeGreaterThanOrEqual(1 / 3);
      expect(result.confidence).toBeLessThanOrEqual(1);
      if (result.label === 'positive') expect(result.score).toBeGreaterThan(0);
      if (result.label === 'negative') expect(result.score).toBeLessThan(0);
    }
  });

  it('when the same texts are scored twice, or by a second loaded scorer, then the results are identical', async () => {
    const texts = [...positives, ...negatives, ...neutrals];
    const first = await scorer.score(texts);
    const again = await scorer.score(texts);
    const other: SentimentScorer = loadOfflineScorer();
    expect(again).toEqual(first);
    expect(await other.score(texts)).toEqual(first);
    // Scoring one text at a time gives the same as in a batch (no state leaks between texts).
    expect(await Promise.all(texts.map(async (t) => (await scorer.score([t]))[0]))).toEqual(first);
  });

  it('when a text is empty or blank, then it is neutral with score 0', async () => {
    const results = await scorer.score(['', '   ', '\t']);
    for (const result of results) expect(result).toMatchObject({ label: 'neutral', score: 0 });
  });

  it('when a text is far longer than a post, then it is scored on its first part', async () => {
    const long = `${'I love it so much. '.repeat(maxScoredLength / 10)}`;
    const [result] = await scorer.score([long]);
    expect(result?.label).toBe('positive');
  });

  it('when no texts are given, then no results come back', async () => {
    expect(await scorer.score([])).toEqual([]);
  });
});
