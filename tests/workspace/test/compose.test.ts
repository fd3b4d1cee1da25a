import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

const publicApis = ['users', 'trends', 'thinker', 'tweeter'];
/** Apps the gateway routes: the public APIs and the monitor's console (/admin/queues). */
const routedApps = [...publicApis, 'monitor'];

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

  it('when an app exists in apps/, then compose runs it, and the gateway routes exactly the public ones and the console', () => {
    // Services have a main.ts; the web app is static files the gateway image builds and serves (checked below).
    const apps = readdirSync(join(repoRoot, 'apps')).filter((dir) => existsSync(join(repoRoot, 'apps', dir, 'src/main.ts')));
    const built = new Set(services().map(([, service]) => appOf(service)));
    const gatewayBuild = compose.services.gateway?.build;
    const routed = typeof gatewayBuild === 'object' && !Array.isArray(gatewayBuild.args) ? gatewayBuild.args?.GATEWAY_SERVICES : undefined;

    for (const app of apps) expect(built, `apps/${app} in compose`).toContain(app);
    expect(routed?.split(',').sort()).toEqual(apps.filter((app) => routedApps.includes(app)).sort());
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
    expect(sqlServices.length).toBeGreaterThan(0);

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
    for (const name of ['redis', 'rabbitmq', 'maildev', 'notifier']) {
      expect(listOrKeys(compose.services[name]?.networks), name).toEqual(['internal']);
    }
    for (const api of routedApps.filter((name) => compose.services[name])) {
      expect(listOrKeys(compose.services[api]!.networks).sort(), api).toEqual(['global', 'internal']);
    }
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
