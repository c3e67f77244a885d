import {
  SCHEMA_VERSION,
  type Channel,
  type Comment,
  type Connection,
  type Discussion,
  type JourneyMap,
  type Stage,
  type Touchpoint,
} from './types';
import type * as Y from 'yjs';
import { CARD_WIDTH, LANE_HEADER_HEIGHT, LANE_WIDTH } from './layout';
import type { EditOrigin } from './origin';
import { addAction, updateAction } from './schema';

/**
 * Starting points for a new map, as plain models for writeMap/writeDiscussion.
 * Deterministic: fixed ids and times, so that a template is the same on every
 * client and in every test. Each call builds fresh objects.
 */

export interface Template {
  map: JourneyMap;
  discussion: Discussion;
}

const COLUMN_WIDTH = LANE_WIDTH;
const ROW_HEIGHT = 140;
const COLUMN_PADDING = 30;
const TOP = LANE_HEADER_HEIGHT + 24;
const NODE_WIDTH = CARD_WIDTH;
/** The hub sits below at least this many rows, so that it clears a short map. */
const MIN_ROWS_ABOVE_HUB = 3;

const HUB_ID = 'hub';

const columnX = (stageIndex: number): number => stageIndex * COLUMN_WIDTH + COLUMN_PADDING;
const rowY = (row: number): number => TOP + row * ROW_HEIGHT;

function hub(stageCount: number, rows: number): Touchpoint {
  return {
    id: HUB_ID,
    kind: 'hub',
    stageId: null,
    label: 'Contact center',
    channel: 'phone',
    owner: 'Contact Center',
    emotion: null,
    contactVolume: 0,
    x: (stageCount * COLUMN_WIDTH - NODE_WIDTH) / 2,
    y: rowY(Math.max(rows, MIN_ROWS_ABOVE_HUB)),
    painPoints: [],
    externalKey: null,
  };
}

const STANDARD_STAGES: readonly (readonly [id: string, name: string])[] = [
  ['stage-discover', 'Discover'],
  ['stage-choose', 'Choose'],
  ['stage-buy', 'Buy'],
  ['stage-use', 'Use'],
  ['stage-get-help', 'Get help'],
  ['stage-renew', 'Renew or leave'],
];

export function blankMap(options: { title?: string; persona?: string } = {}): Template {
  const stages: Stage[] = STANDARD_STAGES.map(([id, name]) => ({ id, name, accountable: null }));
  return {
    map: {
      meta: {
        schemaVersion: SCHEMA_VERSION,
        title: options.title ?? 'Untitled journey',
        persona: options.persona ?? '',
        hubId: HUB_ID,
        reviewedAt: null,
        reviewedBy: null,
      },
      stages,
      touchpoints: { [HUB_ID]: hub(stages.length, 0) },
      connections: {},
      actions: {},
    },
    discussion: { comments: {}, votes: {} },
  };
}

// ---------------------------------------------------------------------------
// The demo: Maya switches her home broadband to FiberNet.

type DemoPainPoint = readonly [id: string, text: string, severity: number, frequency: number];

interface DemoTouchpoint {
  id: string;
  label: string;
  channel: Channel;
  owner: string | null;
  emotion: number | null;
  contactVolume: number;
  painPoints: readonly DemoPainPoint[];
}

interface DemoStage {
  id: string;
  name: string;
  accountable: string | null;
  touchpoints: readonly DemoTouchpoint[];
}

