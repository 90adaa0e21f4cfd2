// Where bench observations come from when nobody types them: a meter, a lab supply with a remote
// interface, or the simulator's control interface (src/cli/bench-sim.ts). A reader returns raw
// `key=value` readings; they are parsed and checked like typed ones (observations/parse.ts).
import type { RawObservation } from './observations/index.js';

export interface BenchReader {
  /** What is being read, for messages: `simulator /tmp/medic-sim-x`. */
  readonly name: string;
  read(signal?: AbortSignal): Promise<readonly RawObservation[]>;
}
