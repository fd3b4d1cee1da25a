import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { amqplibPatch } from '@trendcast/messaging';
import { assertDependencyPatched, UnpatchedDependencyError, type DependencyPatch } from '@trendcast/core';
import { postgresPatch } from '@trendcast/database';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

// The patches are unified diffs in patches/ applied by patch-package (the root postinstall), and
// tools/verify-patches.mjs checks every installed copy afterwards. These tests run both on throwaway
// installs made from the repository's own installed packages, with the patches undone.
const patchesDir = join(repoRoot, 'patches');
const patchPackage = join(repoRoot, 'node_modules/patch-package/index.js');
const verify = join(repoRoot, 'tools/verify-patches.mjs');
const postgresPatchFile = readdirSync(patchesDir).find((name) => name.startsWith('postgres+'))!;
let installRoot: string;

interface Hunk {
  file: string;
  before: string;
  after: string;
}

/** The hunks of a patch file: each file's text before and after, context included. */
function hunksOf(patchFile: string): Hunk[] {
  const hunks: Hunk[] = [];
  let file = '';
  let current: { before: string[]; after: string[] } | undefined;
  const flush = () => {
    if (current) hunks.push({ file, before: current.before.join('\n'), after: current.after.join('\n') });
    current = undefined;
  };
  for (const line of readFileSync(join(patchesDir, patchFile), 'utf8').split('\n')) {
    const header = /^diff --git a\/node_modules\/[^/]+\/(\S+) /.exec(line);
    if (header) {
      flush();
      file = header[1]!;
    } else if (line.startsWith('@@')) {
      flush();
      current = { before: [], after: [] };
    } else if (current && !line.startsWith('\\')) {
      if (line.startsWith('-')) current.before.push(line.slice(1));
      else if (line.startsWith('+')) current.after.push(line.slice(1));
      else if (line.startsWith(' ') || line === '') {
        current.before.push(line.slice(1));
        current.after.push(line.slice(1));
      }
    }
  }
  flush();
  return hunks;
}

/** A copy of the installed package at `where` (under the throwaway root) as npm leaves it: the patch undone. */
function installPristine(packageName: string, patchFile: string, where: string, version?: string): void {
  const target = join(installRoot, where);
  cpSync(join(repoRoot, 'node_modules', packageName), target, { recursive: true });
  for (const { file, before, after } of hunksOf(patchFile)) {
    const path = join(target, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(after)) throw new Error(`the installed ${packageName} ${file} does not carry a hunk of ${patchFile}`);
    writeFileSync(path, text.replace(after, before));
  }
  if (version) {
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(target, 'package.json'), JSON.stringify({ ...manifest, version }));
  }
}

/** What the root postinstall runs, in the throwaway install. */
function postinstall() {
  const applied = spawnSync(process.execPath, [patchPackage, '--error-on-fail', '--patch-dir', 'patches'], { cwd: installRoot, encoding: 'utf8' });
  if (applied.status !== 0) return applied;
  return spawnSync(process.execPath, [verify, installRoot, join(installRoot, 'patches')], { encoding: 'utf8' });
}

function markerCount(path: string): number {
  return readFileSync(path, 'utf8').split('trendcast patch').length - 1;
}

beforeEach(() => {
  installRoot = mkdtempSync(join(tmpdir(), 'trendcast-patches-'));
  writeFileSync(join(installRoot, 'package.json'), JSON.stringify({ name: 'patch-probe', version: '1.0.0', private: true }));
  mkdirSync(join(installRoot, 'patches'));
  cpSync(join(patchesDir, postgresPatchFile), join(installRoot, 'patches', postgresPatchFile));
});

afterEach(() => {
  rmSync(installRoot, { recursive: true, force: true });
});

describe('patched dependencies', () => {
  it('when the package is freshly installed, then the postinstall applies every hunk, and running it again changes nothing', () => {
    installPristine('postgres', postgresPatchFile, 'node_modules/postgres');

    const first = postinstall();
    const patched = Object.keys(postgresPatch.markers).map((file) => markerCount(join(installRoot, 'node_modules/postgres', file)));
    const second = postinstall();

    expect(first.status).toBe(0);
    expect(patched).toEqual(Object.values(postgresPatch.markers));
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('postgres: 1 installed copy patched');
  });

  it('when another version of the package is installed, then the install stops and names the patch to review', () => {
    installPristine('postgres', postgresPatchFile, 'node_modules/postgres', '9.9.9');

    const result = postinstall();

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`postgres@9.9.9 is installed at node_modules/postgres but patches/${postgresPatchFile} was written for 3.4.9`);
  });

  it('when a second copy is installed deeper in the tree, then the install stops and names that copy', () => {
    installPristine('postgres', postgresPatchFile, 'node_modules/postgres');
    installPristine('postgres', postgresPatchFile, 'node_modules/some-orm/node_modules/postgres');
    writeFileSync(join(installRoot, 'node_modules/some-orm/package.json'), JSON.stringify({ name: 'some-orm', version: '1.0.0' }));

    const result = postinstall();

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('postgres@3.4.9 at node_modules/some-orm/node_modules/postgres has no patch of its own');
  });

  it('when a service starts on an install whose patch was not applied (npm ci --ignore-scripts), then it refuses, naming the package', async () => {
    installPristine('postgres', postgresPatchFile, 'node_modules/postgres');
    writeFileSync(join(installRoot, 'probe.mjs'), '');
    const from = pathToFileURL(join(installRoot, 'probe.mjs')).href;

    const unpatched = (() => {
      try {
        assertDependencyPatched(postgresPatch, from);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    postinstall();

    expect(unpatched).toBeInstanceOf(UnpatchedDependencyError);
    expect((unpatched as Error).message).toMatch(/^postgres is not patched .*patches\/postgres\+3\.4\.9\.patch/);
    expect(() => assertDependencyPatched(postgresPatch, from)).not.toThrow();
  });

  it('when the services check their patches, then they expect exactly the hunks of the patch files', () => {
    const expected = (patch: DependencyPatch) => {
      const counts: Record<string, number> = {};
      for (const { file, after, before } of hunksOf(patch.patchFile.replace('patches/', ''))) {
        counts[file] = (counts[file] ?? 0) + markerCountIn(after) - markerCountIn(before);
      }
      return counts;
    };

    expect(postgresPatch.markers).toEqual(expected(postgresPatch));
    expect(amqplibPatch.markers).toEqual(expected(amqplibPatch));
    expect(readdirSync(patchesDir).filter((name) => name.endsWith('.patch')).sort()).toEqual([amqplibPatch, postgresPatch].map((patch) => patch.patchFile.replace('patches/', '')).sort());
  });

  it('when the repository install itself is checked, then every installed copy carries its patch', () => {
    const result = spawnSync(process.execPath, [verify], { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('postgres: 1 installed copy patched');
    expect(result.stdout).toContain('amqplib: 1 installed copy patched');
  });
});

function markerCountIn(text: string): number {
  return text.split('trendcast patch').length - 1;
}
