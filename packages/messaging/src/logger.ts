/** The subset of a pino logger this package uses; a pino `Logger` fits it as is. */
export interface LogFn {
  (bindings: object, message?: string): void;
  (message: string): void;
}

export interface MessagingLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): MessagingLogger;
}

const ignore: LogFn = () => {};

/** A logger that drops everything: the default where a logger is optional. */
export const silentLogger: MessagingLogger = {
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
