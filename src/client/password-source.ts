// Where `umux login` gets a password: a file only its owner can read (refused otherwise, as ssh refuses a key file
// others can read), or the first line of stdin (a pipe, never a terminal). Never argv; never printed or logged.

import fs from 'node:fs';
import { UmuxError, UsageError } from '../core/errors.js';

const MAX_PASSWORD_BYTES = 4096;

/** The facts of a password file that decide whether it is private enough. */
export interface PasswordFileFacts {
  isFile: boolean;
  uid: number;
  mode: number;
  size: number;
}

/** Why a password file is refused, or undefined when it is a regular file of `uid` with mode 0600 or 0400. */
export function passwordFileProblem(file: string, st: PasswordFileFacts, uid: number): UmuxError | undefined {
  if (!st.isFile) return new UsageError(`password file ${file} is not a regular file`, { hint: 'give a file holding the password on its first line' });
  if (st.uid !== uid) return new UmuxError('permission', `password file ${file} belongs to uid ${st.uid}, not to you (uid ${uid}): refused`, { hint: `use a file of your own: chmod 600 FILE` });
  const perm = st.mode & 0o7777;
  if (perm !== 0o600 && perm !== 0o400) {
    return new UmuxError('permission', `password file ${file} has mode ${perm.toString(8).padStart(4, '0')}: refused, it must be 0600 or 0400 (only you may read it)`, { hint: `chmod 600 ${file}` });
  }
  if (st.size > MAX_PASSWORD_BYTES) return new UsageError(`password file ${file} is ${st.size} bytes, more than a password (${MAX_PASSWORD_BYTES} at most)`);
  return undefined;
}

/** The password: the first line of `text` (its line end removed); refused when empty or holding a control character. */
export function passwordFromText(text: string, where: string): string {
  const password = text.split(/\r?\n/, 1)[0] ?? '';
  if (password === '') throw new UsageError(`no password in ${where}: its first line is empty`, { hint: 'put the password on the first line' });
  // Never quote it: only where the bad character is.
  const bad = /[\x00-\x1f\x7f]/.exec(password);
  if (bad) throw new UsageError(`the password in ${where} holds a control character at position ${bad.index + 1}: it cannot be typed on a console`);
  return password;
}

/** Reads the password file, refusing one that is not yours alone (never following a link). */
export function readPasswordFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ELOOP' ? 'it is a symbolic link' : code === 'ENOENT' ? 'no such file' : code;
    throw new UmuxError(code === 'EACCES' ? 'permission' : 'io', `cannot read password file ${file}: ${why}`, { hint: 'give the real path of a file only you can read (chmod 600)' });
  }
  try {
    const st = fs.fstatSync(fd);
    const problem = passwordFileProblem(file, { isFile: st.isFile(), uid: st.uid, mode: st.mode, size: st.size }, process.getuid?.() ?? -1);
    if (problem) throw problem;
    const buf = Buffer.alloc(MAX_PASSWORD_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return passwordFromText(buf.subarray(0, n).toString('utf8'), `password file ${file}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads stdin up to its first line end (or its end), within `timeoutMs`; refuses a terminal (the password would show). */
export function readPasswordStdin(stdin: NodeJS.ReadStream, timeoutMs: number): Promise<string> {
  if (stdin.isTTY) {
    return Promise.reject(new UsageError('--password-stdin reads a pipe or a file, not a terminal', { hint: 'umux login NAME --user U --password-stdin < FILE, or use --password-file FILE' }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      // Done with stdin: a writer that keeps the pipe open must not keep umux from exiting.
      stdin.destroy();
      fn();
    };
    const settle = () => finish(() => {
      try {
        resolve(passwordFromText(Buffer.concat(chunks).toString('utf8'), 'stdin'));
      } catch (err) {
        reject(err as Error);
      }
    });
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (chunk.includes(0x0a) || size > MAX_PASSWORD_BYTES) settle();
    };
    const onEnd = () => settle();
    const onError = (err: Error) => finish(() => reject(new UmuxError('io', `cannot read the password from stdin: ${err.message}`)));
    const timer = setTimeout(() => finish(() => reject(new UmuxError('timeout', `no password on stdin within ${timeoutMs} ms (waiting for a line)`, { hint: 'pipe it in: umux login NAME --user U --password-stdin < FILE' }))), timeoutMs);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
  });
}
