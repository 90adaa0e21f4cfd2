// <stateDir>/dev/ttyUSBn: what udev would make in /dev, as symlinks to the simulator's ptys.
import { mkdir, rename, unlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DevLinks {
  readonly dir: string;
  readonly #names = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  pathOf(name: string): string {
    return join(this.dir, name);
  }

  /** Creates (or atomically replaces) dev/<name> → target. */
  async add(name: string, target: string): Promise<string> {
    const path = this.pathOf(name);
    const temporary = `${path}.tmp-${process.pid}`;
    await unlink(temporary).catch(() => undefined);
    await symlink(target, temporary);
    await rename(temporary, path);
    this.#names.add(name);
    return path;
  }

  async removeAll(): Promise<void> {
    for (const name of this.#names) await unlink(this.pathOf(name)).catch(() => undefined);
    this.#names.clear();
  }
}
