// The reference y-websocket server (@y/websocket-server 0.1.1), as its README
// runs it: an http server, a ws server, setupWSConnection. The document is
// filled with the bench state before the port opens.
import fs from 'node:fs';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils';

const port = Number(process.env.PORT);
const documentName = process.env.BENCH_DOC ?? '';
const state = fs.readFileSync(process.env.BENCH_STATE_FILE ?? '');

Y.applyUpdate(getYDoc(documentName), state);

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
