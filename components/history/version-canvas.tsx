'use client';

import '@xyflow/react/dist/style.css';
import { ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { annotateMap } from '../../lib/annotations';
import { writeMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { JourneyCanvas } from '../canvas/journey-canvas';

const READ_ONLY = { userId: 'version', kind: 'system' } as const;
const ignore = () => {};

/** A version on the canvas, read-only: a document of its own, never connected. */
export function VersionCanvas({ map, discussion }: { map: JourneyMap; discussion: Discussion }) {
  const { doc, awareness } = useMemo(() => {
    const d = new Y.Doc();
    writeMap(d, map, READ_ONLY);
    return { doc: d, awareness: new Awareness(d) };
  }, [map]);
  const annotations = useMemo(() => annotateMap(map, discussion), [map, discussion]);
  return (
    <ReactFlowProvider>
      <JourneyCanvas
        mapDoc={doc}
        origin={READ_ONLY}
        awareness={awareness}
        map={map}
        discussion={discussion}
        annotations={annotations}
        peers={[]}
        canEdit={false}
        selection={null}
        onSelect={ignore}
        onOpenInspector={ignore}
        focus={null}
        onError={ignore}
      />
    </ReactFlowProvider>
  );
}
