/**
 * One person at the journey canvas, in the words of a workshop:
 * `await alice.addTouchpoint('Billing', { stage: 'Buy' })`,
 * `await bob.dragTouchpoint(id, { toStage: 'Choose' })`, `await cora.comment(id, '…')`.
 * Everything goes through the page as a person would (buttons, the inspector,
 * the mouse); what a person sees is read back from the DOM by test id.
 */
import type { Locator, Page } from 'playwright-core';
import type { Cable } from './cable';
import type { Person } from './workshop';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

// Page-side scripts are strings: a bundler's helpers (esbuild's __name) do not exist in the page.
const SETTLE = `new Promise((resolve) => {
  const viewport = document.querySelector('.react-flow__viewport');
  let last = viewport?.style.transform;
  let still = 0;
  const tick = () => {
    const now = viewport?.style.transform;
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 5) resolve();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

const centre = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

export class Canvas {
  constructor(
    readonly page: Page,
    readonly person: Person,
    private readonly cable: Cable | null,
  ) {}

  // ---------------------------------------------------------------------------
  // What this person sees

  /** React Flow's wrapper of the card (getByText would also match its hidden accessibility text). */
  touchpoint(id: string): Locator {
    return this.page.getByTestId(`rf__node-${id}`);
  }

  stageHeader(stageId: string): Locator {
    return this.page.getByTestId(`stage-header-${stageId}`);
  }

  threadBadge(touchpointId: string): Locator {
    return this.page.getByTestId(`thread-badge-${touchpointId}`);
  }

  avatarOf(person: Person): Locator {
    return this.page.getByTestId(`avatar-${person.id}`);
  }

  cursorOf(person: Person): Locator {
    return this.page.getByTestId(`cursor-${person.id}`);
  }

  get connectionPill(): Locator {
    return this.page.getByTestId('connection-state');
  }

  get addTouchpointButton(): Locator {
    return this.page.getByRole('button', { name: 'Add touchpoint', exact: true });
  }

  get inspector(): Locator {
    return this.page.getByRole('complementary', { name: 'Side panel' });
  }

  /** A field of the Details tab by its label: 'Label', 'Owner (team)', 'Stage', 'Channel', … */
  field(label: string): Locator {
    return this.inspector.getByLabel(label, { exact: true });
  }

  /** The column of a stage, found by the name in its header. */
  lane(stageName: string): Locator {
    return this.page.locator('.react-flow__node-stageLane').filter({ has: this.page.getByRole('textbox', { name: `Stage name: ${stageName}`, exact: true }) });
  }

  async connectionState(): Promise<string | null> {
    return this.connectionPill.getAttribute('data-state');
  }

  async painLevel(stageId: string): Promise<string | null> {
    return this.stageHeader(stageId).getAttribute('data-pain-level');
  }

  /** The name of the stage whose column the card is drawn in, or null when the card is not on screen. */
  async stageOf(touchpointId: string): Promise<string | null> {
    return this.page.evaluate((testId) => {
      const card = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
      if (!card) return null;
      const box = card.getBoundingClientRect();
      const x = box.left + box.width / 2;
      for (const lane of document.querySelectorAll('.react-flow__node-stageLane')) {
        const column = lane.getBoundingClientRect();
        if (x >= column.left && x < column.right) return lane.querySelector('input')?.value ?? null;
      }
      return null;
    }, `rf__node-${touchpointId}`);
  }

  /** React Flow's pan and zoom: a point (x, y) of the flow is drawn at (x·zoom + x₀, y·zoom + y₀) of the canvas. */
  async viewport(): Promise<{ x: number; y: number; zoom: number }> {
    const transform = await this.page.locator('.react-flow__viewport').evaluate((viewport) => (viewport as HTMLElement).style.transform);
    const match = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform);
    if (!match) throw new Error(`unexpected viewport transform: ${transform}`);
    return { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) };
  }

  /** Where a point of the flow is on the page, for the mouse. */
  async pageAt(point: { x: number; y: number }): Promise<{ x: number; y: number }> {
    const pane = await this.box(this.page.locator('.react-flow'));
    const view = await this.viewport();
    return { x: pane.x + view.x + point.x * view.zoom, y: pane.y + view.y + point.y * view.zoom };
  }

  /** How many touchpoint cards are drawn as elements now (React Flow draws only those in view). */
  async cardsDrawn(): Promise<number> {
    return this.page.locator('.react-flow__node-touchpoint').count();
  }

  /** Where the card is drawn in flow coordinates (React Flow's transform of it): the same at any pan or zoom. */
  async position(touchpointId: string): Promise<{ x: number; y: number }> {
    const transform = await this.touchpoint(touchpointId).evaluate((card) => (card as HTMLElement).style.transform);
    const match = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(transform);
    if (!match) throw new Error(`unexpected transform of ${touchpointId}: ${transform}`);
    return { x: Number(match[1]), y: Number(match[2]) };
  }

  /** The text of the card as it reads on the canvas: label, owner, emotion, contacts … */
  async card(touchpointId: string): Promise<string> {
    return (await this.touchpoint(touchpointId).innerText()).replace(/\s+/g, ' ');
  }

  async box(locator: Locator): Promise<Box> {
    await locator.waitFor({ state: 'visible' });
    const box = await locator.boundingBox();
    if (!box) throw new Error(`${locator} has no box`);
    return box;
  }

  // ---------------------------------------------------------------------------
  // What this person does

  /** Opens the map and waits until it is live and the view has come to rest. */
  async open(mapId: string): Promise<void> {
    await this.page.goto(`/maps/${mapId}`);
    await this.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    // A card or the hub: on a big map only the cards in view are drawn, and the hub is far below.
    await this.page.locator('.react-flow__node-touchpoint, .react-flow__node-hub').first().waitFor({ state: 'visible' });
    await this.settle();
  }

  /** Waits until the viewport has not moved for a few frames (an animated fit or zoom has ended). */
  async settle(): Promise<void> {
    await this.page.evaluate(SETTLE);
  }

  /** Two rendered frames: whatever a change made visible is on screen now. */
  async nextFrames(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  }

  /** The fit-view button of the canvas controls: every card in view. */
  async fitView(): Promise<void> {
    await this.page.locator('.react-flow__controls-fitview').click();
    await this.settle();
  }

  /** Adds a touchpoint with the toolbar button, names it and files it under a stage; returns its id. */
  async addTouchpoint(label: string, { stage }: { stage?: string } = {}): Promise<string> {
    await this.addTouchpointButton.click();
    const added = this.page.locator('.react-flow__node-touchpoint.selected');
    await added.waitFor();
    const id = await added.getAttribute('data-id');
    if (!id) throw new Error('the new touchpoint has no id');
    await this.fill('Label', label);
    if (stage) await this.field('Stage').selectOption({ label: stage });
    await this.fitView();
    return id;
  }

  async select(touchpointId: string): Promise<void> {
    await this.touchpoint(touchpointId).click();
    await this.page.locator(`.react-flow__node.selected[data-id="${touchpointId}"]`).waitFor();
  }

  async openTab(name: 'Details' | 'Comments' | 'Insights'): Promise<void> {
    // The tabs say 'details', 'comments', 'insights', capitalised by CSS only.
    const title = new RegExp(`^${name}$`, 'i');
    await this.page.getByRole('tab', { name: title }).click();
    await this.page.getByRole('tab', { name: title, selected: true }).waitFor();
  }

  /** Types into a text field of the inspector and commits it with Enter, as the field writes on commit. */
  async fill(label: string, value: string): Promise<void> {
    const field = this.field(label);
    await field.fill(value);
    await field.press('Enter');
  }

  /** Selects the touchpoint and changes fields in the inspector ('Label', 'Owner (team)', …). */
  async edit(touchpointId: string, fields: Record<string, string>): Promise<void> {
    await this.select(touchpointId);
    await this.openTab('Details');
    for (const [label, value] of Object.entries(fields)) await this.fill(label, value);
  }

  async addPainPoint(touchpointId: string, pain: { text: string; severity: number; frequency: number }): Promise<void> {
    await this.select(touchpointId);
    await this.openTab('Details');
    await this.inspector.getByLabel('New pain point', { exact: true }).fill(pain.text);
    await this.inspector.getByLabel('New pain point severity').selectOption(String(pain.severity));
    await this.inspector.getByLabel('New pain point frequency').selectOption(String(pain.frequency));
    await this.inspector.getByRole('button', { name: 'Add pain point' }).click();
  }

  async comment(touchpointId: string, body: string): Promise<void> {
    await this.select(touchpointId);
    await this.openTab('Comments');
    await this.inspector.getByRole('textbox', { name: 'Start a thread… (@ to mention)' }).fill(body);
    await this.inspector.getByRole('button', { name: 'Comment', exact: true }).click();
  }

  /** Clicks into the name in a stage's header (as a person does: the click must reach the field), types, Enter. */
  async renameStage(name: string, to: string): Promise<void> {
    const field = this.page.getByRole('textbox', { name: `Stage name: ${name}`, exact: true });
    await field.click();
    await field.fill(to);
    await field.press('Enter');
  }

  /** Presses the mouse on the card, moves it to the middle of a stage's column (same height) and lets go. */
  async dragTouchpoint(touchpointId: string, { toStage }: { toStage: string }): Promise<void> {
    const from = centre(await this.box(this.touchpoint(touchpointId)));
    const column = await this.box(this.lane(toStage));
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(column.x + column.width / 2, from.y, { steps: 12 });
    await this.nextFrames();
    await this.page.mouse.up();
    await this.nextFrames();
  }

  /** Drags the card by (dx, dy) pixels of the screen. */
  async dragBy(touchpointId: string, { dx, dy }: { dx: number; dy: number }): Promise<void> {
    const from = centre(await this.box(this.touchpoint(touchpointId)));
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + dx, from.y + dy, { steps: 12 });
    await this.nextFrames();
    await this.page.mouse.up();
    await this.nextFrames();
  }

  /** Moves the mouse over a card, so that the others see this person's cursor there. */
  async pointAt(touchpointId: string): Promise<{ x: number; y: number }> {
    const at = centre(await this.box(this.touchpoint(touchpointId)));
    await this.page.mouse.move(at.x - 5, at.y - 5);
    await this.page.mouse.move(at.x, at.y, { steps: 3 });
    return at;
  }

  /** Ctrl+Z on the canvas (not in a text field, where it would undo typing). */
  async undo(): Promise<void> {
    await this.page.locator('body').press('Control+z');
  }

  /** The network goes (see Cable); resolves once the page shows it has lost the server. */
  async goOffline(): Promise<Cable> {
    const cable = this.requireCable();
    await cable.unplug();
    await this.page.locator('[data-testid="connection-state"]:is([data-state="offline"], [data-state="reconnecting"])').waitFor();
    return cable;
  }

  /** The network comes back; resolves once the page is live again (its unsent edits are then on their way). */
  async goOnline(): Promise<void> {
    await this.requireCable().plugIn();
    await this.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 15_000 });
  }

  // ---------------------------------------------------------------------------
  // Stages and the map's own fields (issue 11 §3, §4)

  /** The "Add stage" button: after the last column, or in the empty state of a map without stages. */
  get addStageButton(): Locator {
    return this.page.getByTestId('add-stage');
  }

  /** The workspace header's title, as this person reads it. */
  get mapTitle(): Locator {
    return this.page.getByTestId('map-title');
  }

  /** The sentence the canvas shows after something was refused. */
  get message(): Locator {
    return this.page.getByRole('main', { name: 'Journey canvas' }).getByRole('alert');
  }

  /** The stage names in the order of their columns, seen with every column in view (fit view). */
  async stageNames(): Promise<string[]> {
    await this.fitView();
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.react-flow__node-stageLane')]
        .map((lane) => ({ left: lane.getBoundingClientRect().left, name: lane.querySelector('input')?.value ?? '' }))
        .sort((a, b) => a.left - b.left)
        .map((lane) => lane.name),
    );
  }

  /** Adds a stage with the button and types its name into the field that opens focused; returns the stage id. */
  async addStage(name: string): Promise<string> {
    await this.addStageButton.click();
    const field = this.page.getByRole('textbox', { name: 'Stage name: New stage', exact: true });
    await field.waitFor();
    await this.page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Stage name: New stage');
    await this.page.keyboard.type(name);
    const id = await this.page.evaluate(() => document.activeElement?.closest('[data-testid^="stage-lane-"]')?.getAttribute('data-testid')?.slice('stage-lane-'.length) ?? null);
    await this.page.keyboard.press('Enter');
    if (!id) throw new Error('the new stage has no id');
    return id;
  }

  /** Presses the mouse on the drag handle of a stage's header, moves it to the left edge of another's column and lets go. */
  async dragStage(name: string, { before }: { before: string }): Promise<void> {
    const handle = this.lane(name).getByRole('button', { name: `Drag to reorder stage ${name}`, exact: true });
    const from = centre(await this.box(handle));
    const column = await this.box(this.lane(before));
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(column.x + 6, from.y, { steps: 12 });
    await this.nextFrames();
    await this.page.mouse.up();
    await this.nextFrames();
  }

  /** Opens a stage's menu (⋯) and picks an item: 'Move left', 'Move right', 'Delete stage…'. */
  async stageMenu(name: string, item: 'Move left' | 'Move right' | 'Delete stage…'): Promise<void> {
    await this.page.getByRole('button', { name: `Stage menu: ${name}`, exact: true }).click();
    await this.page.getByRole('menuitem', { name: item, exact: true }).click();
  }

  /** The dialog that asks what happens to a deleted stage's touchpoints. */
  get deleteStageDialog(): Locator {
    return this.page.getByTestId('delete-stage-dialog');
  }

  /** Deletes a stage from its menu: its touchpoints move to `moveTo`, or go too (`deleteTouchpoints`, confirmed); an empty stage simply goes. */
  async deleteStage(name: string, what: { moveTo: string } | { deleteTouchpoints: true } | 'empty'): Promise<void> {
    await this.stageMenu(name, 'Delete stage…');
    const dialog = this.deleteStageDialog;
    await dialog.waitFor();
    if (what !== 'empty' && 'moveTo' in what) {
      await dialog.getByLabel('Stage to move them to').selectOption({ label: what.moveTo });
    } else if (what !== 'empty') {
      await dialog.getByRole('radio', { name: /too$/ }).check();
      await dialog.getByRole('checkbox').check();
    }
    await dialog.getByRole('button', { name: /^Delete the stage/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /**
   * Drags the empty background of the canvas up until the card is drawn in
   * the pane (cards below the fold are not drawn at all); throws if it never is.
   */
  async revealCard(touchpointId: string): Promise<void> {
    const pane = await this.box(this.page.locator('.react-flow'));
    for (let attempt = 0; attempt < 8; attempt++) {
      const card = await this.touchpoint(touchpointId).boundingBox();
      if (card && card.y >= pane.y && card.y + card.height <= pane.y + pane.height) return;
      const empty = await this.page.evaluate(
        ({ x, y, width, height }) => {
          for (let row = 0.9; row > 0.3; row -= 0.05) {
            for (let col = 0.05; col < 0.95; col += 0.05) {
              const point = { x: x + width * col, y: y + height * row };
              if (document.elementFromPoint(point.x, point.y)?.classList.contains('react-flow__pane')) return point;
            }
          }
          return null;
        },
        pane,
      );
      if (!empty) break;
      await this.page.mouse.move(empty.x, empty.y);
      await this.page.mouse.down();
      await this.page.mouse.move(empty.x, empty.y - pane.height * 0.4, { steps: 8 });
      await this.page.mouse.up();
      await this.settle();
    }
    throw new Error(`${touchpointId} never came into view`);
  }

  /** Clicks the title in the header, types the new one and presses Enter. */
  async renameMap(title: string): Promise<void> {
    await this.mapTitle.getByRole('button').click();
    const field = this.page.getByRole('textbox', { name: 'Map title', exact: true });
    await field.fill(title);
    await field.press('Enter');
  }

  /** Opens Map details and saves the persona. */
  async setPersona(persona: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Map details', exact: true }).click();
    const details = this.page.getByRole('dialog', { name: 'Map details' });
    await details.getByLabel('Persona', { exact: true }).fill(persona);
    await details.getByRole('button', { name: 'Save', exact: true }).click();
    await details.waitFor({ state: 'hidden' });
  }

  private requireCable(): Cable {
    if (!this.cable) throw new Error(`${this.person.name} joined without a cable to unplug: join(…, { unpluggable: true })`);
    return this.cable;
  }

  // ---------------------------------------------------------------------------
  // Mentions and the inbox (issue 11 §5)

  /** Starts a thread that mentions `name` as a person does: types "@" and the start of the name, picks it from the list, then the rest. */
  async mention(touchpointId: string, name: string, rest: string): Promise<void> {
    await this.select(touchpointId);
    await this.openTab('Comments');
    const box = this.inspector.getByRole('textbox', { name: 'Start a thread… (@ to mention)' });
    await box.click();
    await box.pressSequentially(`@${name.slice(0, 3)}`);
    await this.inspector.getByRole('list', { name: 'Mention someone' }).getByRole('button', { name: `@${name}` }).click();
    await box.press('End');
    await box.pressSequentially(rest);
    await this.inspector.getByRole('button', { name: 'Comment', exact: true }).click();
  }

  /** The bell in the header. */
  get inboxLink(): Locator {
    return this.page.getByTestId('inbox-link');
  }
}

// -----------------------------------------------------------------------------
// Cards and connections (issue 11): selection, typing on the card, labels.

/** The id of the card drawn as selected, or null. */
export async function selectedCard(canvas: Canvas): Promise<string | null> {
  const ids = await canvas.page.locator('.react-flow__node.selected').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.id ?? ''));
  return ids.length === 1 ? (ids[0] ?? null) : null;
}

/** The side panel's tab drawn as the current one, whether it can be used, and what the panel shows. */
export async function panelState(canvas: Canvas): Promise<{ highlighted: string[]; disabledHighlighted: boolean; showing: 'details' | 'comments' | 'insights' }> {
  const tabs = canvas.page.getByRole('tab', { selected: true });
  const highlighted = (await tabs.allInnerTexts()).map((t) => t.trim().toLowerCase());
  const disabledHighlighted = (await canvas.page.locator('[role="tab"][aria-selected="true"]:disabled').count()) > 0;
  const inspector = await canvas.inspector.getByLabel('Touchpoint details').count();
  const comments = await canvas.inspector.getByRole('textbox', { name: /Start a thread/ }).count();
  return { highlighted, disabledHighlighted, showing: inspector > 0 ? 'details' : comments > 0 ? 'comments' : 'insights' };
}

/**
 * A point of a connection's line, on the page, where the line itself is what
 * the mouse would hit (not a card drawn over it): the one nearest to its middle.
 */
export async function pointOnConnection(canvas: Canvas, connectionId: string): Promise<{ x: number; y: number }> {
  const path = canvas.page.locator(`[data-testid="rf__edge-${connectionId}"] path.react-flow__edge-path`);
  await path.waitFor({ state: 'attached' });
  const point = await path.evaluate((element, id) => {
    const line = element as SVGPathElement;
    const matrix = line.getScreenCTM();
    if (!matrix) return null;
    for (const fraction of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8]) {
      const at = line.getPointAtLength(line.getTotalLength() * fraction).matrixTransform(matrix);
      const hit = document.elementFromPoint(at.x, at.y)?.closest('.react-flow__edge');
      if (hit instanceof HTMLElement || hit instanceof SVGElement) {
        if (hit.getAttribute('data-id') === id) return { x: at.x, y: at.y };
      }
    }
    return null;
  }, connectionId);
  if (!point) throw new Error(`no point of connection ${connectionId} is clear of the cards`);
  return point;
}

/**
 * Whether the middle of an element is the element itself on screen (nothing, a card say, drawn over it).
 * Hit testing follows the order things are painted in; the element is made to take the hit for the test only.
 */
export async function isUncovered(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const style = (element as HTMLElement).style;
    const before = style.pointerEvents;
    style.pointerEvents = 'auto';
    try {
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && (hit === element || element.contains(hit));
    } finally {
      style.pointerEvents = before;
    }
  });
}

/** The stage whose column is under the middle of the canvas pane. */
export async function stageInView(canvas: Canvas): Promise<string | null> {
  return canvas.page.evaluate(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return null;
    const x = pane.left + pane.width / 2;
    for (const lane of document.querySelectorAll('.react-flow__node-stageLane')) {
      const column = lane.getBoundingClientRect();
      if (x >= column.left && x < column.right) return lane.querySelector('input')?.value ?? null;
    }
    return null;
  });
}

/** The smallest font size, in CSS pixels at zoom 1, of any text drawn on the cards and the hub. */
export async function smallestCardText(canvas: Canvas): Promise<number> {
  return canvas.page.evaluate(() => {
    let smallest = Infinity;
    for (const card of document.querySelectorAll('.react-flow__node-touchpoint, .react-flow__node-hub')) {
      for (const element of card.querySelectorAll('*')) {
        const text = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
        if (text) smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
      }
    }
    return smallest;
  });
}

/** The page boxes of every card drawn, by id. */
export async function cardBoxes(canvas: Canvas): Promise<Map<string, Box>> {
  const boxes = await canvas.page.locator('.react-flow__node-touchpoint').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return [(n as HTMLElement).dataset.id ?? '', { x: r.x, y: r.y, width: r.width, height: r.height }] as const;
    }),
  );
  return new Map(boxes);
}

export const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