// Ownership by stage: Discover, Buy and Use have an accountable team; Get help
// is owned through its single owner; Choose is fragmented (three owners, no
// one accountable); Renew or leave is unowned.
function demoStages(): DemoStage[] {
  return [
    {
      id: 'stage-discover',
      name: 'Discover',
      accountable: 'Marketing',
      touchpoints: [
        { id: 'tp-social-ads', label: 'Social media ads', channel: 'social', owner: 'Marketing', emotion: 1, contactVolume: 0, painPoints: [] },
        { id: 'tp-word-of-mouth', label: "A neighbour's recommendation", channel: 'other', owner: null, emotion: 1, contactVolume: 0, painPoints: [] },
        {
          id: 'tp-comparison-site', label: 'Price comparison site', channel: 'web', owner: 'Marketing', emotion: 0, contactVolume: 90,
          painPoints: [['pp-promo-price', 'Promo price shown without the price from month 13', 3, 4]],
        },
        {
          id: 'tp-coverage-checker', label: 'Coverage checker', channel: 'web', owner: 'E-commerce', emotion: -1, contactVolume: 420,
          painPoints: [['pp-address-not-found', 'Address not found by the coverage checker', 4, 3]],
        },
        { id: 'tp-door-leaflet', label: 'Leaflet through the door', channel: 'other', owner: 'Marketing', emotion: 0, contactVolume: 0, painPoints: [] },
      ],
    },
    {
      id: 'stage-choose',
      name: 'Choose',
      accountable: null,
      touchpoints: [
        {
          id: 'tp-plan-comparison', label: 'Plan comparison page', channel: 'web', owner: 'E-commerce', emotion: 0, contactVolume: 310,
          painPoints: [['pp-up-to-speeds', "Speeds quoted as 'up to' with no guaranteed minimum", 3, 4]],
        },
        {
          id: 'tp-sales-chat', label: 'Sales chat', channel: 'chat', owner: 'Sales', emotion: -1, contactVolume: 260,
          painPoints: [['pp-chatbot-contracts', 'Chatbot cannot answer contract questions', 3, 3]],
        },
        {
          id: 'tp-store-visit', label: 'Store visit', channel: 'store', owner: 'Sales', emotion: 1, contactVolume: 0,
          painPoints: [['pp-store-availability', 'Store staff cannot check availability at an address', 4, 2]],
        },
        {
          id: 'tp-sales-hotline', label: 'Sales hotline', channel: 'phone', owner: 'Sales', emotion: -1, contactVolume: 380,
          painPoints: [['pp-evening-wait', '30-minute wait at the evening peak', 4, 3]],
        },
        {
          id: 'tp-social-reviews', label: 'Reviews on social media', channel: 'social', owner: 'Marketing', emotion: -1, contactVolume: 150,
          painPoints: [['pp-unanswered-reviews', 'Outage complaints left unanswered', 2, 3]],
        },
      ],
    },
    {
      id: 'stage-buy',
      name: 'Buy',
      accountable: 'Sales',
      touchpoints: [
        {
          id: 'tp-online-checkout', label: 'Online checkout', channel: 'web', owner: 'E-commerce', emotion: 0, contactVolume: 380,
          painPoints: [['pp-flat-numbers', 'Checkout rejects flat numbers in the address', 4, 3]],
        },
        {
          id: 'tp-credit-check', label: 'Credit check', channel: 'other', owner: 'Billing', emotion: -1, contactVolume: 120,
          painPoints: [['pp-recent-movers', 'Credit check fails for people who recently moved', 3, 2]],
        },
        {
          id: 'tp-order-confirmation', label: 'Order confirmation email', channel: 'email', owner: 'E-commerce', emotion: 0, contactVolume: 450,
          painPoints: [['pp-no-install-date', 'Confirmation has no installation date', 3, 4]],
        },
        {
          id: 'tp-install-booking', label: 'Installation booking', channel: 'web', owner: 'Field Operations', emotion: -2, contactVolume: 900,
          painPoints: [
            ['pp-slot-three-weeks', 'Installation slot 3 weeks out', 5, 4],
            ['pp-no-evening-slots', 'No evening or weekend slots', 3, 3],
          ],
        },
        {
          id: 'tp-number-transfer', label: 'Landline number transfer', channel: 'phone', owner: 'Sales', emotion: -1, contactVolume: 210,
          painPoints: [['pp-transfer-date', 'Transfer date not confirmed', 3, 3]],
        },
      ],
    },
    {
      id: 'stage-use',
      name: 'Use',
      accountable: 'Field Operations',
      touchpoints: [
        {
          id: 'tp-router-delivery', label: 'Router delivery', channel: 'other', owner: 'Field Operations', emotion: 0, contactVolume: 300,
          painPoints: [['pp-router-late', 'Router arrives after the installation date', 3, 2]],
        },
        {
          id: 'tp-technician-visit', label: 'Technician visit', channel: 'other', owner: 'Field Operations', emotion: -2, contactVolume: 700,
          painPoints: [['pp-no-show', 'Technician no-show without notice', 5, 2]],
        },
        {
          id: 'tp-setup-guide', label: 'Self-install guide', channel: 'app', owner: 'E-commerce', emotion: 0, contactVolume: 240,
          painPoints: [['pp-old-router', 'Guide shows the old router model', 2, 3]],
        },
        { id: 'tp-account-app', label: 'My FiberNet app', channel: 'app', owner: 'E-commerce', emotion: 1, contactVolume: 120, painPoints: [] },
        {
          id: 'tp-first-bill', label: 'First bill', channel: 'email', owner: 'Billing', emotion: -2, contactVolume: 1350,
          painPoints: [
            ['pp-bill-higher', 'First bill higher than quoted', 4, 4],
            ['pp-prorating', 'Pro-rated charges not explained', 3, 4],
          ],
        },
        {
          id: 'tp-home-wifi', label: 'Wi-Fi around the home', channel: 'other', owner: 'Field Operations', emotion: -1, contactVolume: 980,
          painPoints: [['pp-wifi-upstairs', 'Wi-Fi drops in upstairs rooms', 3, 4]],
        },
      ],
    },
    {
      id: 'stage-get-help',
      name: 'Get help',
      accountable: null,
      touchpoints: [
        {
          id: 'tp-ivr', label: 'Phone menu (IVR)', channel: 'phone', owner: 'Contact Center', emotion: -1, contactVolume: 1200,
          painPoints: [['pp-seven-options', 'Seven menu options before reaching an agent', 3, 5]],
        },
        {
          id: 'tp-phone-support', label: 'Phone support', channel: 'phone', owner: 'Contact Center', emotion: -1, contactVolume: 1600,
          painPoints: [['pp-repeat-details', 'Account details repeated after every transfer', 4, 4]],
        },
        {
          id: 'tp-support-chat', label: 'Support chat', channel: 'chat', owner: 'Contact Center', emotion: 0, contactVolume: 700,
          painPoints: [['pp-chat-closes', 'Chat ends when the app goes to the background', 2, 3]],
        },
        {
          id: 'tp-help-center', label: 'Help center articles', channel: 'web', owner: 'Contact Center', emotion: -1, contactVolume: 850,
          painPoints: [['pp-outdated-articles', 'Articles do not match the new router', 3, 3]],
        },
        { id: 'tp-social-care', label: 'Social media care', channel: 'social', owner: 'Contact Center', emotion: 1, contactVolume: 260, painPoints: [] },
      ],
    },
    {
      id: 'stage-renew',
      name: 'Renew or leave',
      accountable: null,
      touchpoints: [
        {
          id: 'tp-contract-end', label: 'Contract end notice', channel: 'email', owner: null, emotion: -1, contactVolume: 420,
          painPoints: [['pp-no-notice', 'No notice before the price rises in month 13', 4, 4]],
        },
        {
          id: 'tp-price-rise-letter', label: 'Annual price rise letter', channel: 'other', owner: null, emotion: -2, contactVolume: 380,
          painPoints: [['pp-mid-contract-rise', 'Mid-contract price rise feels like a trick', 4, 3]],
        },
        {
          id: 'tp-retention-call', label: 'Retention offer call', channel: 'phone', owner: null, emotion: 0, contactVolume: 310,
          painPoints: [['pp-threaten-to-leave', 'Best offer only after threatening to leave', 4, 3]],
        },
        {
          id: 'tp-cancellation', label: 'Cancellation', channel: 'phone', owner: null, emotion: -2, contactVolume: 640,
          painPoints: [['pp-no-online-cancel', 'Cannot cancel online', 4, 4]],
        },
        {
          id: 'tp-router-return', label: 'Router return', channel: 'store', owner: null, emotion: -1, contactVolume: 210,
          painPoints: [['pp-return-label', 'Return label never arrives', 3, 3]],
        },
      ],
    },
  ];
}

