/**
 * The speech API's contract: what a caller sends to `POST /functions/v1/tts`, what it gets back,
 * the voices, limits and error codes, the request's validation, and how the handler behind it
 * serves. Dependency-free with relative `.ts` imports only, so Node, the extension's bundle and
 * Deno can all import it.
 */
export * from './contract.ts';
export * from './endpoint.ts';
export * from './validate.ts';
