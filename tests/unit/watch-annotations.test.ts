/**
 * watchAnnotations: the annotations of live Y documents, recomputed once per
 * burst of updates. Documents are built and edited through lib/journey/schema.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { MapAnnotations } from '../../lib/annotations/types';
import { watchAnnotations } from '../../lib/annotations/watch-annotations';
import { addPainPoint, setVotes, writeMap } from '../../lib/journey/schema';
import type { EditOrigin } from '../../lib/journey/origin';
import { hub, journeyMap, painPoint, stage, touchpoint } from './annotations-factory';

const ORIGIN: EditOrigin = { userId: 'u1', kind: 'local' };

function mapDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeMap(
    doc,
    journeyMap({
      stages: [stage('s1', null, 'Discover'), stage('s2', null, 'Buy')],
      touchpoints: [
        hub('Contact center'),
        touchpoint('a', 's1', { owner: 'Marketing', painPoints: [painPoint(2, 3)] }),
        touchpoint('b', 's2', { owner: 'Sales' }),
      ],
    }),
    ORIGIN,
  );
  return doc;
}

/** A schedule the test drives: runs queue until `flush()`. */
function manualSchedule() {
  const queue = new Set<() => void>();
  return {
    schedule: (run: () => void) => {
      queue.add(run);
      return () => queue.delete(run);
    },
    get pending(): number {
      return queue.size;
    },
    flush(): void {
      const runs = [...queue];
      queue.clear();
      for (const run of runs) run();
    },
  };
}

