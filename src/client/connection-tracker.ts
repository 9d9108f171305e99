// Which connection a request ran on and whether it had to connect first (SPEC §3.5 connect time,
// §8.3 trace tracks). undici publishes, on its diagnostics channels, when a socket connects and,
// synchronously right after a handler's onRequestStart, the socket the request is written to.
// Each new socket also gets the read stamp of network-read.ts ahead of undici's own listener.

import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { arrivingRead } from './network-read.js';

interface SocketInfo {
  /** process-wide connection number, in the order connections were opened */
  readonly conn: number;
  /** performance.now() when the connection finished connecting */
  readonly connectedMs: number;
}

/** The request that will learn its socket from the next `sendHeaders` message. */
export interface ConnectionListener {
  onSocket(conn: number, connectedMs: number): void;
}

const sockets = new WeakMap<Socket, SocketInfo>();
let nextConn = 0;
let installed = false;
let starting: ConnectionListener | undefined;

/** Subscribes to undici's channels once per process (an explicit call, never at import time). */
export function installConnectionTracking(): void {
  if (installed) return;
  installed = true;
  subscribe('undici:client:connected', (message) => {
    const { socket } = message as { socket: Socket };
    sockets.set(socket, { conn: nextConn++, connectedMs: performance.now() });
    // stamp each read when the socket reports it, before undici copies and parses it
    socket.prependListener('readable', arrivingRead);
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const listener = starting;
    starting = undefined;
    if (listener === undefined) return;
    const info = sockets.get((message as { socket: Socket }).socket);
    if (info !== undefined) listener.onSocket(info.conn, info.connectedMs);
  });
}

/**
 * Called from a handler's onRequestStart: undici writes that request's headers next, in the same
 * synchronous call, and the `sendHeaders` message then carries its socket.
 */
export function expectSocketFor(listener: ConnectionListener): void {
  starting = listener;
}
