import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { SyncWire } from './records';

/** One request as the sandbox saw it. Headers are not kept, so no token can end up here. */
export interface SandboxLogEntry {
  time: string;
  method: string;
  path: string;
  contentType?: string;
  /** Request body bytes received. */
  bytes: number;
  /** Response status; 101 for an accepted websocket, 0 when no answer was sent (drop, stall). */
  status: number;
  requestId: string;
  /** The fault that shaped this answer, if any. */
  fault?: string;
  /** For AssemblyAI's Sync API: how the request looked (path, parts in order, headers, config keys; never the key). */
  sync?: SyncWire;
}

export function newRequestId(): string {
  return randomBytes(12).toString('hex');
}

export function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The error page nginx sends in front of an application server. */
export function nginxErrorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
  );
}

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** Reads a small body whole. Past `limit` bytes it keeps draining but answers 'too-large'. */
export function readBody(req: IncomingMessage, entry: SandboxLogEntry, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length;
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client went away before the body ended'));
    });
  });
}

/**
 * Hands each chunk of a body to `onChunk` as it arrives, counting its bytes. Resolves true when the
 * body ended, false when the client went away first.
 */
export function streamBody(req: IncomingMessage, entry: SandboxLogEntry, onChunk: (chunk: Buffer) => void): Promise<boolean> {
  return new Promise((resolve) => {
    if (req.readableEnded) {
      resolve(req.complete);
      return;
    }
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length;
      onChunk(chunk);
    });
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
    req.on('close', () => resolve(req.complete));
  });
}

/** Reads and discards a body, counting its bytes; resolves when it has all arrived. */
export function drainBody(req: IncomingMessage, entry: SandboxLogEntry): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) {
      resolve();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length;
    });
    req.on('end', () => resolve());
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
}
