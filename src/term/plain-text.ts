// Console bytes made safe for an admin's terminal as plain text (`umux log` on a tty): escape sequences of every
// kind (CSI, OSC, DCS, APC, PM, SOS) and control characters are dropped; line ends become \n.

const SEQUENCES = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]', // CSI
    '\\x9b[0-?]*[ -/]*[@-~]', // CSI as C1
    '\\x1b\\][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?', // OSC (title, clipboard), terminated or cut short
    '\\x9d[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    '\\x1b[P^_X][\\s\\S]*?(?:\\x1b\\\\|\\x9c|$)', // DCS, PM, APC, SOS
    '[\\x90\\x98\\x9e\\x9f][\\s\\S]*?(?:\\x1b\\\\|\\x9c|$)',
    '\\x1b[ -/]*[0-~]', // other escapes (ESC c, ESC 7, charset selection)
  ].join('|'),
  'g',
);

export function plainText(text: string): string {
  return text
    .replace(SEQUENCES, '')
    .replace(/\r+\n/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}
