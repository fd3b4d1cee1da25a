export type { SentimentLabel, SentimentResult, SentimentScorer } from './sentiment-scorer.js';
export { sentimentLabels, sentimentResultSchema } from './sentiment-scorer.js';
export { OfflineSentimentScorer, loadOfflineScorer, defaultModelPath, maxScoredLength } from './offline-scorer.js';
export { SentimentModelError } from './model-file.js';
