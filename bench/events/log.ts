import type { MessagingLogger } from '@trendcast/messaging';

/** Prints warnings and errors only, so a bench run shows trouble without drowning the figures. */
export function quietLogger(bindings: Record<string, unknown> = {}): MessagingLogger {
  const print = (level: string) => (first: object | string, message?: string) => {
    const text = typeof first === 'string' ? first : `${message ?? ''} ${JSON.stringify({ ...bindings, ...first }, showErrors)}`;
    console.error(`[${level}] ${text}`);
  };
  const ignore = () => {};
  return { debug: ignore, info: ignore, warn: print('warn'), error: print('error'), child: (more) => quietLogger({ ...bindings, ...more }) };
}

function showErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
