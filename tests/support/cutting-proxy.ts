/**
 * A TCP relay between PecDesk and the simulator's SMTP service that breaks the first connection on
 * purpose: `cut` drops it once the client has sent `afterBytes` (mid-DATA: the provider never gets
 * the end of the message); `mute` lets the whole message through but never lets the server's answer
 * back and then drops the connection (the provider has the message, the client cannot know). TLS
 * passes through untouched (the relay counts bytes, it reads nothing).
 */
import { connect, createServer, type Socket } from 'node:net';

export interface CuttingProxy {
  port: number;
  /** Connections made through it, and how many it broke. */
  connections: number;
  broken: number;
  close(): Promise<void>;
}

export function startCuttingProxy(
  target: { host: string; port: number },
  mode: { kind: 'cut' | 'mute'; afterBytes: number; breakConnections?: number },
): Promise<CuttingProxy> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, broken: 0 };
  const server = createServer((client) => {
    state.connections++;
    const breaking = state.connections <= (mode.breakConnections ?? 1);
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let sent = 0;
    let muted = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (breaking && mode.kind === 'cut' && sent >= mode.afterBytes) {
        // Only part of this chunk reaches the server, then nothing more.
        upstream.write(chunk.subarray(0, Math.max(0, chunk.length - (sent - mode.afterBytes))));
        state.broken++;
        end();
        return;
      }
      upstream.write(chunk);
      if (breaking && mode.kind === 'mute' && sent >= mode.afterBytes && !muted) {
        muted = true;
        state.broken++;
        // The server gets the whole message and answers; the answer never comes back.
        setTimeout(end, 1_500);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!muted) client.write(chunk);
    });
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        get connections() {
          return state.connections;
        },
        get broken() {
          return state.broken;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
