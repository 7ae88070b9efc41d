import { describe, expect, it } from 'vitest';
import { MconsoleError } from '../../../src/core/errors.js';
import {
  formatChannelConfig,
  parseChannelConfig,
  parseHelp,
  parseMemConfig,
  parseMeminfo,
  parseVersion,
  type ChannelConfig,
} from '../../../src/protocol/mconsole-replies.js';
import { KERNEL_HELP, KERNEL_VERSION } from '../support/fixtures.js';

function expectBadReply(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(MconsoleError);
  expect((caught as MconsoleError).code).toBe('bad-reply');
}

describe('parseChannelConfig', () => {
  const cases: Array<[string, ChannelConfig]> = [
    ['fd:0,fd:1', { input: { kind: 'fd', fd: 0 }, output: { kind: 'fd', fd: 1 }, split: true }],
    ['pts:/dev/pts/10', { input: { kind: 'pts', path: '/dev/pts/10' }, output: { kind: 'pts', path: '/dev/pts/10' }, split: false }],
    ['pts', { input: { kind: 'pts' }, output: { kind: 'pts' }, split: false }],
    ['port:9000', { input: { kind: 'port', port: 9000 }, output: { kind: 'port', port: 9000 }, split: false }],
    ['tty:/dev/tty6', { input: { kind: 'tty', path: '/dev/tty6' }, output: { kind: 'tty', path: '/dev/tty6' }, split: false }],
    ['xterm', { input: { kind: 'xterm' }, output: { kind: 'xterm' }, split: false }],
    ['null', { input: { kind: 'null' }, output: { kind: 'null' }, split: false }],
    ['none', { input: { kind: 'none' }, output: { kind: 'none' }, split: false }],
    ['fd:3,pts', { input: { kind: 'fd', fd: 3 }, output: { kind: 'pts' }, split: true }],
    ['pty:/dev/ptyp0', { input: { kind: 'pty', path: '/dev/ptyp0' }, output: { kind: 'pty', path: '/dev/ptyp0' }, split: false }],
  ];

  for (const [text, expected] of cases) {
    it(`parses "${text}"`, () => {
      expect(parseChannelConfig(text)).toStrictEqual(expected);
    });
  }

  it('ignores whitespace around the reply', () => {
    expect(parseChannelConfig(' pts:/dev/pts/2\n')).toStrictEqual(parseChannelConfig('pts:/dev/pts/2'));
  });

  it('accepts the highest port and refuses one past it', () => {
    expect(parseChannelConfig('port:65535').input).toEqual({ kind: 'port', port: 65535 });
    expectBadReply(() => parseChannelConfig('port:65536'));
  });

  it("throws 'bad-reply' on garbage, including the error text eth0 answers", () => {
    const garbage = [
      '',
      '   ',
      'bogus',
      'No get_config routine defined',
      'fd:',
      'fd:x',
      'fd:-1',
      'port:',
      'port:http',
      'pts:dev/pts/1',
      'tty:',
      'null:3',
      'none:x',
      'fd:0,bogus',
      'fd:0,fd:1,fd:2',
      ',fd:1',
    ];
    for (const text of garbage) expectBadReply(() => parseChannelConfig(text));
  });

  it('names the reply it could not parse in the error message', () => {
    try {
      parseChannelConfig('bogus');
      expect.unreachable('parseChannelConfig accepted "bogus"');
    } catch (err) {
      expect((err as Error).message).toContain('"bogus"');
    }
  });
});

describe('formatChannelConfig', () => {
  it('is the inverse of parseChannelConfig', () => {
    const texts = ['fd:0,fd:1', 'pts:/dev/pts/10', 'pts', 'port:9000', 'tty:/dev/tty6', 'xterm', 'null', 'none', 'fd:3,pts', 'pty', 'null,fd:1'];
    for (const text of texts) expect(formatChannelConfig(parseChannelConfig(text))).toBe(text);
  });

  it('writes a split config as IN,OUT and a shared one once', () => {
    expect(formatChannelConfig({ input: { kind: 'fd', fd: 0 }, output: { kind: 'fd', fd: 1 }, split: true })).toBe('fd:0,fd:1');
    expect(formatChannelConfig({ input: { kind: 'port', port: 9020 }, output: { kind: 'port', port: 9020 }, split: false })).toBe('port:9020');
  });
});

describe('parseMemConfig', () => {
  it('reads the guest memory size in bytes', () => {
    expect(parseMemConfig('1610612736')).toBe(1610612736);
    expect(parseMemConfig('67108864\n')).toBe(64 * 1024 * 1024);
  });

  it("throws 'bad-reply' on anything but a whole number", () => {
    for (const text of ['', '64M', '-1', '1.5', 'mem=64M', '0x4000000']) expectBadReply(() => parseMemConfig(text));
  });
});

