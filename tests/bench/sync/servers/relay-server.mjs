// Calibration only (BENCH_SERVERS=…,bare-relay): the least a y-websocket server
// can do. The full state is encoded once and the same frame goes to every
// joiner; the updates of a tick are applied, merged and sent to everyone as one frame.
// No auth, no storage, no awareness: a floor for this machine and this bench.
import fs from 'node:fs';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const port = Number(process.env.PORT);
const doc = new Y.Doc();
Y.applyUpdate(doc, fs.readFileSync(process.env.BENCH_STATE_FILE ?? ''));
let fullState = null;
doc.on('update', () => {
  fullState = null;
});
const sockets = new Set();
let pending = [];

function broadcast() {
  const merged = pending.length === 1 ? pending[0] : Y.mergeUpdates(pending);
  pending = [];
  const message = frame(2, merged);
  for (const socket of sockets) socket.send(message);
}

function frame(syncType, payload) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const server = http.createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.on('message', (data) => {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return;
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === 0) {
      if (payload.length <= 1) ws.send((fullState ??= frame(1, Y.encodeStateAsUpdate(doc))));
      else ws.send(frame(1, Y.encodeStateAsUpdate(doc, payload)));
    } else {
      Y.applyUpdate(doc, payload);
      pending.push(payload);
      if (pending.length === 1) setImmediate(broadcast);
    }
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
