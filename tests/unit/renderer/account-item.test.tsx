// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiResponse, PecDeskBridge, PublicAccount } from '../../../main/api/contract.ts';
import { AccountsPanel } from '../../../renderer/src/components/AccountsPanel.tsx';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

const account: PublicAccount = {
  id: 1,
  email: 'studio@pec.it',
  displayName: null,
  preset: 'aruba',
  imapHost: 'imaps.pec.aruba.it',
  imapPort: 993,
  security: 'tls',
  user: 'studio@pec.it',
  syncState: 'error',
  lastErrorCode: 'no-password',
  lastError: 'no password bound to this archive',
  lastSyncAt: null,
  writeSeen: true,
  smtpHost: 'smtps.pec.aruba.it',
  smtpPort: 465,
  smtpSecurity: 'tls',
  sendLimits: { maxRecipients: 500, maxTotalBytes: 100 * 1024 * 1024, perMinute: 30 },
  sendLimitsSet: { perMinute: null, maxRecipients: null, maxTotalBytes: null },
};

function bridge() {
  const calls: [string, unknown][] = [];
  const b: PecDeskBridge = {
    call: vi.fn(async (method: string, args: unknown): Promise<ApiResponse<unknown>> => {
      calls.push([method, args]);
      if (method === 'accounts.list') return { ok: true, value: [account] };
      if (method === 'accounts.presets') return { ok: true, value: [] };
      return { ok: true, value: account };
    }) as PecDeskBridge['call'],
    on: () => () => {},
    setSession: () => {},
  };
  return { b, calls };
}

describe('a mailbox in the accounts screen', () => {
  it('asks for the password again when it is needed, and lets the person choose the read-state write-back', async () => {
    const { b, calls } = bridge();
    useAppStore.setState({ bridge: b, accounts: [account] });
    render(<AccountsPanel onClose={() => {}} />);
    await screen.findByText(/Serve di nuovo la password/);
    fireEvent.change(screen.getByLabelText('Password della casella'), { target: { value: 'nuova' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salva la password e sincronizza' }));
    await waitFor(() =>
      expect(calls).toContainEqual(['accounts.setPassword', { email: 'studio@pec.it', password: 'nuova' }]),
    );
    fireEvent.click(
      screen.getByLabelText('Quando apro un messaggio, lo segno come letto anche sul server della casella'),
    );
    await waitFor(() =>
      expect(calls).toContainEqual(['accounts.update', { email: 'studio@pec.it', writeSeen: false }]),
    );
  });
});
