import type { i18n as I18n, TFunction } from 'i18next';

/** A folder as the person knows it: INBOX is "Posta in arrivo"; others keep the server's name. */
export function folderName(t: TFunction, i18n: I18n, path: string, name = path): string {
  return i18n.exists(`nav.${path}`) ? t(`nav.${path}`) : name;
}
