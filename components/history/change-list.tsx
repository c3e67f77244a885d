import type { MapChange } from '../../lib/journey/map-change';

/** Changes grouped by the stage they belong to, in the map's stage order (then the hub and unstaged). */
export function groupByStage(changes: readonly MapChange[], stages: ReadonlyArray<{ id: string; name: string }>): Array<{ key: string; name: string; changes: MapChange[] }> {
  const groups = new Map<string, MapChange[]>();
  for (const change of changes) {
    const key = change.stageId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const named = new Map(stages.map((s) => [s.id, s.name]));
  const order = [...stages.map((s) => s.id), ...[...groups.keys()].filter((k) => !named.has(k))];
  return order
    .filter((key) => groups.has(key))
    .map((key) => ({ key, name: named.get(key) ?? (key === '' ? 'Hub and unstaged' : 'A removed stage'), changes: groups.get(key) ?? [] }));
}

/** A read-only list of changes (a version against now). */
export function ChangeList({ changes, stages }: { changes: readonly MapChange[]; stages: ReadonlyArray<{ id: string; name: string }> }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600">No differences.</p>;
  return (
    <div className="space-y-3">
      {groupByStage(changes, stages).map((group) => (
        <section key={group.key}>
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{group.name}</h3>
          <ul className="mt-1 space-y-1 text-sm text-slate-800">
            {group.changes.map((c) => (
              <li key={c.id}>{c.summary}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
