/** Typed, validated Google Trends data as this service stores and serves it. */

export interface TimelinePoint {
  /** Start of the period (ISO 8601, UTC). */
  time: string;
  formattedTime: string;
  /** One value (0–100) per keyword, in the order of `keywords`. */
  values: number[];
  hasData: boolean[];
  /** True for the last point while its period is still running: its values will still change. */
  isPartial: boolean;
}

export interface InterestOverTime {
  keywords: string[];
  points: TimelinePoint[];
  /** Google's averages over the whole timeframe, one per keyword, when it sends them. */
  averages: number[] | null;
}

export interface RankedQuery {
  query: string;
  value: number;
  formattedValue: string;
  link: string | null;
}

export interface RisingQuery extends RankedQuery {
  /** Google says "Breakout" for growth above +5000%. */
  breakout: boolean;
}

export interface RelatedQueries {
  keyword: string;
  top: RankedQuery[];
  rising: RisingQuery[];
}

export interface RankedTopic {
  mid: string;
  title: string;
  type: string;
  value: number;
  formattedValue: string;
}

export interface RelatedTopics {
  keyword: string;
  top: RankedTopic[];
  rising: (RankedTopic & { breakout: boolean })[];
}

export interface RegionInterest {
  code: string;
  name: string;
  /** One value per keyword, in the order of `keywords`. */
  values: number[];
  hasData: boolean[];
}

export interface InterestByRegion {
  keywords: string[];
  regions: RegionInterest[];
}

export interface TrendResults {
  interestOverTime: InterestOverTime;
  interestByRegion: InterestByRegion;
  relatedQueries: RelatedQueries[];
  relatedTopics: RelatedTopics[];
}
