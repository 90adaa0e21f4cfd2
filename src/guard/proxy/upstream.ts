import type { AtClient } from '../../protocols/at/client.js';
import { AtCommandError, AtTimeoutError, ModuleRebootedError } from '../../protocols/at/errors.js';
import type { AtResponse } from '../../protocols/at/response.js';
import type { Urc } from '../../protocols/at/urc.js';

// The proxy's one channel to the module, and how its outcomes become answers for applications.
// Whatever goes wrong upstream, the application gets a final result code: a module that went
// away (USB dropped on a reset) or stopped answering must never leave an app waiting forever.

/** What the module said (or what the proxy says for it), ready to relay. */
export interface Outcome {
  readonly lines: readonly string[];
  readonly final: string;
  readonly ok: boolean;
  /** The command may or may not have taken effect: no answer, a restart, a lost port. */
  readonly uncertain: boolean;
}

/** The informational line the proxy puts before its own ERROR (README: "Replies"). */
export function medicLine(text: string): string {
  return `+MEDIC: ${text}`;
}

export interface UpstreamEvents {
  readonly urc: (urc: Urc) => void;
  readonly end: (error: Error) => void;
}

export class Upstream {
  #client: AtClient | undefined;
  #gone: Error | undefined;
  #unsubscribe: (() => void)[] = [];
  #lock: Promise<unknown> = Promise.resolve();

  constructor(client: AtClient, events: UpstreamEvents) {
    this.attach(client, events);
  }

  get isUp(): boolean {
    return this.#client !== undefined && this.#gone === undefined;
  }

  attach(client: AtClient, events: UpstreamEvents): void {
    this.detach();
    this.#client = client;
    this.#gone = undefined;
    this.#unsubscribe = [
      client.onUrc(events.urc),
      client.onEnd((error) => {
        if (this.#client !== client) return;
        this.#gone = error;
        events.end(error);
      }),
    ];
  }

  detach(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#client = undefined;
  }

  /** Runs `task` with the module to itself: steps of one decision never interleave with another app's. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(task);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Sends one line; never rejects. Call inside exclusive(). */
  async send(line: string): Promise<Outcome> {
    const client = this.#client;
    if (client === undefined || this.#gone !== undefined) return notReachable(this.#gone);
    try {
      return fromResponse(await client.send(line));
    } catch (error) {
      return fromError(error);
    }
  }

  /** Like send, for the proxy's own commands: the response, or the error. */
  async run(line: string): Promise<AtResponse> {
    const client = this.#client;
    if (client === undefined) throw this.#gone ?? new Error('no AT channel to the module');
    return client.send(line);
  }
}

function fromResponse(response: AtResponse): Outcome {
  return { lines: response.lines, final: response.final.line, ok: true, uncertain: false };
}

function notReachable(error: Error | undefined): Outcome {
  const why = error === undefined ? '' : ` (${error.message})`;
  return { lines: [medicLine(`the module is not reachable${why}`.slice(0, 300))], final: 'ERROR', ok: false, uncertain: true };
}

function fromError(error: unknown): Outcome {
  if (error instanceof AtCommandError) return { lines: error.lines, final: error.final.line, ok: false, uncertain: false };
  if (error instanceof AtTimeoutError) return { lines: [medicLine(`no answer from the module within ${Math.round(error.timeoutMs / 1000)} s`)], final: 'ERROR', ok: false, uncertain: true };
  if (error instanceof ModuleRebootedError) return { lines: [medicLine('the module restarted (RDY) before answering')], final: 'ERROR', ok: false, uncertain: true };
  return notReachable(error instanceof Error ? error : new Error(String(error)));
}
