/**
 * The tests' IMAP server is the one the PEC provider simulator runs (main/sim/dovecot.ts): one
 * Dovecot setup for both, so what the tests check is what `npm run sim` serves.
 */
export * from '../../main/sim/dovecot.ts';
