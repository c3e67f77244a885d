/**
 * The writer thread's entry (see sqlite-writer.ts): its own connection to
 * the database file, opened with the same settings, running the appends and
 * compactions it is sent one at a time, in the order they come.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyConnectionSettings } from '../db/sqlite';
import { ClientIdClaimLost } from './doc-store';
import { sqliteWrites } from './sqlite-writes';
import type { WriterReply, WriterRequest, WriterThreadData } from './sqlite-writer';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-thread.ts runs as a worker thread only');
const { file } = workerData as WriterThreadData;

const db = new Database(file, { fileMustExist: true });
applyConnectionSettings(db);
const writes = sqliteWrites(db);

port.on('message', (request: WriterRequest) => {
  if (request.op === 'close') {
    db.close();
    port.postMessage({ id: request.id, ok: true, appended: [] } satisfies WriterReply);
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    if (request.op === 'append') reply = { id: request.id, ok: true, appended: writes.append(request.batch) };
    else {
      writes.compact(request.room, request.state, request.seq);
      reply = { id: request.id, ok: true, appended: [] };
    }
  } catch (error) {
    reply =
      error instanceof ClientIdClaimLost
        ? { id: request.id, ok: false, message: error.message, claimLost: { room: error.room, clientId: error.clientId, owner: error.owner } }
        : { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), code: (error as { code?: unknown }).code };
  }
  port.postMessage(reply);
});
