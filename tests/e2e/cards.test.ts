/**
 * Cards and connections on the canvas (issue 11 §1, §3, §4): selection that
 * follows the click, double-clicks that add cards only where there is room,
 * a side panel whose highlighted tab is the one shown, typing straight on a
 * card, connection labels, the hub link as one toggle, and inputs that refuse
 * what the map cannot hold in plain words. Alice owns the demo map, Bob edits
 * it, each in a browser of their own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Canvas } from './support/canvas-driver';
import { cardBoxes, isUncovered, overlaps, panelState, pointOnConnection, selectedCard, smallestCardText, stageInView } from './support/canvas-driver';
import { CARD_HEIGHT, CARD_WIDTH } from '../../lib/journey/layout';
import { deleteStage, getStageIds } from '../../lib/journey/schema';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { Workshop } from './support/workshop';

const SOON = { timeout: 10_000 };

let workshop: Workshop;

beforeAll(async () => {
  workshop = await Workshop.open(['alice', 'bob', 'cora']);
});

afterEach(async () => {
  await workshop?.leave();
});

afterAll(async () => {
  destroyAllCollabClients();
  await workshop?.close();
});

async function aliceAlone(): Promise<Canvas> {
  return workshop.join('alice', await workshop.newMap());
}

async function aliceAndBob(): Promise<[Canvas, Canvas]> {
  const mapId = await workshop.newMap();
  return Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
}

describe('selection', () => {
  it('selects the card clicked second, also when it comes earlier in the map than the first, and keeps "+ dot" during a vote', async () => {
    const [alice, bob] = await aliceAndBob();
    await alice.page.getByLabel('Dots per person').fill('3');
    await alice.page.getByRole('button', { name: 'Start vote', exact: true }).click();
    await bob.page.getByTestId('dots-left').waitFor(SOON);

    await bob.select('tp-phone-support');
    await bob.touchpoint('tp-online-checkout').click();

    await expect.poll(() => selectedCard(bob), SOON).toBe('tp-online-checkout');
    await bob.nextFrames();
    expect(await selectedCard(bob)).toBe('tp-online-checkout');
    expect((await panelState(bob)).showing).toBe('details');
    await bob.page.getByRole('button', { name: '+ dot', exact: true }).click();
    await expect.poll(() => bob.card('tp-online-checkout'), SOON).toContain('● 1');
    // One dot is one dot, not "1 dots"; the vote bar counts the same way.
    expect(await bob.inspector.getByLabel('Dots').innerText()).toMatch(/^1 dot \(1 yours\)/);
  });
});

describe('adding cards where there is room', () => {
  it('adds nothing when a connection line is double-clicked', async () => {
    const alice = await aliceAlone();
    const before = await alice.cardsDrawn();
    const at = await pointOnConnection(alice, 'cx-coverage-sales-chat');

    await alice.page.mouse.dblclick(at.x, at.y);
    await alice.nextFrames();
    await alice.nextFrames();

    expect(await alice.cardsDrawn()).toBe(before);
    // It opens the connection's label for typing instead.
    await alice.page.getByRole('textbox', { name: 'Connection label', exact: true }).waitFor(SOON);
  });

  it('drops a card double-clicked between two others in a free slot of that column, on top of none', async () => {
    const alice = await aliceAlone();
    const first = await alice.box(alice.touchpoint('tp-social-ads'));
    const second = await alice.box(alice.touchpoint('tp-word-of-mouth'));
    const before = new Set((await cardBoxes(alice)).keys());

    await alice.page.mouse.dblclick(first.x + first.width / 2, (first.y + first.height + second.y) / 2);

    await expect.poll(async () => (await cardBoxes(alice)).size, SOON).toBe(before.size + 1);
    const boxes = await cardBoxes(alice);
    const added = [...boxes.keys()].find((id) => !before.has(id)) ?? '';
    expect(await alice.stageOf(added)).toBe('Discover');
    const box = boxes.get(added);
    if (!box) throw new Error('no new card');
    for (const [id, other] of boxes) if (id !== added) expect(overlaps(box, other), `on top of ${id}`).toBe(false);
  });
});

describe('the side panel', () => {
  it("highlights the tab it shows while the card Alice has open is deleted by Bob, and after he undoes it", async () => {
    const [alice, bob] = await aliceAndBob();
    await alice.select('tp-credit-check');
    await alice.openTab('Details');

    await bob.select('tp-credit-check');
    await bob.page.keyboard.press('Delete');
    await alice.touchpoint('tp-credit-check').waitFor({ state: 'detached', ...SOON });
    await alice.nextFrames();
    let panel = await panelState(alice);
    expect(panel.disabledHighlighted).toBe(false);
    expect(panel.highlighted).toEqual([panel.showing]);

    await bob.undo();
    await alice.touchpoint('tp-credit-check').waitFor(SOON);
    await alice.nextFrames();
    panel = await panelState(alice);
    expect(panel.disabledHighlighted).toBe(false);
    expect(panel.highlighted).toEqual([panel.showing]);
  });

  it('highlights the tab it shows after adding a card is undone', async () => {
    const alice = await aliceAlone();
    await alice.addTouchpointButton.click();
    const added = alice.page.locator('.react-flow__node-touchpoint.selected');
    await added.waitFor(SOON);
    const id = (await added.getAttribute('data-id')) ?? '';
    await alice.page.keyboard.press('Escape');

    await alice.undo();
    await alice.touchpoint(id).waitFor({ state: 'detached', ...SOON });
    await alice.nextFrames();

    const panel = await panelState(alice);
    expect(panel.disabledHighlighted).toBe(false);
    expect(panel.highlighted).toEqual([panel.showing]);
  });
});

describe('connections from the keyboard', () => {
  it('opens the label of a connection reached with Tab when Enter is pressed', async () => {
    const alice = await aliceAlone();
    await alice.page.locator('[data-testid="rf__edge-cx-checkout-confirmation"]').focus();

    await alice.page.keyboard.press('Enter');

    const editor = alice.page.getByRole('textbox', { name: 'Connection label', exact: true });
    await expect.poll(() => editor.evaluate((field) => field === document.activeElement).catch(() => false), SOON).toBe(true);
  });
});

describe('typing on the card', () => {
  it("adds a touchpoint to the selected card's stage with its label open on the card; what Alice types there reaches Bob", async () => {
    const [alice, bob] = await aliceAndBob();
    await alice.select('tp-router-delivery');
    const before = new Set((await cardBoxes(alice)).keys());

    await alice.addTouchpointButton.click();
    const field = alice.page.getByRole('textbox', { name: 'Card label', exact: true });
    await expect.poll(() => field.evaluate((input) => input === document.activeElement).catch(() => false), SOON).toBe(true);
    // The whole placeholder label is selected: typing replaces it.
    await alice.page.keyboard.type('Delivery tracking text');
    await alice.page.keyboard.press('Enter');

    const id = [...(await cardBoxes(alice)).keys()].find((card) => !before.has(card)) ?? '';
    expect(await alice.stageOf(id)).toBe('Use');
    // Bob's view is where it was: the new card may be below it.
    await expect
      .poll(async () => {
        await bob.fitView();
        return bob.card(id).catch(() => '');
      }, SOON)
      .toContain('Delivery tracking text');
    expect(await bob.stageOf(id)).toBe('Use');
    const boxes = await cardBoxes(alice);
    const box = boxes.get(id);
    if (!box) throw new Error('no new card');
    for (const [other, drawn] of boxes) if (other !== id) expect(overlaps(box, drawn), `on top of ${other}`).toBe(false);
  });

  it('adds a touchpoint to the stage in the middle of the view when no card is selected, in view', async () => {
    const alice = await aliceAlone();
    // Pan the map left, as a person drags the empty canvas, then zoom in on the middle.
    const pane = await alice.box(alice.page.locator('.react-flow'));
    await alice.page.mouse.move(pane.x + pane.width / 2, pane.y + 40);
    await alice.page.mouse.down();
    await alice.page.mouse.move(pane.x + pane.width / 2 - 450, pane.y + 40, { steps: 10 });
    await alice.page.mouse.up();
    await alice.settle();
    const stage = await stageInView(alice);
    expect(stage).not.toBeNull();
    const before = new Set((await cardBoxes(alice)).keys());

    await alice.addTouchpointButton.click();
    await alice.page.keyboard.type('Neighbourhood forum');
    await alice.page.keyboard.press('Enter');
    await alice.settle();

    const id = [...(await cardBoxes(alice)).keys()].find((card) => !before.has(card)) ?? '';
    expect(await alice.card(id)).toContain('Neighbourhood forum');
    expect(await alice.stageOf(id)).toBe(stage);
    const box = await alice.box(alice.touchpoint(id));
    expect(box.x).toBeGreaterThanOrEqual(pane.x);
    expect(box.y + box.height).toBeLessThanOrEqual(pane.y + pane.height);
  });

  it('points at adding a stage first when the map has none, instead of a button that fails', async () => {
    const mapId = await workshop.newMap();
    // Bob clears the stages from a client of his own (the stage controls are another part of the canvas).
    const client = await CollabClient.open(workshop.server.collabUrl, mapId, await workshop.collabToken('bob', mapId));
    for (const stageId of getStageIds(client.doc)) deleteStage(client.doc, stageId, { userId: workshop.person('bob').id, kind: 'local' });
    const alice = await workshop.join('alice', mapId);

    await expect.poll(() => alice.addTouchpointButton.isDisabled(), SOON).toBe(true);
    expect(await alice.addTouchpointButton.getAttribute('title')).toMatch(/^Add a stage first/);
  });

  it('renames a card in place on a double-click, for everyone; Escape leaves it as it was', async () => {
    const [alice, bob] = await aliceAndBob();
    const field = alice.page.getByRole('textbox', { name: 'Card label', exact: true });

    await alice.touchpoint('tp-store-visit').locator('p').first().dblclick();
    await field.waitFor(SOON);
    // Typing goes to the card, not to the inspector's field as before.
    await expect.poll(() => field.evaluate((input) => input === document.activeElement), SOON).toBe(true);
    expect(await field.inputValue()).toBe('Store visit');
    await alice.page.keyboard.type('Shop visit');
    await alice.page.keyboard.press('Escape');
    await field.waitFor({ state: 'detached', ...SOON });
    expect(await alice.card('tp-store-visit')).toContain('Store visit');

    await alice.touchpoint('tp-store-visit').locator('p').first().dblclick();
    await field.waitFor(SOON);
    await alice.page.keyboard.type('Visit to a FiberNet shop');
    await alice.page.keyboard.press('Enter');
    // The keyboard stays on the card.
    await expect.poll(() => alice.touchpoint('tp-store-visit').evaluate((card) => card === document.activeElement), SOON).toBe(true);

    await expect.poll(() => bob.card('tp-store-visit'), SOON).toContain('Visit to a FiberNet shop');
  });

  it('keeps the text on cards at 11 px or more, the cards at their declared size', async () => {
    const alice = await aliceAlone();
    await alice.page.locator('.react-flow__controls-zoomin').click();
    await alice.settle();
    expect(await smallestCardText(alice)).toBeGreaterThanOrEqual(11);
    const { zoom } = await alice.viewport();
    const box = await alice.box(alice.touchpoint('tp-first-bill'));
    expect(box.width).toBeCloseTo(CARD_WIDTH * zoom, 0);
    expect(box.height).toBeCloseTo(CARD_HEIGHT * zoom, 0);
  });
});

describe('connection labels', () => {
  it('labels a connection from a double-click on its line; Bob sees the label, never under a card', async () => {
    const [alice, bob] = await aliceAndBob();
    const at = await pointOnConnection(alice, 'cx-checkout-confirmation');

    await alice.page.mouse.dblclick(at.x, at.y);
    const field = alice.page.getByRole('textbox', { name: 'Connection label', exact: true });
    await field.waitFor(SOON);
    expect(await field.getAttribute('maxlength')).toBe('200');
    await alice.page.keyboard.type('sends the wrong date');
    await alice.page.keyboard.press('Enter');

    const label = bob.page.getByTestId('connection-label-cx-checkout-confirmation');
    await expect.poll(() => label.innerText().catch(() => ''), SOON).toBe('sends the wrong date');
    // Half-way along, this line passes behind "Credit check": the label goes where it hides no card, and above the cards.
    expect(await isUncovered(label)).toBe(true);
    expect(await isUncovered(alice.page.getByTestId('connection-label-cx-checkout-confirmation'))).toBe(true);

    // And edited again from the keyboard: Tab to the line, Enter.
    await alice.page.locator('[data-testid="rf__edge-cx-checkout-confirmation"]').focus();
    await alice.page.keyboard.press('Enter');
    await field.waitFor(SOON);
    await alice.page.keyboard.type('confirms the order');
    await alice.page.keyboard.press('Enter');
    await expect.poll(() => label.innerText().catch(() => ''), SOON).toBe('confirms the order');
  });
});

describe('the card details', () => {
  it('links a card to the contact center with one toggle, for everyone; Ctrl+Z takes the link back', async () => {
    const [alice, bob] = await aliceAndBob();
    const hubLine = (canvas: Canvas) => canvas.page.locator('.react-flow__edge[aria-label^="Connection from Store visit to Contact center"]');
    expect(await hubLine(bob).count()).toBe(0);

    await alice.select('tp-store-visit');
    await alice.openTab('Details');
    const toggle = alice.inspector.getByRole('checkbox', { name: /Drives contacts to the contact center/ });
    expect(await toggle.isChecked()).toBe(false);
    // The box shows the document, which the canvas reads once per frame: click, then wait for it (check() wants it at once).
    await toggle.click();
    await expect.poll(() => toggle.isChecked(), SOON).toBe(true);

    await hubLine(bob).waitFor({ state: 'attached', ...SOON });
    await bob.select('tp-store-visit');
    await bob.openTab('Details');
    expect(await bob.inspector.getByRole('checkbox', { name: /Drives contacts to the contact center/ }).isChecked()).toBe(true);

    await alice.undo();
    await hubLine(bob).waitFor({ state: 'detached', ...SOON });
    await expect.poll(() => toggle.isChecked(), SOON).toBe(false);

    // Unchecked on a card already linked, every connection between it and the hub goes.
    await alice.select('tp-first-bill');
    await alice.openTab('Details');
    const linked = alice.inspector.getByRole('checkbox', { name: /Drives contacts to the contact center/ });
    expect(await linked.isChecked()).toBe(true);
    await linked.click();
    await expect.poll(() => linked.isChecked(), SOON).toBe(false);
    await bob.page.locator('[data-testid="rf__edge-cx-first-bill-hub"]').waitFor({ state: 'detached', ...SOON });
  });

  it("takes a touchpoint's external key (schema v2) that the other person sees, and refuses one another card has, in plain words", async () => {
    const [alice, bob] = await aliceAndBob();
    await alice.edit('tp-sales-chat', { 'External key': '  CR-SALES-CHAT-2 ' });
    await bob.edit('tp-sales-chat', {});
    await expect.poll(() => bob.field('External key').inputValue(), SOON).toBe('CR-SALES-CHAT-2');

    // CR-FIRST-BILL is the demo's key of "First bill".
    await bob.fill('External key', 'CR-FIRST-BILL');
    const alert = bob.inspector.getByRole('alert');
    await expect.poll(() => alert.innerText().catch(() => ''), SOON).toBe('"CR-FIRST-BILL" is already the external key of "First bill": a key names one touchpoint.');
    await alice.select('tp-sales-chat');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await alice.field('External key').inputValue()).toBe('CR-SALES-CHAT-2');

    // Emptied, the key is gone for both.
    await bob.fill('External key', '');
    await expect.poll(() => alice.field('External key').inputValue(), SOON).toBe('');
  });

  it('an action added on a pain point shows on the cards, stands out when overdue, is read-only for a commenter, and leaves the card when done', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob, cora] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId), workshop.join('cora', mapId)]);
    const title = 'Explain the first bill in the welcome mail';
    await alice.edit('tp-first-bill', {});
    const form = alice.inspector.getByRole('form', { name: 'Add an action' });
    await form.getByLabel('New action', { exact: true }).fill(title);
    await form.getByLabel('New action owner team').fill('Billing');
    await form.getByLabel('New action due date').fill('2020-01-31');
    await form.getByLabel('New action pain point').selectOption({ index: 1 });
    await form.getByRole('button', { name: 'Add action' }).click();

    for (const person of [alice, bob]) {
      const chip = person.page.getByTestId('actions-tp-first-bill');
      await expect.poll(() => chip.getAttribute('aria-label').catch(() => null), SOON).toBe('1 open action, 1 overdue');
    }
    await alice.inspector.getByText('Overdue', { exact: true }).waitFor();

    // Cora comments: she reads the action and can neither add nor change one.
    await cora.edit('tp-first-bill', {});
    await cora.inspector.getByRole('listitem', { name: `Action: ${title}` }).waitFor(SOON);
    expect(await cora.inspector.getByRole('form', { name: 'Add an action' }).count()).toBe(0);
    expect(await cora.inspector.getByLabel(`Status of ${title}`).isDisabled()).toBe(true);

    await bob.edit('tp-first-bill', {});
    await bob.inspector.getByLabel(`Status of ${title}`).selectOption('done');
    await alice.page.getByTestId('actions-tp-first-bill').waitFor({ state: 'detached', ...SOON });
    await expect.poll(() => alice.inspector.getByText(/^Done \d/).count(), SOON).toBe(1);
    expect(await alice.inspector.getByText('Overdue', { exact: true }).count()).toBe(0);
  });

  it('an editor marks the map reviewed: everyone sees when and by whom; a commenter has no button', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob, cora] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId), workshop.join('cora', mapId)]);
    const status = (person: Canvas) => person.page.getByTestId('review-status').innerText().catch(() => '');
    expect(await status(alice)).toContain('Never reviewed.');
    expect(await cora.page.getByRole('button', { name: 'Mark reviewed' }).count()).toBe(0);
    await bob.page.getByRole('button', { name: 'Mark reviewed' }).click();
    for (const person of [alice, bob, cora]) {
      await expect.poll(() => status(person), SOON).toMatch(/^Last reviewed \d+ \w+ \d{4} by Bob Ortiz\.$/);
    }
  });

  it('refuses -5 contacts a month in plain words while it is typed, and writes nothing', async () => {
    const [alice, bob] = await aliceAndBob();
    await alice.edit('tp-sales-chat', {});
    const contacts = alice.field('Contacts / month');
    expect(await contacts.getAttribute('min')).toBe('0');
    expect(await alice.field('Label').getAttribute('maxlength')).toBe('200');
    expect(await alice.field('Owner (team)').getAttribute('maxlength')).toBe('200');

    await contacts.fill('-5');
    const alert = alice.inspector.getByRole('alert');
    await expect.poll(() => alert.innerText().catch(() => ''), SOON).toBe("Contacts a month can't be negative.");
    await contacts.press('Enter');
    expect(await alert.innerText()).toBe("Contacts a month can't be negative.");
    expect(await alert.innerText()).not.toMatch(/contactVolume/);

    await alice.edit('tp-sales-chat', { Label: 'Sales chat, live' });
    await expect.poll(() => bob.card('tp-sales-chat'), SOON).toContain('Sales chat, live');
    expect(await bob.card('tp-sales-chat')).toContain('260/mo');
    expect(await alice.card('tp-sales-chat')).toContain('260/mo');
  });
});
