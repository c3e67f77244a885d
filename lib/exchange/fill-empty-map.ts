import * as Y from 'yjs';
import type { EditOrigin } from '../journey/origin';
import { addConnections, addStage, addTouchpoint, deleteStage, putAction, readMap, setPersona, updateTouchpoint } from '../journey/schema';
import type { JourneyMap } from '../journey/types';
import { ImportError } from './import-error';

/**
 * An imported map poured into a map that has no touchpoints yet (issue 16
 * §2, "or into an empty map"): its stages replace the empty ones, its
 * touchpoints, pain points, connections and actions come in with their ids and
 * places, and the map's own hub stands for the file's (moved to where the file
 * lays it out). One transaction through the schema's writers: the server's
 * shape guard checks it as any edit, everyone sees it at once, and one undo
 * takes it all back. The map's title and members stay; its persona is taken
 * from the file only when it has none.
 */
export function fillEmptyMap(doc: Y.Doc, imported: JourneyMap, origin: EditOrigin): { stages: number; touchpoints: number } {
  const current = readMap(doc);
  if (Object.values(current.touchpoints).some((tp) => tp.kind === 'touchpoint')) {
    throw new ImportError('This map has touchpoints already: a file comes into an empty map only; import it as a new map from your maps instead', []);
  }
  const touchpoints = Object.values(imported.touchpoints).filter((tp) => tp.kind === 'touchpoint');
  // Yjs keeps what a transaction did before a write threw: the file goes into a scratch copy first, so that a bad one changes nothing.
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    pour(scratch, current, imported, origin);
  } finally {
    scratch.destroy();
  }
  pour(doc, current, imported, origin);
  return { stages: imported.stages.length, touchpoints: touchpoints.length };
}

function pour(doc: Y.Doc, current: JourneyMap, imported: JourneyMap, origin: EditOrigin): void {
  const hubId = current.meta.hubId;
  const idOf = (id: string): string => (id === imported.meta.hubId ? hubId : id);
  const touchpoints = Object.values(imported.touchpoints).filter((tp) => tp.kind === 'touchpoint');
  doc.transact(() => {
    for (const stage of current.stages) deleteStage(doc, stage.id, origin);
    for (const stage of imported.stages) addStage(doc, { id: stage.id, name: stage.name, accountable: stage.accountable }, origin);
    if (current.meta.persona === '' && imported.meta.persona !== '') setPersona(doc, imported.meta.persona, origin);
    for (const tp of touchpoints) {
      addTouchpoint(
        doc,
        {
          id: tp.id,
          label: tp.label,
          stageId: tp.stageId,
          channel: tp.channel,
          owner: tp.owner,
          emotion: tp.emotion,
          contactVolume: tp.contactVolume,
          x: tp.x,
          y: tp.y,
          painPoints: tp.painPoints,
          externalKey: tp.externalKey,
        },
        origin,
      );
    }
    const hub = imported.touchpoints[imported.meta.hubId];
    if (hub && current.touchpoints[hubId]) updateTouchpoint(doc, hubId, { x: hub.x, y: hub.y }, origin);
    addConnections(
      doc,
      Object.values(imported.connections).map((c) => ({ id: c.id, source: idOf(c.source), target: idOf(c.target), label: c.label })),
      origin,
    );
    for (const action of Object.values(imported.actions)) putAction(doc, { ...action, touchpointId: idOf(action.touchpointId) }, origin);
  }, origin);
}
