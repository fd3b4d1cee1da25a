#!/usr/bin/env node
// Bundles one app for production: its entry points and the @trendcast/* workspace packages it uses
// (which ship TypeScript source) go into dist/; npm packages stay external and load from node_modules.
//
// Usage, from an app folder (its "build" script): node ../../tools/build-app.mjs [appDir]
// dist/ mirrors src/ (dist/main.js, dist/db/migrate.js), so paths an entry point resolves relative to
// itself work the same from dist/ as from src/; drizzle/ migrations are copied to dist/drizzle/ and the
// files an app serves as they are (src/public/: a page's script and styles) to dist/public/.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const appDir = resolve(process.argv[2] ?? process.cwd());
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
const entryPoints = ['src/main.ts', 'src/db/migrate.ts']
  .map((entry) => join(appDir, entry))
  .filter((entry) => existsSync(entry));

if (!entryPoints.some((entry) => entry.endsWith('main.ts'))) {
  console.error(`build-app: ${pkg.name} has no src/main.ts`);
  process.exit(1);
}

/** Workspace packages are bundled; every other bare import is an npm package left to node_modules. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@trendcast/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const outdir = join(appDir, 'dist');
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints,
  outbase: join(appDir, 'src'),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Bundled CommonJS helpers call require(); ESM has none, so give them one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [externalNpmPackages],
  logLevel: 'warning',
  metafile: true,
});

const migrations = join(appDir, 'drizzle');
if (existsSync(migrations)) cpSync(migrations, join(outdir, 'drizzle'), { recursive: true });
const publicFiles = join(appDir, 'src/public');
if (existsSync(publicFiles)) cpSync(publicFiles, join(outdir, 'public'), { recursive: true });
// Model weights an app loads at run time (thinker's model/sentiment.bin) go beside the bundle: dist/model/.
const modelFiles = join(appDir, 'model');
if (existsSync(modelFiles)) cpSync(modelFiles, join(outdir, 'model'), { recursive: true });

const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
console.log(`build-app: ${pkg.name} -> ${outputs.map((file) => file.replace(`${appDir}/`, '')).join(', ')}`);
