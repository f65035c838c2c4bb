/**
 * The add-mailbox form without React: which provider an address belongs to, what to check before
 * asking the core, and the API input. Kept apart so each rule is tested on its own.
 */
import type { ApiArgs, ProviderPresetView } from '../../../main/api/contract.ts';

export const AUTO = '';
export const CUSTOM = 'custom';

export interface AccountFormValues {
  email: string;
  password: string;
  /** AUTO (from the address), CUSTOM (manual server), or a preset id. */
  preset: string;
  user: string;
  host: string;
  port: string;
  security: 'tls' | 'starttls';
  /** The server PEC are sent through (a manual server; a preset brings its own). */
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: 'tls' | 'starttls';
}

export const EMPTY_FORM: AccountFormValues = {
  email: '',
  password: '',
  preset: AUTO,
  user: '',
  host: '',
  port: '993',
  security: 'tls',
  smtpHost: '',
  smtpPort: '465',
  smtpSecurity: 'tls',
};

export const DEFAULT_PORT = { tls: 993, starttls: 143 } as const;
export const DEFAULT_SMTP_PORT = { tls: 465, starttls: 587 } as const;

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** The preset of the address's domain, as the core picks it (main/accounts/presets.ts). */
export function presetForAddress(
  presets: ProviderPresetView[],
  email: string,
): ProviderPresetView | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (!domain) return undefined;
  return presets.find((p) => p.domains.some((d) => domain === d || domain.endsWith(`.${d}`)));
}

/** The preset the form will use: chosen, or found from the address; none for a manual server. */
export function effectivePreset(
  presets: ProviderPresetView[],
  form: AccountFormValues,
): ProviderPresetView | undefined {
  if (form.preset === CUSTOM) return undefined;
  if (form.preset === AUTO) return presetForAddress(presets, form.email);
  return presets.find((p) => p.id === form.preset);
}

/** Changing SSL/TLS ↔ STARTTLS moves the port along, unless the person typed another one. */
export function withSecurity(form: AccountFormValues, security: 'tls' | 'starttls'): AccountFormValues {
  const port = form.port === String(DEFAULT_PORT[form.security]) ? String(DEFAULT_PORT[security]) : form.port;
  return { ...form, security, port };
}

export type FormProblem =
  | { key: 'emailMissing' }
  | { key: 'emailInvalid'; email: string }
  | { key: 'passwordMissing' }
  | { key: 'noPreset' }
  | { key: 'userMissing'; provider: string }
  | { key: 'hostMissing' }
  | { key: 'portInvalid' }
  | { key: 'smtpPortInvalid' };

/** What is missing or wrong, in the order a person fills the form; null when the core may be asked. */
export function checkForm(presets: ProviderPresetView[], form: AccountFormValues): FormProblem | null {
  const email = form.email.trim();
  if (!email) return { key: 'emailMissing' };
  if (!EMAIL.test(email)) return { key: 'emailInvalid', email };
  if (!form.password) return { key: 'passwordMissing' };
  if (form.preset === CUSTOM) {
    if (!form.host.trim()) return { key: 'hostMissing' };
    const port = Number(form.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { key: 'portInvalid' };
    const smtpPort = Number(form.smtpPort);
    if (form.smtpHost.trim() && (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535))
      return { key: 'smtpPortInvalid' };
    return null;
  }
  const preset = effectivePreset(presets, form);
  if (!preset) return { key: 'noPreset' };
  if (preset.login === 'user-id' && !form.user.trim()) return { key: 'userMissing', provider: preset.name };
  return null;
}

/** The arguments of accounts.test and accounts.add. */
export function accountInput(form: AccountFormValues): ApiArgs<'accounts.add'> {
  const user = form.user.trim();
  return {
    email: form.email.trim(),
    password: form.password,
    ...(user ? { user } : {}),
    ...(form.preset !== AUTO && form.preset !== CUSTOM ? { preset: form.preset } : {}),
    ...(form.preset === CUSTOM
      ? { imapHost: form.host.trim(), imapPort: Number(form.port), security: form.security }
      : {}),
    ...(form.preset === CUSTOM && form.smtpHost.trim()
      ? { smtpHost: form.smtpHost.trim(), smtpPort: Number(form.smtpPort), smtpSecurity: form.smtpSecurity }
      : {}),
  };
}
