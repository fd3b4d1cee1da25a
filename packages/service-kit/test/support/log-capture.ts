import { Writable } from 'node:stream';

export interface LogCapture {
  stream: Writable;
  /** Every JSON line written so far, parsed. */
  lines(): Array<Record<string, unknown>>;
}

/** A destination for createLogger that keeps the lines, so tests can assert on what was logged. */
export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
