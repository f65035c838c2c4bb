// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../../../main/accounts/presets.ts';
import type { ApiResponse, PecDeskBridge, ProviderPresetView } from '../../../main/api/contract.ts';
import { AccountForm } from '../../../renderer/src/components/AccountForm.tsx';
import {
  accountInput,
  checkForm,
  EMPTY_FORM,
  effectivePreset,
  withSecurity,
} from '../../../renderer/src/components/account-form-model.ts';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

const presets: ProviderPresetView[] = PRESETS.map((p) => ({
  id: p.id,
  name: p.name,
  domains: p.domains,
  login: p.login,
  imap: p.imap,
  smtp: p.smtp,
}));

describe('the add-mailbox form rules', () => {
  it('finds the provider from the address as the core does, subdomains included', () => {
    expect(effectivePreset(presets, { ...EMPTY_FORM, email: 'studio@pec.it' })?.name).toBe('Aruba PEC');
    expect(effectivePreset(presets, { ...EMPTY_FORM, email: 'm@cert.legalmail.it' })?.name).toBe(
      'Legalmail (InfoCert)',
    );
    expect(effectivePreset(presets, { ...EMPTY_FORM, email: 'a@studio.example' })).toBeUndefined();
  });

  it('says what is missing, in the order of the form', () => {
    expect(checkForm(presets, EMPTY_FORM)).toEqual({ key: 'emailMissing' });
    expect(checkForm(presets, { ...EMPTY_FORM, email: '   ' })).toEqual({ key: 'emailMissing' });
    expect(checkForm(presets, { ...EMPTY_FORM, email: 'studio' })).toEqual({
      key: 'emailInvalid',
      email: 'studio',
    });
    expect(checkForm(presets, { ...EMPTY_FORM, email: 'studio@pec.it' })).toEqual({ key: 'passwordMissing' });
    expect(checkForm(presets, { ...EMPTY_FORM, email: 'a@studio.example', password: 'x' })).toEqual({
      key: 'noPreset',
    });
    expect(checkForm(presets, { ...EMPTY_FORM, email: 'a@legalmail.it', password: 'x' })).toEqual({
      key: 'userMissing',
      provider: 'Legalmail (InfoCert)',
    });
    expect(
      checkForm(presets, { ...EMPTY_FORM, email: 'a@legalmail.it', password: 'x', user: 'M1234567' }),
    ).toBeNull();
    const manual = { ...EMPTY_FORM, email: 'a@studio.example', password: 'x', preset: 'custom' };
    expect(checkForm(presets, manual)).toEqual({ key: 'hostMissing' });
    expect(checkForm(presets, { ...manual, host: 'imap.studio.example', port: '99999' })).toEqual({
      key: 'portInvalid',
    });
    expect(checkForm(presets, { ...manual, host: 'imap.studio.example' })).toBeNull();
  });

  it('moves the port with the security choice unless another port was typed', () => {
    const form = { ...EMPTY_FORM, preset: 'custom' };
    expect(withSecurity(form, 'starttls')).toMatchObject({ security: 'starttls', port: '143' });
    expect(withSecurity(withSecurity(form, 'starttls'), 'tls')).toMatchObject({ port: '993' });
    expect(withSecurity({ ...form, port: '10143' }, 'starttls')).toMatchObject({ port: '10143' });
  });

  it('gives the API the user name, the preset, or the manual server with its security', () => {
    expect(accountInput({ ...EMPTY_FORM, email: ' a@legalmail.it ', password: 'p', user: ' M1 ' })).toEqual({
      email: 'a@legalmail.it',
      password: 'p',
      user: 'M1',
    });
    expect(accountInput({ ...EMPTY_FORM, email: 'a@b.it', password: 'p', preset: 'aruba' })).toEqual({
      email: 'a@b.it',
      password: 'p',
      preset: 'aruba',
    });
    expect(
      accountInput({
        ...EMPTY_FORM,
        email: 'a@b.it',
        password: 'p',
        preset: 'custom',
        host: 'imap.b.it',
        port: '143',
        security: 'starttls',
      }),
    ).toEqual({ email: 'a@b.it', password: 'p', imapHost: 'imap.b.it', imapPort: 143, security: 'starttls' });
  });
});

