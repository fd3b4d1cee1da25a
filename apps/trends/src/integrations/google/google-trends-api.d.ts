// google-trends-api ships no types; these describe the calls this service makes (v4.9).
declare module 'google-trends-api' {
  import type { Agent } from 'node:http';

  export interface InterestQuery {
    keyword: string | string[];
    startTime?: Date;
    endTime?: Date;
    geo?: string | string[];
    hl?: string;
    /** Minutes from UTC, as Date#getTimezoneOffset() gives them. */
    timezone?: number;
    category?: number;
    /** '' is web search. */
    property?: '' | 'images' | 'news' | 'youtube' | 'froogle';
    resolution?: 'COUNTRY' | 'REGION' | 'CITY' | 'DMA';
    granularTimeResolution?: boolean;
    agent?: Agent;
  }

  /** Every call resolves with the response body as a string: JSON when all went well, anything else when not. */
  type InterestCall = (query: InterestQuery) => Promise<string>;

  const googleTrends: {
    interestOverTime: InterestCall;
    interestByRegion: InterestCall;
    relatedQueries: InterestCall;
    relatedTopics: InterestCall;
    autoComplete: InterestCall;
  };
  export default googleTrends;
}
