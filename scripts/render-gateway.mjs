#!/usr/bin/env node
// Renders gateway/nginx.conf for a local run or for the compose image, so both use the same rules.
//
//   node scripts/render-gateway.mjs [--target local|compose] [--out FILE] [--listen ADDR]
//        [--prefix DIR] [--log-dir DIR] [--services users,trends] [--upstream users=127.0.0.1:4001 ...]
//        [--web-root DIR] [--api-docs DIR] [--tls-cert FILE --tls-key FILE [--tls-listen ADDR]] [--set NAME=VALUE ...]
//
// local:   upstreams 127.0.0.1:<port>, listens on 127.0.0.1:8080 (GATEWAY_LISTEN), pid and temp files
//          under --prefix (default .local/nginx), logs in --log-dir (default <prefix>/logs);
//          services = the public apps (and the monitor's console) present in apps/.
// compose: upstreams <service>:<port> re-resolved through Docker's DNS, listens on 80, logs to stdout/stderr;
//          services = --services or GATEWAY_SERVICES (compose adds the tools: grafana at /grafana/, maildev at /mail/).
// The web app (the built apps/web/dist) is served at / from --web-root: by default apps/web/dist locally,
// /usr/share/trendcast/web in the compose image.
// TLS:     with --tls-cert and --tls-key (or GATEWAY_TLS_CERT / GATEWAY_TLS_KEY) the gateway also listens with
//          TLS on --tls-listen (local 127.0.0.1:8443, compose 443), redirects plain HTTP there and sends HSTS.
// --set:   overrides a template value, e.g. --set PROXY_TIMEOUT=2s (tests shorten the timeouts).
// With --out, the API page (/api/docs, scripts/render-api-docs.mjs) is written to --api-docs: by default
// <prefix>/api-docs locally, /usr/share/trendcast/api-docs in the compose image.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeApiDocs } from './render-api-docs.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Services reachable through the gateway, with their ports. notifier (3005) stays internal. */
export const publicServices = { users: 3001, trends: 3002, thinker: 3003, tweeter: 3004 };
/** Reached through the gateway at a path of their own (not /api/<name>/): the monitor's operators' console at /admin/queues. */
export const consoleServices = { monitor: 3006 };
/**
 * Web UIs of the compose deployment, routed only when listed (--services / GATEWAY_SERVICES): Grafana at
 * /grafana/ and the mail catcher at /mail/. A local run never lists them (maildev is at 127.0.0.1:1080).
 */
export const toolServices = { grafana: 3000, maildev: 1080 };
const routedServices = { ...publicServices, ...consoleServices, ...toolServices };

