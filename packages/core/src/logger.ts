/** One logging call: a pino logger's methods fit it as they are. */
export interface LogFn {
  (bindings: object, message?: string): void;
  (message: string): void;
}

/**
 * The logger every package and service takes: the part of pino's API the code uses, so libraries
 * need no pino dependency and tests can pass a recording logger.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const ignore: LogFn = () => {};

/** A logger that drops everything: the default where a logger is optional. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};

/** Errors are logged as plain objects so every pino transport prints their message. */
export function describeError(error: unknown): { message: string; name?: string; code?: unknown } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? { name: error.name, message: error.message } : { name: error.name, message: error.message, code };
  }
  return { message: String(error) };
}
