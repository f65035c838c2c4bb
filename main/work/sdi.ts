/**
 * SdI (Sistema di Interscambio, e-invoicing) traffic over PEC, recognised the way
 * deadlines-sdi.md B1–B3 describes it: a sender at pec.fatturapa.it (the certified sender, the
 * original's From, or "Per conto di"), and the file names SdI uses: an invoice
 * (IT01234567890_00001.xml[.p7m]) with its metadata (_MT_), or a notification
 * (<invoice>_<TT>_<NNN>.xml: RC delivered, NS rejected, MC not delivered, NE outcome, DT terms
 * elapsed, AT attestation, EC/SE the PA's side).
 */
import { domainOf, inDomain } from './match.ts';

export const SDI_DOMAIN = 'pec.fatturapa.it';

const INVOICE = /^(IT[a-z0-9]{11,16}|[a-z]{2}[a-z0-9]{2,28})_[a-z0-9]{1,5}\.(xml|zip|p7m)(\.p7m)?$/i;
const NOTIFICATION =
  /^[a-z]{2}[a-z0-9]{2,28}_[a-z0-9]{1,5}_(RC|NS|MC|NE|DT|AT|EC|SE)_[a-z0-9]{1,3}\.xml(\.p7m)?$/i;
const METADATA = /_MT_[a-z0-9]{1,3}\.xml$/i;

export type SdiClass = 'invoice' | 'notification' | 'other';

/** What SdI message this is, from its senders and attachment names; null when it is not SdI's. */
export function sdiClass(
  senders: readonly (string | null)[],
  attachmentNames: readonly string[],
): SdiClass | null {
  const fromSdi = senders.some((s) => s && inDomain(domainOf(s), SDI_DOMAIN));
  if (!fromSdi) return null;
  const names = attachmentNames.map((n) => n.trim());
  if (names.some((n) => NOTIFICATION.test(n))) return 'notification';
  if (names.some((n) => METADATA.test(n)) || names.some((n) => INVOICE.test(n) && !NOTIFICATION.test(n)))
    return 'invoice';
  return 'other';
}
