/**
 * The names of the API, without their types or schemas: the preload script's allowlist and the
 * bridge's routing table. contract.ts checks at compile time that this list and the schemas agree.
 */
export const API_METHODS = [
  'app.info',
  'pec.inspect',
  'views.list',
  'messages.list',
  'messages.get',
  'threads.get',
  'accounts.list',
  'accounts.add',
  'accounts.remove',
  'accounts.test',
  'accounts.setPassword',
  'accounts.presets',
  'sync.now',
  'attachments.get',
  'messages.setSeen',
  'messages.raw',
  'accounts.update',
  'demo.open',
  'demo.close',
  'search.query',
  'search.suggest',
  'search.stats',
  'searches.list',
  'searches.save',
  'searches.remove',
  'auth.status',
  'auth.setup',
  'auth.login',
  'auth.totp',
  'auth.logout',
  'auth.enableLogins',
  'auth.totpStart',
  'auth.totpConfirm',
  'users.list',
  'users.add',
  'users.remove',
  'users.setPassword',
  'users.revokeSessions',
  'users.acceptInvitation',
  'offices.list',
  'offices.create',
  'offices.addMember',
  'grants.list',
  'grants.put',
  'grants.remove',
  'audit.list',
  'audit.messageViews',
  'audit.verify',
  'audit.export',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export const API_EVENTS = [
  'app.notice',
  'archive.changed',
  'sync.progress',
  'sync.state',
  'search.backfill',
  'demo.progress',
] as const;
export type ApiEventName = (typeof API_EVENTS)[number];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}
