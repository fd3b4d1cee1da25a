import { resolve } from 'node:path';

/** The repository root (this project lives at tests/e2e). */
export const repoRoot = resolve(import.meta.dirname, '../../../..');
