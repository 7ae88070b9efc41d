import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../src/core/utf8.js';
import { encodeRequest } from '../../../src/protocol/mconsole-codec.js';
import { formatReply, LOG_CHUNK, localHelp, logRequests } from '../../../src/protocol/mconsole-format.js';
import { randomString, rng } from '../support/random.js';

const utf8Length = (s: string): number => encodeUtf8(s).length;
/** The text of a `log` request without its verb. */
const pieceOf = (request: string): string => {
  expect(request.startsWith('log ')).toBe(true);
  return request.slice(4);
};

describe('formatReply', () => {
  it('prints an OK reply as uml_mconsole does', () => {
    expect(formatReply({ ok: true, text: 'Linux (none) 6.1.176' })).toBe('OK Linux (none) 6.1.176\n');
  });

  it('prints an ERR reply as uml_mconsole does', () => {
    expect(formatReply({ ok: false, text: 'Unknown command' })).toBe('ERR Unknown command\n');
  });

  it('keeps the space after OK for an empty reply', () => {
    expect(formatReply({ ok: true, text: '' })).toBe('OK \n');
  });
});

describe('localHelp', () => {
  it("prints uml_mconsole's block of local commands byte for byte, double space after int included", () => {
    expect(localHelp()).toBe(
      'Additional local mconsole commands:\n' +
        '    quit - Quit mconsole\n' +
        '    switch <socket-name> - Switch control to the given machine\n' +
        '    log -f <filename> - use contents of <filename> as UML log messages\n' +
        '    mconsole-version - version of this mconsole program\n' +
        '    int  - Interrupt UML session\n',
    );
  });
});

describe('logRequests', () => {
  it('sends a short text and then "log \\n" to end the printk line', () => {
    expect(logRequests('hello')).toEqual(['log hello', 'log \n']);
  });

  it('sends a text that already ends a line as one request', () => {
    expect(logRequests('hello\n')).toEqual(['log hello\n']);
  });

  it('splits 4000 ASCII characters into 8 pieces of at most 506 bytes, then "log \\n"', () => {
    const text = 'a'.repeat(4000);
    const requests = logRequests(text);
    expect(requests).toHaveLength(9);
    expect(requests[8]).toBe('log \n');
    const pieces = requests.slice(0, 8).map(pieceOf);
    expect(pieces.map((p) => p.length)).toEqual([506, 506, 506, 506, 506, 506, 506, 458]);
    expect(pieces.join('')).toBe(text);
  });

  it('fills each request to 510 bytes, which fits the 511-byte command limit', () => {
    expect(LOG_CHUNK).toBe(506);
    for (const request of logRequests('b'.repeat(1200))) {
      expect(utf8Length(request)).toBeLessThanOrEqual(510);
      expect(() => encodeRequest(request)).not.toThrow();
    }
  });

  it('does not add "log \\n" when a long text ends with a newline', () => {
    const requests = logRequests(`${'c'.repeat(600)}\n`);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.endsWith('\n')).toBe(true);
  });

  it('never splits a 2-, 3- or 4-byte character across pieces', () => {
    for (const ch of ['é', '€', '😀']) {
      const text = ch.repeat(600);
      const requests = logRequests(text);
      const pieces = requests.slice(0, -1).map(pieceOf);
      expect(requests.at(-1)).toBe('log \n');
      expect(pieces.join(''), ch).toBe(text);
      const per = Math.floor(LOG_CHUNK / utf8Length(ch));
      expect(pieces[0], ch).toBe(ch.repeat(per));
      for (const p of pieces) expect(utf8Length(p), ch).toBeLessThanOrEqual(LOG_CHUNK);
    }
  });

  it('keeps every piece of 300 random mixed texts whole, within 506 bytes, and as full as the next character allows', () => {
    const r = rng(0x106);
    for (let n = 0; n < 300; n++) {
      const text = randomString(r, r.int(1500)).replace(/\0/g, '0'); // mconsole cannot carry NUL
      const requests = logRequests(text);
      const ends = text.endsWith('\n');
      const pieces = (ends ? requests : requests.slice(0, -1)).map(pieceOf);
      if (!ends) expect(requests.at(-1)).toBe('log \n');
      expect(pieces.join('')).toBe(text);
      for (const [i, p] of pieces.entries()) {
        expect(p.length).toBeGreaterThan(0);
        expect(utf8Length(p)).toBeLessThanOrEqual(LOG_CHUNK);
        expect(/[\ud800-\udbff]$/.test(p)).toBe(false); // no split surrogate pair
        const next = pieces[i + 1];
        if (next !== undefined) {
          expect(utf8Length(p) + utf8Length(String.fromCodePoint(next.codePointAt(0)!))).toBeGreaterThan(LOG_CHUNK);
        }
      }
      for (const request of requests) expect(() => encodeRequest(request)).not.toThrow();
    }
  });
});
