export type { SentimentLabel, SentimentResult, SentimentScorer } from './scorer.js';
export { sentimentLabels, sentimentResultSchema } from './scorer.js';
export { OfflineSentimentScorer, loadOfflineScorer, defaultModelPath, maxScoredLength } from './offline-scorer.js';
export { SentimentModelError } from './model-file.js';
