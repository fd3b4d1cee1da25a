import postgres from 'postgres';
import { testEnv } from './env.js';
import { uniqueName } from './unique-name.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open on it. */
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database of its own for one test file. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(`tc_${prefix}`);
  const admin = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testEnv.postgresUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const sql = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Connections open to database `name` from any client (0 once a service's pool is closed). */
export async function openConnectionsTo(name: string): Promise<number> {
  const sql = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ connections: number }>>`select count(*)::int as connections from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    return row!.connections;
  } finally {
    await sql.end();
  }
}
