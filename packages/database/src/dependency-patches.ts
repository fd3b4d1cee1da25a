import { assertDependencyPatched, type DependencyPatch } from '@trendcast/core';

/** patches/postgres+3.4.9.patch: transactions that lose their connection fail cleanly; statements issued together leave in one write. */
export const postgresPatch: DependencyPatch = {
  packageName: 'postgres',
  patchFile: 'patches/postgres+3.4.9.patch',
  markers: { 'src/connection.js': 4, 'src/index.js': 3, 'cjs/src/connection.js': 4, 'cjs/src/index.js': 3 },
};

/** Throws UnpatchedDependencyError when the postgres.js this package loads runs without its patch. */
export function assertPostgresPatched(): void {
  assertDependencyPatched(postgresPatch, import.meta.url);
}
