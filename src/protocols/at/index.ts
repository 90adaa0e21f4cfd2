// The AT protocol layer: framing, final result codes, URC routing, the client and typed commands.
export * from './client.js';
export * from './commands/index.js';
export * from './error-codes.js';
export * from './errors.js';
export * from './framing.js';
export * from './response.js';
export * from './result-codes.js';
export * from './timeouts.js';
export * from './trace.js';
export * from './urc.js';