function painOf(annotations: MapAnnotations | undefined, stageId: string): number | undefined {
  return annotations?.stages.find((s) => s.stageId === stageId)?.pain;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('watchAnnotations', () => {
  it('calls onChange with the first result synchronously, before returning', () => {
    const doc = mapDoc();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a), { schedule: manualSchedule().schedule });
    expect(calls).toHaveLength(1);
    expect(painOf(calls[0], 's1')).toBe(6);
    expect(calls[0]?.stages.map((s) => s.ownership)).toEqual(['owned', 'owned']);
    dispose();
  });

  it('recomputes once for many edits in one tick, and a pain point added via the schema changes that stage’s pain', () => {
    const doc = mapDoc();
    const clock = manualSchedule();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a), { schedule: clock.schedule });
    for (let i = 0; i < 10; i++) addPainPoint(doc, 'b', { text: `pain ${i}`, severity: 1, frequency: 2 }, ORIGIN);
    addPainPoint(doc, 'a', { text: 'slow page', severity: 5, frequency: 5 }, ORIGIN);
    expect(calls).toHaveLength(1);
    expect(clock.pending).toBe(1);
    clock.flush();
    expect(calls).toHaveLength(2);
    expect(painOf(calls[1], 's1')).toBe(6 + 25);
    expect(painOf(calls[1], 's2')).toBe(20);
    dispose();
  });

  it('by default coalesces a burst into one run on the next tick when there is no requestAnimationFrame', async () => {
    const doc = mapDoc();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a));
    addPainPoint(doc, 'b', { text: 'one', severity: 2, frequency: 2 }, ORIGIN);
    addPainPoint(doc, 'b', { text: 'two', severity: 3, frequency: 3 }, ORIGIN);
    expect(calls).toHaveLength(1);
    await nextTick();
    expect(calls).toHaveLength(2);
    expect(painOf(calls[1], 's2')).toBe(13);
    dispose();
  });

  it('by default coalesces into the next animation frame when requestAnimationFrame exists', () => {
    const frames = new Map<number, FrameRequestCallback>();
    let nextHandle = 0;
    vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => {
      frames.set(++nextHandle, run);
      return nextHandle;
    });
    vi.stubGlobal('cancelAnimationFrame', (handle: number) => frames.delete(handle));
    const doc = mapDoc();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a));
    addPainPoint(doc, 'b', { text: 'one', severity: 1, frequency: 1 }, ORIGIN);
    addPainPoint(doc, 'b', { text: 'two', severity: 1, frequency: 1 }, ORIGIN);
    expect(frames.size).toBe(1);
    for (const [handle, run] of [...frames]) {
      frames.delete(handle);
      run(0);
    }
    expect(calls).toHaveLength(2);
    expect(painOf(calls[1], 's2')).toBe(2);
    addPainPoint(doc, 'b', { text: 'three', severity: 1, frequency: 1 }, ORIGIN);
    expect(frames.size).toBe(1);
    dispose();
    expect(frames.size).toBe(0);
  });

  it('recomputes after a change to the discussion document', () => {
    const doc = mapDoc();
    const talk = new Y.Doc();
    const clock = manualSchedule();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, talk, (a) => calls.push(a), { schedule: clock.schedule });
    expect(calls[0]?.stages[0]?.votes).toBe(0);
    setVotes(talk, 'a', 'u1', 3, ORIGIN);
    setVotes(talk, 'a', 'u2', 2, ORIGIN);
    clock.flush();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.stages[0]?.votes).toBe(5);
    dispose();
  });

  it('dispose stops further calls, cancels a pending run, and removes its listeners', async () => {
    const doc = mapDoc();
    const clock = manualSchedule();
    const onChange = vi.fn();
    const dispose = watchAnnotations(doc, null, onChange, { schedule: clock.schedule });
    addPainPoint(doc, 'a', { text: 'pending', severity: 1, frequency: 1 }, ORIGIN);
    expect(clock.pending).toBe(1);
    dispose();
    expect(clock.pending).toBe(0);
    addPainPoint(doc, 'a', { text: 'after', severity: 1, frequency: 1 }, ORIGIN);
    expect(clock.pending).toBe(0);
    clock.flush();
    expect(onChange).toHaveBeenCalledTimes(1);

    const viaTimer = vi.fn();
    const disposeTimer = watchAnnotations(doc, null, viaTimer);
    addPainPoint(doc, 'a', { text: 'racing dispose', severity: 1, frequency: 1 }, ORIGIN);
    disposeTimer();
    disposeTimer();
    await nextTick();
    expect(viaTimer).toHaveBeenCalledTimes(1);
  });

  it('never calls onChange after dispose, even if a schedule runs a cancelled run', () => {
    const doc = mapDoc();
    const runs: (() => void)[] = [];
    const onChange = vi.fn();
    const dispose = watchAnnotations(doc, null, onChange, {
      schedule: (run) => {
        runs.push(run);
        return () => undefined; // a schedule that cannot cancel
      },
    });
    addPainPoint(doc, 'a', { text: 'late', severity: 1, frequency: 1 }, ORIGIN);
    dispose();
    for (const run of runs) run();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('keeps watching when a schedule runs synchronously', () => {
    const doc = mapDoc();
    const calls: MapAnnotations[] = [];
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a), {
      schedule: (run) => {
        run();
        return () => undefined;
      },
    });
    addPainPoint(doc, 'a', { text: 'one', severity: 1, frequency: 1 }, ORIGIN);
    addPainPoint(doc, 'a', { text: 'two', severity: 1, frequency: 1 }, ORIGIN);
    expect(calls.map((a) => painOf(a, 's1'))).toEqual([6, 7, 8]);
    dispose();
  });

  it('annotates with the measurements it is given, again after each burst of edits', () => {
    const doc = mapDoc();
    const { schedule, flush } = manualSchedule();
    const calls: MapAnnotations[] = [];
    const measurements = { rows: [{ touchpointId: 'a', period: '2026-11', contacts: 40 }, { touchpointId: 'b', period: '2026-11', contacts: 2 }] };
    const dispose = watchAnnotations(doc, null, (a) => calls.push(a), { schedule, measurements });
    expect(calls[0]?.measuredPeriod).toBe('2026-11');
    expect(calls[0]?.stages.map((s) => s.measured?.contacts)).toEqual([40, 2]);
    addPainPoint(doc, 'a', { text: 'late', severity: 1, frequency: 1 }, ORIGIN);
    flush();
    expect(calls[1]?.measuredContacts).toBe(42);
    dispose();
  });
});
