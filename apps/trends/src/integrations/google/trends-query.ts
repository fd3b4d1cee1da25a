export const searchProperties = ['web', 'news', 'images', 'youtube', 'froogle'] as const;
export type SearchProperty = (typeof searchProperties)[number];

/** One Google Trends question: up to five keywords compared over one region and period. */
export interface TrendsQuery {
  keywords: string[];
  /** ISO 3166-1 alpha-2 country, optionally with a subdivision (US, US-NY); '' is worldwide. */
  geo: string;
  startTime: Date;
  endTime: Date;
  /** Google's category id; 0 is all categories. */
  category: number;
  property: SearchProperty;
}

/** google-trends-api (and Google) call web search '' and Google Shopping 'froogle'. */
export function libraryProperty(property: SearchProperty): '' | 'images' | 'news' | 'youtube' | 'froogle' {
  return property === 'web' ? '' : property;
}
