import { describe, expect, it } from 'vitest';
import { TEMPLATES, blankMap, demoMap, type TemplateName } from '../../lib/journey/templates';
import { CHANNELS, type JourneyMap, type Touchpoint } from '../../lib/journey/types';
import { DiscussionSchema, JourneyMapSchema, formatIssues } from '../../lib/journey/validation';
import { LANE_HEADER_HEIGHT, laneLeft } from '../../lib/journey/layout';

const STAGE_NAMES = ['Discover', 'Choose', 'Buy', 'Use', 'Get help', 'Renew or leave'];

function expectValid(map: JourneyMap): void {
  const result = JourneyMapSchema.safeParse(map);
  expect(result.success ? 'valid' : formatIssues(result.error)).toBe('valid');
}

function hubOf(map: JourneyMap): Touchpoint {
  const hub = map.touchpoints[map.meta.hubId];
  if (hub === undefined) throw new Error('the map has no hub');
  return hub;
}

function touchpointsOf(map: JourneyMap, stageId: string): Touchpoint[] {
  return Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint' && t.stageId === stageId);
}

type Ownership = 'empty' | 'owned' | 'fragmented' | 'unowned';

/** DESIGN.md, "Per-stage annotations": `accountable` and `ownership`, computed by hand. */
function ownershipOf(map: JourneyMap, stageId: string): Ownership {
  const stage = map.stages.find((s) => s.id === stageId);
  const touchpoints = touchpointsOf(map, stageId);
  if (touchpoints.length === 0) return 'empty';
  const owners = [...new Set(touchpoints.map((t) => t.owner).filter((o): o is string => o !== null && o !== ''))];
  const accountable = stage?.accountable ?? (owners.length === 1 ? owners[0] : null);
  if (accountable !== null && accountable !== undefined) return 'owned';
  return owners.length >= 2 ? 'fragmented' : 'unowned';
}

