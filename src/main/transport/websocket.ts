/** The WebSocket transport of browser mode: invocations in, results and events out, one JSON message each. */
import type { WebSocket, WebSocketServer } from 'ws';
import { WireInvokeSchema, type WireServerMessage } from '../../shared/contract/wire.js';
import type { BoundContract } from './bind.js';
import type { EventBus } from './event-bus.js';

export function attachWebSocketTransport(wss: WebSocketServer, bound: BoundContract, events: EventBus): () => void {
  const send = (socket: WebSocket, msg: WireServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };
  wss.on('connection', (socket) => {
    socket.on('message', async (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString());
      } catch {
        socket.close(1003, 'messages must be JSON');
        return;
      }
      const msg = WireInvokeSchema.safeParse(parsed);
      if (!msg.success) {
        const id = typeof (parsed as { id?: unknown })?.id === 'number' ? (parsed as { id: number }).id : -1;
        send(socket, { type: 'result', id, result: { ok: false, error: { code: 'E_INVALID_INPUT', message: 'Malformed message', params: { path: '(message)', issue: 'expected {type:"invoke", id, name, payload}' } } } });
        return;
      }
      const result = await bound.invoke(msg.data.name, msg.data.payload);
      send(socket, { type: 'result', id: msg.data.id, result });
    });
  });
  return events.subscribe((name, payload) => {
    for (const socket of wss.clients) send(socket, { type: 'event', name, payload });
  });
}