describe('parseMeminfo', () => {
  // As `proc meminfo` arrives: the reply starts with the "\n" of its first packet.
  const MEMINFO = [
    '',
    'MemTotal:          42484 kB',
    'MemFree:           20208 kB',
    'MemAvailable:      31732 kB',
    'Buffers:               0 kB',
    'Cached:            13848 kB',
    'Active(anon):        196 kB',
    'Inactive(file):     5372 kB',
    'HugePages_Total:       0',
    'HugePages_Free:        0',
    'Hugepagesize:       2048 kB',
    '',
  ].join('\n');

  it('reads kB fields as bytes and unitless fields as plain counts', () => {
    const info = parseMeminfo(MEMINFO);
    expect(info['MemTotal']).toBe(42484 * 1024);
    expect(info['MemFree']).toBe(20208 * 1024);
    expect(info['MemAvailable']).toBe(31732 * 1024);
    expect(info['Buffers']).toBe(0);
    expect(info['HugePages_Total']).toBe(0);
    expect(info['Hugepagesize']).toBe(2048 * 1024);
  });

  it('keeps field names with parentheses', () => {
    const info = parseMeminfo(MEMINFO);
    expect(info['Active(anon)']).toBe(196 * 1024);
    expect(info['Inactive(file)']).toBe(5372 * 1024);
  });

  it('returns exactly the fields present', () => {
    expect(Object.keys(parseMeminfo(MEMINFO))).toHaveLength(10);
  });

  it('skips lines that are not fields', () => {
    expect(parseMeminfo('garbage here\nMemTotal: 1 kB\n')).toEqual({ MemTotal: 1024 });
  });

  it("throws 'bad-reply' when MemTotal is missing", () => {
    expectBadReply(() => parseMeminfo('\nMemFree: 20208 kB\n'));
    expectBadReply(() => parseMeminfo('Failed to open file'));
    expectBadReply(() => parseMeminfo(''));
  });
});

describe('parseVersion', () => {
  it('splits the version reply into its uname fields, keeping the double space in the build date', () => {
    expect(parseVersion(KERNEL_VERSION)).toEqual({
      sysname: 'Linux',
      nodename: '(none)',
      release: '6.1.176',
      build: '#1 Sat Jul  4 15:38:16 UTC 2026',
      machine: 'x86_64',
    });
  });

  it('ignores surrounding whitespace', () => {
    expect(parseVersion(`${KERNEL_VERSION}\n`).release).toBe('6.1.176');
  });

  it("throws 'bad-reply' on text that is not a version", () => {
    for (const text of ['', 'Unknown command', 'Linux (none) 6.1.176 x86_64']) expectBadReply(() => parseVersion(text));
  });
});

describe('parseHelp', () => {
  it('finds the 14 entries of the UML 6.1 help text in order', () => {
    const entries = parseHelp(KERNEL_HELP);
    expect(entries.map((e) => e.verb)).toEqual([
      'version',
      'help',
      'halt',
      'reboot',
      'config',
      'config',
      'remove',
      'sysrq',
      'cad',
      'stop',
      'go',
      'log',
      'proc',
      'stack',
    ]);
  });

  it('folds the TAB-indented continuation line into the first config entry', () => {
    const [first, second] = parseHelp(KERNEL_HELP).filter((e) => e.verb === 'config');
    expect(first).toEqual({
      usage: 'config <dev>=<config>',
      verb: 'config',
      description: 'Add a new device to UML; same syntax as command line',
    });
    expect(second).toEqual({ usage: 'config <dev>', verb: 'config', description: 'Query the configuration of a device' });
  });

  it('keeps usages with arguments and strips trailing spaces from descriptions', () => {
    const entries = parseHelp(KERNEL_HELP);
    expect(entries.find((e) => e.verb === 'sysrq')).toEqual({
      usage: 'sysrq <letter>',
      verb: 'sysrq',
      description: 'Performs the SysRq action controlled by the letter',
    });
    expect(entries.find((e) => e.verb === 'version')?.description).toBe('Get kernel version');
    expect(entries.find((e) => e.verb === 'stop')?.description).toBe("pause the UML; it will do nothing until it receives a 'go'");
    expect(entries.find((e) => e.verb === 'stack')?.usage).toBe('stack <pid>');
  });

  it('folds a TAB-indented continuation line even when it contains " - "', () => {
    const entries = parseHelp('Commands: \n    foo <x> - do x \n\tsee bar - for more \n    bar - do bar\n');
    expect(entries).toEqual([
      { usage: 'foo <x>', verb: 'foo', description: 'do x see bar - for more' },
      { usage: 'bar', verb: 'bar', description: 'do bar' },
    ]);
  });

  it("throws 'bad-reply' when the text does not start with Commands:", () => {
    expectBadReply(() => parseHelp('Unknown command'));
    expectBadReply(() => parseHelp(''));
  });
});
