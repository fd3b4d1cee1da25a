import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

// Docker Compose v2 cannot run here, so compose.yaml is checked by the official Compose
// Specification schema (tools/compose-spec.json) and by the cross-references no schema can see.
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  ports?: unknown[];
  expose?: unknown[];
  networks?: string[] | Record<string, unknown>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, string> | string[];
  volumes?: (string | { type?: string; source?: string })[];
  command?: unknown;
  restart?: string;
  healthcheck?: { test?: unknown };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

const publicApis = ['users', 'trends', 'thinker', 'tweeter'];
/** Apps the gateway routes: the public APIs and the monitor's console (/admin/queues). */
const routedApps = [...publicApis, 'monitor'];
/** Web UIs the compose gateway routes besides: Grafana at /grafana/, the mail catcher at /mail/. */
const toolUis = ['grafana', 'maildev'];
/** Apps that serve /metrics on their PORT. */
const metricsApps = [...routedApps, 'notifier'];

let text: string;
let compose: ComposeFile;
let validate: (data: unknown) => boolean;
let schemaErrors: () => unknown;

beforeAll(() => {
  text = readFileSync(join(repoRoot, 'compose.yaml'), 'utf8');
  compose = parse(text, { merge: true }) as ComposeFile;
  const schema = JSON.parse(readFileSync(join(repoRoot, 'tools/compose-spec.json'), 'utf8')) as object;
  // The schema names draft-07 by URL; ajv would try to fetch the meta-schema to check it.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, validateFormats: false });
  const compiled = ajv.compile(schema);
  validate = (data) => compiled(data) as boolean;
  schemaErrors = () => compiled.errors;
});

const services = () => Object.entries(compose.services);
const listOrKeys = (value: string[] | Record<string, unknown> | undefined): string[] =>
  Array.isArray(value) ? value : Object.keys(value ?? {});
function envOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(env.map((pair) => [pair.split('=')[0], pair.split('=').slice(1).join('=')]));
}
const appOf = (service: ComposeService): string | undefined =>
  typeof service.build === 'object' && service.build.args && !Array.isArray(service.build.args) ? service.build.args.APP : undefined;
function gatewayServices(): string[] {
  const build = compose.services.gateway?.build;
  const listed = typeof build === 'object' && !Array.isArray(build.args) ? build.args?.GATEWAY_SERVICES : undefined;
  return listed?.split(',') ?? [];
}

describe('compose.yaml against the Compose Specification schema', () => {
  it('when validated, then it conforms', () => {
    const valid = validate(compose);

    expect(schemaErrors()).toBeNull();
    expect(valid).toBe(true);
  });

  it('when a key is misspelt, then the same validator rejects it (the schema is really applied)', () => {
    const broken = structuredClone(compose);
    broken.networks = { ...broken.networks, internal: { internl: true } as never };

    expect(validate(broken)).toBe(false);
  });
});

