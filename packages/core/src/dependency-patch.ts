import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The comment every hunk of a patch in patches/ carries, so an installed file shows whether it is patched. */
export const patchMarker = 'trendcast patch';

export interface DependencyPatch {
  /** The npm package, as imported. */
  packageName: string;
  /** The patch that fixes it, named in the error (patches/<name>+<version>.patch). */
  patchFile: string;
  /** Files of the package, relative to its folder, and how many markers each carries once patched. */
  markers: Record<string, number>;
}

/** A dependency runs without the patch the code relies on (an install with --ignore-scripts, a failed postinstall). */
export class UnpatchedDependencyError extends Error {
  override readonly name = 'UnpatchedDependencyError';
  readonly code = 'UNPATCHED_DEPENDENCY';

  constructor(
    readonly packageName: string,
    readonly detail: string,
    readonly patchFile: string,
  ) {
    super(`${packageName} is not patched (${detail}): run \`npx patch-package --error-on-fail\` in the install, or install without --ignore-scripts; the fix is ${patchFile}`);
  }
}

const verified = new Set<string>();

/**
 * Throws UnpatchedDependencyError unless the copy of the package that `fromUrl` (an import.meta.url)
 * resolves carries every hunk of its patch. Reads a few files once per process.
 */
export function assertDependencyPatched(patch: DependencyPatch, fromUrl: string): void {
  const packageDir = installedPackageDir(patch.packageName, fromUrl);
  if (verified.has(packageDir)) return;
  for (const [file, expected] of Object.entries(patch.markers)) {
    const path = join(packageDir, file);
    const found = existsSync(path) ? countMarkers(readFileSync(path, 'utf8')) : 0;
    if (found < expected) {
      throw new UnpatchedDependencyError(patch.packageName, `${path} carries ${found} of the ${expected} changes`, patch.patchFile);
    }
  }
  verified.add(packageDir);
}

function countMarkers(text: string): number {
  return text.split(patchMarker).length - 1;
}

/** The folder of the installed package that `fromUrl` would load (its exports may hide package.json). */
function installedPackageDir(packageName: string, fromUrl: string): string {
  let dir = dirname(createRequire(fromUrl).resolve(packageName));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the installed ${packageName}`);
    dir = parent;
  }
}
