import { readGuardStatus, runGuard, type GuardAgentOptions, type GuardRunSummary, type ModuleState } from '../../guard/agent/index.js';
import type { GuardConfig } from '../../guard/config/config.js';
import type { EventType } from '../../guard/events/event-types.js';

// One simulated day of a unit's guard: the agent runs from the host's boot to its shutdown. The
// demo plays the world around it and sees the guard only as an operator would: the states it
// reports (what `medic guard` prints) and the journal files (what `medic guard status` reads).

export class GuardDay {
  readonly #config: GuardConfig;
  readonly #stop = new AbortController();
  readonly #waiters = new Set<() => void>();
  readonly #run: Promise<GuardRunSummary>;
  #ended = false;
  #state: ModuleState = 'unknown';

  constructor(options: Omit<GuardAgentOptions, 'onState'>) {
    this.#config = options.config;
    this.#run = runGuard(
      {
        ...options,
        onState: (state) => {
          this.#state = state;
          this.#wake();
        },
      },
      this.#stop.signal,
    );
    // A run that ends by itself (it could not open its journal) wakes whoever waits for a state;
    // its error reaches stop().
    this.#run.catch(() => undefined).finally(() => {
      this.#ended = true;
      this.#wake();
    });
  }

  /** The module's state as the guard last reported it. */
  get state(): ModuleState {
    return this.#state;
  }

  /** The first of `states` the guard is in or reports within `timeoutMs`; undefined when none. */
  async waitForState(states: readonly ModuleState[], timeoutMs: number): Promise<ModuleState | undefined> {
    const until = Date.now() + timeoutMs;
    while (!states.includes(this.#state) && !this.#ended && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, until - Date.now());
        this.#waiters.add(wake);
      });
    }
    return states.includes(this.#state) ? this.#state : undefined;
  }

  /** The sequence of the newest `type` event among the journal's last few (0: none). */
  async newest(type: EventType): Promise<number> {
    const { lastEvents } = await readGuardStatus(this.#config, 50);
    return lastEvents.findLast((event) => event.type === type)?.seq ?? 0;
  }

  /** The host shuts down (SIGTERM): the guard powers a running module down in order, then exits. */
  stop(reason: string): Promise<GuardRunSummary> {
    this.#stop.abort(reason);
    return this.#run;
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
  }
}
