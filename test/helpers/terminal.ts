import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

// Runs a program on a real terminal (a pty from python3's pty.fork), the way a person runs it:
// the program sees isatty() true, line editing and prompts work, and the test types keys and reads
// the screen output.
const RUNNER = String.raw`
import os, pty, sys, select, struct, fcntl, termios
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
stdin_open = True
while True:
    fds = [fd] + ([0] if stdin_open else [])
    r, _, _ = select.select(fds, [], [], 0.05)
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export interface TerminalSession {
  /** Everything the program has printed so far (with terminal escapes). */
  readonly output: () => string;
  /** Types text; use '\r' for Enter, '\x04' for Ctrl-D, '\x03' for Ctrl-C. */
  type(text: string): void;
  /** Waits until the output (after `from`, an index into it) matches. */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<string>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  kill(): void;
}

export function runOnTerminal(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): TerminalSession {
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn('python3', ['-c', RUNNER, command, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...env, TERM: 'xterm-256color' },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
  return {
    output: () => text,
    type: (keys) => {
      child.stdin.write(keys);
    },
    async waitFor(pattern, ms = 10_000, from = 0) {
      const until = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(text.slice(from));
        if (match) return match[0];
        if (Date.now() > until) throw new Error(`terminal did not show ${String(pattern)} within ${ms} ms; screen so far:\n${text.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}
