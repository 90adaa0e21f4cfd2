// The processes a benchmark starts beside the one it measures (the simulator, a shaping proxy,
// the guard), so their CPU and memory stay out of the figures; all stopped in order at the end.
import { spawn, type ChildProcess } from 'node:child_process';

const children: ChildProcess[] = [];

/** Starts `node ARGS` (its stdout ignored, stderr shown). */
export function spawnChild(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

/** Starts `node ARGS` and resolves with its first stdout line, parsed (a `--json` ready line). */
export async function startChild<T>(args: readonly string[]): Promise<T> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise<T>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(text.slice(0, newline)) as T);
    });
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited with ${String(code)} before it was ready`));
    });
  });
}

/** SIGTERM to every child still running, newest first, each awaited (the guard powers down first). */
export async function stopChildren(): Promise<void> {
  for (const child of children.splice(0).reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
