// The host side of an adopted guest's console line, opened by the keeper: a pts or tty the guest's user owns, or a
// TCP connection to a UML port console on 127.0.0.1 (the TELNET on it is the server's business).

import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import type { ChannelEnds } from './channel.js';
import { SpawnFailed } from './spawn-guest.js';

/** Opens a pts or tty without blocking and without following links; refuses another user's device. */
export function openTerminal(path: string, uid: number): ChannelEnds {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SpawnFailed(code, `cannot be opened: ${code}`);
  }
  const st = fs.fstatSync(fd);
  if (!st.isCharacterDevice() || st.uid !== uid || !tty.isatty(fd)) {
    fs.closeSync(fd);
    // The server words it: "DEVICE (con1 of GUEST) " goes before this.
    throw new SpawnFailed('EPERM', st.isCharacterDevice() && st.uid !== uid ? `belongs to uid ${st.uid}, not to the guest's user (uid ${uid}): not held` : 'is not a terminal');
  }
  const stream = new tty.ReadStream(fd);
  stream.setRawMode(true); // every byte passes unchanged
  return { source: stream, sink: stream };
}

/** Connects to 127.0.0.1:port within timeoutMs. */
export function connectPort(port: number, timeoutMs = 2000): Promise<ChannelEnds> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SpawnFailed('ETIMEDOUT', `no connection to 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve({ source: socket, sink: socket, ...(socket.localPort !== undefined ? { localPort: socket.localPort } : {}) });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new SpawnFailed(err.code ?? 'EIO', `cannot connect to 127.0.0.1:${port}: ${err.code ?? err.message}`));
    });
  });
}
