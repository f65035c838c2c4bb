// @vitest-environment happy-dom
/**
 * The people screens with a scripted core: the login screen (wrong password, lockout with its time,
 * the second step, an invitation), the first start's choice, the session store's reaction to a
 * session that ended, and the controls a reader does not see.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse, PecDeskBridge, PublicAccount } from '../../../main/api/contract.ts';
import type { CallerRights } from '../../../main/api/people-contract.ts';
import { AccountsPanel } from '../../../renderer/src/components/AccountsPanel.tsx';
import { Sidebar } from '../../../renderer/src/components/Sidebar.tsx';
import { FirstStart, settleFirstStart } from '../../../renderer/src/features/people/FirstStart.tsx';
import { LoginScreen } from '../../../renderer/src/features/people/LoginScreen.tsx';
import { withSessions } from '../../../renderer/src/features/people/session.ts';
import { ENDED_KEY, useSessionStore } from '../../../renderer/src/features/people/session-store.ts';
import { initI18n } from '../../../renderer/src/i18n/index.ts';
import { useAppStore } from '../../../renderer/src/store/app-store.ts';

beforeAll(() => {
  initI18n('it');
});
afterEach(cleanup);

const TOKEN = 't'.repeat(43);
const READER: CallerRights = {
  administers: false,
  mailboxes: [{ email: 'studio@pec.it', rights: ['read'] }],
};
const ALL: CallerRights = {
  administers: true,
  mailboxes: [{ email: 'studio@pec.it', rights: ['read', 'route', 'send', 'manage'] }],
};

type Answer = (args: Record<string, unknown>) => ApiResponse<unknown>;

/** A core that answers each method from `script` (in turn when given a list) and records calls. */
function scriptedBridge(script: Record<string, Answer | Answer[]>) {
  const calls: [string, Record<string, unknown>][] = [];
  const b: PecDeskBridge = {
    call: vi.fn(async (method: string, args: Record<string, unknown>) => {
      calls.push([method, args]);
      const entry = script[method];
      const answer = Array.isArray(entry) ? entry.shift() : entry;
      if (!answer) throw new Error(`unexpected ${method}`);
      return answer(args);
    }) as unknown as PecDeskBridge['call'],
    on: () => () => {},
    setSession: vi.fn(),
  };
  return { b, calls };
}

const ok =
  (value: unknown): Answer =>
  () => ({ ok: true, value });
const fail =
  (code: string, message: string): Answer =>
  () =>
    ({ ok: false, error: { code, message } }) as ApiResponse<unknown>;

const signedInStatus = ok({
  mode: 'logins',
  needsSetup: false,
  user: { name: 'rita', displayName: null, role: 'reader', totp: true },
  rights: READER,
});

beforeEach(() => {
  useSessionStore.setState({
    bridge: null,
    status: 'checking',
    mode: null,
    needsSetup: false,
    user: null,
    rights: null,
    notice: null,
    setupError: null,
  });
  useAppStore.setState({ bridge: null, info: null, accounts: [] });
});

