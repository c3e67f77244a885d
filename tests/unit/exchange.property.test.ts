/**
 * Issue 16, "Property test: export → import gives the same map (both
 * documents) for random maps": random maps written to real Yjs documents,
 * exported as JSON, imported, written to fresh documents and read back equal;
 * exported as CSV and imported, every touchpoint's fields come back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportCsv, importCsv } from '../../lib/exchange/csv';
import { buildMap } from '../../lib/exchange/imported-journey';
import { exportJson, importJson } from '../../lib/exchange/json';
import { orderedTouchpoints } from '../../lib/exchange/touchpoint-rows';
import { readDiscussion, readMap, writeDiscussion, writeMap } from '../../lib/journey/schema';
import { blankMap } from '../../lib/journey/templates';
import { CHANNELS, type Action, type Comment, type Discussion, type JourneyMap, type Touchpoint } from '../../lib/journey/types';
import { DiscussionSchema, JourneyMapSchema } from '../../lib/journey/validation';

const system = { userId: 'system', kind: 'system' } as const;

/** Text as people type it: Unicode, quotes, commas, line breaks, formula-like starts; trimmed and non-empty as the schema keeps it. */
const text = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
      fc.constantFrom('=cmd|" /C calc"!A0', '+1', '-2', '@SUM(1)', 'Say "hi", then leave', 'Zeile 1\nZeile 2', 'Ünïcödé 🚀 日本語', "O'Brien; Billing"),
    )
    .map((value) => value.trim().slice(0, max))
    .filter((value) => value.length > 0);
const team = fc.option(text(40), { nil: null });

interface Spec {
  stages: Array<{ name: string; accountable: string | null }>;
  touchpoints: Array<{ stage: number | null; label: string; channel: (typeof CHANNELS)[number]; owner: string | null; emotion: number | null; contactVolume: number; key: boolean; x: number; y: number; pains: Array<{ text: string; severity: number; frequency: number }> }>;
  links: Array<[number, number]>;
  actions: Array<{ on: number; title: string; status: Action['status'] }>;
  comments: Array<{ on: number; body: string; resolved: boolean }>;
  votes: Array<{ on: number; user: string; dots: number }>;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  // Stage names are how CSV rows name their stage: two stages of one name are one stage there.
  stages: fc.uniqueArray(fc.record({ name: text(30), accountable: team }), { maxLength: 6, selector: (s) => s.name.toLowerCase() }),
  touchpoints: fc.array(
    fc.record({
      stage: fc.option(fc.nat({ max: 5 }), { nil: null }),
      label: text(60),
      channel: fc.constantFrom(...CHANNELS),
      owner: team,
      emotion: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
      contactVolume: fc.nat({ max: 100_000 }),
      key: fc.boolean(),
      x: fc.integer({ min: -500, max: 3000 }),
      y: fc.integer({ min: 0, max: 3000 }),
      pains: fc.array(fc.record({ text: text(80).filter((t) => !t.includes('\n') && !/^S\d+\s*F\d+\s*:/i.test(t)), severity: fc.integer({ min: 1, max: 5 }), frequency: fc.integer({ min: 1, max: 5 }) }), { maxLength: 3 }),
    }),
    { maxLength: 12 },
  ),
  links: fc.array(fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 })), { maxLength: 8 }),
  actions: fc.array(fc.record({ on: fc.nat({ max: 11 }), title: text(50), status: fc.constantFrom<Action['status']>('proposed', 'doing', 'done', 'dropped') }), { maxLength: 4 }),
  comments: fc.array(fc.record({ on: fc.nat({ max: 11 }), body: text(100), resolved: fc.boolean() }), { maxLength: 5 }),
  votes: fc.array(fc.record({ on: fc.nat({ max: 11 }), user: fc.constantFrom('u-1', 'u-2'), dots: fc.nat({ max: 5 }) }), { maxLength: 5 }),
});

