import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface CapturedMail {
  /** What the SMTP conversation said (MAIL FROM / RCPT TO): where the server would really deliver. */
  envelope: { from: string; to: string[] };
  raw: string;
  /** Parsed with mailparser; undefined when the capture was started with `parse: false`. */
  parsed?: ParsedMail;
  acceptedAt: number;
}

export interface SmtpCapture {
  port: number;
  /** SMTP_URL for the notifier. */
  url: string;
  mails: CapturedMail[];
  /** Called as each mail is accepted (before parsing), e.g. to time it. */
  onAccepted?: (mail: CapturedMail) => void;
  waitForMails(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  /** Answers every MAIL FROM with `code` (e.g. 451: try again later) until `acceptAgain()`. */
  refuseWith(code: number, message?: string): void;
  acceptAgain(): void;
  /** Goes offline: open connections are dropped and new ones refused, until `start()` on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps every mail it accepts, for tests and the bench. */
export async function startSmtpCapture(o: { parse?: boolean; port?: number } = {}): Promise<SmtpCapture> {
  const parse = o.parse ?? true;
  let refusal: { code: number; message: string } | undefined;
  const waiters = new Set<() => void>();

  const createServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 50,
      disableReverseLookup: true,
      onMailFrom(_address, _session, callback) {
        if (!refusal) return callback();
        return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const address = (a: SMTPServerAddress | false) => (a ? a.address : '');
          const mail: CapturedMail = {
            envelope: { from: address(session.envelope.mailFrom), to: session.envelope.rcptTo.map(address) },
            raw: Buffer.concat(chunks).toString('utf8'),
            acceptedAt: performance.now(),
          };
          callback();
          capture.onAccepted?.(mail);
          const store = () => {
            capture.mails.push(mail);
            for (const wake of waiters) wake();
          };
          if (!parse) return store();
          simpleParser(mail.raw).then((parsed) => {
            mail.parsed = parsed;
            store();
          }, (error: unknown) => {
            console.error('captured mail could not be parsed', error);
            store();
          });
        });
      },
    });

  let server = createServer();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const port = await listen(o.port ?? 0);
  let running = true;

  const capture: SmtpCapture = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails: [],
    async waitForMails(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (capture.mails.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${count} mails; got ${capture.mails.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
      return capture.mails.slice(0, count);
    },
    refuseWith(code, message = 'Try again later') {
      refusal = { code, message };
    },
    acceptAgain() {
      refusal = undefined;
    },
    async stop() {
      if (!running) return;
      running = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      if (running) return;
      // A closed SMTPServer cannot listen again: a fresh one takes the same port.
      server = createServer();
      await listen(port);
      running = true;
    },
    close: () => capture.stop(),
  };
  return capture;
}
