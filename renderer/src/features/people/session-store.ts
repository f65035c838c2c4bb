/**
 * Who is at the app: "solo io" (nobody signs in), personal logins (the login screen until someone
 * has), the person signed in and what they may do. Every other screen reads it to hide what the
 * person cannot do; the core refuses it all the same.
 */
import { create } from 'zustand';
import type { ApiError, PecDeskBridge } from '../../../../main/api/contract.ts';
import type { CallerRights, PeopleResults } from '../../../../main/api/people-contract.ts';
import { useAppStore } from '../../store/app-store.ts';
import { useMailStore } from '../../store/mail-store.ts';
import type { SessionBridge, SignInReason } from './session.ts';

/** Set before the page reloads because a session ended, read once by the login screen. */
export const ENDED_KEY = 'pecdesk.sessionEnded';

/** The owner's user name when the first start chooses "solo io": the log calls them so. */
export const SOLO_OWNER = 'titolare';

type Status = PeopleResults['auth.status'];

export interface SessionState {
  bridge: PecDeskBridge | null;
  /** 'checking' until the core has said; 'login' shows the login screen instead of the app. */
  status: 'checking' | 'login' | 'ready';
  mode: Status['mode'] | null;
  /** No owner yet: the first start offers "solo io" or personal logins. */
  needsSetup: boolean;
  user: Status['user'];
  rights: CallerRights | null;
  /** The login screen says why it is back: the session expired or was ended. */
  notice: 'ended' | null;
  /** Recording the first start's choice failed: the welcome screen says so. */
  setupError: ApiError | null;
  /** Reloads the page (a test replaces it): after signing out nothing of the person stays in memory. */
  reload: () => void;
  start(bridge: PecDeskBridge): Promise<void>;
  /** Asks the core again who is there and what they may do. */
  refresh(): Promise<void>;
  /** A session token from the core (login, setup, logins turned on): the app goes on as that person. */
  signedIn(token: string | null): Promise<void>;
  /** First start, "solo io": the owner without a password; never a login screen. False if it failed. */
  chooseSolo(): Promise<boolean>;
  logout(): Promise<void>;
}

const isSessionBridge = (b: PecDeskBridge): b is SessionBridge => 'onSignInNeeded' in b;

function readEndedFlag(): boolean {
  try {
    const ended = window.sessionStorage.getItem(ENDED_KEY) === '1';
    window.sessionStorage.removeItem(ENDED_KEY);
    return ended;
  } catch {
    return false;
  }
}

let unsubscribe: (() => void) | null = null;

export const useSessionStore = create<SessionState>((set, get) => ({
  bridge: null,
  status: 'checking',
  mode: null,
  needsSetup: false,
  user: null,
  rights: null,
  notice: null,
  setupError: null,
  reload: () => window.location.reload(),
  async start(bridge) {
    unsubscribe?.();
    set({ bridge, notice: readEndedFlag() ? 'ended' : null });
    const offSignIn = isSessionBridge(bridge)
      ? bridge.onSignInNeeded((reason: SignInReason) => {
          if (reason === 'ended' && get().status === 'ready') {
            // The previous person's messages and lists are in every store: the page starts over.
            try {
              window.sessionStorage.setItem(ENDED_KEY, '1');
            } catch {
              // Without storage the login screen simply does not say why.
            }
            get().reload();
            return;
          }
          set({
            status: 'login',
            user: null,
            rights: null,
            ...(reason === 'ended' ? { notice: 'ended' } : {}),
          });
        })
      : () => {};
    // The demo archive and back: another archive, other people (the demo asks nobody).
    const offArchive = useAppStore.subscribe((s, prev) => {
      if (s.info?.demo !== prev.info?.demo || s.info?.archiveDir !== prev.info?.archiveDir)
        void get().refresh();
    });
    unsubscribe = () => {
      offSignIn();
      offArchive();
    };
    await get().refresh();
  },
  async refresh() {
    const { bridge } = get();
    if (!bridge) return;
    const r = await bridge.call('auth.status', {});
    // No archive open yet, or the core unreachable: what is known stays.
    if (!r.ok) return;
    const s = r.value;
    if (s.mode === 'logins' && !s.user) {
      // A token kept from before (a reload) that the core no longer accepts.
      const stale = isSessionBridge(bridge) && bridge.session() !== null;
      if (stale) bridge.setSession(null);
      set({
        status: 'login',
        mode: s.mode,
        needsSetup: s.needsSetup,
        user: null,
        rights: null,
        ...(stale ? { notice: 'ended' as const } : {}),
      });
      return;
    }
    set({ status: 'ready', mode: s.mode, needsSetup: s.needsSetup, user: s.user, rights: s.rights });
  },
  async signedIn(token) {
    const { bridge } = get();
    if (!bridge) return;
    if (token) bridge.setSession(token);
    set({ notice: null });
    await get().refresh();
    // Lists and counts were refused before: now they are this person's.
    await Promise.all([
      useAppStore.getState().reloadInfo(),
      useAppStore.getState().reloadAccounts(),
      useMailStore.getState().refresh(),
    ]);
  },
  async chooseSolo() {
    const { bridge } = get();
    if (!bridge) return false;
    const r = await bridge.call('auth.setup', { name: SOLO_OWNER });
    // Someone chose first (another window): what they chose stands.
    if (!r.ok && r.error.code !== 'conflict') {
      set({ setupError: r.error });
      return false;
    }
    set({ setupError: null });
    await get().refresh();
    return true;
  },
  async logout() {
    const { bridge } = get();
    if (!bridge) return;
    await bridge.call('auth.logout', {});
    bridge.setSession(null);
    get().reload();
  },
}));
