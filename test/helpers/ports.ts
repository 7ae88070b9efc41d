// A TCP port on 127.0.0.1 that nothing listens on right now (for a guest's port:N line in tests and benches).

import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