describe('compose.yaml references', () => {
  it('when a service depends on another, then that service is defined', () => {
    for (const [name, service] of services()) {
      for (const dependency of listOrKeys(service.depends_on)) {
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty([dependency]);
      }
    }
  });

  it('when a service joins a network or mounts a named volume, then it is defined at the top level', () => {
    const networks = Object.keys(compose.networks ?? {});
    const volumes = Object.keys(compose.volumes ?? {});
    for (const [name, service] of services()) {
      expect(listOrKeys(service.networks).length, `${name} joins a network`).toBeGreaterThan(0);
      for (const network of listOrKeys(service.networks)) expect(networks, `${name} joins ${network}`).toContain(network);
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        if (source && !source.startsWith('.') && !source.startsWith('/')) expect(volumes, `${name} mounts ${source}`).toContain(source);
      }
    }
  });

  it('when the networks are read, then internal has no route out and global exists', () => {
    expect(compose.networks?.internal?.internal).toBe(true);
    expect(compose.networks).toHaveProperty('global');
  });

  it('when ports are published, then only the gateway publishes them', () => {
    const publishing = services()
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name]) => name);

    expect(publishing).toEqual(['gateway']);
    expect(listOrKeys(compose.services.gateway?.networks)).toEqual(['global']);
  });

  it('when a service is built, then its build context and Dockerfile exist, and its app exists', () => {
    for (const [name, service] of services()) {
      if (!service.build) continue;
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const context = join(repoRoot, build.context ?? '.');
      expect(existsSync(context), `${name} build context`).toBe(true);
      expect(existsSync(join(context, build.dockerfile ?? 'Dockerfile')), `${name} Dockerfile`).toBe(true);
      const app = appOf(service);
      if (app) expect(existsSync(join(repoRoot, 'apps', app, 'package.json')), `${name} builds apps/${app}`).toBe(true);
    }
  });

  it('when an app exists in apps/, then compose runs it, and the gateway routes exactly the public ones, the console and the tools\' web UIs', () => {
    // Services have a main.ts; the web app is static files the gateway image builds and serves (checked below).
    // A service being built (a package.json, no main.ts yet) is in compose already, so it runs once it lands.
    const apps = readdirSync(join(repoRoot, 'apps')).filter((dir) => existsSync(join(repoRoot, 'apps', dir, 'src/main.ts')));
    const declared = readdirSync(join(repoRoot, 'apps')).filter((dir) => existsSync(join(repoRoot, 'apps', dir, 'package.json')));
    const built = new Set(services().map(([, service]) => appOf(service)));

    for (const app of apps) expect(built, `apps/${app} in compose`).toContain(app);
    for (const app of declared.filter((name) => name !== 'web')) expect(built, `apps/${app} in compose`).toContain(app);
    expect(gatewayServices().sort()).toEqual([...declared.filter((app) => routedApps.includes(app)), ...toolUis].sort());
    for (const name of gatewayServices()) expect(compose.services, `the gateway routes ${name}`).toHaveProperty([name]);
  });

  it('when the web app exists, then the gateway image builds it and serves it from the web root the render script uses', () => {
    const dockerfile = readFileSync(join(repoRoot, 'gateway/Dockerfile'), 'utf8');

    expect(existsSync(join(repoRoot, 'apps/web/package.json'))).toBe(true);
    expect(dockerfile).toMatch(/npm run build -w @trendcast\/web/);
    expect(dockerfile).toMatch(/COPY --from=web \/repo\/apps\/web\/dist \/usr\/share\/trendcast\/web/);
  });

  it('when the gateway image is built, then the API page is rendered with swagger-ui-dist and copied where the render script serves it from', () => {
    const dockerfile = readFileSync(join(repoRoot, 'gateway/Dockerfile'), 'utf8');

    expect(dockerfile).toMatch(/COPY scripts\/render-gateway\.mjs scripts\/render-api-docs\.mjs scripts\//);
    expect(dockerfile).toMatch(/COPY gateway\/api-docs gateway\/api-docs\//);
    expect(dockerfile).toMatch(/COPY --from=web \/repo\/node_modules\/swagger-ui-dist node_modules\/swagger-ui-dist\//);
    expect(dockerfile).toMatch(/COPY --from=render \/usr\/share\/trendcast\/api-docs \/usr\/share\/trendcast\/api-docs/);
  });

  it('when a service uses SQL, then it has a PostgreSQL container of its own and a migration that runs first', () => {
    const sqlServices = services().filter(([name, service]) => envOf(service).DATABASE_URL && !name.endsWith('-migrate'));
    expect(sqlServices.map(([name]) => name).sort()).toEqual(['thinker', 'trends', 'tweeter', 'users']);

    const dbHosts = new Set<string>();
    for (const [name, service] of sqlServices) {
      const dbHost = new URL(envOf(service).DATABASE_URL!.replace(/\$\{[^}]*\}/g, 'x')).hostname;
      expect(dbHosts.has(dbHost), `${name} shares ${dbHost}`).toBe(false);
      dbHosts.add(dbHost);
      expect(compose.services[dbHost]?.image, `${name}'s database ${dbHost}`).toMatch(/^postgres:16/);

      const migrate = `${name}-migrate`;
      const dependsOn = service.depends_on as Record<string, { condition?: string }>;
      expect(dependsOn[migrate]?.condition, `${name} waits for ${migrate}`).toBe('service_completed_successfully');
      expect(envOf(compose.services[migrate]!).DATABASE_URL).toBe(envOf(service).DATABASE_URL);
      expect(listOrKeys(compose.services[dbHost]!.networks)).toEqual(['internal']);
    }
  });

  it('when infrastructure and notifier are placed, then they sit on the internal network only', () => {
    const databases = services().filter(([, service]) => service.image?.startsWith('postgres:')).map(([name]) => name);
    expect(databases.length).toBeGreaterThanOrEqual(4);
    for (const name of ['redis', 'rabbitmq', 'ollama', 'prometheus', 'notifier', ...databases]) {
      expect(listOrKeys(compose.services[name]?.networks), name).toEqual(['internal']);
    }
    // What the gateway routes to sits on global (where the gateway is) and internal (where its backends are).
    for (const name of [...routedApps, ...toolUis].filter((app) => compose.services[app])) {
      expect(listOrKeys(compose.services[name]!.networks).sort(), name).toEqual(['global', 'internal']);
    }
  });

  it('when a service is placed, then only the gateway and what it routes to are on global, and only ollama-pull on egress', () => {
    const onGlobal = services().filter(([, service]) => listOrKeys(service.networks).includes('global')).map(([name]) => name);
    const onEgress = services().filter(([, service]) => listOrKeys(service.networks).includes('egress')).map(([name]) => name);

    expect(onGlobal.sort()).toEqual(['gateway', ...gatewayServices()].sort());
    expect(onEgress).toEqual(['ollama-pull']);
    expect(compose.networks?.egress?.internal).toBeFalsy();
  });

  it('when a service runs for good, then it has a health check; only one-shot steps have none and never restart', () => {
    for (const [name, service] of services()) {
      if (service.restart === 'no') {
        expect(name, `${name} is one-shot`).toMatch(/-migrate$|^ollama-pull$/);
        continue;
      }
      expect(service.healthcheck?.test, `${name} health check`).toBeDefined();
      expect(JSON.stringify(service.healthcheck?.test), name).not.toBe('["NONE"]');
    }
  });

  it('when a service waits for another, then it names the condition: healthy infrastructure, completed migrations', () => {
    for (const [name, service] of services()) {
      expect(Array.isArray(service.depends_on), `${name} depends_on has conditions`).toBe(false);
      for (const [dependency, { condition } = {}] of Object.entries(service.depends_on ?? {})) {
        const expected = dependency.endsWith('-migrate')
          ? 'service_completed_successfully'
          : name === 'gateway' || dependency === 'ollama' || dependency === 'users'
            ? 'service_started'
            : 'service_healthy';
        expect(condition, `${name} -> ${dependency}`).toBe(expected);
      }
    }
    // Every migration waits for its own database to accept connections.
    for (const [name, service] of services().filter(([migrate]) => migrate.endsWith('-migrate'))) {
      const db = `${name.replace(/-migrate$/, '')}-db`;
      expect((service.depends_on as Record<string, { condition?: string }>)[db]?.condition, name).toBe('service_healthy');
      expect(service.restart, name).toBe('no');
    }
  });

  it('when thinker runs, then it asks Ollama for the configured model, falls back offline, and never waits for the pull', () => {
    const thinker = compose.services.thinker!;
    const env = envOf(thinker);

    expect(env.OLLAMA_HOST).toBe('http://ollama:11434');
    expect(env.OLLAMA_MODEL).toBe('${OLLAMA_MODEL:-llama3.2:3b}');
    expect(env.OLLAMA_FAILURE_POLICY).toBe('fallback');
    expect(listOrKeys(thinker.depends_on)).not.toContain('ollama-pull');
    for (const [name, service] of services()) expect(listOrKeys(service.depends_on), name).not.toContain('ollama-pull');
  });

  it('when the model is pulled, then a one-shot step fetches the configured model into the volume Ollama serves', () => {
    const pull = compose.services['ollama-pull']!;
    const ollama = compose.services.ollama!;
    const script = JSON.stringify(pull.command);

    expect(pull.restart).toBe('no');
    expect(pull.image).toBe(ollama.image);
    expect(envOf(pull).OLLAMA_MODEL).toBe(envOf(compose.services.thinker!).OLLAMA_MODEL);
    expect(script).toContain('ollama pull \\"$$OLLAMA_MODEL\\"');
    // Compose would substitute a single $ itself: every shell variable is written $$.
    expect(script.replace(/\$\$/g, '')).not.toContain('$');
    expect(pull.volumes).toEqual(['ollama-data:/root/.ollama']);
    expect(ollama.volumes).toEqual(['ollama-data:/root/.ollama']);
  });

  it('when tweeter runs in production, then its credential keys come from the env file', () => {
    const env = envOf(compose.services.tweeter!);

    expect(env.CREDENTIALS_KEYS).toMatch(/^\$\{CREDENTIALS_KEYS:\?/);
    expect(env.NODE_ENV).toBe('production');
    expect(env.OUTBOUND_ALLOW_HTTP).toBeUndefined();
    expect(env.OUTBOUND_ALLOW_PRIVATE_ADDRESSES).toBeUndefined();
  });

  it('when the monitor runs, then it needs its session secret and verifies tokens with users\' keys', () => {
    const monitor = compose.services.monitor!;
    const env = envOf(monitor);

    expect(env.MONITOR_SESSION_SECRET).toMatch(/^\$\{MONITOR_SESSION_SECRET:\?/);
    expect(env.JWKS_URL).toBe('http://users:3001/users/.well-known/jwks.json');
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('when Redis runs, then it keeps an append-only file synced every second', () => {
    const command = JSON.stringify(compose.services.redis?.command);

    expect(command).toContain('"--appendonly","yes"');
    expect(command).toContain('"--appendfsync","everysec"');
  });
});

describe('compose.yaml trust in forwarded addresses', () => {
  it('when an API reads client addresses, then it trusts X-Forwarded-For from the gateway fixed address alone', () => {
    const gatewayNetworks = compose.services.gateway?.networks as Record<string, { ipv4_address?: string }>;
    const gatewayAddress = gatewayNetworks.global?.ipv4_address;

    expect(gatewayAddress).toBe('${GATEWAY_ADDRESS:-172.30.80.10}');
    for (const api of routedApps.filter((name) => compose.services[name])) {
      expect(envOf(compose.services[api]!).TRUST_PROXY, api).toBe(gatewayAddress);
    }
    expect(text).not.toMatch(/TRUST_PROXY:\s*"?true/);
  });
});

describe('compose.yaml observability', () => {
  interface ScrapeConfig {
    metrics_path?: string;
    static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  }

  it('when Prometheus scrapes, then its targets are exactly the apps serving /metrics, at their compose names and ports', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.volumes).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const config = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: ScrapeConfig[] };
    const targets = config.scrape_configs
      .filter((job) => (job.metrics_path ?? '/metrics') === '/metrics')
      .flatMap((job) => (job.static_configs ?? []).flatMap((group) => group.targets));

    const expected = services()
      .filter(([name, service]) => metricsApps.includes(appOf(service) ?? '') && !name.endsWith('-migrate'))
      .map(([name, service]) => `${name}:${envOf(service).PORT}`);
    expect(expected.length).toBe(metricsApps.length);
    expect(targets.sort()).toEqual(expected.sort());
    // Prometheus reaches them all over internal, where every app is.
    for (const [name, service] of services().filter(([, service]) => metricsApps.includes(appOf(service) ?? ''))) {
      expect(listOrKeys(service.networks), name).toContain('internal');
    }
  });

  it('when Grafana runs, then it serves from /grafana/ with its own sign-in and the provisioned dashboard', () => {
    const grafana = compose.services.grafana!;
    const env = envOf(grafana);

    expect(env.GF_SERVER_SERVE_FROM_SUB_PATH).toBe('true');
    expect(env.GF_SERVER_ROOT_URL).toMatch(/\/grafana\/$/);
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(env.GF_USERS_ALLOW_SIGN_UP).toBe('false');
    expect(grafana.volumes).toEqual(
      expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
    const provider = readFileSync(join(repoRoot, 'deploy/grafana/provisioning/dashboards/trendcast.yml'), 'utf8');
    expect(provider).toContain('path: /var/lib/grafana/dashboards');
    expect(readdirSync(join(repoRoot, 'deploy/grafana/dashboards')).filter((file) => file.endsWith('.json')).length).toBeGreaterThan(0);
  });

  it('when the mail catcher runs, then its web UI is under /mail/ behind basic auth', () => {
    const env = envOf(compose.services.maildev!);

    expect(env.MAILDEV_BASE_PATHNAME).toBe('/mail');
    expect(env.MAILDEV_WEB_PASS).toMatch(/^\$\{MAILDEV_WEB_PASS:\?/);
    expect(env.MAILDEV_WEB_USER).toBeDefined();
  });
});

describe('compose.yaml secrets and settings', () => {
  const variables = (source: string) => new Set([...source.matchAll(/\$\{([A-Z_]+)/g)].map(([, name]) => name!));
  const example = () => readFileSync(join(repoRoot, '.env.example'), 'utf8');
  const exampleVariables = () => new Set([...example().matchAll(/^([A-Z_]+)=/gm)].map(([, name]) => name!));

  it('when compose reads a variable, then .env.example lists it, and lists nothing compose does not read', () => {
    const read = new Set([...variables(text), ...variables(readFileSync(join(repoRoot, 'compose.tls.yaml'), 'utf8'))]);

    expect([...read].filter((name) => !exampleVariables().has(name))).toEqual([]);
    expect([...exampleVariables()].filter((name) => !read.has(name))).toEqual([]);
  });

  it('when a secret is required, then compose refuses to start without it and the example leaves it empty', () => {
    const required = [...text.matchAll(/\$\{([A-Z_]+):\?/g)].map(([, name]) => name!);

    expect(required.sort()).toEqual(['CREDENTIALS_KEYS', 'GRAFANA_ADMIN_PASSWORD', 'JWT_SIGNING_KEYS', 'MAILDEV_WEB_PASS', 'MONITOR_SESSION_SECRET']);
    for (const name of required) expect(example(), name).toMatch(new RegExp(`^${name}=$`, 'm'));
  });
});

describe('scripts/init-env.mjs', () => {
  it('when it writes .env, then every required secret is filled with a usable value and the rest of the example is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trendcast-env-'));
    try {
      const out = join(dir, '.env');
      execFileSync(process.execPath, [join(repoRoot, 'scripts/init-env.mjs'), '--out', out], { stdio: 'pipe' });
      const env = Object.fromEntries(
        readFileSync(out, 'utf8')
          .split('\n')
          .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
          .filter((match) => match !== null)
          .map((match) => [match[1]!, match[2]!.replace(/^'(.*)'$/, '$1')]),
      );

      for (const name of [...text.matchAll(/\$\{([A-Z_]+):\?/g)].map(([, required]) => required!)) expect(env[name], name).not.toBe('');
      const [jwk] = JSON.parse(env.JWT_SIGNING_KEYS!) as { kty: string; crv: string; kid: string; d: string; x: string }[];
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: expect.any(String), d: expect.any(String), x: expect.any(String) });
      const [key] = JSON.parse(env.CREDENTIALS_KEYS!) as { id: string; key: string }[];
      expect(Buffer.from(key!.key, 'base64')).toHaveLength(32);
      expect(env.MONITOR_SESSION_SECRET!.length).toBeGreaterThanOrEqual(32);
      expect(env.OLLAMA_MODEL).toBe('llama3.2:3b');
      expect(statSync(out).mode & 0o777).toBe(0o600);
      // A second run keeps the first file's secrets.
      expect(() => execFileSync(process.execPath, [join(repoRoot, 'scripts/init-env.mjs'), '--out', out], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose.tls.yaml', () => {
  it('when laid over compose.yaml, then the result conforms and the gateway serves 443 with its certificate directory', () => {
    const overlay = parse(readFileSync(join(repoRoot, 'compose.tls.yaml'), 'utf8')) as ComposeFile;
    const gateway = overlay.services.gateway!;
    const merged = structuredClone(compose);
    const base = merged.services.gateway!;
    base.ports = [...(base.ports ?? []), ...(gateway.ports ?? [])];
    base.volumes = gateway.volumes;
    base.build = { ...(base.build as object), args: { ...((base.build as { args?: Record<string, string> }).args ?? {}), GATEWAY_TLS: 'on' } };

    expect(validate(merged)).toBe(true);
    expect(gateway.ports).toEqual(['${GATEWAY_TLS_PORT:-443}:443']);
    expect(gateway.volumes).toEqual(['./gateway/tls:/etc/nginx/tls:ro']);
    expect(readFileSync(join(repoRoot, 'gateway/Dockerfile'), 'utf8')).toContain('--tls-cert /etc/nginx/tls/cert.pem --tls-key /etc/nginx/tls/key.pem');
  });
});
