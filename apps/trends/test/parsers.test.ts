import { describe, expect, it } from 'vitest';
import { GoogleTrendsError } from '../src/integrations/google/google-trends-error.js';
import {
  parseInterestByRegion,
  parseInterestOverTime,
  parseRelatedQueries,
  parseRelatedTopics,
} from '../src/integrations/google/parsers.js';
import { fixture } from './fake-google/recordings.js';

function failureOf(parse: () => unknown): GoogleTrendsError {
  try {
    parse();
  } catch (error) {
    if (error instanceof GoogleTrendsError) return error;
    throw error;
  }
  throw new Error('expected the parser to fail');
}

describe('parsing recorded Google Trends answers', () => {
  it('when the multiline answer keeps its )]}\', prefix, then it parses into points per keyword with averages', () => {
    const body = fixture('widgetdata_multiline_pizza_bagel.body');
    expect(body.startsWith(")]}',\n")).toBe(true);

    const result = parseInterestOverTime(body, ['pizza', 'bagel']);

    expect(result.points).toHaveLength(5);
    expect(result.points[0]).toEqual({
      time: '2021-01-01T00:00:00.000Z',
      formattedTime: 'Jan 1, 2021',
      values: [100, 2],
      hasData: [true, true],
      isPartial: false,
    });
    expect(result.averages).toEqual([72, 2]);
  });

  it('when the last week is still running, then only that point is marked partial', () => {
    const result = parseInterestOverTime(fixture('widgetdata_multiline_partial.body'), ['pizza', 'bagel']);

    expect(result.points).toHaveLength(260);
    expect(result.points.at(-1)).toMatchObject({ isPartial: true, values: [58, 2] });
    expect(result.points.filter((point) => point.isPartial)).toHaveLength(1);
  });

  it('when the body was already stripped of its prefix (as google-trends-api returns it), then it parses the same', () => {
    const raw = fixture('widgetdata_multiline_pizza_bagel.body');
    const stripped = JSON.stringify(JSON.parse(raw.slice(5)));

    expect(parseInterestOverTime(stripped, ['pizza', 'bagel'])).toEqual(parseInterestOverTime(raw, ['pizza', 'bagel']));
  });

  it('when related queries come back, then TOP and RISING are split and "Breakout" is flagged', () => {
    const result = parseRelatedQueries(fixture('widgetdata_relatedsearches_QUERY_pizza.body'), 'pizza');

    expect(result.top).toHaveLength(25);
    expect(result.top[0]).toMatchObject({ query: 'pizza hut', value: 100, formattedValue: '100' });
    expect(result.rising).toHaveLength(11);
    expect(result.rising[0]).toMatchObject({ query: 'licorice pizza', formattedValue: 'Breakout', breakout: true });
    expect(result.rising[1]).toMatchObject({ query: 'history of pizza', formattedValue: '+400%', breakout: false });
  });

  it('when related topics come back, then each carries its Knowledge Graph id, title and type', () => {
    const result = parseRelatedTopics(fixture('widgetdata_relatedsearches_ENTITY_pizza.body'), 'pizza');

    expect(result.top[0]).toEqual({ mid: '/m/0663v', title: 'Pizza', type: 'Dish', value: 100, formattedValue: '100' });
    expect(result.rising[0]).toMatchObject({ title: 'Sam Goody', breakout: true });
  });

  it('when interest by region comes back, then every region keeps one value per keyword', () => {
    const result = parseInterestByRegion(fixture('widgetdata_comparedgeo_pizza_bagel.body'), ['pizza', 'bagel']);

    expect(result.regions).toHaveLength(250);
    expect(result.regions.find((region) => region.code === 'CA')).toEqual({
      code: 'CA',
      name: 'Canada',
      values: [98, 2],
      hasData: [true, true],
    });
  });

  it('when Google sends its HTML 404 page, then it is a retryable html_page failure naming the page', () => {
    const failure = failureOf(() => parseInterestOverTime(fixture('error_404_explore_page.html'), ['pizza']));

    expect(failure.kind).toBe('html_page');
    expect(failure.retryable).toBe(true);
    expect(failure.reason).toContain('Error 404 (Not Found)');
    expect(failure.details.status).toBe(404);
  });

  it('when Google sends its 429 page, then it is a retryable rate_limited failure', () => {
    const failure = failureOf(() => parseRelatedQueries(fixture('error_429_too_many_requests.html'), 'pizza'));

    expect(failure.kind).toBe('rate_limited');
    expect(failure.retryable).toBe(true);
    expect(failure.reason).toContain('429 Too Many Requests');
  });

  it('when the body is cut in half, then it is a retryable not_json failure saying so', () => {
    const whole = fixture('widgetdata_multiline_partial.body');

    const failure = failureOf(() => parseInterestOverTime(whole.slice(0, whole.length / 2), ['pizza', 'bagel']));

    expect(failure.kind).toBe('not_json');
    expect(failure.retryable).toBe(true);
    expect(failure.reason).toContain('cut short');
  });

  it('when the body is empty or an empty object, then it is a retryable empty result', () => {
    expect(failureOf(() => parseInterestOverTime('', ['pizza'])).kind).toBe('empty_body');
    expect(failureOf(() => parseInterestByRegion(")]}',\n{}", ['pizza'])).kind).toBe('empty_body');
    expect(failureOf(() => parseInterestOverTime(")]}',\n{}", ['pizza'])).retryable).toBe(true);
  });

  it('when the series holds no data point, then it is a no_data failure a person can understand', () => {
    const failure = failureOf(() => parseInterestOverTime(")]}',\n{\"default\":{\"timelineData\":[],\"averages\":[]}}", ['qwxzvbn']));

    expect(failure.kind).toBe('no_data');
    expect(failure.reason).toContain('no data for "qwxzvbn"');
  });

  it('when the JSON has a shape we do not know, then it is a permanent unexpected_shape failure', () => {
    const failure = failureOf(() => parseRelatedQueries(")]}',\n{\"default\":{\"rankedList\":\"soon\"}}", 'pizza'));

    expect(failure.kind).toBe('unexpected_shape');
    expect(failure.retryable).toBe(false);
  });

  it('when a series has fewer values than keywords, then it is refused rather than mislabelled', () => {
    const failure = failureOf(() => parseInterestOverTime(fixture('widgetdata_multiline_pizza_bagel.body'), ['pizza']));

    expect(failure.kind).toBe('unexpected_shape');
  });
});
