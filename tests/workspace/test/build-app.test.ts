import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

// Builds a small app shaped like ours (src/main.ts, src/db/migrate.ts, drizzle/) in a folder of its own.
let appDir: string;
let buildOutput: string;

beforeAll(() => {
  appDir = mkdtempSync(join(tmpdir(), 'trendcast-build-'));
  cpSync(join(import.meta.dirname, '../fixtures/sample-app'), appDir, { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(appDir, 'node_modules'), 'dir');
  buildOutput = execFileSync(process.execPath, [join(repoRoot, 'tools/build-app.mjs')], {
    cwd: appDir,
    encoding: 'utf8',
  });
});

afterAll(() => {
  rmSync(appDir, { recursive: true, force: true });
});

function run(file: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [join(appDir, file)], { cwd: appDir, encoding: 'utf8' }));
}

describe('tools/build-app.mjs', () => {
  it('when an app is built, then main and migrate land in dist/ mirroring src/', () => {
    expect(buildOutput).toContain('sample-app');
    expect(existsSync(join(appDir, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(appDir, 'dist/db/migrate.js'))).toBe(true);
  });

  it('when an app is built, then workspace packages are bundled and npm packages stay external', () => {
    const main = readFileSync(join(appDir, 'dist/main.js'), 'utf8');

    expect(main).not.toMatch(/from\s*["']@trendcast\//);
    expect(main).toMatch(/from\s*["']zod["']/);
    expect(run('dist/main.js')).toEqual({ exchange: 'users.events', zod: 'external', publicFound: true });
  });

  it('when an app has drizzle migrations, then they are copied into dist/ and still found from the bundle', () => {
    expect(readFileSync(join(appDir, 'dist/drizzle/0000_init.sql'), 'utf8')).toContain('CREATE TABLE sample');
    expect(run('dist/db/migrate.js')).toEqual({ migrationsFound: true });
  });

  it('when an app has files it serves as they are (src/public), then they are copied into dist/public beside the bundle', () => {
    expect(readFileSync(join(appDir, 'dist/public/page.js'), 'utf8')).toContain('A file the app serves as it is.');
  });
});
