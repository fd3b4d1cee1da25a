// One flat config for every project; each project runs `eslint .` and ESLint finds this file.
// Module boundaries come from the Nx tags in each package.json ("nx": {"tags": [...]}).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

/** Services that may own code of their own scope; shared code is `scope:shared`. */
const serviceScopes = ['users', 'trends', 'thinker', 'tweeter', 'notifier', 'monitor', 'web'];

/** Files that only run under test or tooling, never in production. */
const testFiles = [
  '**/test/**/*.{ts,mts,js,mjs}',
  '**/*.test.{ts,mts,js,mjs}',
  '**/*.spec.{ts,mts,js,mjs}',
  '**/vitest.config.{ts,mts}',
  '**/drizzle.config.ts',
  '**/bench/**/*.{ts,mts,js,mjs}',
];

/** Package names of the workspace projects tagged `kind:testing` (test helpers). */
function packagesTagged(tag) {
  const names = [];
  for (const group of ['packages', 'apps']) {
    const dir = join(workspaceRoot, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const manifest = join(dir, entry, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (pkg.nx?.tags?.includes(tag)) names.push(pkg.name);
    }
  }
  return names;
}

const testingPackages = packagesTagged('kind:testing');

function moduleBoundaries({ inTests }) {
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        // Apps are composition roots: they use libraries, never another app.
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
        { sourceTag: 'type:tests', onlyDependOnLibsWithTags: ['type:lib'] },
        // The event contracts are shared by everyone, so they depend on nothing but zod.
        {
          sourceTag: 'kind:contracts',
          onlyDependOnLibsWithTags: inTests ? ['kind:contracts', 'kind:testing'] : ['kind:contracts'],
          allowedExternalImports: inTests ? ['zod', 'zod/*', 'vitest', 'vitest/*'] : ['zod', 'zod/*'],
        },
        ...serviceScopes.map((scope) => ({
          sourceTag: `scope:${scope}`,
          onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
        })),
      ],
    },
  ];
}

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.nx/**',
      '**/coverage/**',
      '**/drizzle/**',
      '**/.local/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { '@nx': nx },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': moduleBoundaries({ inTests: false }),
      // Nx checks test helpers transitively through the graph (every library's tests use them),
      // so keeping them out of production code is a direct import check instead.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...testingPackages.map((name) => ({
              group: [name, `${name}/*`],
              message: 'Test helpers belong in test files only.',
            })),
            { group: ['@trendcast/*/samples'], message: 'Sample payloads are test fixtures.' },
          ],
        },
      ],
    },
  },
  {
    // Import cycles: two modules that need each other are one module in two files, and their load
    // order decides which sees the other half-initialised. (The rule skips `import type`, which
    // vanishes at runtime.) Sources import `./x.js` for `./x.ts`.
    files: ['**/*.{ts,mts}'],
    plugins: { 'import-x': importX },
    settings: {
      // Which files the rule reads to follow imports further (it skips any other extension).
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.js'], '.mjs': ['.mts', '.mjs'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ inTests: true }),
      'no-restricted-imports': 'off',
    },
  },
  {
    // The web app's React code: the rules of hooks and effect dependencies.
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
      },
    },
  },
  prettier,
);
