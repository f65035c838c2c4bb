/**
 * Search on an archive synced from Dovecot, through the CLI a person uses: receipts found by a word
 * of the PDF their PEC carried, accents folded, a FatturaPA inside a signed .p7m, an unreadable PDF
 * indexed by its name and flagged, filters, and the thread a hit brings.
 */
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { buildOriginal, cmsSign, pecOf, providerRewrite, scenario } from '../factory/pec-factory.ts';
import { testPki } from '../factory/pki.ts';
import { accountAddArgs, cliArchive } from '../support/cli.ts';
import { DovecotServer, dovecotAvailable } from '../support/dovecot.ts';

async function pdfWith(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((line, i) => {
    page.drawText(line, { x: 50, y: 750 - i * 18, size: 11, font });
  });
  return Buffer.from(await doc.save());
}

const FATTURA = `<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
  <FatturaElettronicaHeader><CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese>
  <IdCodice>01234567890</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>Officine Zanardelli S.r.l.</Denominazione>
  </Anagrafica></DatiAnagrafici></CedentePrestatore></FatturaElettronicaHeader>
  <FatturaElettronicaBody><DatiBeniServizi><DettaglioLinee><Descrizione>Manutenzione caldaia condominiale</Descrizione>
  </DettaglioLinee></DatiBeniServizi></FatturaElettronicaBody>
</p:FatturaElettronica>`;

describe.runIf(dovecotAvailable)('search on a synced archive (attachments, accents, threads)', () => {
  let server: DovecotServer;
  const { archive, pecdesk } = cliArchive('pecdesk-search-');
  const search = async (q: string) => {
    const r = await pecdesk(['search', q, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as {
      total: number;
      hits: { id: number; threadId: number | null; kind: string; snippet: string }[];
    };
  };
  const sent = scenario({ subject: 'Lavori straordinari' });
  const inbound = scenario({ subject: 'Invio fattura elettronica', sender: 'fatture@pec.beta.test' });

  beforeAll(async () => {
    server = await DovecotServer.start();
    const user = server.addUser(sent.sender);
    const contract = await pdfWith([
      'Capitolato per la ristrutturazione del capannone di Bergamo.',
      'Il committente accetta perché i lavori terminano entro marzo.',
    ]);
    sent.original = providerRewrite(
      buildOriginal({
        from: sent.sender,
        to: sent.recipients.map((r) => r.address),
        subject: sent.subject,
        text: 'In allegato il capitolato.',
        attachments: [
          { filename: 'capitolato.pdf', contentType: 'application/pdf', content: contract },
          {
            filename: 'preventivo-rotto.pdf',
            contentType: 'application/pdf',
            content: Buffer.from('%PDF-1.4 rotto'),
          },
        ],
        messageId: sent.msgid,
      }),
      sent.identificativo,
      sent.msgid,
    );
    const p7m = cmsSign(
      Buffer.from(FATTURA, 'utf8').toString('latin1'),
      testPki().providers.beta,
      new Date(),
      false,
    );
    inbound.original = providerRewrite(
      buildOriginal({
        from: inbound.sender,
        to: [sent.sender],
        subject: inbound.subject,
        text: 'Si trasmette la fattura.',
        attachments: [
          { filename: 'IT01234567890_00042.xml.p7m', contentType: 'application/octet-stream', content: p7m },
        ],
        messageId: inbound.msgid,
      }),
      inbound.identificativo,
      inbound.msgid,
    );
    // Only the receipts of the sent PEC are in the mailbox (the sent copy is not): the acceptance
    // carries no original, the complete delivery receipts carry it with the PDF.
    await server.append(user, 'INBOX', [
      pecOf(sent, 'accettazione'),
      ...sent.recipients.map((r) => pecOf(sent, 'avvenuta-consegna', { deliveryAddress: r.address })),
      pecOf(inbound, 'posta-certificata'),
    ]);
    const add = await pecdesk(accountAddArgs(server, user.user), { PECDESK_PASSWORD: user.password });
    expect(add.code, add.stderr).toBe(0);
    const sync = await pecdesk(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
  });
  afterAll(() => server?.destroy());

  it('finds the acceptance and delivery receipts by a word of the PDF their PEC carried', async () => {
    const found = await search('capannone');
    expect(found.total).toBe(1);
    const hit = found.hits[0]!;
    expect(hit.threadId).not.toBeNull();
    expect(hit.snippet).toMatch(/capannone/);
    const thread = JSON.parse((await pecdesk(['thread', String(hit.threadId), '--json'])).stdout);
    expect(thread.msgid).toBe(sent.msgid);
    expect(thread.members.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'accettazione',
      'avvenuta-consegna',
      'avvenuta-consegna',
    ]);
    // The same hit as a table, dates in Rome time.
    const table = await pecdesk(['search', 'capannone']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toBe('1 result(s)');
    expect(lines[1]).toMatch(/^ID +DATE \(ROME\) +KIND +STATE +CORRESPONDENT +SUBJECT$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^${hit.id} +\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} +accettazione +delivered .*Lavori straordinari$`,
      ),
    );
    expect((await search('capannone kind:accettazione')).total).toBe(1);
    expect((await search('capannone kind:ordinaria')).total).toBe(0);
    expect((await search('capannone is:delivered')).total).toBe(1);
    expect((await search('capannone is:failed')).total).toBe(0);
  });

  it('accents do not matter: "perche" finds "perché" in the PDF', async () => {
    expect((await search('perche terminano')).total).toBe(1);
    expect((await search('"accetta perche"')).total).toBe(1);
  });

  it('reads a FatturaPA inside a signed .p7m; filters by sender domain and mailbox', async () => {
    const found = await search('zanardelli caldaia');
    expect(found.total).toBe(1);
    expect(found.hits[0]!.kind).toBe('posta-certificata');
    expect((await search('zanardelli from:@beta.test')).total).toBe(1);
    expect((await search('zanardelli domain:altro.it')).total).toBe(0);
    expect((await search(`zanardelli mailbox:${sent.sender.slice(0, 6)}`)).total).toBe(1);
    expect((await search('zanardelli mailbox:nessuna')).total).toBe(0);
    expect((await search('zanardelli folder:INBOX has:allegato')).total).toBe(1);
  });

  it('an unreadable PDF is indexed by its name and flagged, and loses nothing', async () => {
    expect((await search('preventivo-rotto')).total).toBe(1);
    const db = openDatabase(join(archive, 'archive.db'));
    try {
      const rows = db.$client
        .prepare(
          "SELECT filename, text_status AS status, text_error AS error FROM attachments WHERE filename LIKE '%.pdf' OR filename LIKE '%.p7m'",
        )
        .all() as { filename: string; status: string; error: string | null }[];
      expect(
        rows
          .filter((r) => r.filename === 'preventivo-rotto.pdf')
          .every((r) => r.status === 'failed' && r.error),
      ).toBe(true);
      expect(rows.filter((r) => r.filename === 'capitolato.pdf').every((r) => r.status === 'ok')).toBe(true);
      expect(rows.find((r) => r.filename.endsWith('.p7m'))?.status).toBe('ok');
    } finally {
      db.$client.close();
    }
  });
});
