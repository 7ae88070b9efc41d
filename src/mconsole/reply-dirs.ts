// Reply sockets for guests that run as another user (issue 17): a root server's private socket directory is 0700,
// so a guest run as alice could not send its MConsole replies there (its commands ran, its replies were lost).
// Such a guest's replies go to OTHERS/UID/: the server's, group the guest's, 0710, each socket 0620: that guest's
// user can send to it, and no other user can even look in.

import fs from 'node:fs';
import path from 'node:path';
import { ensureHostingDir } from '../files/hosting-dir.js';

/** The uid and gid of a guest's MConsole socket when it is not ours (and `othersDir` is set), else undefined. */
export function guestOfOther(socket: string, othersDir: string | undefined): { uid: number; gid: number } | undefined {
  if (othersDir === undefined) return undefined;
  try {
    const st = fs.statSync(socket);
    return st.uid === (process.getuid?.() ?? 0) ? undefined : { uid: st.uid, gid: st.gid };
  } catch {
    return undefined; // the send says what is wrong
  }
}

/** OTHERS/UID, made (or put right) for that guest user: ours, group theirs, 0710. */
export function replyDirFor(othersDir: string, who: { uid: number; gid: number }): string {
  ensureHostingDir(path.dirname(othersDir));
  ensureHostingDir(othersDir, 0o711);
  const dir = path.join(othersDir, String(who.uid));
  try {
    fs.mkdirSync(dir, { mode: 0o710 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== (process.getuid?.() ?? 0)) throw new Error(`${dir} is not a directory of the server's user`);
  fs.chownSync(dir, -1, who.gid);
  fs.chmodSync(dir, 0o710);
  return dir;
}
