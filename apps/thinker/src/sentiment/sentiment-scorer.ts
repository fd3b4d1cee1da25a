export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export interface SentimentResult { label: SentimentLabel; score: number; confidence: number; model: string }
export interface SentimentScorer { readonly name: string; score(texts: readonly string[]): Promise<SentimentResult[]> }
