export interface LatencySummary {
  medianMs: number;
  p90Ms: number;
}

export interface FailedLoginComparison {
  samples: number;
  wrongPassword: LatencySummary;
  unknownEmail: LatencySummary;
  /** unknown-email median / wrong-password median: near 1 when timing reveals nothing. */
  ratio: number;
  identicalBodies: boolean;
}

function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p90Ms: at(0.9) };
}

/**
 * Times failed sign-ins one at a time, alternating a wrong password for a real account with an
 * unknown email, so both see the same machine state.
 */
export async function compareFailedLogins(baseUrl: string, realEmail: string, samples: number): Promise<FailedLoginComparison> {
  const attempt = async (email: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'definitely the wrong password' }),
    });
    const body = await response.text();
    return { ms: performance.now() - started, body: `${response.status} ${body}` };
  };
  const wrong: number[] = [];
  const unknown: number[] = [];
  const bodies = new Set<string>();
  for (let i = 0; i < samples; i += 1) {
    const a = await attempt(realEmail);
    const b = await attempt(`nobody-${i}@example.org`);
    wrong.push(a.ms);
    unknown.push(b.ms);
    bodies.add(a.body).add(b.body);
  }
  const wrongPassword = summarize(wrong);
  const unknownEmail = summarize(unknown);
  return { samples, wrongPassword, unknownEmail, ratio: unknownEmail.medianMs / wrongPassword.medianMs, identicalBodies: bodies.size === 1 };
}
