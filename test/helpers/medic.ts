import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bin/medic.js of this checkout: the command as a user runs it. */
export const medicBin = fileURLToPath(new URL('../../../bin/medic.js', import.meta.url));

export interface MedicRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where runs that name no rework log record themselves: never the user's own log (diagnose/rework-log). */
export const testReworkLog = join(tmpdir(), `medic-test-rework-${process.pid}.jsonl`);

/** Runs `medic ARGS` as a child process and collects its output. */
export function runMedic(args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<MedicRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [medicBin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { MEDIC_REWORK_LOG: testReworkLog, ...(options.env ?? process.env) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`medic ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
