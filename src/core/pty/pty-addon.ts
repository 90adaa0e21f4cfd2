// The pty addon (native/pty/pty.c), built by `npm install` (node-gyp). Node has no call that
// unlocks a /dev/ptmx master, and its tty streams close the fd on the EIO a master reads whenever
// no program has the slave open; the addon opens the master and polls it, nothing more.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MedicError } from '../errors.js';

/** libuv's uv_poll on one fd: `onEvent(status, events)`, status < 0 a libuv error, events 1 readable | 2 writable. */
export interface FdPoll {
  /** Polls for `events` (replacing what was polled for before). */
  start(events: number): void;
  stop(): void;
  /** Stops for good; the fd may be closed once this returns. */
  close(): void;
}

export interface PtyAddon {
  /** A new master (non-blocking, close-on-exec) whose slave is raw at 115200 baud and held by nobody. */
  openRawPty(): { readonly fd: number; readonly path: string };
  /** Whether a program has the slave of master `fd` open (the master polls POLLHUP while nobody does). */
  hostHasOpen(fd: number): boolean;
  readonly FdPoll: new (fd: number, onEvent: (status: number, events: number) => void) => FdPoll;
}

/** Relative to dist/src/core/pty/ (and src/core/pty/): the package root's native/pty build. */
const ADDON_URL = new URL('../../../../native/pty/build/Release/medic_pty.node', import.meta.url);

let loaded: PtyAddon | undefined;

function isPtyAddon(value: unknown): value is PtyAddon {
  return typeof value === 'object' && value !== null && 'openRawPty' in value && typeof value.openRawPty === 'function' && 'hostHasOpen' in value && typeof value.hostHasOpen === 'function' && 'FdPoll' in value && typeof value.FdPoll === 'function';
}

/** Loads the addon on first use (a medic command that needs no pty never loads it). */
export function loadPtyAddon(): PtyAddon {
  if (loaded) return loaded;
  const path = fileURLToPath(ADDON_URL);
  let addon: unknown;
  try {
    addon = createRequire(import.meta.url)(path);
  } catch (error) {
    throw new MedicError('PTY_UNAVAILABLE', `the pseudo-terminal addon is not built (${path}): ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`, {
      hint: 'Pseudo-terminals (the simulator\'s ports, the guard\'s AT proxy) need the small native addon that `npm install` builds: run `npm rebuild modem-medic` (in a checkout: `npm run install`). Building needs a C compiler, make and python3 (Debian: apt-get install build-essential python3).',
      cause: error,
    });
  }
  if (!isPtyAddon(addon)) throw new MedicError('PTY_UNAVAILABLE', `${path} is not modem-medic's pty addon (no openRawPty/hostHasOpen/FdPoll)`, { hint: 'Rebuild it: `npm rebuild modem-medic` (in a checkout: `npm run install`).' });
  loaded = addon;
  return addon;
}
