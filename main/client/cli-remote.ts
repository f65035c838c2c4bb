/**
 * The CLI as a client of an office server (`pecdesk --server URL --user U <command>`, issue 16).
 * Commands get their API from openCliApi: the archive's own registry on this machine, or the
 * server's through a RemoteClient, behind the same ApiRegistry interface, so a command prints the
 * same thing either way and the server's registry decides what this person may see and do (the
 * rights are never checked here).
 */
import { readFileSync } from 'node:fs';
import type { ApiResponse } from '../api/contract.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { archiveRegistry, openArchive } from '../cli/archive-access.ts';
import { type CliCommand, type CliContext, CliError, type CliIo, parseCommandArgs } from '../cli/command.ts';
import { type MessageLine, printMessages } from '../cli/commands/messages.ts';
import { connectRemote, probeFingerprint, type RemoteClient, RemoteError } from './remote.ts';

/** What runs through --server; the rest (accounts, people, sync, keeping) runs on the server's machine. */
export const SERVER_COMMANDS = ['messages', 'thread', 'search', 'send', 'outbox', 'work', 'tag', 'audit'];

export interface CliApi {
  registry: ApiRegistry;
  /** The server's client, when the command runs through --server. */
  remote: RemoteClient | null;
  close(): Promise<void>;
}

/** The API a command calls: local (the archive here, as its owner) or the office server (as --user). */
export async function openCliApi(ctx: CliContext, io: CliIo, mustExist = true): Promise<CliApi> {
  if (ctx.server) return signIn(ctx, io);
  const opened = await openArchive(ctx, io, mustExist);
  return {
    registry: archiveRegistry(opened),
    remote: null,
    close: async () => opened.close(),
  };
}

/** A RemoteClient as an ApiRegistry: the transport's failures become the CLI's error lines. */
export function remoteRegistry(client: RemoteClient): ApiRegistry {
  return {
    async call(method, args) {
      try {
        return await client.callUnchecked(String(method), args);
      } catch (error) {
        throw cliErrorOf(error, client.url);
      }
    },
    // Events reach a remote client over its own socket (client.on('event')), not through here.
    filterEvents: () => () => undefined,
  };
}

function cliErrorOf(error: unknown, url: string): Error {
  if (error instanceof RemoteError)
    return new CliError(
      error.code === 'bad-options' ? error.message : `server ${url}: ${error.message}`,
      error.code === 'bad-options' ? 2 : 1,
    );
  return error as Error;
}

/** Connects with the pin given, signs in as --user, and signs out again when the command is done. */
async function signIn(ctx: CliContext, io: CliIo): Promise<CliApi> {
  const target = ctx.server!;
  let ca: Buffer | undefined;
  if (target.ca !== undefined) {
    try {
      ca = readFileSync(target.ca);
    } catch (error) {
      throw new CliError(
        `--ca ${target.ca}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        2,
      );
    }
  }
  let client: RemoteClient;
  try {
    client = await connectRemote({
      url: target.url,
      ...(target.fingerprint !== undefined ? { fingerprint: target.fingerprint } : {}),
      ...(ca ? { ca } : {}),
    });
  } catch (error) {
    // A self-signed server and no pin: say which fingerprint it presents, to compare with the one
    // the server printed at start (never trusted without that comparison).
    if (error instanceof RemoteError && error.code === 'tls' && !target.fingerprint && !ca) {
      const seen = await probeFingerprint(target.url).catch(() => null);
      if (seen)
        throw new CliError(
          `server ${target.url}: its certificate is not signed by a known CA. It presents SHA256 ${seen}: if that is the fingerprint the server printed at start, add --fingerprint ${seen}`,
        );
    }
    throw cliErrorOf(error, target.url);
  }
  const password =
    io.env.PECDESK_USER_PASSWORD || (await io.askSecret(`Password for ${target.user} at ${client.url}: `));
  if (!password) {
    await client.close();
    throw new CliError('no password: set PECDESK_USER_PASSWORD or run on a terminal', 2);
  }
  let login: ApiResponse<{ token: string; pendingTotp: boolean }>;
  try {
    login = await client.login(target.user, password);
    if (login.ok && login.value.pendingTotp) {
      const code = io.env.PECDESK_USER_TOTP || (await io.askSecret('Two-step verification code: '));
      if (!code)
        throw new CliError('a two-step verification code is needed: PECDESK_USER_TOTP or a terminal', 2);
      const second = await client.totp(code);
      login = second.ok ? { ok: true, value: { token: second.value.token, pendingTotp: false } } : second;
    }
  } catch (error) {
    await client.close();
    throw cliErrorOf(error, target.url);
  }
  if (!login.ok) {
    await client.close();
    throw new CliError(`login failed for ${target.user} at ${client.url}: ${login.error.message}`);
  }
  const registry = remoteRegistry(client);
  return {
    registry,
    remote: client,
    async close() {
      // One command, one session: none is left open on the server behind it.
      await client.call('auth.logout', {}).catch(() => undefined);
      await client.close();
    },
  };
}

const MESSAGES_HELP = `Usage: pecdesk --server URL --user U messages [--json] [--limit N]

Through an office server: the list rows this person may see, newest first (a PEC with its receipts
is one row, as in the app's "Tutti i messaggi"). --json prints an array with one object per row:
{ id, mailbox, account, kind, subject, date, threadId } (mailbox is the row's PEC mailbox).
`;

/** `messages` reads the archive's tables directly when local; through a server, the list API. */
const remoteMessages: CliCommand = {
  name: 'messages',
  usage: 'messages [--json]',
  summary: 'list the messages',
  help: MESSAGES_HELP,
  async run(args, io, ctx) {
    const { values } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, limit: { type: 'string' } },
      MESSAGES_HELP,
    );
    if (values.help) {
      io.out(MESSAGES_HELP);
      return 0;
    }
    const limit = values.limit ? Number(values.limit) : 500;
    if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit must be a positive number', 2);
    const api = await openCliApi(ctx, io);
    try {
      const rows: MessageLine[] = [];
      while (rows.length < limit) {
        const page = await api.registry.call(
          'messages.list',
          {
            view: { kind: 'smart', view: 'all' },
            offset: rows.length,
            limit: Math.min(500, limit - rows.length),
          },
          { transport: 'cli' },
        );
        if (!page.ok) throw new CliError(page.error.message);
        const value = page.value as {
          total: number;
          rows: {
            id: number;
            mailboxName: string | null;
            mailbox: string | null;
            kind: string;
            subject: string | null;
            date: string;
            threadId: number | null;
          }[];
        };
        for (const r of value.rows)
          rows.push({
            id: r.id,
            mailbox: r.mailboxName ?? r.mailbox,
            account: r.mailbox,
            kind: r.kind,
            subject: r.subject,
            date: r.date,
            threadId: r.threadId,
          });
        if (value.rows.length === 0 || rows.length >= value.total) break;
      }
      printMessages(io, rows, values.json === true);
      return 0;
    } finally {
      await api.close();
    }
  },
};

/** The commands whose local form reads the archive directly: their form through a server. */
export function remoteVariant(name: string): CliCommand | undefined {
  return name === 'messages' ? remoteMessages : undefined;
}
