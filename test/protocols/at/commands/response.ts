import assert from 'node:assert/strict';
import { isMedicError } from '../../../../src/core/errors.js';
import type { AtCommand } from '../../../../src/protocols/at/commands/command.js';

/** Parses `lines` as the OK response of `command` (what the client would hand the parser). */
export function parse<T>(command: AtCommand<T>, ...lines: string[]): T {
  return command.parse({ command: command.text, lines, final: { kind: 'OK', line: 'OK' } });
}

/** Asserts that parsing fails with AT_PARSE and that the error shows the raw line(s) it choked on. */
export function assertParseError(command: AtCommand<unknown>, ...lines: string[]): void {
  assert.throws(
    () => parse(command, ...lines),
    (error: unknown) => {
      assert.ok(isMedicError(error));
      assert.equal(error.code, 'AT_PARSE');
      const raw = error.details.raw as readonly string[];
      assert.ok(raw.every((line) => lines.includes(line)), 'raw holds lines of the response');
      if (lines.length > 0) assert.ok(raw.length > 0, 'raw is not empty');
      for (const line of raw) assert.ok(error.message.includes(JSON.stringify(line)), `message names ${line}: ${error.message}`);
      return true;
    },
  );
}
