import { lstat, symlink, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { DevicePty, PtyHost } from '../../core/pty/pty-host.js';
import { MedicError } from '../../core/errors.js';
import { AppClient, type AppWorkHandler } from './app-client.js';

// Where applications connect: a pseudo-terminal per application (they open its path like the
// module's ttyUSB2), and/or a local Unix socket (one AppClient per connection).

export interface AppPortSpec {
  /** Who uses it: appears as `by` in the risk events. */
  readonly name: string;
  /** A symlink to create to the pty (a stable path for the app's config, e.g. /run/medic/at-connman). */
  readonly link?: string;
}

export interface PtyEndpoint {
  readonly name: string;
  readonly path: string;
  readonly link: string | undefined;
  readonly client: AppClient;
  readonly pty: DevicePty;
}

export interface ClientOptions {
  readonly handler: AppWorkHandler;
  readonly maxLineBytes: number;
}

async function replaceLink(link: string, target: string): Promise<void> {
  try {
    const stat = await lstat(link);
    if (!stat.isSymbolicLink()) {
      throw new MedicError('GUARD_PROXY_LINK', `${link} exists and is not a symlink; the proxy will not replace it`, { hint: 'Choose another link path for the application\'s pty, or remove the file.' });
    }
    await unlink(link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await symlink(target, link);
}

export async function openPtyEndpoint(host: PtyHost, spec: AppPortSpec, options: ClientOptions): Promise<PtyEndpoint> {
  const pty = await host.open();
  const client = new AppClient(spec.name, { write: (text) => { pty.write(text); } }, options);
  pty.on({
    data: (bytes) => {
      client.receive(bytes);
    },
    hostClose: () => {
      client.disconnected();
    },
  });
  if (spec.link !== undefined) await replaceLink(spec.link, pty.path);
  return { name: spec.name, path: pty.path, link: spec.link, client, pty };
}

export async function closePtyEndpoint(endpoint: PtyEndpoint): Promise<void> {
  await endpoint.pty.close();
  if (endpoint.link !== undefined) await unlink(endpoint.link).catch(() => undefined);
}

export interface SocketEndpoint {
  readonly path: string;
  readonly clients: ReadonlySet<AppClient>;
  close(): Promise<void>;
}

/** A stale socket file from a killed agent is removed; anything else at the path is an error. */
async function clearStaleSocket(path: string): Promise<void> {
  try {
    const stat = await lstat(path);
    if (!stat.isSocket()) throw new MedicError('GUARD_PROXY_SOCKET', `${path} exists and is not a socket`, { hint: 'Choose another socketPath for the AT proxy, or remove the file.' });
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export async function openSocketEndpoint(path: string, options: ClientOptions): Promise<SocketEndpoint> {
  await clearStaleSocket(path);
  const clients = new Set<AppClient>();
  const sockets = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((socket) => {
    next += 1;
    const client = new AppClient(`socket-${next}`, {
      write: (text) => {
        if (!socket.destroyed && socket.writable) socket.write(text, 'latin1');
      },
    }, options);
    clients.add(client);
    sockets.add(socket);
    socket.on('data', (bytes: Buffer) => {
      client.receive(bytes);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      client.disconnected();
      clients.delete(client);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(new MedicError('GUARD_PROXY_SOCKET', `cannot listen on ${path}: ${error.message}`, { hint: 'Check that the directory exists and is writable by the guard.', cause: error }));
    });
    server.listen(path, resolve);
  });
  return {
    path,
    clients,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await unlink(path).catch(() => undefined);
    },
  };
}
