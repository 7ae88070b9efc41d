// The ways the TUI can ask the admin's terminal for a desktop notification (tui.toml `notify`): shared by the
// settings parser (config/) and the TUI (tui/notify.ts), which may not import each other.

export const NOTIFY_MODES = ['none', 'osc9', 'osc777'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];
