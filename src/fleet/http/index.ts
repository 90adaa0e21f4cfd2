export { isAdmin, unitCredentials } from './credentials-header.js';
export { buildHttpServer, type HttpServerOptions } from './http-server.js';
