/**
 * Two-step verification: TOTP (RFC 6238, 30-second steps, 6 digits), as authenticator apps do,
 * with otplib; a code is accepted once (the last step used is kept) and one step of clock drift
 * either way is forgiven. Recovery codes: ten one-time codes, only their SHA-256 kept.
 */
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

/** otpauth:// for the authenticator app's QR code (issuer PecDesk, label the person's name). */
export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: 'PecDesk', label, secret });
}

/** The time step the code belongs to, when it is right and newer than `lastStep`; else null. */
export async function checkTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now = new Date(),
): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({
    secret,
    token,
    epoch,
    epochTolerance: TOTP_PERIOD,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid) return null;
  // The TOTP result carries its time step; the shared type does not say so.
  return 'timeStep' in result ? (result.timeStep as number) : Math.floor(epoch / TOTP_PERIOD) + result.delta;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like "k7pq-2mzx-9rtb": easy to read out, 15 random letters each. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () =>
    Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

export function recoveryCodeHash(code: string): string {
  return createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, ''),
    )
    .digest('hex');
}
