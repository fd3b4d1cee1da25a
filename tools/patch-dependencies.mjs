#!/usr/bin/env node
// Applies the fixes in patches/*.mjs to installed npm packages. Runs after every `npm ci` (the root
// postinstall) and in the Docker images; running it again changes nothing.
// A patch names the exact versions it was written for: any other installed version stops the
// install, so an upgrade is a decision to review the patch, never a silent loss of the fix.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const installRoot = path.resolve(process.argv[2] ?? repoRoot);
const patchesDir = path.join(repoRoot, 'patches');

async function applyPatch(patchFile) {
  const { default: patch } = await import(pathToFileURL(path.join(patchesDir, patchFile)).href);
  const packageDir = path.join(installRoot, 'node_modules', patch.package);
  let version;
  try {
    ({ version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')));
  } catch {
    return `${patch.package}: not installed here, nothing to patch`;
  }
  if (!patch.versions.includes(version)) {
    throw new Error(`${patch.package}@${version} is installed but patches/${patchFile} was written for ${patch.versions.join(', ')}: check whether the fix is still needed and update the patch`);
  }
  let changed = 0;
  for (const { files, edits } of patch.changes) {
    for (const file of files) {
      const target = path.join(packageDir, file);
      let text = await readFile(target, 'utf8');
      for (const edit of edits) {
        if (text.includes(edit.replace)) continue;
        if (!text.includes(edit.find)) throw new Error(`${patch.package}@${version} ${file}: the text patches/${patchFile} changes is not there`);
        text = text.replace(edit.find, edit.replace);
        changed += 1;
      }
      await writeFile(target, text);
    }
  }
  return `${patch.package}@${version}: ${changed === 0 ? 'already patched' : `${changed} edit(s) applied`}`;
}

try {
  const patchFiles = (await readdir(patchesDir)).filter((name) => name.endsWith('.mjs')).sort();
  for (const patchFile of patchFiles) console.log(`patch-dependencies: ${await applyPatch(patchFile)}`);
} catch (error) {
  console.error(`patch-dependencies: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
