import type { ParkedKind, ParkedListing, ParkedMessage, ParkedQueue } from '../domain/parked.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { paths } from './paths.js';

const kindLabels: Record<ParkedKind, string> = { 'dead-letter': 'dead letters', unrouted: 'unrouted events' };

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** After a replay the page says what happened. */
function replayedNotice(replayed: number | undefined): Html | '' {
  if (replayed === undefined) return '';
  return html`<p class="notice" role="status">${plural(replayed, 'message was', 'messages were')} replayed.</p>`;
}

function replayAllForm(queue: string, count: number): Html {
  return html`<form method="post" action="${paths.replay(queue)}">
    <button type="submit">Replay all<span class="visually-hidden"> ${plural(count, 'message', 'messages')} of ${queue}</span></button>
  </form>`;
}

/** Every parked queue with its count: the operator's starting point. */
export function parkedQueuesPage(o: { queues: readonly ParkedQueue[]; replayed?: number | undefined; outboxNote: string }): string {
  const rows = o.queues.map(
    (q) => html`<tr>
      <th scope="row"><a href="${paths.deadLetterQueue(q.queue)}">${q.queue}</a></th>
      <td>${kindLabels[q.kind]}</td>
      <td class="number">${q.messageCount}</td>
      <td>${q.messageCount > 0 ? replayAllForm(q.queue, q.messageCount) : html`<span class="quiet">nothing to replay</span>`}</td>
    </tr>`,
  );
  const waiting = o.queues.reduce((sum, q) => sum + q.messageCount, 0);
  return layout({
    title: 'Dead letters',
    signedIn: true,
    body: html`<h1>Dead letters and parked events</h1>
      <p>Events a consumer could not handle (after its retries, or at once when they do not parse) wait in its dead-letter queue; events published while nobody listened wait in their producer’s unrouted queue. Inspect them, fix the cause, then replay them.</p>
      ${replayedNotice(o.replayed)}
      <p><strong>${plural(waiting, 'message waits', 'messages wait')}</strong> in ${plural(o.queues.length, 'queue', 'queues')}.</p>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Parked-message queues">
        <table>
          <caption>Parked-message queues</caption>
          <thead><tr><th scope="col">Queue</th><th scope="col">Kind</th><th scope="col" class="number">Waiting</th><th scope="col">Replay</th></tr></thead>
          <tbody>${rows.length > 0 ? rows : html`<tr><td colspan="4">No parked-message queue exists yet.</td></tr>`}</tbody>
        </table>
      </div>
      <p class="quiet">${o.outboxNote} <a href="${paths.outbox}">Parked outbox rows</a></p>`,
  });
}

/** The body as a person reads it: JSON indented, anything else as it came; escaped either way by `html`. */
function prettyBody(message: ParkedMessage): string {
  return message.payload === undefined ? message.body : JSON.stringify(message.payload, null, 2);
}

function field(term: string, value: string | number | undefined): Html | '' {
  return value === undefined ? '' : html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
}

function messageArticle(queue: string, message: ParkedMessage, index: number): Html {
  const id = `message-${index + 1}`;
  const origin = [message.originalExchange, message.originalRoutingKey].filter(Boolean).join(' · ') || undefined;
  return html`<li>
    <article aria-labelledby="${id}">
      <h2 id="${id}">${message.type ?? 'Message without an event type'}</h2>
      <dl class="facts">
        ${field('Message id', message.messageId)}
        ${field('Reason', message.reason)}
        ${field('Error', message.error)}
        ${field('Attempts', message.attempts)}
        ${field('From queue', message.originalQueue)}
        ${field('Published to', origin)}
        ${field('Parked at', message.deadLetteredAt)}
        ${field('Replayed before at', message.replayedAt)}
        ${field('Correlation id', message.correlationId)}
      </dl>
      <h3>Body</h3>
      <pre class="body" tabindex="0" aria-label="Body of message ${index + 1}">${prettyBody(message)}</pre>
      ${
        message.messageId
          ? html`<form method="post" action="${paths.replay(queue)}">
              <input type="hidden" name="messageId" value="${message.messageId}">
              <button type="submit">Replay this message<span class="visually-hidden"> (${message.messageId})</span></button>
            </form>`
          : ''
      }
    </article>
  </li>`;
}

/** One parked queue: its oldest messages, inspectable, and the replay buttons. */
export function parkedQueuePage(o: { listing: ParkedListing; replayed?: number | undefined }): string {
  const { listing } = o;
  const shown = listing.messages.length;
  return layout({
    title: listing.queue,
    signedIn: true,
    body: html`<p><a href="${paths.deadLetters}">All parked-message queues</a></p>
      <h1>${listing.queue}</h1>
      ${replayedNotice(o.replayed)}
      <p>${plural(listing.count, 'message waits', 'messages wait')} (${kindLabels[listing.kind]}).${shown < listing.count ? ` The oldest ${shown} are shown.` : ''}</p>
      ${listing.count > 0 ? replayAllForm(listing.queue, listing.count) : ''}
      ${shown > 0 ? html`<ol class="messages">${listing.messages.map((message, index) => messageArticle(listing.queue, message, index))}</ol>` : html`<p>Nothing waits here.</p>`}`,
  });
}
