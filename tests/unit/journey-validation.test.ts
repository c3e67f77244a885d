import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { demoMap } from '../../lib/journey/templates';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import {
  CommentInputSchema,
  DiscussionSchema,
  JourneyMapSchema,
  PainPointInputSchema,
  StageInputSchema,
  TouchpointInputSchema,
  TouchpointPatchSchema,
  TouchpointSchema,
  formatIssues,
} from '../../lib/journey/validation';

/** The message a person sees for `value`, or null when it is valid. */
function messageFor(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : formatIssues(result.error);
}

function withMap(change: (map: JourneyMap) => void): JourneyMap {
  const { map } = demoMap();
  change(map);
  return map;
}

function withDiscussion(change: (discussion: Discussion) => void): Discussion {
  const { discussion } = demoMap();
  change(discussion);
  return discussion;
}

const validTouchpoint = demoMap().map.touchpoints['tp-first-bill'];

describe('field messages name the field and the value', () => {
  it('emotion out of range (STYLE: "errors a person can act on")', () => {
    expect(messageFor(TouchpointPatchSchema, { emotion: 7 })).toBe('emotion must be between -2 and 2 (got 7)');
  });

  it('channel outside CHANNELS', () => {
    expect(messageFor(TouchpointPatchSchema, { channel: 'fax' })).toBe(
      'channel must be one of web, app, phone, chat, email, store, social, other (got "fax")',
    );
  });

  it('emotion must be a whole number, and null means unknown', () => {
    expect(messageFor(TouchpointPatchSchema, { emotion: 1.5 })).toBe(
      'emotion must be a whole number between -2 and 2 (got 1.5)',
    );
    expect(messageFor(TouchpointPatchSchema, { emotion: 'happy' })).toBe(
      'emotion must be a whole number between -2 and 2, or null (got "happy")',
    );
    expect(messageFor(TouchpointPatchSchema, { emotion: null })).toBeNull();
    expect(messageFor(TouchpointPatchSchema, { emotion: -2 })).toBeNull();
  });

  it('severity and frequency are 1..5', () => {
    expect(messageFor(PainPointInputSchema, { text: 'Slow', severity: 0, frequency: 3 })).toBe(
      'severity must be between 1 and 5 (got 0)',
    );
    expect(messageFor(PainPointInputSchema, { text: 'Slow', severity: 3, frequency: 6 })).toBe(
      'frequency must be between 1 and 5 (got 6)',
    );
    expect(messageFor(PainPointInputSchema, { text: 'Slow', severity: 1, frequency: 5 })).toBeNull();
  });

  it('contactVolume is a whole number >= 0', () => {
    expect(messageFor(TouchpointPatchSchema, { contactVolume: -1 })).toBe('contactVolume must be at least 0 (got -1)');
    expect(messageFor(TouchpointPatchSchema, { contactVolume: 2.5 })).toBe('contactVolume must be a whole number (got 2.5)');
    expect(messageFor(TouchpointPatchSchema, { contactVolume: Infinity })).toBe(
      'contactVolume must be a whole number of at least 0 (got Infinity)',
    );
    expect(messageFor(TouchpointPatchSchema, { contactVolume: 0 })).toBeNull();
  });

  it('x and y are finite numbers', () => {
    expect(messageFor(TouchpointPatchSchema, { x: Infinity })).toBe('x must be a finite number (got Infinity)');
    expect(messageFor(TouchpointPatchSchema, { y: Number.NaN })).toBe('y must be a finite number (got NaN)');
    expect(messageFor(TouchpointPatchSchema, { x: -12.5, y: 1e6 })).toBeNull();
  });

  it('labels are trimmed, non-empty and at most 200 characters', () => {
    expect(messageFor(TouchpointInputSchema, { label: '   ' })).toBe('label must not be empty');
    expect(messageFor(TouchpointInputSchema, {})).toBe('label is required');
    expect(messageFor(TouchpointInputSchema, { label: 'x'.repeat(201) })).toBe(
      'label must be at most 200 characters (got 201)',
    );
    expect(TouchpointInputSchema.parse({ label: '  First bill  ' }).label).toBe('First bill');
    expect(messageFor(StageInputSchema, { name: '' })).toBe('name must not be empty');
  });

  it('pain point text is 1..500 characters and a comment body 1..5000', () => {
    const painPoint = { severity: 3, frequency: 3 };
    expect(messageFor(PainPointInputSchema, { ...painPoint, text: 'x'.repeat(500) })).toBeNull();
    expect(messageFor(PainPointInputSchema, { ...painPoint, text: 'x'.repeat(501) })).toBe(
      'text must be at most 500 characters (got 501)',
    );
    const comment = { touchpointId: 'tp-1', authorId: 'u1', authorName: 'Aisha', createdAt: 0 };
    expect(messageFor(CommentInputSchema, { ...comment, body: 'x'.repeat(5000) })).toBeNull();
    expect(messageFor(CommentInputSchema, { ...comment, body: 'x'.repeat(5001) })).toBe(
      'body must be at most 5000 characters (got 5001)',
    );
    expect(messageFor(CommentInputSchema, { ...comment, body: ' ' })).toBe('body must not be empty');
  });

  it('an empty owner or accountable team means none (DESIGN: "an empty owner is no owner")', () => {
    expect(TouchpointPatchSchema.parse({ owner: '  ' }).owner).toBeNull();
    expect(StageInputSchema.parse({ name: 'Buy', accountable: '' }).accountable).toBeNull();
    expect(TouchpointPatchSchema.parse({ owner: ' Billing ' }).owner).toBe('Billing');
  });

  it('a touchpoint update cannot change its id, kind or pain points', () => {
    expect(messageFor(TouchpointPatchSchema, { kind: 'hub' })).toBe('"kind" is not a field of a touchpoint update');
    expect(messageFor(TouchpointPatchSchema, { id: 'x', painPoints: [] })).toBe(
      '"id", "painPoints" are not fields of a touchpoint update',
    );
  });

  it('several problems read as one list, each with where it is', () => {
    const message = messageFor(TouchpointSchema, { ...validTouchpoint, emotion: 7, channel: 'fax' });
    expect(message).toBe(
      'channel must be one of web, app, phone, chat, email, store, social, other (got "fax"); emotion must be between -2 and 2 (got 7)',
    );
    const map = withMap((m) => {
      const touchpoint = m.touchpoints['tp-first-bill'];
      if (touchpoint === undefined) throw new Error('demo has tp-first-bill');
      touchpoint.emotion = 7;
      const painPoint = touchpoint.painPoints[1];
      if (painPoint === undefined) throw new Error('tp-first-bill has two pain points');
      painPoint.severity = 9;
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'touchpoints.tp-first-bill: emotion must be between -2 and 2 (got 7); ' +
        'touchpoints.tp-first-bill.painPoints[1]: severity must be between 1 and 5 (got 9)',
    );
  });
});

describe('whole-map invariants (DESIGN: "Exactly one touchpoint has kind: \'hub\'")', () => {
  it('the demo map is valid', () => {
    expect(messageFor(JourneyMapSchema, demoMap().map)).toBeNull();
  });

  it('refuses a map without a hub', () => {
    const map = withMap((m) => {
      delete m.touchpoints.hub;
      m.connections = {};
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'the map must have exactly one touchpoint of kind "hub", the contact center (found none)',
    );
  });

  it('refuses a second hub', () => {
    const map = withMap((m) => {
      const ivr = m.touchpoints['tp-ivr'];
      if (ivr === undefined) throw new Error('demo has tp-ivr');
      m.touchpoints['tp-ivr'] = { ...ivr, kind: 'hub', stageId: null };
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'the map must have exactly one touchpoint of kind "hub", the contact center (found "tp-ivr", "hub")',
    );
  });

  it('meta.hubId names the hub and the hub is in no stage', () => {
    const map = withMap((m) => {
      m.meta.hubId = 'tp-ivr';
      const hub = m.touchpoints.hub;
      if (hub === undefined) throw new Error('demo has a hub');
      hub.stageId = 'stage-get-help';
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'meta.hubId must be the id of the hub, "hub" (got "tp-ivr"); the hub "hub" must not be in a stage (got stageId "stage-get-help")',
    );
  });

  it('keys equal ids and stageIds name a stage', () => {
    const map = withMap((m) => {
      const bill = m.touchpoints['tp-first-bill'];
      if (bill === undefined) throw new Error('demo has tp-first-bill');
      bill.id = 'tp-bill';
      const ivr = m.touchpoints['tp-ivr'];
      if (ivr === undefined) throw new Error('demo has tp-ivr');
      ivr.stageId = 'stage-gone';
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'touchpoint stored under key "tp-first-bill" has id "tp-bill"; they must be equal; ' +
        'touchpoint "tp-ivr" is in stage "stage-gone", which does not exist',
    );
  });

  it('stage ids are unique', () => {
    const map = withMap((m) => {
      m.stages.push({ id: 'stage-buy', name: 'Buy again', accountable: null });
    });
    expect(messageFor(JourneyMapSchema, map)).toBe('stage id "stage-buy" is used by more than one stage');
  });

  it('connections link existing touchpoints, never one to itself', () => {
    const map = withMap((m) => {
      m.connections['cx-dangling'] = { id: 'cx-dangling', source: 'tp-ivr', target: 'tp-gone', label: '' };
      m.connections['cx-loop'] = { id: 'cx-loop', source: 'tp-ivr', target: 'tp-ivr', label: '' };
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'connection "cx-dangling" has target "tp-gone", which is not a touchpoint; ' +
        'connection "cx-loop" links touchpoint "tp-ivr" to itself',
    );
  });

  it('two connections between the same touchpoints are one too many, in either direction', () => {
    const sameWay = withMap((m) => {
      m.connections['cx-again'] = { id: 'cx-again', source: 'tp-ivr', target: 'hub', label: '' };
    });
    expect(messageFor(JourneyMapSchema, sameWay)).toBe('connections "cx-ivr-hub" and "cx-again" both link "tp-ivr" and "hub"');
    const reverse = withMap((m) => {
      m.connections['cx-back'] = { id: 'cx-back', source: 'hub', target: 'tp-ivr', label: 'call back' };
    });
    expect(messageFor(JourneyMapSchema, reverse)).toBe('connections "cx-ivr-hub" and "cx-back" both link "hub" and "tp-ivr"');
  });

  it('pain point ids are unique within a touchpoint', () => {
    const map = withMap((m) => {
      const bill = m.touchpoints['tp-first-bill'];
      const first = bill?.painPoints[0];
      if (bill === undefined || first === undefined) throw new Error('demo has tp-first-bill with pain points');
      bill.painPoints.push({ ...first });
    });
    expect(messageFor(JourneyMapSchema, map)).toBe(
      'touchpoint "tp-first-bill" has more than one pain point with id "pp-bill-higher"',
    );
  });

  it('a wrong schemaVersion is named', () => {
    const map = withMap((m) => {
      Object.assign(m.meta, { schemaVersion: 1 });
    });
    expect(messageFor(JourneyMapSchema, map)).toBe('meta: schemaVersion must be 2 (got 1)');
  });
});

describe('discussion invariants', () => {
  it('the demo discussion is valid', () => {
    expect(messageFor(DiscussionSchema, demoMap().discussion)).toBeNull();
  });

  it('a reply is on the same touchpoint as its parent', () => {
    const elsewhere = withDiscussion((d) => {
      const reply = d.comments['comment-first-bill-reply'];
      if (reply === undefined) throw new Error('demo has a reply');
      reply.touchpointId = 'tp-ivr';
    });
    expect(messageFor(DiscussionSchema, elsewhere)).toBe(
      'comment "comment-first-bill-reply" is on touchpoint "tp-ivr" but replies to a comment on "tp-first-bill"',
    );
  });

  it('a reply whose parent was deleted is still valid (deleteComment keeps the replies of others)', () => {
    const orphaned = withDiscussion((d) => {
      delete d.comments['comment-first-bill'];
    });
    expect(messageFor(DiscussionSchema, orphaned)).toBeNull();
  });

  it('replies cannot go round in a circle', () => {
    const circle = withDiscussion((d) => {
      const root = d.comments['comment-first-bill'];
      if (root === undefined) throw new Error('demo has a thread');
      root.parentId = 'comment-first-bill-reply';
    });
    expect(messageFor(DiscussionSchema, circle)).toBe(
      'comment "comment-first-bill" is part of a circle of replies; comment "comment-first-bill-reply" is part of a circle of replies',
    );
  });

  it('dots are whole numbers >= 0', () => {
    const negative = withDiscussion((d) => {
      d.votes['tp-ivr'] = { 'user-ben': -1 };
    });
    expect(messageFor(DiscussionSchema, negative)).toBe('votes.tp-ivr.user-ben: dots must be at least 0 (got -1)');
  });
});
