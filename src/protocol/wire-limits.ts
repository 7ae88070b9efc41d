// What one client may send the server (the sizes and numbers the protocol allows): frames, names, lines. The server
// refuses anything past them with a message naming the limit; the server's own frames (snapshots) may be larger.

/** Largest frame a client may send the server: typed input, a request's argv. Clients split input to fit. */
export const MAX_CLIENT_FRAME = 1024 * 1024;
/** Console bytes a client puts in one data frame (its frame header and stream number fit beside them). */
export const MAX_INPUT_CHUNK = MAX_CLIENT_FRAME - 64 * 1024;
/** Longest user, program, guest or console name in a client message, in characters. */
export const MAX_NAME = 256;
/** Most lines a client may ask of a console log (umux log -n, log -f) or of an attach snapshot's history. */
export const MAX_LOG_LINES = 1_000_000;

/** "1 MiB" for a byte count that is a whole number of MiB or KiB, else the bytes. */
export function formatLimit(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
