import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Update pipeline, the decode step (and the framing of every frame sent).
 *
 * The y-protocols message framing that y-websocket speaks: a varuint message
 * type, then the body. Encoders return whole frames, so a frame built once
 * can be sent to any number of sockets.
 */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array; step: 'step2' | 'update' }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

export class MalformedMessage extends Error {}

/** Decodes one client frame; throws MalformedMessage on anything else. */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncType.Step1) return { type: 'sync-step1', stateVector: payload };
        if (syncType === SyncType.Step2) return { type: 'sync-update', update: payload, step: 'step2' };
        if (syncType === SyncType.Update) return { type: 'sync-update', update: payload, step: 'update' };
        throw new MalformedMessage(`unknown sync message ${syncType}`);
      }
      case MessageType.Awareness:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MessageType.QueryAwareness:
        return { type: 'query-awareness' };
      default:
        throw new MalformedMessage(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage('truncated message');
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Frame = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncType.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const syncStep2Frame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncType.Step2);
    encoding.writeVarUint8Array(e, update);
  });

export const updateFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncType.Update);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });

/** An awareness update as its entries: [clientID, clock, state JSON]. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
  /** Length of the state's JSON as received (decoded entries only): what the presence guard limits. */
  jsonLength?: number;
}

export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      entries.push({ clientId, clock, state: JSON.parse(json) as unknown, jsonLength: json.length });
    }
    return entries;
  } catch {
    throw new MalformedMessage('malformed awareness update');
  }
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
