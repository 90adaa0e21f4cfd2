// A typed command is data: the text to send, its time budget, the prefix of its information
// lines, and a parser for the response (eg25-manager's command lists, fact sheet §5.3).

import type { AtResponse } from '../response.js';
import { defaultTimeoutMs } from '../timeouts.js';

export interface AtCommand<T> {
  readonly text: string;
  readonly timeoutMs: number;
  /** The prefix(es) of the response's information lines; `[]` when the command has none. Derived from `text` when absent. */
  readonly responsePrefix?: string | readonly string[];
  parse(response: AtResponse): T;
}

/** Builds a command with the default time budget for its text (timeouts.ts). */
export function command<T>(text: string, parse: (response: AtResponse) => T, options: { readonly responsePrefix?: string | readonly string[]; readonly timeoutMs?: number } = {}): AtCommand<T> {
  return {
    text,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs(text),
    ...(options.responsePrefix === undefined ? {} : { responsePrefix: options.responsePrefix }),
    parse,
  };
}

/** The parser of commands whose only answer is OK. */
export function noResult(): undefined {
  return undefined;
}
