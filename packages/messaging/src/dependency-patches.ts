import { assertDependencyPatched, type DependencyPatch } from '@trendcast/core';

/** patches/amqplib+2.3.1.patch: frames queued together leave in one socket write. */
export const amqplibPatch: DependencyPatch = {
  packageName: 'amqplib',
  patchFile: 'patches/amqplib+2.3.1.patch',
  markers: { 'lib/mux.js': 2 },
};

/** Throws UnpatchedDependencyError when the amqplib this package loads runs without its patch. */
export function assertAmqplibPatched(): void {
  assertDependencyPatched(amqplibPatch, import.meta.url);
}