const DEMO_CONNECTIONS: readonly (readonly [id: string, source: string, target: string, label: string])[] = [
  ['cx-coverage-sales-chat', 'tp-coverage-checker', 'tp-sales-chat', 'address not found'],
  ['cx-sales-chat-hotline', 'tp-sales-chat', 'tp-sales-hotline', 'handed over'],
  ['cx-sales-hotline-hub', 'tp-sales-hotline', HUB_ID, 'overflow'],
  ['cx-checkout-confirmation', 'tp-online-checkout', 'tp-order-confirmation', ''],
  ['cx-confirmation-booking', 'tp-order-confirmation', 'tp-install-booking', 'book a slot'],
  ['cx-booking-hub', 'tp-install-booking', HUB_ID, 'reschedule calls'],
  ['cx-delivery-technician', 'tp-router-delivery', 'tp-technician-visit', ''],
  ['cx-technician-hub', 'tp-technician-visit', HUB_ID, 'missed visit'],
  ['cx-first-bill-hub', 'tp-first-bill', HUB_ID, 'billing query'],
  ['cx-wifi-help-center', 'tp-home-wifi', 'tp-help-center', 'looks for a fix'],
  ['cx-help-center-chat', 'tp-help-center', 'tp-support-chat', 'no answer'],
  ['cx-chat-hub', 'tp-support-chat', HUB_ID, 'escalation'],
  ['cx-ivr-hub', 'tp-ivr', HUB_ID, 'routes to an agent'],
  ['cx-phone-support-hub', 'tp-phone-support', HUB_ID, ''],
  ['cx-social-care-hub', 'tp-social-care', HUB_ID, 'moved to a call'],
  ['cx-contract-end-retention', 'tp-contract-end', 'tp-retention-call', 'calls to haggle'],
  ['cx-retention-hub', 'tp-retention-call', HUB_ID, ''],
  ['cx-price-rise-cancellation', 'tp-price-rise-letter', 'tp-cancellation', ''],
  ['cx-cancellation-hub', 'tp-cancellation', HUB_ID, 'phone only'],
];

