/**
 * One SMTP submission to the provider, with nodemailer's SMTPConnection rather than its transport,
 * because the outbox must know how far a failed attempt got: before MAIL FROM nothing can have
 * reached the provider and the message is simply tried again; after it, a connection that drops
 * (or a timeout) leaves the outcome unknown, and the outbox looks for the provider's acceptance
 * before anything is sent again. Server answers are never unknown: 4xx is "try later", 5xx "no".
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpEndpoint {
  host: string;
  port: number;
  security: 'tls' | 'starttls';
  user: string;
  /** PEM of an extra CA (self-hosted or test servers), from the account. */
  caPem: string | null;
}

export type SmtpFailureKind =
  /** Nothing was handed over (connection, TLS, login, or a 4xx before the end of DATA): try again. */
  | 'temporary'
  /** The server said no (5xx) or the login/TLS cannot work without the person: do not retry. */
  | 'permanent'
  /** The connection was lost after MAIL FROM: the provider may have the message. */
  | 'unknown';

export type SmtpErrorCode =
  | 'connection-failed'
  | 'timeout'
  | 'tls-failed'
  | 'auth-failed'
  | 'rate-limited'
  | 'temporary-error'
  | 'rejected'
  | 'too-large'
  | 'interrupted';

export class SmtpFailure extends Error {
  constructor(
    readonly kind: SmtpFailureKind,
    readonly code: SmtpErrorCode,
    message: string,
    readonly responseCode: number | null = null,
  ) {
    super(message);
  }
}

export interface SmtpResult {
  /** The server's final answer to DATA ("250 2.0.0 Ok: queued as …"). */
  response: string;
  accepted: string[];
  rejected: string[];
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

function describeError(e: NodemailerError): string {
  return [e.message, e.response && !e.message.includes(e.response) ? e.response : null]
    .filter(Boolean)
    .join(': ');
}

/** What a failure before or after MAIL FROM means for the outbox. */
export function classifySmtpError(error: unknown, dataStarted: boolean): SmtpFailure {
  if (error instanceof SmtpFailure) return error;
  const e = error as NodemailerError;
  const text = describeError(e);
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (e.code === 'EAUTH' || status === 535 || status === 534)
    return new SmtpFailure('permanent', 'auth-failed', `login refused by the server: ${text}`, status);
  if (status !== null && status >= 400 && status < 500)
    return new SmtpFailure(
      'temporary',
      status === 451 || status === 421 || status === 450 ? 'rate-limited' : 'temporary-error',
      `the server asks to try again later: ${text}`,
      status,
    );
  if (status !== null && status >= 500)
    return new SmtpFailure(
      'permanent',
      status === 552 || (e.code === 'EMESSAGE' && /size/i.test(text)) ? 'too-large' : 'rejected',
      `the server refused the message: ${text}`,
      status,
    );
  if (e.code === 'EMESSAGE' && /size/i.test(text))
    return new SmtpFailure('permanent', 'too-large', `the server refused the message: ${text}`);
  if (dataStarted)
    return new SmtpFailure(
      'unknown',
      'interrupted',
      `the connection was lost while the message was being sent: ${text}`,
    );
  if (e.code === 'ETLS' || /certificate|self[- ]signed|TLS|SSL/i.test(`${e.code ?? ''} ${text}`))
    return new SmtpFailure('permanent', 'tls-failed', `secure connection failed: ${text}`);
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(text))
    return new SmtpFailure('temporary', 'timeout', `the server did not answer in time: ${text}`);
  return new SmtpFailure('temporary', 'connection-failed', `cannot reach the server: ${text}`);
}

export interface SubmitOptions {
  timeoutMs?: number;
  /**
   * Called (and awaited) once the login succeeded, right before MAIL FROM: from here on the
   * provider may end up with the message, and the outbox commits that before it happens.
   */
  beforeData(): void | Promise<void>;
  /** Aborts the attempt (the service is stopping). */
  signal?: AbortSignal;
}

/** Submits `raw` for the envelope (from, to: every recipient, To and Cc). */
export function submit(
  endpoint: SmtpEndpoint,
  password: string,
  envelope: { from: string; to: string[] },
  raw: Buffer,
  options: SubmitOptions,
): Promise<SmtpResult> {
  const timeout = options.timeoutMs ?? 60_000;
  const connection = new SMTPConnection({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === 'tls',
    // STARTTLS is required, never optional: no password goes out in the clear.
    requireTLS: endpoint.security === 'starttls',
    name: 'pecdesk.localhost',
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: Math.max(timeout, 5 * 60_000),
    tls: { ...(endpoint.caPem ? { ca: [endpoint.caPem] } : {}), minVersion: 'TLSv1.2' },
    logger: false,
  });
  let dataStarted = false;
  let settled = false;
  return new Promise<SmtpResult>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      connection.close();
      reject(classifySmtpError(error, dataStarted));
    };
    const onAbort = () => fail(new Error('stopped'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    connection.on('error', fail);
    connection.connect((connectError?: Error | null) => {
      if (connectError) return fail(connectError);
      connection.login({ user: endpoint.user, pass: password }, (loginError?: Error | null) => {
        if (loginError) return fail(loginError);
        Promise.resolve()
          .then(() => options.beforeData())
          .then(() => {
            if (settled) return;
            dataStarted = true;
            connection.send(envelope, raw, (sendError, info) => {
              if (sendError) return fail(sendError);
              if (settled) return;
              settled = true;
              options.signal?.removeEventListener('abort', onAbort);
              connection.quit();
              resolve({
                response: String(info?.response ?? ''),
                accepted: (info?.accepted ?? []).map(String),
                rejected: (info?.rejected ?? []).map(String),
              });
            });
          })
          .catch(fail);
      });
    });
  });
}
