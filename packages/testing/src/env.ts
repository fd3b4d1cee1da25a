/** Where the test suite finds the real servers; overridable for machines that run them elsewhere. */
export const testEnv = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  rabbitUrl: process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export function rabbitUrlWithPort(port: number): string {
  const url = new URL(testEnv.rabbitUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}
