import { describe, expect, it } from 'vitest';
import { findPreset, PRESETS, presetForAddress } from '../../../main/accounts/presets.ts';

describe('provider presets', () => {
  it('every preset is implicit TLS on the standard ports, as PEC providers require', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(6);
    for (const p of PRESETS) {
      expect([p.imap.security, p.imap.port, p.smtp.security, p.smtp.port], p.id).toEqual([
        'tls',
        993,
        'tls',
        465,
      ]);
    }
  });

  it('picks the provider from the address domain, subdomains included', () => {
    expect(presetForAddress('studio@pec.it')?.id).toBe('aruba');
    expect(presetForAddress('ufficio@cert.legalmail.it')?.id).toBe('legalmail');
    expect(presetForAddress('x@studio.legalmail.it')?.id).toBe('legalmail');
    expect(presetForAddress('a@sicurezzapostale.it')?.imap.host).toBe('imaps.sicurezzapostale.it');
    expect(presetForAddress('a@example.com')).toBeUndefined();
  });

  it('Legalmail logs in with a user ID, not the address', () => {
    expect(findPreset('legalmail')?.login).toBe('user-id');
    expect(findPreset('aruba')?.login).toBe('address');
  });
});
