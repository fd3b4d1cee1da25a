#!/usr/bin/env node
// Runs after `patch-package --error-on-fail` (the root postinstall, and the images): checks that EVERY
// installed copy of a patched package, nested ones included, is the version its patch was written for
// and carries every hunk of it. patch-package patches the copies its patch files name and warns, but
// goes on, when the installed version differs; a second copy elsewhere in the tree would run unpatched.
// Any of these stops the install, naming the package and what to do.
//   node tools/verify-patches.mjs [installRoot] [patchesDir]
//   node tools/verify-patches.mjs --installed installRoot [patchesDir]
//     prints the patch files whose package is installed there (an app's production install lacks some;
//     patch-package fails on a patch for a missing package)
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const marker = 'trendcast patch';
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const listInstalled = process.argv[2] === '--installed';
const args = process.argv.slice(listInstalled ? 3 : 2);
const installRoot = path.resolve(args[0] ?? repoRoot);
const patchesDir = path.resolve(args[1] ?? path.join(repoRoot, 'patches'));

/** What a patch file says: where the package it patches lives, its version, and the markers per file. */
function readPatch(file) {
  const text = readFileSync(path.join(patchesDir, file), 'utf8');
  const version = /\+([^+]+)\.patch$/.exec(file)?.[1];
  const markers = new Map();
  let location;
  let current;
  for (const line of text.split('\n')) {
    const header = /^diff --git a\/(\S+) /.exec(line);
    if (header) {
      const match = /^((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)+)(.+)$/.exec(header[1]);
      if (!match) throw new Error(`patches/${file}: cannot tell which package ${header[1]} belongs to`);
      location = match[1].replace(/\/$/, '');
      current = match[2];
      markers.set(current, markers.get(current) ?? 0);
    } else if (current && line.startsWith('+') && !line.startsWith('+++') && line.includes(marker)) {
      markers.set(current, markers.get(current) + 1);
    }
  }
  if (!location || !version) throw new Error(`patches/${file}: not a patch-package patch`);
  const packageName = location.split('node_modules/').at(-1);
  return { file, location, packageName, version, markers };
}

/** Every folder named node_modules/<name> under the install root, workspace folders included, links skipped. */
function installedCopies(packageName) {
  const found = [];
  const visit = (dir, depth) => {
    if (depth > 12) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
      const child = path.join(dir, entry.name);
      if (entry.name === 'node_modules') {
        const candidate = path.join(child, packageName);
        if (existsSync(path.join(candidate, 'package.json')) && !lstatSync(candidate).isSymbolicLink()) found.push(candidate);
        visit(child, depth + 1);
      } else if (entry.name !== '.git' && entry.name !== '.nx') {
        visit(child, depth + 1);
      }
    }
  };
  visit(installRoot, 0);
  return [...new Set(found)];
}

const problems = [];
const patches = readdirSync(patchesDir).filter((name) => name.endsWith('.patch')).sort().map(readPatch);
if (listInstalled) {
  for (const patch of patches) if (existsSync(path.join(installRoot, patch.location, 'package.json'))) console.log(patch.file);
  process.exit(0);
}
for (const packageName of new Set(patches.map((patch) => patch.packageName))) {
  const forPackage = patches.filter((patch) => patch.packageName === packageName);
  const copies = installedCopies(packageName);
  if (copies.length === 0) {
    console.log(`verify-patches: ${packageName}: not installed here, nothing to check`);
    continue;
  }
  for (const copy of copies) {
    const where = path.relative(installRoot, copy);
    const { version } = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8'));
    const patch = forPackage.find((candidate) => candidate.location === where);
    if (!patch) {
      const known = forPackage.map((candidate) => `patches/${candidate.file} (${candidate.location})`).join(', ');
      problems.push(`${packageName}@${version} at ${where} has no patch of its own (${known} cover other copies): dedupe it, or add one with \`npx patch-package ${where.replace(/^node_modules\//, '').replaceAll('/node_modules/', '/')}\``);
      continue;
    }
    if (version !== patch.version) {
      problems.push(`${packageName}@${version} is installed at ${where} but patches/${patch.file} was written for ${patch.version}: check whether the fix is still needed, then remake the patch for ${version} (or drop it)`);
      continue;
    }
    for (const [file, expected] of patch.markers) {
      const target = path.join(copy, file);
      const found = existsSync(target) ? readFileSync(target, 'utf8').split(marker).length - 1 : 0;
      if (found < expected) problems.push(`${packageName}@${version} at ${where}: ${file} carries ${found} of the ${expected} changes of patches/${patch.file}`);
    }
  }
  if (!problems.some((problem) => problem.startsWith(`${packageName}@`))) console.log(`verify-patches: ${packageName}: ${copies.length} installed cop${copies.length === 1 ? 'y' : 'ies'} patched`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`verify-patches: ${problem}`);
  process.exit(1);
}
