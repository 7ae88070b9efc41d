// Where umux keeps things, derived from the environment alone (pure: callers pass env, uid and home), so the
// server, the clients and the direct tools agree: the private socket directory, state (logs) and guest configs.

export type Env = Readonly<Record<string, string | undefined>>;

function join(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}

/** $UMUX_SOCKET_DIR, else $XDG_RUNTIME_DIR/umux, else /tmp/umux-UID (DESIGN.md §1). */
export function socketDirOf(env: Env, uid: number): string {
  if (env['UMUX_SOCKET_DIR']) return env['UMUX_SOCKET_DIR'];
  if (env['XDG_RUNTIME_DIR']) return join(env['XDG_RUNTIME_DIR'], 'umux');
  return `/tmp/umux-${uid}`;
}

/** $UMUX_STATE_DIR, else $XDG_STATE_HOME/umux, else ~/.local/state/umux. */
export function stateDirOf(env: Env, home: string): string {
  if (env['UMUX_STATE_DIR']) return env['UMUX_STATE_DIR'];
  return join(env['XDG_STATE_HOME'] || join(env['HOME'] ?? home, '.local', 'state'), 'umux');
}

/** $UMUX_CONFIG_DIR, else $XDG_CONFIG_HOME/umux/guests, else ~/.config/umux/guests. */
export function configDirOf(env: Env, home: string): string {
  if (env['UMUX_CONFIG_DIR']) return env['UMUX_CONFIG_DIR'];
  return join(env['XDG_CONFIG_HOME'] || join(env['HOME'] ?? home, '.config'), 'umux', 'guests');
}

/**
 * umux's own settings directory (tui.toml, themes/): $UMUX_CONFIG_DIR when set (beside the guests, as before), else
 * $XDG_CONFIG_HOME/umux, else ~/.config/umux: the parent of the guests directory, where a user looks first.
 */
export function settingsDirOf(env: Env, home: string): string {
  if (env['UMUX_CONFIG_DIR']) return env['UMUX_CONFIG_DIR'];
  return join(env['XDG_CONFIG_HOME'] || join(env['HOME'] ?? home, '.config'), 'umux');
}

export const SERVER_SOCKET = 'server.sock';
export const SERVER_LOCK = 'server.lock';
