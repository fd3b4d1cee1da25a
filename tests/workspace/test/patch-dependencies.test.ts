import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

interface DependencyPatch {
  package: string;
  versions: string[];
  changes: Array<{ files: string[]; edits: Array<{ find: string; replace: string }> }>;
}

const { default: postgresPatch } = (await import(join(repoRoot, 'patches/postgres.mjs'))) as { default: DependencyPatch };
const installedPostgres = join(repoRoot, 'node_modules/postgres');
const patchedFiles = postgresPatch.changes.flatMap(({ files, edits }) => files.map((file) => ({ file, edits })));
const editCount = patchedFiles.reduce((sum, { edits }) => sum + edits.length, 0);

let installRoot: string;

/** An install of the package as npm leaves it: the installed files with the patch's edits undone. */
function installPristine(version: string): void {
  const packageDir = join(installRoot, 'node_modules/postgres');
  for (const { file, edits } of patchedFiles) {
    let text = readFileSync(join(installedPostgres, file), 'utf8');
    for (const edit of edits) text = text.replace(edit.replace, edit.find);
    mkdirSync(join(packageDir, file, '..'), { recursive: true });
    writeFileSync(join(packageDir, file), text);
  }
  cpSync(join(installedPostgres, 'package.json'), join(packageDir, 'package.json'));
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ ...manifest, version }));
}

function patchDependencies() {
  return spawnSync(process.execPath, [join(repoRoot, 'tools/patch-dependencies.mjs'), installRoot], { encoding: 'utf8' });
}

beforeEach(() => {
  installRoot = mkdtempSync(join(tmpdir(), 'trendcast-patch-'));
});

afterEach(() => {
  rmSync(installRoot, { recursive: true, force: true });
});

describe('tools/patch-dependencies.mjs', () => {
  it('when the package is freshly installed, then every file gets every edit, and a second run changes nothing', () => {
    installPristine(postgresPatch.versions[0]!);

    const first = patchDependencies();
    const patched = patchedFiles.map(({ file, edits }) => ({ text: readFileSync(join(installRoot, 'node_modules/postgres', file), 'utf8'), edits }));
    const second = patchDependencies();

    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`${editCount} edit(s) applied`);
    for (const { text, edits } of patched) for (const edit of edits) expect(text).toContain(edit.replace);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('already patched');
  });

  it('when another version of the package is installed, then the install stops and says which patch to review', () => {
    installPristine('9.9.9');

    const result = patchDependencies();

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('postgres@9.9.9 is installed but patches/postgres.mjs was written for');
  });

  it('when the repository install itself is checked, then its driver carries the fix', () => {
    for (const { file, edits } of patchedFiles) {
      const text = readFileSync(join(installedPostgres, file), 'utf8');
      for (const edit of edits) expect(text).toContain(edit.replace);
    }
  });
});
