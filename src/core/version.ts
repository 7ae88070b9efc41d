// umux's own version, for `umux version` and the server's welcome.
export const UMUX_VERSION = '0.1.0';
