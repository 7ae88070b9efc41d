// Text that may come from a guest (event texts, umid names, MConsole replies, errors quoting them) made safe to print
// on an admin's terminal: every control character a terminal could act on is shown as visible characters instead.

/** C0 controls except tab and newline, DEL, and C1 controls (U+0080–U+009F: some terminals take U+009B as CSI). */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * How one control character is shown: caret notation for C0 and DEL (`^[` for ESC, `^G` for BEL, `^M` for CR, `^?`
 * for DEL), as `cat -v`, less and shells show them; `\x9b` for C1, which has no caret form.
 */
export function visibleControl(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `\\x${code.toString(16)}`;
}

/**
 * `text` with its control characters shown visibly (newline and tab kept): an OSC 52 clipboard write or a title
 * change prints as `^[]52;c;…^G`, which the admin can read and the terminal does not act on.
 */
export function showControls(text: string): string {
  return text.replace(CONTROLS, visibleControl);
}

/** What JSON.stringify leaves raw but a terminal may act on (C1, DEL) or a JavaScript reader may trip on (U+2028/9). */
const JSON_RAW = /[\x7f-\x9f\u2028\u2029]/g;

/**
 * `value` as JSON with every control character escaped, C1 and DEL included (`\u009b`), so JSON printed on a
 * terminal carries no raw control: the same data for a parser, nothing for the terminal to act on.
 */
export function terminalJson(value: unknown, indent = 2): string {
  // These characters occur only inside JSON strings, where a \u escape is always valid.
  return (JSON.stringify(value, null, indent) ?? 'null').replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
