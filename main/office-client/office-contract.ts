/**
 * The API of "Connetti al server dell'ufficio" (issue 16), merged into contract.ts's one contract:
 * which office server this PC's front end (the desktop app, or `npm run serve` for a browser) works
 * on. Only a front end offers these: its process holds the switch (main/office-client/front-end.ts);
 * a core without one, such as the office server itself, refuses them, so nobody can make the
 * office's server connect elsewhere.
 *
 * Who may: anyone at this PC's front end. They concern how this app reaches the office, not the
 * data of any archive (nothing is read or changed in one), and they must work when nobody is signed
 * in anywhere: before the first login on the server, and to go back to this PC's archive when the
 * server is gone. The server's own login stays the credential for its data, and the certificate's
 * fingerprint is the person's to confirm. Not in the activity log for that reason (there is no one
 * to write it for); the server logs each login, the front end's console each switch.
 */
import { z } from 'zod';
import { anyone, type MethodRule } from '../api/access.ts';

const url = z.string().trim().min(1).max(2_000);

export const officeSchemas = {
  /** The certificate a server presents, to confirm on first contact (nothing else is sent). */
  'office.probe': z.object({ url }).strict(),
  /** Works on that server from now on, its certificate pinned to the fingerprint confirmed. */
  'office.connect': z.object({ url, fingerprint: z.string().trim().min(64).max(200) }).strict(),
  /** Back to this PC's own archive (the pin stays for next time). */
  'office.disconnect': z.object({}).strict(),
  'office.status': z.object({}).strict(),
};

export const officeRules = {
  'office.probe': { access: anyone, audit: false },
  'office.connect': { access: anyone, audit: false },
  'office.disconnect': { access: anyone, audit: false },
  'office.status': { access: anyone, audit: false },
} satisfies Record<keyof typeof officeSchemas, MethodRule>;

export interface OfficeProbe {
  /** The canonical address (https://host:port). */
  url: string;
  /** SHA-256 of the certificate, colon hex as the server prints it at start. */
  fingerprint: string;
  /** Who the certificate says it is (its subject's CN), and until when it is valid. */
  subject: string | null;
  validTo: string | null;
  /** first-contact: ask; pinned: the one confirmed before; changed: NOT the one confirmed before. */
  decision: 'first-contact' | 'pinned' | 'changed';
  /** The fingerprint confirmed before (changed: to compare). */
  pinned: string | null;
}

/**
 * How this front end works now. local: on this PC's archive. Else on the server at `url`:
 * connected; unreachable (read-only: what was open is shown, calls that change anything fail);
 * fingerprint-changed (the server presents another certificate: nothing is sent to it).
 */
export interface OfficeStatus {
  state: 'local' | 'connected' | 'unreachable' | 'fingerprint-changed';
  url: string | null;
  fingerprint: string | null;
  /** The certificate seen instead of the pinned one (fingerprint-changed). */
  seen: string | null;
  lastUser: string | null;
  /** English detail of the last failure, for logs. */
  problem: string | null;
}

export interface OfficeResults {
  'office.probe': OfficeProbe;
  'office.connect': OfficeStatus;
  'office.disconnect': OfficeStatus;
  'office.status': OfficeStatus;
}

export interface OfficeEvents {
  /** The connection to the office server changed (the banner, a reload after reconnecting). */
  'office.state': OfficeStatus;
}
