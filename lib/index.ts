// The clients and the transcript domain, free of any n8n or Node-RED import.
export * from './errors';
export * from './harf';
export * from './assemblyai';
export * from './transcript';
export * from './audio';
export * from './jobs';
export type { HttpTransport, TransportRequest, TransportResponse, RetryOptions, RequestBody } from './http/types';
export { withRetries, parseRetryAfter, backoffDelay, mayResend, DEFAULT_RETRY } from './http/retry';
export type { RequestKind } from './http/retry';
