import { CARD_HEIGHT, CARD_WIDTH, HUB_HEIGHT, displayPosition, stageIndexOf, type Rect } from '../../lib/journey/layout';
import type { JourneyMap, Touchpoint } from '../../lib/journey/types';
import type { Presence } from './build-flow';

/**
 * The overview: below the zoom at which a card can be read, the cards and
 * their connections are drawn as one bitmap instead of thousands of elements.
 * Panning and zooming then move a picture; there is nothing to lay out,
 * render or paint again per frame however big the map is.
 */

/** Card fill by its worst pain (severity), as the pain chips colour it: the heat of the journey at a glance. */
const PAIN_FILL = ['#ffffff', '#fef9c3', '#fef3c7', '#fed7aa', '#fecaca', '#b91c1c'];
const CARD_STROKE = '#94a3b8';
const UNOWNED_STROKE = '#e11d48';
const EDGE = 'rgba(100, 116, 139, 0.45)';
const HUB_EDGE = 'rgba(99, 102, 241, 0.6)';
const SELECTED = '#6366f1';
/** Most pixels the bitmap may have: a 2,000-card map spans about 5,600 × 17,000 units. */
const MAX_PIXELS = 4_000_000;

export interface OverviewCard {
  id: string;
  x: number;
  y: number;
  fill: string;
  stroke: string;
  dashed: boolean;
}

/** Where each card is drawn and how, in flow coordinates. */
export function overviewCards(map: JourneyMap): OverviewCard[] {
  const stageIndex = stageIndexOf(map);
  const cards: OverviewCard[] = [];
  for (const tp of Object.values(map.touchpoints)) {
    if (tp.kind !== 'touchpoint') continue;
    const at = displayPosition(tp, stageIndex, map.stages.length);
    // A blank owner is no owner, as the annotations count it.
    const owned = Boolean(tp.owner?.trim());
    cards.push({ id: tp.id, x: at.x, y: at.y, fill: PAIN_FILL[worstSeverity(tp)] ?? '#ffffff', stroke: owned ? CARD_STROKE : UNOWNED_STROKE, dashed: !owned });
  }
  return cards;
}

function worstSeverity(tp: Touchpoint): number {
  let worst = 0;
  for (const p of tp.painPoints) worst = Math.max(worst, p.severity);
  return worst;
}

/** The card under a point of the flow, if any (the overview's click target): the one drawn last, on top. */
export function cardAt(cards: readonly OverviewCard[], point: { x: number; y: number }): OverviewCard | null {
  return cards.findLast((c) => point.x >= c.x && point.x <= c.x + CARD_WIDTH && point.y >= c.y && point.y <= c.y + CARD_HEIGHT) ?? null;
}

/** Flow units per pixel of the bitmap: sharp at `zoom`, within MAX_PIXELS. */
export function overviewScale(bounds: Rect, zoom: number, pixelRatio: number): number {
  return Math.min(zoom * pixelRatio, Math.sqrt(MAX_PIXELS / Math.max(1, bounds.width * bounds.height)));
}

export interface OverviewScene {
  map: JourneyMap;
  cards: readonly OverviewCard[];
  bounds: Rect;
  scale: number;
  /** Touchpoints others have selected, outlined in their colour. */
  presence: Presence;
  selection: string | null;
}

/** Draws the scene onto a context whose canvas is bounds × scale pixels. */
export function drawOverview(context: CanvasRenderingContext2D, scene: OverviewScene): void {
  const { map, cards, bounds, scale, presence, selection } = scene;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  context.setTransform(scale, 0, 0, scale, -bounds.x * scale, -bounds.y * scale);

  const byId = new Map(cards.map((c) => [c.id, c]));
  const hub = map.touchpoints[map.meta.hubId];
  const anchor = (id: string, end: 'source' | 'target'): { x: number; y: number } | null => {
    const card = byId.get(id);
    if (card) return { x: card.x + (end === 'source' ? CARD_WIDTH : 0), y: card.y + CARD_HEIGHT / 2 };
    // The hub is a node of its own even in the overview; its handles are on its top (in) and bottom (out).
    if (hub && id === hub.id) return { x: hub.x + CARD_WIDTH / 2, y: end === 'target' ? hub.y : hub.y + HUB_HEIGHT };
    return null;
  };

  context.lineWidth = Math.max(1.5, 1 / scale);
  for (const c of Object.values(map.connections)) {
    const from = anchor(c.source, 'source');
    const to = anchor(c.target, 'target');
    if (!from || !to) continue;
    const toHub = hub !== undefined && (c.source === hub.id || c.target === hub.id);
    const bend = Math.max(40, Math.abs(to.x - from.x) / 2);
    context.strokeStyle = toHub ? HUB_EDGE : EDGE;
    context.beginPath();
    context.moveTo(from.x, from.y);
    if (toHub) context.lineTo(to.x, to.y);
    else context.bezierCurveTo(from.x + bend, from.y, to.x - bend, to.y, to.x, to.y);
    context.stroke();
  }

  const line = Math.max(2, 1 / scale);
  for (const card of cards) {
    context.fillStyle = card.fill;
    context.fillRect(card.x, card.y, CARD_WIDTH, CARD_HEIGHT);
    const ring = card.id === selection ? SELECTED : presence[card.id]?.[0]?.color;
    context.lineWidth = ring ? line * 4 : line;
    context.strokeStyle = ring ?? card.stroke;
    context.setLineDash(card.dashed && !ring ? [line * 6, line * 4] : []);
    context.strokeRect(card.x, card.y, CARD_WIDTH, CARD_HEIGHT);
  }
  context.setLineDash([]);
}