function mapOf(spec: Spec): { map: JourneyMap; discussion: Discussion } {
  const { map } = blankMap({ title: 'Random journey', persona: 'Maya, 34' });
  map.stages = spec.stages.map((s, i) => ({ id: `s${i}`, name: s.name, accountable: s.accountable }));
  const ids: string[] = [];
  spec.touchpoints.forEach((t, i) => {
    const id = `t${i}`;
    ids.push(id);
    const stageId = t.stage !== null && t.stage < map.stages.length ? `s${t.stage}` : null;
    const touchpoint: Touchpoint = {
      id,
      kind: 'touchpoint',
      stageId,
      label: t.label,
      channel: t.channel,
      owner: t.owner,
      emotion: t.emotion,
      contactVolume: t.contactVolume,
      x: t.x,
      y: t.y,
      painPoints: t.pains.map((p, j) => ({ id: `p${i}-${j}`, ...p })),
      externalKey: t.key ? `KEY-${i}` : null,
    };
    map.touchpoints[id] = touchpoint;
  });
  const pairs = new Set<string>();
  for (const [a, b] of spec.links) {
    const [source, target] = [ids[a], ids[b]];
    if (!source || !target || source === target || pairs.has([source, target].sort().join())) continue;
    pairs.add([source, target].sort().join());
    map.connections[`c-${source}-${target}`] = { id: `c-${source}-${target}`, source, target, label: '' };
  }
  spec.actions.forEach((a, i) => {
    const touchpointId = ids[a.on];
    if (!touchpointId) return;
    map.actions[`a${i}`] = { id: `a${i}`, touchpointId, painPointId: null, title: a.title, ownerTeam: null, due: null, status: a.status, doneAt: a.status === 'done' ? 1_790_000_000_000 : null, createdAt: 1_780_000_000_000 };
  });
  const comments: Record<string, Comment> = {};
  spec.comments.forEach((c, i) => {
    const touchpointId = ids[c.on];
    if (touchpointId) comments[`c${i}`] = { id: `c${i}`, touchpointId, parentId: null, authorId: 'u-1', authorName: 'Cora', body: c.body, createdAt: 1_780_000_000_000 + i, resolved: c.resolved };
  });
  const votes: Discussion['votes'] = {};
  for (const v of spec.votes) {
    const touchpointId = ids[v.on];
    if (touchpointId) (votes[touchpointId] ??= {})[v.user] = v.dots;
  }
  return { map, discussion: { comments, votes } };
}

/** The documents as they are stored: written to Yjs and read back. */
function throughDocs(map: JourneyMap, discussion: Discussion): { map: JourneyMap; discussion: Discussion } {
  const mapDoc = new Y.Doc();
  const discussionDoc = new Y.Doc();
  writeMap(mapDoc, map, system);
  writeDiscussion(discussionDoc, discussion, system);
  return { map: readMap(mapDoc), discussion: readDiscussion(discussionDoc) };
}

describe('export → import gives the same map', () => {
  it('JSON: both documents, every field, for random maps', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const made = mapOf(spec);
        expect(JourneyMapSchema.safeParse(made.map).success).toBe(true);
        expect(DiscussionSchema.safeParse(made.discussion).success).toBe(true);
        const stored = throughDocs(made.map, made.discussion);
        const imported = importJson(exportJson(stored.map, stored.discussion, new Date(0)));
        const again = throughDocs(imported.map, imported.discussion ?? { comments: {}, votes: {} });
        expect(again.map).toEqual(stored.map);
        expect(again.discussion).toEqual(stored.discussion);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  it('CSV: every touchpoint comes back with its stage, fields and pain points, in the same order', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const { map, discussion } = throughDocs(mapOf(spec).map, mapOf(spec).discussion);
        const imported = buildMap(importCsv(exportCsv(map, discussion), { title: 'Back' }));
        const stageName = (m: JourneyMap, id: string | null) => m.stages.find((s) => s.id === id)?.name ?? '';
        const fields = (m: JourneyMap) =>
          orderedTouchpoints(m).map((t) => ({
            stage: stageName(m, t.stageId),
            label: t.label,
            channel: t.channel,
            owner: t.owner,
            externalKey: t.externalKey,
            emotion: t.emotion,
            contactVolume: t.contactVolume,
            painPoints: t.painPoints.map(({ text: body, severity, frequency }) => ({ text: body, severity, frequency })),
          }));
        expect(fields(imported)).toEqual(fields(map));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });
});
