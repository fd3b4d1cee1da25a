import type { OutboxOverview, OutboxSection, ParkedOutboxRow, ServiceRefusal } from '../domain/parked-outbox.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { paths } from './paths.js';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What happened to the last replay, as the page after it says. */
export type OutboxReplayNotice = { service: string; replayed: number } | { service: string; failed: ServiceRefusal | 'sign-in' };

const failures: Record<ServiceRefusal | 'sign-in', string> = {
  'sign-in': 'the access token from your sign-in has expired; sign in again',
  unreachable: 'the service could not be reached',
  'token-refused': 'the service did not accept your access token; sign in again',
  'not-admin': 'the service refused: your token is not an administrator’s',
  'no-outbox-routes': 'the service has no parked outbox routes',
  failed: 'the service could not do it',
};

function notice(o: OutboxReplayNotice | undefined): Html | '' {
  if (!o) return '';
  if ('replayed' in o) return html`<p class="notice" role="status">${o.service}: ${plural(o.replayed, 'row was', 'rows were')} handed back to the outbox relay.</p>`;
  return html`<p class="problem" role="alert">${o.service}: nothing was replayed: ${failures[o.failed]}.</p>`;
}

function field(term: string, value: string | number | null | undefined): Html | '' {
  return value === undefined || value === null ? '' : html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
}

function rowArticle(service: string, row: ParkedOutboxRow, index: number): Html {
  const id = `${service}-row-${index + 1}`;
  return html`<li>
    <article aria-labelledby="${id}">
      <h3 id="${id}">${row.type}</h3>
      <dl class="facts">
        ${field('Event id', row.eventId)}
        ${field('Created at', row.createdAt)}
        ${field('Parked at', row.parkedAt)}
        ${field('Attempts', row.attempts)}
        ${field('Refusals', row.refusals)}
        ${field('Last error', row.lastError)}
      </dl>
      <h4>Payload</h4>
      <pre class="body" tabindex="0" aria-label="Payload of ${service} row ${index + 1}">${JSON.stringify(row.payload, null, 2) ?? ''}</pre>
      <form method="post" action="${paths.outboxReplay(service)}">
        <input type="hidden" name="eventId" value="${row.eventId}">
        <button type="submit">Replay this row<span class="visually-hidden"> (${row.eventId})</span></button>
      </form>
    </article>
  </li>`;
}

function section(s: OutboxSection): Html {
  const heading = html`<h2 id="service-${s.service}">${s.service}</h2>`;
  if (s.state === 'unavailable') {
    return html`<section aria-labelledby="service-${s.service}">${heading}<p class="problem">Parked rows cannot be shown: ${s.problem}.</p></section>`;
  }
  const { count, rows } = s.listing;
  return html`<section aria-labelledby="service-${s.service}">
    ${heading}
    <p><strong>${plural(count, 'row is', 'rows are')} parked.</strong>${rows.length < count ? ` The oldest ${rows.length} are shown.` : ''}</p>
    ${
      count > 0
        ? html`<form method="post" action="${paths.outboxReplay(s.service)}">
            <button type="submit">Replay all<span class="visually-hidden"> ${plural(count, 'parked row', 'parked rows')} of ${s.service}</span></button>
          </form>
          <ol class="messages">${rows.map((row, index) => rowArticle(s.service, row, index))}</ol>`
        : ''
    }
  </section>`;
}

/** Every configured SQL service's parked outbox rows: count, inspect, replay one or all. */
export function parkedOutboxPage(o: { overview: OutboxOverview; notice?: OutboxReplayNotice | undefined }): string {
  const { overview } = o;
  let content: Html;
  if (overview.services.length === 0) {
    content = html`<p>No services configured: list them in <code>MONITOR_OUTBOX_SERVICES</code> (<code>users=http://users:3001,trends=http://trends:3002</code>).</p>`;
  } else if (overview.needsSignIn) {
    content = html`<p class="problem" role="alert">The access token from your sign-in has expired, and the services (${overview.services.join(', ')}) each need one to show their parked rows. <a href="${paths.signOut}">Sign out</a> and sign in again.</p>`;
  } else {
    content = html`${overview.sections.map(section)}`;
  }
  return layout({
    title: 'Parked outbox rows',
    signedIn: true,
    body: html`<h1>Parked outbox rows</h1>
      <p>Events a service saved but whose publishing the broker refused again and again: its outbox relay parked them and stopped trying. They live in that service’s own database, so the console asks each service. Fix the cause, then replay them: the relay publishes them again (refused again, they are parked again).</p>
      ${notice(o.notice)}
      ${content}`,
  });
}
