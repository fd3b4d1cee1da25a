import { fileURLToPath } from 'node:url';

/** The labelled data shared beside the repository: `<repo>/../shared/fixtures/sentiment`. */
export const defaultDataDirectory = fileURLToPath(new URL('../../../../../shared/fixtures/sentiment', import.meta.url));
export const trainingFile = 'train/semeval2013_2016_task4a.jsonl';
export const validationDirectory = 'tweeteval';
export const vaderGroundTruthFile = 'vader_tweets_ground_truth.jsonl';
