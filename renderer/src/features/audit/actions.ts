/**
 * The activity log in words: each action the core records (main/api/contract.ts methodRules,
 * main/auth/people.ts) as a phrase an office reads ("ha aperto il messaggio"), never its code;
 * who did it, on what, from where.
 */
import type { AuditEntryView } from '../../../../main/api/people-contract.ts';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * Every action the core writes, in the order the filter offers them. A new action the app does
 * not know yet is still shown, as "altra operazione" with its code.
 */
export const ACTIONS = [
  'message.open',
  'thread.open',
  'attachment.download',
  'message.export',
  'message.send',
  'message.resend',
  'message.cancel',
  'campaign.send',
  'campaign.pause',
  'campaign.resume',
  'campaign.resend',
  'campaign.export',
  'auth.login',
  'auth.password-ok',
  'auth.login-failed',
  'auth.login-locked',
  'auth.totp-failed',
  'auth.logout',
  'auth.logins-on',
  'auth.totp-on',
  'auth.sessions-revoked',
  'user.create',
  'user.remove',
  'user.password',
  'user.invitation-accepted',
  'office.create',
  'office.member-add',
  'permission.grant',
  'permission.revoke',
  'account.add',
  'account.remove',
  'account.password',
  'account.update',
  'account.smtp',
  'account.limits',
  'audit.export',
  // Issue 14: work on PEC as a team.
  'tag.create',
  'tag.update',
  'tag.remove',
  'work.assign',
  'work.claim',
  'work.wait',
  'work.done',
  'work.reopen',
  'work.comment',
  'work.tag',
  'work.tag-add',
  'work.tag-remove',
  'work.deadline',
  'work.priority',
  'work.escalate',
  'work.reminder',
  'work.overdue',
  'work.settings',
  'work.terms',
  'office.head',
  'rule.save',
  'rule.remove',
  'rule.apply',
  'report.export',
  'message.approve',
  'message.reject',
  'account.approval',
  // Issue 15: keeping records.
  'proof.export',
  'package.build',
  'mailbox.export',
  'mailbox.import',
  'emptying.policy',
  'mailbox.empty',
  'message.server-delete',
  'message.server-move',
] as const;

/** i18next reads dots as nesting: 'message.open' → 'message_open'. */
export function actionKey(code: string): string {
  return code.replace(/\./g, '_');
}

export function isKnownAction(code: string): boolean {
  return (ACTIONS as readonly string[]).includes(code);
}

/** "ha aperto il messaggio"; an action unknown to this version: "altra operazione (code)". */
export function actionPhrase(t: Translate, code: string): string {
  return isKnownAction(code) ? t(`audit.actions.${actionKey(code)}`) : t('audit.actions.other', { code });
}

/** The filter's words for an action: "Messaggi aperti", "Accessi non riusciti". */
export function actionFilterLabel(t: Translate, code: string): string {
  return t(`audit.filterActions.${actionKey(code)}`);
}

/** Who did it: the person's name; the CLI's OS user; the name someone typed at a failed login. */
export function actorText(t: Translate, e: Pick<AuditEntryView, 'actor' | 'actorName'>): string {
  if (e.actor === 'anonymous') return t('audit.who.anonymous', { name: e.actorName });
  if (e.actor.startsWith('cli:')) return t('audit.who.cli', { name: e.actorName });
  return e.actorName;
}

const RIGHT_ORDER = ['read', 'route', 'send', 'manage'];

/** What the action was done to, in words: «Fattura 118», rita, pec@studio.it, the rights given. */
export function targetText(
  t: Translate,
  e: Pick<AuditEntryView, 'action' | 'targetType' | 'targetId' | 'targetLabel' | 'details' | 'mailbox'>,
): string {
  const parts: string[] = [];
  const label = e.targetLabel ?? null;
  switch (e.targetType) {
    case 'message':
      parts.push(
        label ? t('audit.target.quoted', { text: label }) : t('audit.target.message', { id: e.targetId }),
      );
      break;
    case 'thread':
      parts.push(
        label ? t('audit.target.quoted', { text: label }) : t('audit.target.thread', { id: e.targetId }),
      );
      break;
    case 'user':
      parts.push(label ?? t('audit.target.user', { id: e.targetId }));
      break;
    case 'office':
      parts.push(label ?? t('audit.target.office', { id: e.targetId }));
      break;
    case 'account':
      if (e.targetId) parts.push(e.targetId);
      break;
    case 'outbox':
      parts.push(t('audit.target.outbox', { id: e.targetId }));
      break;
    case 'campaign':
      parts.push(t('audit.target.campaign', { id: e.targetId }));
      break;
    default:
      break;
  }
  const d = e.details ?? {};
  if (e.action === 'permission.grant' && Array.isArray(d.rights)) {
    const rights = (d.rights as unknown[])
      .filter((r): r is string => typeof r === 'string' && RIGHT_ORDER.includes(r))
      .map((r) => t(`people.rights.${r}`).toLowerCase());
    parts.push(
      d.allMailboxes
        ? t('audit.target.rightsAll', { rights: rights.join(', ') })
        : t('audit.target.rights', { rights: rights.join(', ') }),
    );
  }
  if (e.action === 'permission.revoke' && d.removed === 0) parts.push(t('audit.target.nothingRemoved'));
  if (e.action === 'auth.sessions-revoked' && typeof d.sessions === 'number')
    parts.push(t('audit.target.sessions', { count: d.sessions }));
  if (e.action === 'auth.login' && d.second === 'recovery-code') parts.push(t('audit.target.recoveryCode'));
  if (e.action === 'auth.login' && d.second === 'totp') parts.push(t('audit.target.totp'));
  if (e.action === 'office.member-add' && typeof d.user === 'string')
    parts.push(t('audit.target.member', { name: d.user }));
  if (e.action === 'user.create' && typeof d.role === 'string')
    parts.push(t('audit.target.role', { role: t(`people.roles.${d.role}`) }));
  return parts.join(' ');
}

/** Where from: "app", "browser", "riga di comando"; repeated words (window and session) once. */
export function originText(t: Translate, origin: string): string {
  const words = origin.split(/\s+/).filter(Boolean);
  const known = ['desktop', 'ipc', 'browser', 'http', 'cli', 'invitation', 'setup'];
  const said = words.map((w) => (known.includes(w) ? t(`audit.origin.${w}`) : w));
  return [...new Set(said)].join(', ');
}

/** One line: "rita ha aperto il messaggio «Parcella»". */
export function entrySentence(t: Translate, e: AuditEntryView): string {
  return [actorText(t, e), actionPhrase(t, e.action), targetText(t, e)].filter(Boolean).join(' ');
}
