import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, browserSession, fakeApi } from './support/fake-api.js';
import { renderAt, signedIn, signedOut } from './support/render.js';

// uPlot draws on a canvas, which the test DOM does not have; the browser tests see the real chart.
vi.mock('../src/pages/searches/InterestChart.js', () => ({
  InterestChart: ({ data }: { data: { keywords: string[] } }) => <div role="img" aria-label={`chart of ${data.keywords.join(', ')}`} />,
}));

afterEach(() => signedOut());

const search = {
  id: 's-1',
  status: 'completed',
  keywords: ['pizza', 'bagel'],
  geo: 'US',
  timeframe: { name: 'past-12-months', start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' },
  property: 'web',
  generate: null,
  watchId: null,
  attempts: 1,
  lastError: null,
  failureReason: null,
  cached: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  completedAt: '2025-01-01T00:00:10.000Z',
};

const results = {
  fetchedAt: '2025-01-01T00:00:10.000Z',
  interestOverTime: {
    keywords: ['pizza', 'bagel'],
    averages: [60, 20],
    points: [
      { time: '2024-01-07T00:00:00.000Z', formattedTime: 'Jan 7, 2024', values: [55, 20], hasData: [true, true], isPartial: false },
      { time: '2024-01-14T00:00:00.000Z', formattedTime: 'Jan 14, 2024', values: [100, 0], hasData: [true, false], isPartial: true },
    ],
  },
  interestByRegion: {
    keywords: ['pizza', 'bagel'],
    regions: [
      { code: 'US-NY', name: 'New York', values: [80, 100], hasData: [true, true] },
      { code: 'US-CA', name: 'California', values: [100, 30], hasData: [true, true] },
    ],
  },
  relatedQueries: [{ keyword: 'pizza', top: [{ query: 'pizza near me', value: 100, formattedValue: '100', link: null }], rising: [{ query: 'pizza oven', value: 5000, formattedValue: 'Breakout', link: null, breakout: true }] }],
  relatedTopics: [{ keyword: 'pizza', top: [{ mid: '/m/1', title: 'Pizza', type: 'Dish', value: 100, formattedValue: '100' }], rising: [] }],
};

const signIn = { 'POST /api/users/sessions/browser': { body: browserSession() } };

describe('searches', () => {
  it('when a new search is sent with drafts asked for, then the request carries the keywords, region, period and the drafts options', async () => {
    const api = fakeApi({
      ...signIn,
      'POST /api/trends/searches': { status: 202, body: { id: 's-1', status: 'queued', statusUrl: 'x' } },
      'GET /api/trends/searches/s-1': { body: { ...search, results } },
    });
    await signedIn();
    renderAt('/searches/new');

    await userEvent.type(await screen.findByLabelText('Keywords'), 'pizza,  bagel ');
    await userEvent.type(screen.getByLabelText('Region'), 'us-ny');
    await userEvent.selectOptions(screen.getByLabelText('Period'), 'past-30-days');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Write post drafts from the results' }));
    await userEvent.selectOptions(screen.getByLabelText('Tone'), 'witty');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'pizza, bagel' })).toBeTruthy();
    expect(api.requests('POST', '/api/trends/searches')[0]?.body).toEqual({
      keywords: ['pizza', 'bagel'],
      geo: 'US-NY',
      timeframe: 'past-30-days',
      property: 'web',
      generate: { count: 3, tone: 'witty', channel: 'timeline' },
    });
  });

  it('when the keywords are too many or repeated, then the form says so next to the field without asking the server', async () => {
    const api = fakeApi({ ...signIn });
    await signedIn();
    renderAt('/searches/new');

    await userEvent.type(await screen.findByLabelText('Keywords'), 'a, b, c, d, e, f');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));

    expect(screen.getByText('Google Trends compares at most 5 keywords at once.')).toBeTruthy();
    expect(screen.getByLabelText('Keywords').getAttribute('aria-invalid')).toBe('true');
    expect(api.requests('POST', '/api/trends/searches')).toHaveLength(0);
  });

  it('when the server refuses a field, then its message shows under that field', async () => {
    fakeApi({ ...signIn, 'POST /api/trends/searches': apiError(400, 'VALIDATION_FAILED', 'Invalid request', [{ path: 'body.geo', message: 'is not a known region' }]) });
    await signedIn();
    renderAt('/searches/new');

    await userEvent.type(await screen.findByLabelText('Keywords'), 'pizza');
    await userEvent.type(screen.getByLabelText('Region'), 'ZZ');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));

    expect(await screen.findByText('Is not a known region')).toBeTruthy();
  });

  it('when a search is still running, then its page follows it until the results arrive', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = fakeApi({
      ...signIn,
      'GET /api/trends/searches/s-1': [{ body: { ...search, status: 'running', results: null } }, { body: { ...search, results } }],
    });
    await signedIn();
    renderAt('/searches/s-1');

    expect(await screen.findByText(/Asking Google Trends/)).toBeTruthy();
    await vi.advanceTimersByTimeAsync(2_100);

    expect(await screen.findByRole('img', { name: 'chart of pizza, bagel' })).toBeTruthy();
    expect(api.requests('GET', '/api/trends/searches/s-1')).toHaveLength(2);
  });

  it('when results are in, then regions, rising and top queries and topics are listed', async () => {
    fakeApi({ ...signIn, 'GET /api/trends/searches/s-1': { body: { ...search, results } } });
    await signedIn();
    renderAt('/searches/s-1');

    const regions = await screen.findByRole('table', { name: 'Interest by region, highest first' });
    const rows = within(regions).getAllByRole('row');
    expect(rows[1]!.textContent).toContain('New York');
    expect(screen.getByText('pizza oven')).toBeTruthy();
    expect(screen.getByText('Breakout')).toBeTruthy();
    expect(screen.getByText('pizza near me')).toBeTruthy();
    expect(screen.getByText('Pizza (Dish)')).toBeTruthy();
    expect(screen.getByText('Jan 14, 2024 (so far)')).toBeTruthy();
  });

  it('when there are no searches, then the empty list invites the first one', async () => {
    fakeApi({ ...signIn, 'GET /api/trends/searches': { body: { items: [], nextCursor: null } } });
    await signedIn();
    renderAt('/searches');

    expect((await screen.findByRole('link', { name: 'Start your first search' })).getAttribute('href')).toBe('/searches/new');
  });
});
