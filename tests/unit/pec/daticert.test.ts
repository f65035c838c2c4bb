import { describe, expect, it } from 'vitest';
import { certDateToIso, parseDaticert } from '../../../main/pec/daticert.ts';

const xml = (body: string) => Buffer.from(body, 'utf8');

const FULL = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE postacert SYSTEM "Postacert.dtd">
<postacert tipo="avvenuta-consegna" errore="nessuno">
  <intestazione>
    <mittente>studio@pec.alfa.test</mittente>
    <destinatari tipo="certificato">a@pec.beta.test</destinatari>
    <destinatari tipo="esterno">b@example.test</destinatari>
    <risposte>studio@pec.alfa.test</risposte>
    <oggetto>Perché &amp; come</oggetto>
  </intestazione>
  <dati>
    <gestore-emittente>Beta PEC S.p.A.</gestore-emittente>
    <data zona="+0200"><giorno>31/07/2026</giorno><ora>09:05:07</ora></data>
    <identificativo>opec1.2026@pec.alfa.test</identificativo>
    <msgid>&lt;m0@client.test&gt;</msgid>
    <ricevuta tipo="breve" />
    <consegna>a@pec.beta.test</consegna>
  </dati>
</postacert>`;

describe('daticert.xml', () => {
  it('reads every field into the typed record', () => {
    const r = parseDaticert(xml(FULL));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      tipo: 'avvenuta-consegna',
      knownTipo: 'avvenuta-consegna',
      error: 'nessuno',
      sender: 'studio@pec.alfa.test',
      recipients: [
        { address: 'a@pec.beta.test', type: 'certificato' },
        { address: 'b@example.test', type: 'esterno' },
      ],
      replyTo: 'studio@pec.alfa.test',
      subject: 'Perché & come',
      provider: 'Beta PEC S.p.A.',
      date: { day: '31/07/2026', time: '09:05:07', zone: '+0200', iso: '2026-07-31T09:05:07+02:00' },
      identificativo: 'opec1.2026@pec.alfa.test',
      msgid: '<m0@client.test>',
      receiptType: 'breve',
      deliveryAddress: 'a@pec.beta.test',
      takenOver: [],
      errorDetail: null,
    });
    expect(r.warnings).toEqual([]);
  });

  it('never expands entities declared in a DOCTYPE (billion laughs)', () => {
    const evil = FULL.replace(
      '<!DOCTYPE postacert SYSTEM "Postacert.dtd">',
      '<!DOCTYPE postacert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ).replace('Perché &amp; come', '&b;');
    const r = parseDaticert(xml(evil));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.subject ?? '').not.toContain('aaaaaaaaaa');
  });

  it('tolerates stray text, control characters and Latin-1 bytes, with warnings', () => {
    const odd = FULL.replace('</risposte>', '</risposte>a').replace('Perché &amp; come', 'dell&#18;art. 72');
    const latin = Buffer.concat([
      xml(odd.split('Beta PEC')[0]!),
      Buffer.from('Società', 'latin1'),
      xml(odd.split('Beta PEC')[1]!),
    ]);
    const r = parseDaticert(latin);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.subject).toBe('dellart. 72');
    expect(r.value.provider).toContain('Societ');
    expect(r.warnings.length).toBeGreaterThan(0);
  });

  it('reads presa-in-carico ricezione and errore-consegna details', () => {
    const r = parseDaticert(
      xml(
        '<postacert tipo="errore-consegna" errore="no-dest"><intestazione><mittente>s@x</mittente></intestazione><dati><ricezione>a@b</ricezione><ricezione>c@d</ricezione><errore-esteso>5.1.1 - indirizzo non valido</errore-esteso></dati></postacert>',
      ),
    );
    expect(r.ok && [r.value.error, r.value.takenOver, r.value.errorDetail]).toEqual([
      'no-dest',
      ['a@b', 'c@d'],
      '5.1.1 - indirizzo non valido',
    ]);
  });

  it('refuses what is not daticert: empty, no root, not XML', () => {
    expect(parseDaticert(Buffer.alloc(0)).ok).toBe(false);
    expect(parseDaticert(xml('<other/>')).ok).toBe(false);
    expect(parseDaticert(Buffer.from([0x00, 0xff, 0x10])).ok).toBe(false);
  });

  it('builds dates with their zone and rejects impossible ones', () => {
    expect(certDateToIso('13/11/2018', '16:39:26', '+0100')).toBe('2018-11-13T16:39:26+01:00');
    expect(certDateToIso('1/2/2020', '7:05', '-0330')).toBe('2020-02-01T07:05:00-03:30');
    expect(certDateToIso('31/02/2020', '10:00:00', '+0100')).toBeNull();
    expect(certDateToIso('13/11/2018', '25:00:00', '+0100')).toBeNull();
    expect(certDateToIso('2018-11-13', '10:00:00', '+0100')).toBeNull();
  });
});
