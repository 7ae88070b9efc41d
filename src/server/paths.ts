// Where the server's files live: its socket and start lock in the private socket directory, its log and the
// console logs in the state directory, guest definitions in the config directory. All overridable by env.

import os from 'node:os';
import path from 'node:path';
import { configDirOf, SERVER_LOCK, SERVER_SOCKET, socketDirOf, stateDirOf } from '../protocol/locations.js';
import { HOSTING_DIR } from '../files/hosting-dir.js';
import { policyFile } from '../config/hosting-policy.js';

export interface ServerPaths {
  socketDir: string;
  socket: string;
  lock: string;
  stateDir: string;
  log: string;
  logRoot: string;
  configDir: string;
  /** The server's MConsole notify socket: boot a guest with mconsole=notify:THIS to tell umux of panics at once. */
  notify: string;
  backupRoot: string;
  /** uml_dirs watched for guests umux did not start: UMUX_UML_DIRS (colon-separated), else ~/.uml and /tmp/uml. */
  umlDirs: string[];
  /** A shared server's per-user sockets and MConsole reply directories: UMUX_HOSTING_DIR, else /run/umux. */
  hostingDir: string;
  /** The hosting policy (CONFIG/policy.toml, beside server.toml): customers are served when it exists. */
  policy: string;
}

export function serverPaths(env: NodeJS.ProcessEnv = process.env): ServerPaths {
  const socketDir = path.resolve(socketDirOf(env, process.getuid?.() ?? 0));
  const stateDir = path.resolve(stateDirOf(env, os.homedir()));
  return {
    socketDir,
    socket: path.join(socketDir, SERVER_SOCKET),
    lock: path.join(socketDir, SERVER_LOCK),
    stateDir,
    log: path.join(stateDir, 'server.log'),
    logRoot: path.join(stateDir, 'logs'),
    configDir: path.resolve(configDirOf(env, os.homedir())),
    notify: path.join(socketDir, 'notify'),
    backupRoot: path.join(stateDir, 'backups'),
    hostingDir: path.resolve(env['UMUX_HOSTING_DIR'] || HOSTING_DIR),
    policy: policyFile(env),
    umlDirs: (env['UMUX_UML_DIRS'] ? env['UMUX_UML_DIRS'].split(':').filter(Boolean) : [path.join(env['HOME'] ?? os.homedir(), '.uml'), '/tmp/uml']).map((d) => path.resolve(d)),
  };
}
