import { useState } from 'react';
import type { TrendResults } from '../../lib/api/trends.js';

export function InterestTable({ data }: { data: TrendResults['interestOverTime'] }) {
  return (
    <details className="data-table">
      <summary>Interest over time as a table</summary>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {data.keywords.map((keyword) => (
                <th scope="col" key={keyword}>
                  {keyword}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.points.map((point) => (
              <tr key={point.time}>
                <th scope="row">
                  {point.formattedTime}
                  {point.isPartial ? ' (so far)' : ''}
                </th>
                {data.keywords.map((keyword, k) => (
                  <td key={keyword}>{point.hasData[k] === false ? '—' : point.values[k]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

const shownRegions = 15;

export function RegionTable({ data }: { data: TrendResults['interestByRegion'] }) {
  const [all, setAll] = useState(false);
  const regions = [...data.regions].sort((a, b) => Math.max(...b.values) - Math.max(...a.values));
  if (regions.length === 0) return <p className="empty">Google has no regional breakdown for this search.</p>;
  const visible = all ? regions : regions.slice(0, shownRegions);
  return (
    <>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Interest by region, highest first</caption>
          <thead>
            <tr>
              <th scope="col">Region</th>
              {data.keywords.map((keyword) => (
                <th scope="col" key={keyword}>
                  {keyword}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((region) => (
              <tr key={region.code || region.name}>
                <th scope="row">{region.name}</th>
                {data.keywords.map((keyword, k) => (
                  <td key={keyword}>
                    {region.hasData[k] === false ? (
                      '—'
                    ) : (
                      <span className="bar-cell">
                        <span className="bar" style={{ width: `${region.values[k] ?? 0}%` }} aria-hidden="true" />
                        {region.values[k]}
                      </span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {regions.length > shownRegions ? (
        <button type="button" className="button-secondary" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? `Show the top ${shownRegions}` : `Show all ${regions.length} regions`}
        </button>
      ) : null}
    </>
  );
}

interface Ranked {
  label: string;
  formattedValue: string;
  breakout?: boolean;
}

function RankedList({ title, items }: { title: string; items: Ranked[] }) {
  return (
    <div>
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ol className="ranked">
          {items.slice(0, 10).map((item, index) => (
            <li key={`${item.label}-${index}`}>
              <span>{item.label}</span>
              <span className={item.breakout ? 'badge badge-breakout' : 'ranked-value'}>{item.breakout ? 'Breakout' : item.formattedValue}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function RelatedQueries({ data }: { data: TrendResults['relatedQueries'] }) {
  if (data.length === 0) return <p className="empty">Google has no related queries for this search.</p>;
  return (
    <>
      {data.map((entry) => (
        <section key={entry.keyword} className="related">
          <h3>{entry.keyword}</h3>
          <div className="columns">
            <RankedList title="Rising" items={entry.rising.map((q) => ({ label: q.query, formattedValue: q.formattedValue, breakout: q.breakout }))} />
            <RankedList title="Top" items={entry.top.map((q) => ({ label: q.query, formattedValue: q.formattedValue }))} />
          </div>
        </section>
      ))}
    </>
  );
}

export function RelatedTopics({ data }: { data: TrendResults['relatedTopics'] }) {
  if (data.length === 0) return <p className="empty">Google has no related topics for this search.</p>;
  return (
    <>
      {data.map((entry) => (
        <section key={entry.keyword} className="related">
          <h3>{entry.keyword}</h3>
          <div className="columns">
            <RankedList title="Rising" items={entry.rising.map((t) => ({ label: `${t.title} (${t.type})`, formattedValue: t.formattedValue, breakout: t.breakout }))} />
            <RankedList title="Top" items={entry.top.map((t) => ({ label: `${t.title} (${t.type})`, formattedValue: t.formattedValue }))} />
          </div>
        </section>
      ))}
    </>
  );
}