/** Touchpoints that reach the hub through connections, either direction, any number of steps. */
function hubLinked(map: JourneyMap): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  for (const { source, target } of Object.values(map.connections)) {
    neighbours.set(source, [...(neighbours.get(source) ?? []), target]);
    neighbours.set(target, [...(neighbours.get(target) ?? []), source]);
  }
  const steps = new Map<string, number>([[map.meta.hubId, 0]]);
  const queue = [map.meta.hubId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of neighbours.get(id) ?? []) {
      if (!steps.has(next)) {
        steps.set(next, (steps.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  }
  steps.delete(map.meta.hubId);
  return steps;
}

describe('blank map', () => {
  it('has the six standard stages, none with an accountable team yet', () => {
    const { map } = blankMap();
    expect(map.stages.map((s) => s.name)).toEqual(STAGE_NAMES);
    expect(map.stages.every((s) => s.accountable === null)).toBe(true);
  });

  it('has only the contact-center hub, below the stages', () => {
    const { map, discussion } = blankMap();
    expect(Object.keys(map.touchpoints)).toEqual([map.meta.hubId]);
    expect(hubOf(map)).toMatchObject({
      kind: 'hub', label: 'Contact center', channel: 'phone', owner: 'Contact Center', stageId: null, painPoints: [],
    });
    expect(hubOf(map).y).toBeGreaterThan(0);
    expect(map.connections).toEqual({});
    expect(discussion).toEqual({ comments: {}, votes: {} });
  });

  it('takes a title and a persona', () => {
    const { map } = blankMap({ title: 'Moving house', persona: 'Sam, 52' });
    expect(map.meta).toMatchObject({ title: 'Moving house', persona: 'Sam, 52' });
    expect(blankMap().map.meta.title).not.toBe('');
  });

  it('passes the whole-map validator', () => {
    expectValid(blankMap().map);
    expect(DiscussionSchema.safeParse(blankMap().discussion).success).toBe(true);
  });
});

describe('demo map: Switching to FiberNet broadband', () => {
  const { map, discussion } = demoMap();
  const touchpoints = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint');

  it('passes the whole-map and discussion validators', () => {
    expectValid(map);
    const result = DiscussionSchema.safeParse(discussion);
    expect(result.success ? 'valid' : formatIssues(result.error)).toBe('valid');
  });

  it('tells the broadband-switch story over the six stages', () => {
    expect(map.meta.title).toBe('Switching to FiberNet broadband');
    expect(map.meta.persona).toMatch(/^Maya, 38/);
    expect(map.stages.map((s) => s.name)).toEqual(STAGE_NAMES);
    expect(touchpoints.length).toBeGreaterThanOrEqual(28);
    expect(touchpoints.length).toBeLessThanOrEqual(34);
    for (const stage of map.stages) expect(touchpointsOf(map, stage.id).length, stage.name).toBeGreaterThanOrEqual(4);
  });

  it('uses every channel and five or six owning teams', () => {
    expect(new Set(touchpoints.map((t) => t.channel))).toEqual(new Set(CHANNELS));
    const teams = new Set(touchpoints.flatMap((t) => (t.owner === null ? [] : [t.owner])));
    expect(teams.size).toBeGreaterThanOrEqual(5);
    expect(teams.size).toBeLessThanOrEqual(6);
  });

  it('has no unstaged touchpoints', () => {
    const stageIds = new Set(map.stages.map((s) => s.id));
    expect(touchpoints.filter((t) => t.stageId === null || !stageIds.has(t.stageId))).toEqual([]);
  });

  it('has exactly one fragmented and one unowned stage; the rest are owned (DESIGN: ownership)', () => {
    const ownership = Object.fromEntries(map.stages.map((s) => [s.name, ownershipOf(map, s.id)]));
    expect(ownership).toEqual({
      Discover: 'owned',
      Choose: 'fragmented',
      Buy: 'owned',
      Use: 'owned',
      'Get help': 'owned',
      'Renew or leave': 'unowned',
    });
  });

  it('shows both ways a stage is owned: an accountable team, or a single owner', () => {
    const getHelp = map.stages.find((s) => s.name === 'Get help');
    expect(getHelp?.accountable).toBeNull();
    expect(new Set(touchpointsOf(map, getHelp?.id ?? '').map((t) => t.owner))).toEqual(new Set(['Contact Center']));
    expect(map.stages.filter((s) => s.accountable !== null).map((s) => s.name)).toEqual(['Discover', 'Buy', 'Use']);
  });

  it('drives most contacts from the Use and Get help stages (DESIGN: failureDemand)', () => {
    const demand = map.stages.map((s) => ({
      name: s.name,
      contacts: touchpointsOf(map, s.id).reduce((sum, t) => sum + t.contactVolume, 0),
    }));
    const ranked = [...demand].sort((a, b) => b.contacts - a.contacts).map((d) => d.name);
    expect(ranked.slice(0, 2).sort()).toEqual(['Get help', 'Use']);
    const total = demand.reduce((sum, d) => sum + d.contacts, 0);
    const top = demand.filter((d) => d.name === 'Use' || d.name === 'Get help').reduce((sum, d) => sum + d.contacts, 0);
    expect(top / total).toBeGreaterThan(0.5);
  });

  it('carries the pain a workshop recognises', () => {
    const texts = touchpoints.flatMap((t) => t.painPoints.map((p) => p.text));
    expect(texts).toContain('Installation slot 3 weeks out');
    expect(texts).toContain('First bill higher than quoted');
    expect(touchpoints.filter((t) => t.painPoints.length > 0).length).toBeGreaterThan(20);
    expect(touchpoints.filter((t) => t.emotion !== null && t.emotion < 0).length).toBeGreaterThan(10);
  });

  it('links touchpoints to the hub directly, in two or more steps, and leaves some unlinked', () => {
    const steps = hubLinked(map);
    const direct = touchpoints.filter((t) => steps.get(t.id) === 1);
    const indirect = touchpoints.filter((t) => (steps.get(t.id) ?? 0) >= 2);
    const unlinked = touchpoints.filter((t) => !steps.has(t.id));
    expect(direct.length).toBeGreaterThanOrEqual(5);
    expect(indirect.length).toBeGreaterThanOrEqual(3);
    expect(unlinked.length).toBeGreaterThanOrEqual(5);
    const touchpointLinks = Object.values(map.connections).filter((c) => c.source !== map.meta.hubId && c.target !== map.meta.hubId);
    expect(touchpointLinks.length).toBeGreaterThanOrEqual(5);
  });

  it('lays touchpoints out in one column per stage and the hub centred below', () => {
    map.stages.forEach((stage, index) => {
      const column = touchpointsOf(map, stage.id);
      expect(new Set(column.map((t) => t.x)), stage.name).toEqual(new Set([laneLeft(index) + 30]));
      expect(Math.min(...column.map((t) => t.y)), stage.name).toBeGreaterThan(LANE_HEADER_HEIGHT);
      const ys = column.map((t) => t.y).sort((a, b) => a - b);
      ys.slice(1).forEach((y, row) => expect(y - (ys[row] ?? 0)).toBe(140));
    });
    const hub = hubOf(map);
    expect(hub.y).toBeGreaterThan(Math.max(...touchpoints.map((t) => t.y)));
    const xs = touchpoints.map((t) => t.x);
    expect(hub.x).toBeGreaterThan(Math.min(...xs));
    expect(hub.x).toBeLessThan(Math.max(...xs));
  });

  it('has a short discussion: a reply, a resolved thread, and votes from three people', () => {
    const comments = Object.values(discussion.comments);
    expect(comments.length).toBeGreaterThanOrEqual(4);
    expect(comments.length).toBeLessThanOrEqual(6);
    expect(comments.filter((c) => c.parentId !== null)).toHaveLength(1);
    expect(comments.filter((c) => c.resolved)).toHaveLength(1);
    for (const comment of comments) expect(map.touchpoints[comment.touchpointId], comment.id).toBeDefined();
    const voters = new Set(Object.values(discussion.votes).flatMap((byUser) => Object.keys(byUser)));
    expect(voters.size).toBe(3);
    for (const touchpointId of Object.keys(discussion.votes)) expect(map.touchpoints[touchpointId]).toBeDefined();
  });

  it('is deterministic, and each call returns fresh objects', () => {
    expect(demoMap()).toEqual(demoMap());
    const first = demoMap();
    const bill = first.map.touchpoints['tp-first-bill'];
    if (bill === undefined) throw new Error('demo has tp-first-bill');
    bill.painPoints.length = 0;
    first.discussion.votes['tp-ivr'] = {};
    first.map.stages.length = 0;
    expect(demoMap()).toEqual(demoMap());
    expect(demoMap().map.touchpoints['tp-first-bill']?.painPoints).toHaveLength(2);
    expect(demoMap().map.stages).toHaveLength(6);
  });
});

describe('TEMPLATES', () => {
  it('offers the blank and the demo map by name', () => {
    const names: TemplateName[] = ['blank', 'demo'];
    expect(Object.keys(TEMPLATES).sort()).toEqual(names);
    for (const name of names) expectValid(TEMPLATES[name]().map);
  });
});
