/** Places a Base URL may point at by mistake: a port where nothing listens, some other web server. */
import * as http from 'node:http';
import * as net from 'node:net';

/** The URL of a local port nothing listens on (it was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  return url;
}

/** Some other web server, as at a mistyped Base URL: an HTML 404 to everything. */
export async function startNotFoundServer(): Promise<{ url: string; close(): Promise<void> }> {
  return await startServer((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
}

/** A Base URL that moved: a 301 to `location` for every request, whatever it sent. */
export async function startRedirectServer(location: string): Promise<{ url: string; close(): Promise<void> }> {
  return await startServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(301, { location, 'content-type': 'text/html' }).end('<h1>Moved Permanently</h1>'));
  });
}

async function startServer(handle: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
