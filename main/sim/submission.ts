/**
 * The providers' SMTP submission service (the "punto di accesso" as a client sees it): implicit
 * TLS on one port (like smtps.pec.aruba.it:465) and STARTTLS on another, AUTH PLAIN/LOGIN only
 * after TLS, with the full PEC address as user name. Every message that reaches the end of DATA
 * is answered 250 and judged by the provider afterwards, as real providers do: a refused PEC is
 * told by an avviso di non accettazione, not by an SMTP error. SMTP errors are kept for what SMTP
 * is for: a wrong password (535), too many messages in a minute (451, temporary: the client
 * retries later), a message over the size the provider takes at all (552).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SubmissionHandlers {
  /** The mailbox a user name and password open, or null. */
  authenticate(user: string, password: string): string | null;
  /** Counts one more message of `mailbox`; false when it is over its rate. */
  takeRateSlot(mailbox: string): boolean;
  /** Called with each whole message; its errors are logged, the client has its 250 already. */
  submitted(message: { raw: Buffer; from: string; to: string[]; authUser: string }): void;
  /** A line for the simulator's log (stderr). */
  log(line: string): void;
}

export interface SubmissionOptions {
  key: string;
  cert: string;
  /** Largest message SMTP takes (bytes); larger ones are refused with 552. */
  maxBytes: number;
  /** The name in the greeting and in EHLO. */
  hostname: string;
  tlsPort?: number;
  starttlsPort?: number;
}

function smtpError(code: number, text: string): Error {
  const e = new Error(text) as Error & { responseCode: number };
  e.responseCode = code;
  return e;
}

function listenOn(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

/** The port it had last time when that one is free (accounts set up in PecDesk keep working), else any. */
async function listen(
  server: SMTPServer,
  port: number | undefined,
  log: (line: string) => void,
): Promise<number> {
  if (port) {
    try {
      return await listenOn(server, port);
    } catch (e) {
      log(`smtp: port ${port} not available (${(e as Error).message}): using another`);
    }
  }
  return listenOn(server, 0);
}

export class SubmissionServer {
  private constructor(
    private readonly servers: SMTPServer[],
    readonly tlsPort: number,
    readonly starttlsPort: number,
  ) {}

  static async start(options: SubmissionOptions, handlers: SubmissionHandlers): Promise<SubmissionServer> {
    const make = (secure: boolean) => {
      const config: SMTPServerOptions = {
        secure,
        key: options.key,
        cert: options.cert,
        name: options.hostname,
        banner: 'PecDesk simulatore PEC',
        size: options.maxBytes,
        authMethods: ['PLAIN', 'LOGIN'],
        allowInsecureAuth: false,
        authOptional: false,
        disableReverseLookup: true,
        closeTimeout: 1000,
        logger: false,
        onAuth(auth, _session, callback) {
          const mailbox = handlers.authenticate(auth.username ?? '', auth.password ?? '');
          if (!mailbox) return callback(smtpError(535, '5.7.8 Credenziali non valide'));
          callback(null, { user: mailbox });
        },
        onMailFrom(_address, session, callback) {
          if (!session.user) return callback(smtpError(530, '5.7.0 Autenticazione richiesta'));
          if (!handlers.takeRateSlot(session.user))
            return callback(smtpError(451, '4.7.1 Troppi messaggi in poco tempo: riprovare più tardi'));
          callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (e) => callback(e));
          stream.on('end', () => {
            if (stream.sizeExceeded)
              return callback(
                smtpError(552, `5.3.4 Messaggio oltre la dimensione massima (${options.maxBytes} byte)`),
              );
            const { mailFrom, rcptTo } = session.envelope;
            handlers.submitted({
              raw: Buffer.concat(chunks),
              from: mailFrom ? mailFrom.address : '',
              to: rcptTo.map((r) => r.address),
              authUser: session.user ?? '',
            });
            callback();
          });
        },
      };
      return new SMTPServer(config);
    };
    const tls = make(true);
    const starttls = make(false);
    const tlsPort = await listen(tls, options.tlsPort, handlers.log);
    const starttlsPort = await listen(starttls, options.starttlsPort, handlers.log);
    for (const server of [tls, starttls]) {
      // A client's TLS or protocol error ends that client's session; the server keeps serving.
      server.on('error', (e) => handlers.log(`smtp: ${e.message}`));
    }
    return new SubmissionServer([tls, starttls], tlsPort, starttlsPort);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
