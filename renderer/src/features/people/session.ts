/**
 * The person's session (personal logins) on the renderer's side: the token the core gave at
 * sign-in, sent with every call by the bridge, and the one place that notices when the core
 * answers 'unauthenticated' (never signed in, or the session expired or was ended by an
 * administrator), so the app can show the login screen again.
 *
 * Where the token lives: in the browser, this tab's sessionStorage (a reload keeps the person
 * signed in; a new tab asks again; closing the tab forgets it). In Electron, only in memory (the
 * preload holds it): the window is the session.
 */
import type {
  ApiArgs,
  ApiMethod,
  ApiResponse,
  ApiResults,
  PecDeskBridge,
} from '../../../../main/api/contract.ts';

export const SESSION_KEY = 'pecdesk.session';

/**
 * Calls that answer 'unauthenticated' for a reason of their own (a wrong password, a wrong code,
 * an invitation): the login screen reads those answers itself.
 */
const SIGN_IN_METHODS: ReadonlySet<string> = new Set([
  'auth.status',
  'auth.setup',
  'auth.login',
  'auth.totp',
  'auth.logout',
  'users.acceptInvitation',
]);

/**
 * Calls of a signed-in person whose own refusal is 'unauthenticated' too (a wrong code, a wrong
 * password): only the registry's "sign in first" says the session is gone.
 */
const OWN_REFUSALS: ReadonlySet<string> = new Set(['auth.totpConfirm', 'auth.enableLogins']);

/** Whether a refused call says nobody (valid) is signed in, rather than a wrong code or password. */
export function sessionRefused(method: string, error: { code: string; message: string }): boolean {
  if (error.code !== 'unauthenticated' || SIGN_IN_METHODS.has(method)) return false;
  return !OWN_REFUSALS.has(method) || /sign in first/.test(error.message);
}

/**
 * Why the core asked who is there: 'needed' when the call carried no session (logins are on and
 * nobody signed in yet), 'ended' when the session it carried is no longer valid.
 */
export type SignInReason = 'needed' | 'ended';

export interface SessionBridge extends PecDeskBridge {
  /** The token sent with each call, or null. */
  session(): string | null;
  /** Called whenever a call is refused because nobody (valid) is signed in. */
  onSignInNeeded(listener: (reason: SignInReason) => void): () => void;
}

/** A token as the core makes them (base64url, 43 characters); anything else is not kept. */
function plausible(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{16,200}$/.test(token);
}

/**
 * Wraps the bridge: restores the token from `storage` (null: keep it in memory only), sends it with
 * every call, stores it when it changes, and reports refused calls. A call made with a token that
 * has since changed (the person signed in meanwhile) reports nothing: its answer is stale.
 */
export function withSessions(inner: PecDeskBridge, storage: Storage | null): SessionBridge {
  const listeners = new Set<(reason: SignInReason) => void>();
  let token: string | null = null;
  try {
    const stored = storage?.getItem(SESSION_KEY) ?? null;
    token = plausible(stored) ? stored : null;
  } catch {
    token = null;
  }
  inner.setSession(token);

  const keep = (next: string | null) => {
    token = next;
    inner.setSession(next);
    try {
      if (next) storage?.setItem(SESSION_KEY, next);
      else storage?.removeItem(SESSION_KEY);
    } catch {
      // Storage refused (private mode, quota): the session lives in memory for this page.
    }
  };

  return {
    async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<ApiResults[M]>> {
      const carried = token;
      const response = await inner.call(method, args);
      if (!response.ok && sessionRefused(method, response.error)) {
        if (token === carried) {
          // A token the core no longer accepts is of no use: forget it, so a reload asks again.
          if (carried) keep(null);
          for (const listener of [...listeners]) listener(carried ? 'ended' : 'needed');
        }
      }
      return response;
    },
    on: (event, listener) => inner.on(event, listener),
    setSession(next) {
      keep(plausible(next) ? next : null);
    },
    session: () => token,
    onSignInNeeded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
