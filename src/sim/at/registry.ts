// Every AT command the simulated module answers; anything else is ERROR (§3).
import { BASIC_COMMANDS } from './commands/basic.js';
import { CONFIG_COMMANDS } from './commands/config.js';
import { FUNCTIONALITY_COMMANDS } from './commands/functionality.js';
import { IDENTITY_COMMANDS } from './commands/identity.js';
import { NETWORK_COMMANDS } from './commands/network.js';
import { POWER_COMMANDS } from './commands/power.js';
import { SIM_COMMANDS } from './commands/sim-card.js';
import type { AtCommand } from './types.js';

export const AT_COMMANDS: ReadonlyMap<string, AtCommand> = new Map(
  [BASIC_COMMANDS, IDENTITY_COMMANDS, FUNCTIONALITY_COMMANDS, SIM_COMMANDS, NETWORK_COMMANDS, POWER_COMMANDS, CONFIG_COMMANDS].flatMap((group) => group.flatMap((command) => command.names.map((name) => [name, command] as const))),
);
