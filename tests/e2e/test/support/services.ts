/**
 * The services the whole-stack harness can run, each from its own code (`tsx src/main.ts` in its
 * app folder), as start-local.sh runs them. Adding thinker or tweeter is one entry here (plus any
 * fake it needs, like trends' fake Google): name, whether it has a database to migrate, the
 * producers it consumes from (for cleanup), and its environment for one isolated run.
 */
export type ServiceName = 'users' | 'trends' | 'notifier' | 'thinker' | 'tweeter' | 'monitor';

/** The administrator users creates at start (its ADMIN_EMAIL / ADMIN_PASSWORD bootstrap): the one who may open the console. */
export const stackAdmin = { email: 'admin@trendcast.test', password: 'an operator keeps the queues moving' };

/** What every service's environment is built from: the run's own names and the addresses of the rest. */
export interface StackContext {
  /** RabbitMQ exchange/queue prefix and Redis key prefix of this run. */
  namespace: string;
  gatewayUrl: string;
  redisUrl: string;
  rabbitUrl: string;
  /** Port each service listens on. */
  ports: Record<ServiceName, number>;
  databaseUrl(service: ServiceName): string;
  smtpUrl: string;
  googleOrigin: string;
  /** The fake Mastodon instance (plain HTTP on loopback) a Mastodon channel connects to. */
  mastodonOrigin: string;
  keysDir: string;
  /** The key tweeter encrypts channel credentials with for this run. */
  credentialsKey: string;
}

export interface ServiceDefinition {
  name: ServiceName;
  /** Runs `src/db/migrate.ts` against a database of its own before starting. */
  database: boolean;
  /** Producers whose events it consumes: its queues `<ns>.<name>.<producer>-events` are removed afterwards. */
  consumes: ServiceName[];
  /** Routed by the gateway: at /api/<name>/, the monitor at /admin/queues. */
  public: boolean;
  env(ctx: StackContext): Record<string, string>;
}

const common = (ctx: StackContext, name: ServiceName): Record<string, string> => ({
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
  HOST: '127.0.0.1',
  PORT: String(ctx.ports[name]),
  RABBITMQ_URL: ctx.rabbitUrl,
  REDIS_URL: ctx.redisUrl,
  PUBLIC_BASE_URL: ctx.gatewayUrl,
  JWKS_URL: `http://127.0.0.1:${ctx.ports.users}/users/.well-known/jwks.json`,
  TRUST_PROXY: '127.0.0.1',
  RABBITMQ_NAMESPACE: ctx.namespace,
});

export const serviceDefinitions: Record<ServiceName, ServiceDefinition> = {
  users: {
    name: 'users',
    database: true,
    consumes: [],
    public: true,
    env: (ctx) => ({
      ...common(ctx, 'users'),
      DATABASE_URL: ctx.databaseUrl('users'),
      JWT_DEV_KEYS_DIR: ctx.keysDir,
      // A journey asks for a verification and then a reset link within a minute.
      EMAIL_COOLDOWN_SECONDS: '0',
      ADMIN_EMAIL: stackAdmin.email,
      ADMIN_PASSWORD: stackAdmin.password,
    }),
  },
  trends: {
    name: 'trends',
    database: true,
    consumes: ['users'],
    public: true,
    env: (ctx) => ({
      ...common(ctx, 'trends'),
      DATABASE_URL: ctx.databaseUrl('trends'),
      TRENDS_REDIS_PREFIX: `${ctx.namespace}_bull`,
      GOOGLE_TRENDS_ORIGIN: ctx.googleOrigin,
      GOOGLE_MIN_INTERVAL_MS: '0',
      GOOGLE_REQUEST_TIMEOUT_MS: '5000',
      SEARCH_RETRY_BASE_DELAY_MS: '200',
      SEARCH_RETRY_MAX_DELAY_MS: '1000',
      WATCH_MIN_INTERVAL_SECONDS: '60',
    }),
  },
  thinker: {
    name: 'thinker',
    database: true,
    consumes: ['users', 'trends', 'tweeter'],
    public: true,
    env: (ctx) => ({
      ...common(ctx, 'thinker'),
      DATABASE_URL: ctx.databaseUrl('thinker'),
      THINKER_REDIS_PREFIX: `${ctx.namespace}_bull`,
      // No model server: the offline generator writes the drafts from the trend data.
      OLLAMA_HOST: '',
    }),
  },
  tweeter: {
    name: 'tweeter',
    database: true,
    consumes: ['users', 'thinker'],
    public: true,
    env: (ctx) => ({
      ...common(ctx, 'tweeter'),
      DATABASE_URL: ctx.databaseUrl('tweeter'),
      TWEETER_REDIS_PREFIX: `${ctx.namespace}_bull`,
      CREDENTIALS_KEYS: JSON.stringify([{ id: 'e2e', key: ctx.credentialsKey }]),
      // The fake instance is plain HTTP on loopback.
      OUTBOUND_ALLOW_HTTP: 'true',
      OUTBOUND_ALLOW_PRIVATE_ADDRESSES: 'true',
    }),
  },
  notifier: {
    name: 'notifier',
    database: false,
    consumes: ['users', 'trends', 'thinker', 'tweeter'],
    public: false,
    env: (ctx) => ({
      ...common(ctx, 'notifier'),
      SMTP_URL: ctx.smtpUrl,
      BULLMQ_PREFIX: `${ctx.namespace}_bull`,
      REDIS_KEY_PREFIX: `${ctx.namespace}:notifier:`,
      // A mail that overtakes its recipient's registration is retried soon.
      EMAIL_BACKOFF_MS: '500',
    }),
  },
  monitor: {
    name: 'monitor',
    database: false,
    consumes: [],
    public: true,
    env: (ctx) => ({
      ...common(ctx, 'monitor'),
      // The queues of this run's services (trends' and notifier's prefix), and its sessions among this run's keys.
      MONITOR_BULLMQ_PREFIXES: `${ctx.namespace}_bull`,
      MONITOR_REDIS_KEY_PREFIX: `${ctx.namespace}:monitor:`,
      // A queue made during a test shows up within a second.
      MONITOR_REFRESH_INTERVAL_MS: '500',
    }),
  },
};