function fakeBridge(
  test: ApiResponse<{ ok: boolean; errorCode: 'auth-failed' | null; error: string | null }>,
) {
  const call = vi.fn(async (method: string, _args?: unknown) => {
    if (method === 'accounts.test') return test;
    if (method === 'accounts.add')
      return { ok: true, value: { id: 7, email: 'studio@pec.it' } } as ApiResponse<unknown>;
    throw new Error(`unexpected ${method}`);
  });
  useAppStore.setState({ bridge: { call, on: () => () => {} } as unknown as PecDeskBridge });
  return call;
}

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label, { exact: false, selector: 'input' }), { target: { value } });
}

describe('AccountForm', () => {
  it('names the providers, not their ids, and offers the manual server last', () => {
    fakeBridge({ ok: true, value: { ok: true, errorCode: null, error: null } });
    render(<AccountForm presets={presets} accounts={[]} onAdded={() => {}} />);
    const options = [...screen.getByRole('combobox', { name: /Gestore/ }).querySelectorAll('option')].map(
      (o) => o.textContent,
    );
    expect(options).toContain('Aruba PEC');
    expect(options).toContain('Legalmail (InfoCert)');
    expect(options).not.toContain('aruba');
    expect(options.at(-1)).toBe('Altro (server manuale)');
  });

  it('an empty address is said so, and the server is not asked', async () => {
    const call = fakeBridge({ ok: true, value: { ok: true, errorCode: null, error: null } });
    render(<AccountForm presets={presets} accounts={[]} onAdded={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Prova connessione' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Scrivi l'indirizzo della casella PEC.");
    expect(call).not.toHaveBeenCalled();
  });

  it('a refused login on a new mailbox says the user name or password is wrong, and nothing is added', async () => {
    const call = fakeBridge({
      ok: true,
      value: { ok: false, errorCode: 'auth-failed', error: 'login refused by the server' },
    });
    const onAdded = vi.fn();
    render(<AccountForm presets={presets} accounts={[]} onAdded={onAdded} />);
    fill('Indirizzo PEC', 'studio@pec.it');
    fill('Password', 'sbagliata');
    fireEvent.click(screen.getByRole('button', { name: 'Aggiungi casella' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nome utente o password non corretti');
    expect(alert.textContent).not.toContain('non è più valida');
    expect(call.mock.calls.map((c) => c[0])).toEqual(['accounts.test']);
    expect(onAdded).not.toHaveBeenCalled();
  });

  it('a login that works adds the mailbox with the user name given', async () => {
    const call = fakeBridge({ ok: true, value: { ok: true, errorCode: null, error: null } });
    const onAdded = vi.fn();
    render(<AccountForm presets={presets} accounts={[]} onAdded={onAdded} />);
    fill('Indirizzo PEC', 'studio@legalmail.it');
    fill('Nome utente', 'M1234567');
    fill('Password', 'giusta');
    fireEvent.click(screen.getByRole('button', { name: 'Aggiungi casella' }));
    await waitFor(() => expect(onAdded).toHaveBeenCalled());
    expect(call.mock.calls.map((c) => c[0])).toEqual(['accounts.test', 'accounts.add']);
    expect(call.mock.calls[1]![1]).toEqual({
      email: 'studio@legalmail.it',
      password: 'giusta',
      user: 'M1234567',
    });
    expect((await screen.findByRole('status')).textContent).toContain('Casella studio@pec.it aggiunta');
  });

  it('a mailbox already there is refused before logging in', async () => {
    const call = fakeBridge({ ok: true, value: { ok: true, errorCode: null, error: null } });
    render(
      <AccountForm presets={presets} accounts={[{ email: 'studio@pec.it' } as never]} onAdded={() => {}} />,
    );
    fill('Indirizzo PEC', 'Studio@PEC.it');
    fill('Password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Aggiungi casella' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Questa casella è già presente.');
    expect(call).not.toHaveBeenCalled();
  });
});