function fail(message) {
  console.error(`render-gateway: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'local' },
    out: { type: 'string' },
    listen: { type: 'string' },
    prefix: { type: 'string' },
    'log-dir': { type: 'string' },
    services: { type: 'string' },
    upstream: { type: 'string', multiple: true, default: [] },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-listen': { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    template: { type: 'string', default: join(repoRoot, 'gateway/nginx.conf') },
    'web-root': { type: 'string' },
    'api-docs': { type: 'string' },
  },
});

if (values.target !== 'local' && values.target !== 'compose') fail(`unknown --target "${values.target}"`);
const local = values.target === 'local';

function chosenServices() {
  const listed = values.services ?? (local ? undefined : process.env.GATEWAY_SERVICES);
  const names = listed
    ? listed.split(',').map((name) => name.trim()).filter(Boolean)
    : Object.keys({ ...publicServices, ...consoleServices }).filter((name) => existsSync(join(repoRoot, 'apps', name, 'package.json')));
  for (const name of names) if (!(name in routedServices)) fail(`"${name}" is not a public service`);
  if (names.length === 0) fail('no services to route');
  return names;
}

const overrides = new Map(
  values.upstream.map((pair) => {
    const [name, address] = pair.split('=');
    if (!name || !address) fail(`--upstream wants name=host:port, got "${pair}"`);
    return [name, address];
  }),
);

const routed = chosenServices().map((name) => ({
  SERVICE: name,
  UPSTREAM: overrides.get(name) ?? `${local ? '127.0.0.1' : name}:${routedServices[name]}`,
  // Containers get new addresses when they restart; nginx re-resolves names marked `resolve`.
  SERVER_OPTIONS: local ? '' : ' resolve',
}));
/** The services of /api/<name>/ ("#@each-service"); a console service has its own "#@if-service" blocks. */
const services = routed.filter((service) => service.SERVICE in publicServices);

const prefix = resolve(values.prefix ?? join(repoRoot, '.local/nginx'));
const logDir = resolve(values['log-dir'] ?? join(prefix, 'logs'));
const webRoot = resolve(values['web-root'] ?? (local ? join(repoRoot, 'apps/web/dist') : '/usr/share/trendcast/web'));
if (/[\s;{}'"$]/.test(webRoot)) fail(`--web-root "${webRoot}" holds characters nginx would misread`);
const apiDocsRoot = resolve(values['api-docs'] ?? (local ? join(prefix, 'api-docs') : '/usr/share/trendcast/api-docs'));
if (/[\s;{}'"$]/.test(apiDocsRoot)) fail(`--api-docs "${apiDocsRoot}" holds characters nginx would misread`);
const globals = local
  ? {
      WEB_ROOT: webRoot,
      API_DOCS_ROOT: apiDocsRoot,
      LISTEN: values.listen ?? process.env.GATEWAY_LISTEN ?? '127.0.0.1:8080',
      PID_FILE: join(prefix, 'nginx.pid'),
      ERROR_LOG: join(logDir, 'gateway-error.log'),
      ACCESS_LOG: join(logDir, 'gateway-access.log'),
      TEMP_DIR: join(prefix, 'temp'),
      RESOLVER: '',
    }
  : {
      WEB_ROOT: webRoot,
      API_DOCS_ROOT: apiDocsRoot,
      LISTEN: values.listen ?? '80',
      PID_FILE: '/tmp/nginx.pid',
      ERROR_LOG: 'stderr',
      ACCESS_LOG: '/dev/stdout',
      TEMP_DIR: '/tmp/nginx',
      RESOLVER: 'resolver 127.0.0.11 valid=10s ipv6=off;',
    };

// Timeouts: a stalled client gets 408, a service that does not answer gets 504.
Object.assign(globals, { CLIENT_TIMEOUT: '30s', PROXY_TIMEOUT: '30s', ACCESS_LOG_OPTIONS: 'buffer=64k flush=1s' });

const tlsCert = values['tls-cert'] ?? process.env.GATEWAY_TLS_CERT;
const tlsKey = values['tls-key'] ?? process.env.GATEWAY_TLS_KEY;
if (Boolean(tlsCert) !== Boolean(tlsKey)) fail('--tls-cert and --tls-key go together');
const tls = Boolean(tlsCert);
if (tls) {
  const tlsListen = values['tls-listen'] ?? (local ? '127.0.0.1:8443' : '443');
  const tlsPort = tlsListen.split(':').at(-1);
  Object.assign(globals, {
    TLS_LISTEN: tlsListen,
    TLS_CERT: resolve(tlsCert),
    TLS_KEY: resolve(tlsKey),
    TLS_REDIRECT_PORT: tlsPort === '443' ? '' : `:${tlsPort}`,
  });
}

for (const pair of values.set) {
  const [name, ...rest] = pair.split('=');
  if (!/^[A-Z_]+$/.test(name ?? '') || rest.length === 0) fail(`--set wants NAME=VALUE, got "${pair}"`);
  globals[name] = rest.join('=');
}

function substitute(text, vars) {
  return text.replace(/\$\{([A-Z_]+)\}/g, (whole, name) => (name in vars ? vars[name] : whole));
}

/**
 * Expands "#@each-service" blocks (once per /api/ service), "#@if-service NAME" blocks (when NAME is
 * routed, with its ${SERVICE}, ${UPSTREAM} and ${SERVER_OPTIONS}) and "#@if-tls" blocks, each closed by
 * "#@end", then fills ${...}.
 */
function render(template) {
  const out = [];
  const lines = template.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].trim().match(/^#@(each-service|if-service|if-tls)\s*(\S*)$/);
    if (!marker) {
      out.push(substitute(lines[i], globals));
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && line.trim() === '#@end');
    if (end < 0) fail(`template line ${i + 1}: #@${marker[1]} without #@end`);
    const block = lines.slice(i + 1, end).join('\n');
    if (marker[1] === 'each-service') {
      for (const service of services) out.push(substitute(block, { ...globals, ...service }));
    } else if (marker[1] === 'if-tls') {
      if (tls) out.push(substitute(block, globals));
    } else {
      const service = routed.find((candidate) => candidate.SERVICE === marker[2]);
      if (service) out.push(substitute(block, { ...globals, ...service }));
    }
    i = end;
  }
  const text = out.join('\n');
  const leftover = text.match(/\$\{[A-Z_]+\}/);
  if (leftover) fail(`template placeholder ${leftover[0]} has no value`);
  return text;
}

const config = render(readFileSync(values.template, 'utf8'));

if (!values.out) {
  process.stdout.write(config);
} else {
  if (local) {
    mkdirSync(logDir, { recursive: true });
    mkdirSync(join(prefix, 'temp'), { recursive: true });
  }
  mkdirSync(dirname(resolve(values.out)), { recursive: true });
  writeFileSync(values.out, config);
  // The API page lists every public service's document, whether this gateway routes it yet or not.
  writeApiDocs(apiDocsRoot, Object.keys(publicServices));
  const routes = routed.map((s) => s.SERVICE).join(', ');
  console.error(`render-gateway: ${values.target} config for ${routes}${tls ? ' with TLS' : ''} -> ${values.out}`);
}
