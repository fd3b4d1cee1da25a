/** One problem with one input, as the services report it (`path` like "body.email"). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A failed API call, with a message a person can read and, when the API named them, the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Messages per input name ("body.keywords.0" belongs to "keywords"). */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    if (!Array.isArray(this.details)) return fields;
    for (const item of this.details as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { path, message } = item as Partial<FieldProblem>;
      if (typeof path !== 'string' || typeof message !== 'string') continue;
      const field = path.replace(/^(body|query|params)\./, '').split('.')[0] ?? path;
      fields[field] ??= sentence(message);
    }
    return fields;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

const passwordProblems: Record<string, string> = {
  too_short: 'use at least 12 characters',
  too_long: 'use at most 128 characters',
  too_few_distinct_characters: 'use at least 5 different characters',
  too_common: 'it is one of the most common passwords',
  contains_email: 'it must not contain your email address',
  same_as_current: 'it must differ from your current password',
};

/** "Choose a stronger password: use at least 12 characters; it is one of the most common passwords." */
export function weakPasswordMessage(details: unknown): string {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  const reasons = Array.isArray(problems) ? problems.map((problem) => passwordProblems[String(problem)] ?? String(problem)) : [];
  return reasons.length > 0 ? `Choose a stronger password: ${reasons.join('; ')}.` : 'Choose a stronger password.';
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Wording for errors whose server message is not enough on its own. */
export function readableMessage(status: number, code: string, serverMessage: string | undefined, details: unknown, retryAfter?: number): string {
  switch (code) {
    case 'WEAK_PASSWORD':
      return weakPasswordMessage(details);
    case 'TOO_MANY_ATTEMPTS':
    case 'RATE_LIMITED':
      return retryAfter ? `Too many attempts. Try again in ${waitText(retryAfter)}.` : 'Too many attempts. Try again in a little while.';
    case 'BAD_GATEWAY':
    case 'SERVICE_UNAVAILABLE':
    case 'GATEWAY_TIMEOUT':
      return 'This part of Trendcast is not reachable right now. Try again in a moment.';
    case 'VALIDATION_FAILED':
      return 'Some fields need another look.';
  }
  if (serverMessage) return serverMessage.endsWith('.') ? serverMessage : `${serverMessage}.`;
  if (status >= 500) return 'Something went wrong on our side. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}