const AISHA = { authorId: 'user-aisha', authorName: 'Aisha Khan' } as const;
const BEN = { authorId: 'user-ben', authorName: 'Ben Ortiz' } as const;
const CHLOE = { authorId: 'user-chloe', authorName: 'Chloe Martin' } as const;

function demoComments(): Comment[] {
  return [
    {
      id: 'comment-first-bill',
      touchpointId: 'tp-first-bill',
      parentId: null,
      ...AISHA,
      body: 'A third of our first-month calls are about this bill. Could the order confirmation show a worked example of the pro-rated first month?',
      createdAt: Date.UTC(2025, 2, 10, 9, 30),
      resolved: false,
    },
    {
      id: 'comment-first-bill-reply',
      touchpointId: 'tp-first-bill',
      parentId: 'comment-first-bill',
      ...BEN,
      body: 'Pro-rating is only known after activation, but we can add an example bill to the confirmation email.',
      createdAt: Date.UTC(2025, 2, 10, 10, 5),
      resolved: false,
    },
    {
      id: 'comment-install-slots',
      touchpointId: 'tp-install-booking',
      parentId: null,
      ...CHLOE,
      body: 'North region slots stay 3 weeks out until the new crew starts in April.',
      createdAt: Date.UTC(2025, 2, 10, 11, 15),
      resolved: false,
    },
    {
      id: 'comment-renewals',
      touchpointId: 'tp-cancellation',
      parentId: null,
      ...AISHA,
      body: 'Who owns renewals? Nobody on this map does, and we take every cancellation call.',
      createdAt: Date.UTC(2025, 2, 11, 8, 45),
      resolved: false,
    },
    {
      id: 'comment-transfers',
      touchpointId: 'tp-phone-support',
      parentId: null,
      ...BEN,
      body: 'Transfers used to lose the verified account. IT now passes it to the agent desktop.',
      createdAt: Date.UTC(2025, 2, 11, 14, 20),
      resolved: true,
    },
  ];
}

