// Typed errors: every failure a user can meet carries a stable code, a one-line message (tmux style:
// lowercase, subject first, no final period) and an optional hint saying what to do. Stacks never reach users.

export type UmuxErrorCode =
  | 'usage'
  | 'no-such-guest'
  | 'not-running'
  | 'permission'
  | 'timeout'
  | 'busy'
  | 'guest-error'
  | 'incomplete-reply'
  | 'bad-reply'
  | 'too-long'
  | 'unknown-verb'
  | 'refused-verb'
  | 'io'
  | 'internal';

export interface ErrorFields {
  hint?: string;
  cause?: unknown;
}

export class UmuxError extends Error {
  readonly code: UmuxErrorCode;
  readonly hint: string | undefined;

  constructor(code: UmuxErrorCode, message: string, fields: ErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'UmuxError';
    this.code = code;
    this.hint = fields.hint;
  }

  /** The message and its hint, as a user sees them: one line each. */
  describe(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}

export class UsageError extends UmuxError {
  constructor(message: string, fields: ErrorFields = {}) {
    super('usage', message, fields);
    this.name = 'UsageError';
  }
}

/** Failures talking to a guest's MConsole socket; `umid` and `verb` say which guest and which request. */
export class MconsoleError extends UmuxError {
  readonly target: string | undefined;
  readonly verb: string | undefined;

  constructor(
    code: UmuxErrorCode,
    message: string,
    fields: ErrorFields & { target?: string; verb?: string } = {},
  ) {
    super(code, message, fields);
    this.name = 'MconsoleError';
    this.target = fields.target;
    this.verb = fields.verb;
  }
}

export function isUmuxError(value: unknown): value is UmuxError {
  return value instanceof UmuxError;
}

/** errno names to the words a UML admin needs (zx keeps the same kind of table in one place). */
export const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ECONNREFUSED: 'nobody is listening (stale socket)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EAGAIN: 'queue full',
  EADDRINUSE: 'address already in use',
  ENAMETOOLONG: 'path too long',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};
