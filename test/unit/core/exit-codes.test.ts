import { describe, expect, it } from 'vitest';
import type { UmuxErrorCode } from '../../../src/core/errors.js';
import { EXIT, exitCodeFor } from '../../../src/core/exit-codes.js';
import { mconsoleCommand } from '../../../src/commands/table.js';

// A Record over the union: the type checker fails here when a new error code is added without a row.
const EXPECTED: Record<UmuxErrorCode, number> = {
  usage: 2,
  'unknown-verb': 2,
  'refused-verb': 2,
  'too-long': 2,
  'no-such-guest': 3,
  'not-running': 3,
  timeout: 4,
  busy: 4,
  'incomplete-reply': 5,
  permission: 6,
  'guest-error': 1,
  'bad-reply': 1,
  io: 1,
  internal: 1,
};
const CODES = Object.keys(EXPECTED) as UmuxErrorCode[];

describe('exitCodeFor', () => {
  it('maps every error code to its exit code', () => {
    for (const code of CODES) expect(exitCodeFor(code), code).toBe(EXPECTED[code]);
  });

  it('never maps an error to the success exit code 0', () => {
    for (const code of CODES) expect(exitCodeFor(code), code).not.toBe(EXIT.ok);
  });

  it('tells a timeout, a missing guest and a kernel ERR reply apart', () => {
    const timeout = exitCodeFor('timeout');
    const missing = exitCodeFor('no-such-guest');
    const failed = exitCodeFor('guest-error');
    expect(new Set([timeout, missing, failed]).size).toBe(3);
    expect(timeout).toBe(EXIT.timeout);
    expect(missing).toBe(EXIT.noGuest);
    expect(failed).toBe(EXIT.failed);
  });

  it('gives every verb check failure the usage exit code, so nothing was sent', () => {
    for (const code of ['usage', 'unknown-verb', 'refused-verb', 'too-long'] as const) {
      expect(exitCodeFor(code), code).toBe(EXIT.usage);
    }
  });

  it('uses the exit codes the mconsole help text promises', () => {
    const details = (mconsoleCommand.details ?? []).join(' ');
    expect(details).toContain(`${EXIT.ok} on OK`);
    expect(details).toContain(`${EXIT.failed} on an ERR reply`);
    expect(details).toContain(`${EXIT.usage} on a usage error`);
    expect(details).toContain(`${EXIT.noGuest} when the guest is not found`);
    expect(details).toContain(`${EXIT.timeout} when it does not answer in time`);
    expect(details).toContain(`${EXIT.incomplete} when a reply arrives incomplete`);
    expect(details).toContain(`${EXIT.permission} on permission denied`);
  });

  it('keeps the exit code table free of duplicates', () => {
    const values = Object.values(EXIT);
    expect(new Set(values).size).toBe(values.length);
  });
});