export function demoMap(): Template {
  const stages = demoStages();
  const touchpoints: Record<string, Touchpoint> = {};
  stages.forEach((stage, stageIndex) => {
    stage.touchpoints.forEach((touchpoint, row) => {
      touchpoints[touchpoint.id] = {
        id: touchpoint.id,
        kind: 'touchpoint',
        stageId: stage.id,
        label: touchpoint.label,
        channel: touchpoint.channel,
        owner: touchpoint.owner,
        emotion: touchpoint.emotion,
        contactVolume: touchpoint.contactVolume,
        x: columnX(stageIndex),
        y: rowY(row),
        painPoints: touchpoint.painPoints.map(([id, text, severity, frequency]) => ({ id, text, severity, frequency })),
        // The demo's contact-reason codes, so that measured figures have somewhere to land.
        externalKey: touchpoint.id.replace(/^tp-/, 'CR-').toUpperCase(),
      };
    });
  });
  const rows = Math.max(...stages.map((stage) => stage.touchpoints.length));
  touchpoints[HUB_ID] = hub(stages.length, rows);

  const connections: Record<string, Connection> = {};
  for (const [id, source, target, label] of DEMO_CONNECTIONS) connections[id] = { id, source, target, label };

  const comments: Record<string, Comment> = {};
  for (const comment of demoComments()) comments[comment.id] = comment;

  return {
    map: {
      meta: {
        schemaVersion: SCHEMA_VERSION,
        title: 'Switching to FiberNet broadband',
        persona: 'Maya, 38, switching home broadband after her old contract ended',
        hubId: HUB_ID,
        reviewedAt: null,
        reviewedBy: null,
      },
      stages: stages.map(({ id, name, accountable }) => ({ id, name, accountable })),
      touchpoints,
      connections,
      actions: {},
    },
    discussion: {
      comments,
      votes: {
        'tp-first-bill': { 'user-aisha': 2, 'user-ben': 1 },
        'tp-install-booking': { 'user-chloe': 2, 'user-aisha': 1 },
        'tp-cancellation': { 'user-aisha': 1, 'user-chloe': 1 },
        'tp-ivr': { 'user-ben': 2 },
      },
    },
  };
}

// ---------------------------------------------------------------------------
// The demo's actions, relative to the first start: one done about five months
// ago (its touchpoint's contacts fall after it in the demo's figures), one
// open and overdue, one open and due in two months.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Day `day`, 10:00 UTC, of the month `months` away from the UTC month of `ms`. */
function dayInMonth(ms: number, months: number, day: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, day, 10);
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The done demo action's id: the demo figures make its touchpoint's contacts fall after it. */
export const DEMO_DONE_ACTION_ID = 'action-example-bill';

/**
 * Adds the demo's actions to a demo map document through the schema's writers,
 * dated relative to `now` (ms), so that the demo is current on every first start.
 */
export function addDemoActions(doc: Y.Doc, now: number, origin: EditOrigin): void {
  const started = dayInMonth(now, -7, 4);
  addAction(
    doc,
    {
      id: DEMO_DONE_ACTION_ID,
      touchpointId: 'tp-first-bill',
      painPointId: 'pp-prorating',
      title: 'Show a worked example of the pro-rated first bill in the order confirmation',
      ownerTeam: 'Billing',
      due: isoDate(dayInMonth(now, -5, 28)),
      status: 'doing',
    },
    started,
    origin,
  );
  updateAction(doc, DEMO_DONE_ACTION_ID, { status: 'done' }, dayInMonth(now, -5, 12), origin);
  addAction(
    doc,
    {
      id: 'action-ivr-options',
      touchpointId: 'tp-ivr',
      painPointId: 'pp-seven-options',
      title: 'Cut the phone menu to four options',
      ownerTeam: 'Contact Center',
      due: isoDate(now - 30 * DAY_MS),
      status: 'doing',
    },
    dayInMonth(now, -3, 2),
    origin,
  );
  addAction(
    doc,
    {
      id: 'action-evening-slots',
      touchpointId: 'tp-install-booking',
      painPointId: 'pp-no-evening-slots',
      title: 'Offer evening and weekend installation slots',
      ownerTeam: 'Field Operations',
      due: isoDate(now + 60 * DAY_MS),
      status: 'proposed',
    },
    now - 7 * DAY_MS,
    origin,
  );
}

export const TEMPLATES = { blank: blankMap, demo: demoMap } as const;
export type TemplateName = keyof typeof TEMPLATES;
