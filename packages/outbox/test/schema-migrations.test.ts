import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureMigrations } from './support/database.js';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const drizzleKit = join(dirname(fileURLToPath(import.meta.resolve('drizzle-kit'))), 'bin.cjs');
const scratch: string[] = [];

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `drizzle-kit generate` on the fixture service, whose schema re-exports '@trendcast/outbox/schema'. */
async function generate(out: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [drizzleKit, 'generate', '--config', 'test/fixtures/service/drizzle.config.ts'], {
    cwd: packageRoot,
    // drizzle-kit reads an existing folder's snapshots only through a relative path.
    env: { ...process.env, OUTBOX_FIXTURE_MIGRATIONS: relative(packageRoot, out) },
  });
  return stdout + stderr;
}

describe('tables in a service schema', () => {
  it('when a service schema re-exports the tables, then its drizzle-kit generate creates them', async () => {
    // Arrange
    const out = await mkdtemp(join(tmpdir(), 'outbox-generate-'));
    scratch.push(out);

    // Act
    await generate(out);

    // Assert
    const file = (await readdir(out)).find((name) => name.endsWith('.sql'));
    const migration = await readFile(join(out, file!), 'utf8');
    expect(migration).toContain('CREATE TABLE "outbox_messages"');
    expect(migration).toContain('CREATE TABLE "inbox_messages"');
    expect(migration).toContain('PRIMARY KEY("consumer","event_id")');
    expect(migration).toMatch(/CREATE INDEX "outbox_messages_unsent_idx" .* WHERE "outbox_messages"\."sent_at" is null/);
  });

  it('when the schema has not changed, then the committed fixture migrations are up to date', async () => {
    // Arrange
    const out = await mkdtemp(join(tmpdir(), 'outbox-current-'));
    scratch.push(out);
    await cp(fixtureMigrations, out, { recursive: true });

    // Act
    const output = await generate(out);

    // Assert
    expect(output).toContain('No schema changes');
  });
});
