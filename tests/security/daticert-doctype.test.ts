/**
 * daticert.xml is the provider's word on who sent what to whom: an entity declared in a DOCTYPE
 * must never put its text into <mittente> or <oggetto>. A forged envelope could otherwise show a
 * sender the provider never certified (a DOCTYPE the provider did not write, or a second one after
 * the first, or one nested inside another's internal subset).
 */
import { describe, expect, it } from 'vitest';
import { daticertTree, parseDaticert } from '../../main/pec/daticert.ts';
import { stripDoctypes } from '../../main/pec/daticert-xml.ts';

const FORGED = 'tribunale@pec.giustizia.test';

function daticert(prolog: string, sender = '&m;', subject = 'Avviso &o;'): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
${prolog}
<postacert tipo="posta-certificata" errore="nessuno">
  <intestazione>
    <mittente>${sender}</mittente>
    <destinatari tipo="certificato">studio@pec.alfa.test</destinatari>
    <risposte>truffa@pec.beta.test</risposte>
    <oggetto>${subject}</oggetto>
  </intestazione>
  <dati>
    <gestore-emittente>Beta PEC S.p.A.</gestore-emittente>
    <data zona="+0100"><giorno>05/03/2026</giorno><ora>10:00:00</ora></data>
    <identificativo>opec.1@pec.beta.test</identificativo>
    <msgid>&lt;abc@client.test&gt;</msgid>
  </dati>
</postacert>`,
    'utf8',
  );
}

const ENTITIES = `<!ENTITY m "${FORGED}"><!ENTITY o "di pignoramento">`;

const cases: [string, string][] = [
  ['one DOCTYPE with an internal subset', `<!DOCTYPE postacert [${ENTITIES}]>`],
  [
    'a second DOCTYPE after the provider-style one',
    `<!DOCTYPE postacert SYSTEM "Postacert.dtd">\n<!DOCTYPE postacert [${ENTITIES}]>`,
  ],
  [
    'two DOCTYPEs with internal subsets',
    `<!DOCTYPE a [<!ENTITY x "y">]>\n<!DOCTYPE postacert [${ENTITIES}]>`,
  ],
  [
    'a DOCTYPE nested in another one’s internal subset',
    `<!DOCTYPE postacert [<!DOCTYPE inner [${ENTITIES}]>]>`,
  ],
  ['a "]>" hidden in a quoted entity value', `<!DOCTYPE postacert [<!ENTITY q "]>"> ${ENTITIES}]>`],
  ['a lower-case doctype', `<!doctype postacert [${ENTITIES}]>`],
];

describe('daticert.xml: entities declared in a DOCTYPE are never expanded', () => {
  it.each(cases)('%s', (_name, prolog) => {
    const r = parseDaticert(daticert(prolog));
    // The provider's fields are still read; the declared entities never are.
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.identificativo).toBe('opec.1@pec.beta.test');
    expect(r.value.sender).not.toContain(FORGED);
    expect(r.value.subject ?? '').not.toContain('pignoramento');
    expect(JSON.stringify(r.value)).not.toContain(FORGED);
    // The reference stays visible as written, and the person is told something was odd.
    expect(r.value.sender).toBe('&m;');
    expect(r.warnings.join(' ')).toMatch(/entit/i);
  });

  it('every DOCTYPE is removed before parsing', () => {
    for (const [, prolog] of cases) {
      const { text, count } = stripDoctypes(daticert(prolog).toString('utf8'));
      expect(text).not.toMatch(/<!DOCTYPE|<!ENTITY/i);
      expect(text).toContain('<postacert tipo="posta-certificata"');
      expect(count).toBeGreaterThan(0);
    }
  });

  it('the parser expands nothing, even a DOCTYPE that reached it', () => {
    const unknown = new Set<string>();
    const tree = daticertTree(daticert(`<!DOCTYPE postacert [${ENTITIES}]>`).toString('utf8'), unknown);
    expect(JSON.stringify(tree)).not.toContain(FORGED);
    expect(JSON.stringify(tree)).toContain('&m;');
    expect([...unknown]).toEqual(['&m;', '&o;']);
  });

  it('standard and numeric character references still read (msgid is written &lt;…&gt;)', () => {
    const r = parseDaticert(
      daticert(
        '<!DOCTYPE postacert SYSTEM "Postacert.dtd">',
        'studio@pec.alfa.test',
        'Rossi &amp; C. &#8211; &#x41;tto',
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.msgid).toBe('<abc@client.test>');
    expect(r.value.subject).toBe('Rossi & C. – Atto');
    expect(r.value.sender).toBe('studio@pec.alfa.test');
    expect(r.warnings).toEqual([]);
  });

  it('a DOCTYPE that never ends costs one pass, not one per "<!DOCTYPE"', () => {
    const bytes = Buffer.from(`<postacert>${'<!DOCTYPE ['.repeat(90_000)}`, 'utf8');
    const started = performance.now();
    const r = parseDaticert(bytes);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(r.ok).toBe(false);
  });
});
