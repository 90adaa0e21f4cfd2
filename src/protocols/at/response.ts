import type { FinalResult } from './result-codes.js';

/** What a successful command returns. */
export interface AtResponse {
  /** The command line as sent, without the trailing CR. */
  readonly command: string;
  /** Information lines, in order, without the echo, URCs and the final result. */
  readonly lines: readonly string[];
  readonly final: FinalResult;
}
