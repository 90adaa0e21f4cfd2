// The guard's AT proxy with policy (issue #5). README.md beside this file.
export { startAtProxy, type AtProxy, type AtProxyBudget, type AtProxyOptions, type ProxyClientInfo } from './at-proxy.js';
export { scaledClock, systemClock, type ProxyClock } from './clock.js';
export type { AppPortSpec } from './endpoints.js';
export type { EventSink } from './policy-runner.js';
