import { html, type Html } from './html.js';
import { paths } from './paths.js';

/** The frame of every page the monitor renders itself (Bull Board renders its own). */
export function layout(o: { title: string; signedIn: boolean; body: Html; script?: string }): string {
  const navigation = o.signedIn
    ? html`<nav aria-label="Console">
        <ul>
          <li><a href="${paths.board}">Queues</a></li>
          <li><a href="${paths.deadLetters}">Dead letters</a></li>
          <li><a href="${paths.outbox}">Parked outbox rows</a></li>
          <li>
            <form method="post" action="${paths.signOut}"><button type="submit" class="link">Sign out</button></form>
          </li>
        </ul>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${o.title} · Trendcast operators</title>
    <link rel="stylesheet" href="${paths.asset('console.css')}">
    ${o.script ? html`<script src="${paths.asset(o.script)}" defer></script>` : ''}
  </head>
  <body>
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="top">
      <p class="brand">Trendcast operators</p>
      ${navigation}
    </header>
    <main id="main" tabindex="-1">
      ${o.body}
    </main>
  </body>
</html>
`.value;
}
