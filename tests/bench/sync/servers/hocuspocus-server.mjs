// Hocuspocus (@hocuspocus/server) with its defaults: every token accepted,
// the document loaded from the bench state, nothing stored.
import fs from 'node:fs';
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT);
const state = new Uint8Array(fs.readFileSync(process.env.BENCH_STATE_FILE ?? ''));

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  async onAuthenticate() {
    // Accept every token: the bench measures sync, not authentication.
  },
  async onLoadDocument() {
    return state;
  },
});
await server.listen();
