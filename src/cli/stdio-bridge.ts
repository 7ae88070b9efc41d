// `umux server --stdio`: the far end of `umux --host`. Connects to this user's server (starting it as any client
// does) and carries bytes both ways unchanged; the wire is already framed. Ends when either side closes. No TCP.

import { connectServer } from '../client/connect.js';

export async function runStdioBridge(opts: { autostart: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const socket = await connectServer({ env, autostart: opts.autostart });
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      process.stdin.unpipe(socket);
      process.stdin.pause();
      socket.destroy();
      resolve(code);
    };
    process.stdin.pipe(socket);
    socket.pipe(process.stdout);
    // The client (ssh) went: the server sees this connection close. The server went: the client sees ssh end.
    process.stdin.on('end', () => finish(0));
    process.stdin.on('error', () => finish(0));
    socket.on('close', () => finish(0));
    socket.on('error', () => finish(1));
  });
}
