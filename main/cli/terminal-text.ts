/**
 * Text that came from outside (a subject, an address, a folder name, a server's error) printed on a
 * terminal. A mail's subject can carry escape sequences that retitle the window, erase lines, move
 * the cursor or print a fake green "OK": the terminal obeys whatever bytes it is given. So every
 * human-readable line the CLI prints passes its values through here:
 * - ESC sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes) and their 8-bit C1 forms
 *   are removed whole, so no parameter or title text is left behind;
 * - the other C0 and C1 control characters and DEL are removed; a tab or line break inside one value
 *   becomes a space, so one value cannot forge another table row;
 * - bidirectional formatting characters are removed: they reorder what a line shows.
 * The command's own layout (tabs, newlines, the progress bar's own escape) is in the template, not
 * in the values, and is kept. JSON output goes through jsonForTerminal: the values stay identical
 * for a script, only their spelling is escaped.
 */

const SEQUENCE =
  // CSI: ESC [ or 0x9B, parameters, intermediates, one final byte.
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -/]*[0-~]?/g;
const LINE_BREAKS = /[\t\n\r\v\f\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROLS_BUT_TAB_AND_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One value on one line: no control character, no escape sequence, no line break. */
export function terminalLine(value: unknown): string {
  return String(value ?? '')
    .replace(SEQUENCE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI, '');
}

/** A message of several lines (an error with the command's help): keeps line breaks and tabs. */
export function terminalText(value: unknown): string {
  return String(value ?? '')
    .replace(SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS_BUT_TAB_AND_NEWLINE, '')
    .replace(BIDI, '');
}

/** A template whose values are made safe with terminalLine; its literal parts are printed as written. */
export function tty(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce(
    (out, literal, i) => out + literal + (i < values.length ? terminalLine(values[i]) : ''),
    '',
  );
}

/**
 * JSON.stringify, with the characters it leaves raw that a terminal still obeys (C1 controls such as
 * 0x9B, the 8-bit CSI) or that reorder a line (bidi) written as \u escapes. Parsing gives back the
 * same values.
 */
export function jsonForTerminal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
