/**
 * A tiny Socket Mode server (RFC 6455 framing by hand, no dependency): the real SocketModeClient
 * connects to it, gets `hello`, receives envelopes we push and sends back acks we record.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

export interface FakeSocketMode {
  /** ws://127.0.0.1:PORT/link — what apps.connections.open returns. */
  readonly url: string;
  readonly acks: SocketAck[];
  connected(timeoutMs?: number): Promise<void>;
  send(envelope: Record<string, unknown>): void;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) header = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Parses complete client frames (always masked) off the front of `buf`. */
function parseFrames(buf: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let off = 0;
  while (buf.length - off >= 2) {
    const opcode = buf[off]! & 0x0f;
    let len = buf[off + 1]! & 0x7f;
    let pos = off + 2;
    if (len === 126) {
      if (buf.length < pos + 2) break;
      len = buf.readUInt16BE(pos);
      pos += 2;
    } else if (len === 127) {
      if (buf.length < pos + 8) break;
      len = Number(buf.readBigUInt64BE(pos));
      pos += 8;
    }
    if (buf.length < pos + 4 + len) break;
    const mask = buf.subarray(pos, pos + 4);
    const payload = Buffer.from(buf.subarray(pos + 4, pos + 4 + len));
    for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
    frames.push({ opcode, payload });
    off = pos + 4 + len;
  }
  return { frames, rest: buf.subarray(off) };
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const acks: SocketAck[] = [];
  const sockets = new Set<Socket>();
  let current: Socket | undefined;
  const listeners: Array<() => void> = [];
  const notify = () => {
    for (const l of listeners.splice(0)) l();
  };

  const server = http.createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    current = socket;
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x1) {
          acks.push(JSON.parse(f.payload.toString('utf8')) as SocketAck);
          notify();
        } else if (f.opcode === 0x9) {
          socket.write(frame(0xa, f.payload));
        } else if (f.opcode === 0x8) {
          socket.end(frame(0x8, f.payload));
          if (current === socket) current = undefined;
        }
      }
    });
    socket.on('error', () => undefined);
    socket.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }))));
    notify();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const waitUntil = <T>(get: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake Socket Mode: ${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const v = get();
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else listeners.push(check);
      };
      check();
    });

  return {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    connected: (timeoutMs = 5000) => waitUntil(() => (current ? true : undefined), 'a connection', timeoutMs).then(() => undefined),
    send(envelope) {
      if (!current) throw new Error('fake Socket Mode: no client connected');
      current.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
    },
    waitForAck: (envelopeId, timeoutMs = 5000) => waitUntil(() => acks.find((a) => a.envelope_id === envelopeId), `ack of ${envelopeId}`, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
