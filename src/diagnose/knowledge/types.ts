// A rule of the knowledge base: one cause, the evidence that speaks for or against it (a positive
// weight for, a negative against; log-odds-like units: ±1 a hint, ±3 a strong sign, ±6 decisive),
// how well the knowledge itself is founded, what to do next, and where it comes from.
import type { Test } from '../observations/index.js';

export interface Evidence {
  readonly key: string;
  readonly test: Test;
  readonly weight: number;
  /** Why this observation speaks for (or against) the cause, in plain words. */
  readonly why: string;
}

export interface NextStep {
  /** command: a `medic` command to run; bench: something to do with hands and a meter. */
  readonly kind: 'command' | 'bench';
  /** Plain words; `{port}`, `{edlPort}`, `{atPort}` are filled in when known. */
  readonly text: string;
}

export interface Cause {
  readonly id: string;
  /** Plain words for a technician. */
  readonly title: string;
  /** What is going on, in two or three sentences. */
  readonly explanation: string;
  /** How well the sources back this cause: high (several sources), medium, low (one forum post). */
  readonly confidence: 'high' | 'medium' | 'low';
  /** A starting score: how common the cause is among units that reach a rework bench. */
  readonly prior: number;
  readonly evidence: readonly Evidence[];
  readonly next: readonly NextStep[];
  /** Research-sheet sections and field reports. */
  readonly sources: readonly string[];
  /** false for "healthy": the one outcome that is not a fault. */
  readonly fault: boolean;
  /**
   * Causes this one can bring about (a weak supply corrupts the boot chain or the calibration,
   * §5.1): when both stand, this one is named first, since fixing the others first does not last.
   */
  readonly rootOf?: readonly string[];
}