describe('the login screen', () => {
  it('says a wrong password, then the lockout with its time in Italy, then signs in through the code', async () => {
    const until = new Date(Date.now() + 90_000).toISOString();
    const { b, calls } = scriptedBridge({
      'auth.login': [
        fail('unauthenticated', 'wrong user name or password'),
        fail('locked', `too many failed attempts: try again after ${until}`),
        ok({ token: TOKEN, pendingTotp: true }),
      ],
      'auth.totp': [fail('unauthenticated', 'the code is not valid'), ok({ token: TOKEN })],
      'auth.status': signedInStatus,
    });
    useSessionStore.setState({ bridge: b, status: 'login', mode: 'logins' });
    render(<LoginScreen />);
    fireEvent.change(screen.getByLabelText('Nome utente'), { target: { value: 'rita' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'sbagliata-123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Nome utente o password non corretti.');

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'sbagliata-456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    const time = new Intl.DateTimeFormat('it-IT', {
      timeZone: 'Europe/Rome',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(Math.ceil(Date.parse(until) / 60_000) * 60_000));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(`Troppi tentativi: riprova dopo le ${time}.`),
    );

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'giusta-della-rita' } });
    fireEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    await screen.findByText('Verifica in due passaggi');
    fireEvent.change(screen.getByLabelText('Codice'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Conferma' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Codice non valido/);
    fireEvent.change(screen.getByLabelText('Codice'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(useSessionStore.getState().status).toBe('ready'));
    expect(useSessionStore.getState().user?.name).toBe('rita');
    expect(b.setSession).toHaveBeenCalledWith(TOKEN);
    expect(calls.filter(([m]) => m === 'auth.totp').map(([, a]) => a)).toEqual([
      { token: TOKEN, code: '000000' },
      { token: TOKEN, code: '123456' },
    ]);
  });

  it('an invitation: the code and a new password typed twice, then straight in', async () => {
    const { b, calls } = scriptedBridge({
      'users.acceptInvitation': [
        fail('invalid-arguments', 'the invitation code is not valid'),
        ok({ name: 'nuova' }),
      ],
      'auth.login': ok({ token: TOKEN, pendingTotp: false }),
      'auth.status': signedInStatus,
    });
    useSessionStore.setState({ bridge: b, status: 'login', mode: 'logins' });
    render(<LoginScreen />);
    fireEvent.click(screen.getByRole('button', { name: 'Ho un codice di invito' }));
    fireEvent.change(screen.getByLabelText('Codice di invito'), { target: { value: 'ABC' } });
    fireEvent.change(screen.getByLabelText('La tua password'), { target: { value: 'una-password-lunga' } });
    fireEvent.change(screen.getByLabelText('Ripeti la password'), { target: { value: 'un-altra-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scegli la password ed entra' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Le due password non coincidono.');
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('Ripeti la password'), {
      target: { value: 'una-password-lunga' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Scegli la password ed entra' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Il codice di invito non è valido/);
    fireEvent.change(screen.getByLabelText('La tua password'), { target: { value: 'una-password-lunga' } });
    fireEvent.change(screen.getByLabelText('Ripeti la password'), {
      target: { value: 'una-password-lunga' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Scegli la password ed entra' }));
    await waitFor(() => expect(useSessionStore.getState().status).toBe('ready'));
    expect(calls.map(([m]) => m)).toEqual([
      'users.acceptInvitation',
      'users.acceptInvitation',
      'auth.login',
      'auth.status',
    ]);
    expect(calls[2]?.[1]).toEqual({ name: 'nuova', password: 'una-password-lunga' });
  });
});

describe('the session store', () => {
  it('a call refused for lack of a session shows the login screen', async () => {
    const { b } = scriptedBridge({
      'auth.status': ok({ mode: 'logins', needsSetup: false, user: null, rights: null }),
      'accounts.list': fail('unauthenticated', 'sign in first'),
    });
    const bridge = withSessions(b, null);
    await useSessionStore.getState().start(bridge);
    expect(useSessionStore.getState().status).toBe('login');
    useSessionStore.setState({ status: 'ready' });
    await bridge.call('accounts.list', {});
    expect(useSessionStore.getState().status).toBe('login');
  });

  it('a session that ends while the app is in use: the page starts over, and says why', async () => {
    const { b } = scriptedBridge({
      'auth.status': signedInStatus,
      'views.list': fail('unauthenticated', 'sign in first'),
    });
    const bridge = withSessions(b, null);
    bridge.setSession(TOKEN);
    const reload = vi.fn();
    useSessionStore.setState({ reload });
    await useSessionStore.getState().start(bridge);
    expect(useSessionStore.getState().status).toBe('ready');
    await bridge.call('views.list', {});
    expect(reload).toHaveBeenCalledOnce();
    expect(window.sessionStorage.getItem(ENDED_KEY)).toBe('1');
    // The next start (after the reload) reads the flag once.
    await useSessionStore.getState().start(bridge);
    expect(useSessionStore.getState().notice).toBe('ended');
    expect(window.sessionStorage.getItem(ENDED_KEY)).toBeNull();
  });
});

describe('the first start', () => {
  it('offers "solo io" with the welcome buttons, or the owner form; "solo io" is recorded as the titolare', async () => {
    const { b, calls } = scriptedBridge({
      'auth.setup': ok({ mode: 'single', token: null }),
      'auth.status': ok({
        mode: 'single',
        needsSetup: false,
        user: { name: 'titolare', displayName: null, role: 'owner', totp: false },
        rights: ALL,
      }),
    });
    useSessionStore.setState({ bridge: b, status: 'ready', mode: 'single', needsSetup: true, rights: ALL });
    useAppStore.setState({ info: { demo: false, empty: true } as never });
    render(
      <FirstStart>
        <button type="button">Aggiungi casella</button>
      </FirstStart>,
    );
    expect(screen.getByLabelText(/Solo io/)).toHaveProperty('checked', true);
    expect(screen.getByRole('button', { name: 'Aggiungi casella' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Accessi personali/));
    expect(screen.queryByRole('button', { name: 'Aggiungi casella' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Crea il titolare e continua' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Solo io/));
    expect(await settleFirstStart()).toBe(true);
    expect(calls.filter(([m]) => m === 'auth.setup')).toEqual([['auth.setup', { name: 'titolare' }]]);
    expect(useSessionStore.getState().needsSetup).toBe(false);
    await waitFor(() => expect(screen.queryByTestId('first-start')).toBeNull());
  });

  it('the demo archive asks nothing', () => {
    useSessionStore.setState({ status: 'ready', mode: 'single', needsSetup: true, rights: ALL });
    useAppStore.setState({ info: { demo: true, empty: false } as never });
    render(
      <FirstStart>
        <span>contenuto</span>
      </FirstStart>,
    );
    expect(screen.queryByTestId('first-start')).toBeNull();
    expect(screen.getByText('contenuto')).toBeTruthy();
  });
});

describe('what a reader does not see', () => {
  const account = {
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
    lastError: 'no password',
    lastSyncAt: null,
    writeSeen: true,
    quota: null,
    smtpHost: 'smtps.pec.aruba.it',
    smtpPort: 465,
    smtpSecurity: 'tls',
    sendLimits: { maxRecipients: 500, maxTotalBytes: 100 * 1024 * 1024, perMinute: 30 },
    sendLimitsSet: { perMinute: null, maxRecipients: null, maxTotalBytes: null },
  } satisfies PublicAccount;

  function mailboxes(rights: CallerRights) {
    const { b } = scriptedBridge({
      'accounts.list': ok([account]),
      'accounts.presets': ok([]),
      // The emptying panel an administrator gets (issue 15).
      'emptying.getPolicy': ok({
        email: account.email,
        enabled: false,
        mode: 'older-than',
        olderThanDays: 365,
        untilPercent: null,
        folder: null,
        action: 'delete',
        moveTo: null,
        includeUnhandled: false,
      }),
      'emptying.runs': ok([]),
    });
    useAppStore.setState({ bridge: b, accounts: [account] });
    useSessionStore.setState({ status: 'ready', mode: 'logins', rights });
    return render(<AccountsPanel onClose={() => {}} />);
  }

  it('no mailbox settings: no new mailbox, no password, no write-back, no removal', async () => {
    mailboxes(READER);
    await screen.findByTestId('account');
    expect(screen.queryByRole('button', { name: 'Rimuovi' })).toBeNull();
    expect(screen.queryByLabelText('Password della casella')).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Prova connessione' })).toBeNull();
  });

  it('an administrator sees them all', async () => {
    mailboxes(ALL);
    await screen.findByTestId('account');
    expect(
      screen.getByRole('checkbox', {
        name: 'Quando apro un messaggio, lo segno come letto anche sul server della casella',
      }),
    ).toBeTruthy();
    expect(screen.getByLabelText('Password della casella')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Prova connessione' })).toBeTruthy();
  });

  it('no people or activity log in the sidebar; their name and "Esci" at its foot', () => {
    useSessionStore.setState({
      status: 'ready',
      mode: 'logins',
      rights: READER,
      user: { name: 'rita', displayName: 'Rita Bianchi', role: 'reader', totp: false },
    });
    const nav = () =>
      render(
        <Sidebar
          onAccounts={() => {}}
          onInspect={() => {}}
          onPeople={() => {}}
          onAudit={() => {}}
          onMe={() => {}}
        />,
      );
    nav();
    expect(screen.queryByRole('button', { name: 'Persone e permessi' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Registro attività' })).toBeNull();
    expect(screen.getByTestId('session-footer').textContent).toContain('Rita Bianchi');
    expect(screen.getByTestId('session-footer').textContent).toContain('Sola lettura');
    expect(screen.getByRole('button', { name: 'Esci' })).toBeTruthy();
    cleanup();
    useSessionStore.setState({ rights: ALL });
    nav();
    expect(screen.getByRole('button', { name: 'Persone e permessi' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Registro attività' })).toBeTruthy();
  });
});
