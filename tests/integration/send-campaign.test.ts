/**
 * Mass sending through the simulator with PecDesk's CLI: 200 recipients from a CSV (each with a
 * file of their own), a mailbox limited to 50 messages per "minute" (a simulated minute of 3 s, the
 * simulator's rate limit the same), the sending process SIGKILLed halfway and resumed. At the end:
 * 200 PEC delivered, each recipient's mailbox holding its envelope exactly once, never more than 50
 * attempts in any minute, and the CSV export saying what `campaign show` says.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimMailbox } from '../../main/sim/simulator.ts';
import { tempDir } from '../support/archive.ts';
import { runPecdesk } from '../support/cli.ts';
import { envelopeRefs, simEnv, until } from '../support/send.ts';
import { dovecotAvailable, startTestSim, type TestSim } from '../support/sim.ts';

const RECIPIENTS = 200;
const PER_MINUTE = 50;
const MINUTE_MS = 3_000;
const BIN = new URL('../../bin/pecdesk.mjs', import.meta.url).pathname;
const clients = Array.from({ length: RECIPIENTS / 2 }, (_, i) => `cliente.${String(i + 1).padStart(3, '0')}`);

interface Shown {
  id: number;
  total: number;
  recipients: { address: string; state: string; reason: string | null }[];
}

describe.runIf(dovecotAvailable)('a campaign of 200 PEC', () => {
  let sim: TestSim;
  let dir: string;
  let archive: string;
  let env: NodeJS.ProcessEnv;
  let from: SimMailbox;
  let targets: SimMailbox[];
  const pecdesk = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    runPecdesk(['--archive', archive, ...args], { ...env, ...extra });
  beforeAll(async () => {
    sim = await startTestSim({
      extraMailboxes: clients,
      limits: { messagesPerWindow: PER_MINUTE, windowMs: MINUTE_MS },
    });
    from = sim.info.mailboxes.find((m) => m.address === 'mario.rossi@pec.alfa.test')!;
    targets = sim.info.mailboxes.filter((m) => m.address.startsWith('cliente.'));
    expect(targets).toHaveLength(RECIPIENTS);
    dir = tempDir('pecdesk-campaign-');
    archive = join(dir, 'archive');
    env = simEnv(sim, dir, { PECDESK_SEND_MINUTE_MS: String(MINUTE_MS), PECDESK_SEND_VERIFY_MS: '2000' });
    writeFileSync(join(dir, 'sim-ca.pem'), sim.ca);
    const add = await pecdesk(
      [
        ...['account', 'add', '--email', from.address, '--imap-host', '127.0.0.1'],
        ...['--imap-port', String(sim.info.imap.port), '--security', 'tls', '--ca', join(dir, 'sim-ca.pem')],
        ...['--smtp-host', '127.0.0.1', '--smtp-port', String(sim.info.smtp.port), '--smtp-security', 'tls'],
      ],
      { PECDESK_PASSWORD: from.password },
    );
    expect(add.code, add.stderr).toBe(0);
    const limits = await pecdesk([
      'account',
      'limits',
      '--email',
      from.address,
      '--per-minute',
      String(PER_MINUTE),
    ]);
    expect(limits.stdout).toContain('50 messages a minute');
    // The list: a company per row, its PEC, the file it gets.
    const lines = ['Ragione sociale;PEC;Importo;Avviso'];
    targets.forEach((t, i) => {
      const file = `avviso-${String(i + 1).padStart(3, '0')}.pdf`;
      writeFileSync(join(dir, file), `%PDF-1.4\navviso di pagamento n. ${i + 1}\n`);
      lines.push(`"Cliente ${i + 1} S.r.l.";${t.address};${(i + 1) * 10},00;${file}`);
    });
    writeFileSync(join(dir, 'clienti.csv'), `${lines.join('\r\n')}\r\n`);
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('sent within 50 a minute, killed halfway and resumed: 200 delivered, each once; the export matches', async () => {
    // The campaign, SIGKILLed once half of its PEC are with the provider.
    const child = spawn(
      process.execPath,
      [
        BIN,
        ...[
          '--archive',
          archive,
          'campaign',
          'send',
          '--from',
          from.address,
          '--csv',
          join(dir, 'clienti.csv'),
        ],
        ...['--subject', 'Avviso di pagamento - {{ragione_sociale}}', '--attach-column', 'Avviso', '--json'],
        ...[
          '--body',
          'Spett.le {{Ragione sociale}},\nin allegato l’avviso di pagamento di euro {{importo}}.\n\nStudio Rossi',
        ],
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<string | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    const { campaignId } = await until(
      'the campaign id',
      () => stdout,
      (s) => s.includes('\n'),
      60_000,
    ).then((s) => JSON.parse(s.split('\n')[0]!) as { campaignId: number });
    const db = new Database(join(archive, 'archive.db'), { readonly: true });
    const sentCount = () =>
      db
        .prepare("SELECT count(*) FROM outbox WHERE campaign_id = ? AND state = 'sent'")
        .pluck()
        .get(campaignId) as number;
    const atKill = await until('half of the campaign sent', sentCount, (n) => n >= RECIPIENTS / 2, 120_000);
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    expect(atKill).toBeLessThan(RECIPIENTS);

    const resumed = await pecdesk(['campaign', 'resume', String(campaignId)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sentCount()).toBe(RECIPIENTS);

    // Never more than 50 attempts in any minute, across the kill and the restart.
    const starts = (
      db
        .prepare('SELECT attempt_started_at FROM outbox WHERE campaign_id = ?')
        .pluck()
        .all(campaignId) as string[]
    )
      .map((t) => Date.parse(t))
      .sort((a, b) => a - b);
    for (let i = PER_MINUTE; i < starts.length; i++)
      expect(starts[i]! - starts[i - PER_MINUTE]!).toBeGreaterThanOrEqual(MINUTE_MS - 5);
    db.close();

    await sim.whenIdle();
    const synced = await pecdesk(['sync', '--quiet']);
    expect(synced.code, synced.stderr).toBe(0);
    const show = await pecdesk(['campaign', 'show', String(campaignId), '--json']);
    const shown = JSON.parse(show.stdout) as Shown;
    expect(shown.id).toBe(campaignId);
    expect(shown.total).toBe(RECIPIENTS);
    expect(shown.recipients.filter((r) => r.state === 'delivered')).toHaveLength(RECIPIENTS);
    expect(new Set(shown.recipients.map((r) => r.address))).toEqual(new Set(targets.map((t) => t.address)));

    // Each recipient got its own PEC exactly once, with its own file.
    const outbox = JSON.parse((await pecdesk(['outbox', '--json'])).stdout) as {
      messageId: string;
      recipients: { address: string }[];
    }[];
    const byAddress = new Map(outbox.map((r) => [r.recipients[0]!.address, r.messageId]));
    for (let i = 0; i < targets.length; i += 10) {
      const batch = targets.slice(i, i + 10);
      const refs = await Promise.all(batch.map((t) => envelopeRefs(sim, t)));
      for (const [j, t] of batch.entries()) expect(refs[j], t.address).toEqual([byAddress.get(t.address)]);
    }

    // The export: the list's own columns and each recipient's outcome, as `campaign show` says.
    const exported = await pecdesk(['campaign', 'export', String(campaignId)]);
    expect(exported.code).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(exported.stdout.replace(/^\ufeff/, ''), {
      header: true,
      delimiter: ';',
      skipEmptyLines: true,
    });
    expect(parsed.meta.fields).toEqual([
      'Ragione sociale',
      'PEC',
      'Importo',
      'Avviso',
      'pec_indirizzo',
      'pec_stato',
      'pec_motivo',
      'pec_dettaglio',
      'pec_message_id',
      'pec_inviata',
      'pec_accettata',
      'pec_consegnata',
    ]);
    expect(parsed.data.map((r) => [r.pec_indirizzo, r.pec_stato, r.pec_motivo || null])).toEqual(
      shown.recipients.map((r) => [r.address, r.state, r.reason]),
    );
    expect(parsed.data[0]).toMatchObject({ 'Ragione sociale': 'Cliente 1 S.r.l.', Importo: '10,00' });
  }, 600_000);
});
