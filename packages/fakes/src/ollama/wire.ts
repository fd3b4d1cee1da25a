// Shapes and validation rules of Ollama's HTTP API, as its Go server writes and checks them
// (server/routes.go, api/types.go): what the fake must reproduce byte for byte where clients look.

/** A Go duration as `time.ParseDuration` accepts it ("5m", "1h30m", "-1s", "0"). */
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/u;

/** `keep_alive` is a number of seconds or a Go duration string; anything else is a 400. */
export function keepAliveProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'number') return undefined;
  if (typeof value !== 'string') return `Unsupported type: '${Array.isArray(value) ? '[]interface {}' : typeof value}'`;
  const body = value.replace(/^[-+]/u, '');
  if (body === '0' || goDuration.test(value)) return undefined;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/u.test(value)) return `time: missing unit in duration ${JSON.stringify(value)}`;
  return `time: invalid duration ${JSON.stringify(value)}`;
}

/** `think` is a boolean or one of the levels. */
export function thinkProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    return thinkLevels.includes(value) ? undefined : `invalid think value: ${JSON.stringify(value)} (must be "high", "medium", "low", "max", true, or false)`;
  }
  return 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)';
}

const thinkLevels = ['high', 'medium', 'low', 'max'];

/** Whether `think` asks for thinking: true, or any level. */
export function thinkRequested(value: unknown): boolean {
  return value === true || (typeof value === 'string' && thinkLevels.includes(value));
}

/** `format` is absent, "", "json" or a JSON Schema object; the runner refuses anything else. */
export function formatProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '' || value === 'json') return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return undefined;
  return `invalid format: ${JSON.stringify(JSON.stringify(value))}; expected "json" or a valid JSON Schema object`;
}

/** What Go's JSON decoder says about a body that is not JSON. */
export function jsonSyntaxProblem(raw: string): string {
  const first = raw.trimStart()[0];
  if (first === undefined) return 'unexpected EOF';
  if (!'{["-0123456789tfn'.includes(first)) return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected EOF';
}

export interface Metrics {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

/** Counters in nanoseconds, as the server reports them, from token counts at a plausible speed. */
export function metricsFor(promptTokens: number, outputTokens: number, elapsedMs: number): Metrics {
  const promptNs = promptTokens * 2_000_000;
  const evalNs = Math.max(1, outputTokens) * 20_000_000;
  const load = 1_000_000;
  return {
    total_duration: Math.max(Math.round(elapsedMs * 1e6), load + promptNs + evalNs),
    load_duration: load,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptNs,
    eval_count: outputTokens,
    eval_duration: evalNs,
  };
}

/** Roughly what a tokenizer does: pieces of up to four characters, leading spaces attached. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S{1,4}|\s+/gu) ?? [];
}
