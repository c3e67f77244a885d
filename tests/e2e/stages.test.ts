/**
 * Stages and the map's own fields on the canvas (issue 11 §3 "Stages", "The
 * map title renamed from the canvas; the persona edited somewhere", "a blank
 * map says how to start"; §4 "Stage header: the accountable team and the
 * computed owner told apart", "no text under 11 px"). Alice owns the map, Bob
 * edits, Cora comments, each in a browser of their own, on the demo map
 * (stages Discover, Choose, Buy, Use, Get help, Renew or leave) or a blank one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Canvas } from './support/canvas-driver';
import { Workshop } from './support/workshop';

/** How long a change may take to show on the other screen. */
const SOON = { timeout: 10_000 };
const DEMO_STAGES = ['Discover', 'Choose', 'Buy', 'Use', 'Get help', 'Renew or leave'];
/** The touchpoints of Use in the demo map. */
const IN_USE = ['tp-router-delivery', 'tp-technician-visit', 'tp-setup-guide', 'tp-account-app', 'tp-first-bill', 'tp-home-wifi'];

let workshop: Workshop;

beforeAll(async () => {
  workshop = await Workshop.open(['alice', 'bob', 'cora']);
});

afterEach(async () => {
  await workshop?.leave();
});

afterAll(async () => {
  await workshop?.close();
});

async function aliceAndBob(mapId?: string): Promise<[Canvas, Canvas]> {
  const id = mapId ?? (await workshop.newMap());
  return Promise.all([workshop.join('alice', id), workshop.join('bob', id)]);
}

describe('stages on the canvas', () => {
  it('shows Bob a stage Alice adds after the last one and names as she types it in', async () => {
    const [alice, bob] = await aliceAndBob();

    const id = await alice.addStage('Move house');

    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual([...DEMO_STAGES, 'Move house']);
    await expect.poll(() => bob.stageHeader(id).isVisible(), SOON).toBe(true);
    // The name field keeps to the limit while typing.
    expect(await alice.page.getByRole('textbox', { name: 'Stage name: Move house', exact: true }).getAttribute('maxlength')).toBe('200');
  });

  it('reorders the stages when Alice drags the header of Buy before Choose; the cards of Buy travel with it', async () => {
    const [alice, bob] = await aliceAndBob();
    const buyX = (await bob.box(bob.touchpoint('tp-online-checkout'))).x;

    await alice.dragStage('Buy', { before: 'Choose' });

    const order = ['Discover', 'Buy', 'Choose', 'Use', 'Get help', 'Renew or leave'];
    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(order);
    await expect.poll(async () => (await bob.box(bob.touchpoint('tp-online-checkout'))).x, SOON).toBeLessThan(buyX);
    expect(await bob.stageOf('tp-online-checkout')).toBe('Buy');
    expect(await bob.stageOf('tp-sales-chat')).toBe('Choose');
  });

  it('leaves the stages as they were when Alice presses Escape during a drag', async () => {
    const [alice] = await aliceAndBob();
    const handle = await alice.box(alice.lane('Use').getByRole('button', { name: 'Drag to reorder stage Use', exact: true }));
    const discover = await alice.box(alice.lane('Discover'));
    await alice.page.mouse.move(handle.x + 5, handle.y + 5);
    await alice.page.mouse.down();
    await alice.page.mouse.move(discover.x + 6, handle.y + 5, { steps: 8 });
    await alice.page.getByTestId('stage-drop-marker').waitFor();
    await alice.page.keyboard.press('Escape');
    await alice.page.mouse.up();
    await alice.nextFrames();
    expect(await alice.page.getByTestId('stage-drop-marker').count()).toBe(0);
    expect(await alice.stageNames()).toEqual(DEMO_STAGES);
  });

  it('moves a stage from the keyboard with Move right in its menu, and Ctrl+Z moves it back', async () => {
    const [alice, bob] = await aliceAndBob();

    await alice.stageMenu('Discover', 'Move right');
    await expect.poll(() => bob.stageNames(), SOON).toEqual(['Choose', 'Discover', 'Buy', 'Use', 'Get help', 'Renew or leave']);

    await alice.undo();
    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(DEMO_STAGES);
  });

  it('deletes Use with its cards moved to Buy, live for Bob, and one Ctrl+Z brings the stage and its cards back', async () => {
    const [alice, bob] = await aliceAndBob();

    await alice.deleteStage('Use', { moveTo: 'Buy' });

    await expect.poll(() => alice.stageNames(), SOON).toEqual(['Discover', 'Choose', 'Buy', 'Get help', 'Renew or leave']);
    await expect.poll(() => bob.page.getByRole('textbox', { name: 'Stage name: Use', exact: true }).count(), SOON).toBe(0);
    // Stacked below the cards that were there, in Buy's column: no card on top of another.
    const spans: Array<[number, number]> = [];
    for (const id of ['tp-online-checkout', 'tp-credit-check', 'tp-order-confirmation', 'tp-install-booking', 'tp-number-transfer', ...IN_USE]) {
      await bob.revealCard(id);
      expect(await bob.stageOf(id)).toBe('Buy');
      const { y } = await bob.position(id);
      const { height } = await bob.box(bob.touchpoint(id));
      spans.push([y, y + height / (await bob.viewport()).zoom]);
    }
    for (const [i, [top, bottom]] of spans.entries()) {
      for (const [otherTop, otherBottom] of spans.slice(i + 1)) expect(bottom <= otherTop || otherBottom <= top).toBe(true);
    }
    expect(await bob.stageNames()).toEqual(['Discover', 'Choose', 'Buy', 'Get help', 'Renew or leave']);

    await alice.undo();
    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(DEMO_STAGES);
    for (const id of IN_USE) await expect.poll(() => bob.stageOf(id), SOON).toBe('Use');
  });

  it('deletes a stage with its touchpoints only after an explicit confirmation; the hub stays; Ctrl+Z brings them back', async () => {
    const [alice, bob] = await aliceAndBob();

    await alice.stageMenu('Get help', 'Delete stage…');
    const dialog = alice.deleteStageDialog;
    await dialog.getByText('It holds 5 touchpoints.').waitFor();
    await dialog.getByRole('radio', { name: 'Delete them too' }).check();
    const confirm = dialog.getByRole('button', { name: 'Delete the stage and 5 touchpoints' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: /Yes, delete 5 touchpoints/ }).check();
    await confirm.click();

    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(['Discover', 'Choose', 'Buy', 'Use', 'Renew or leave']);
    await expect.poll(() => bob.touchpoint('tp-ivr').count(), SOON).toBe(0);
    expect(await bob.page.locator('.react-flow__node-hub').count()).toBe(1);

    await alice.undo();
    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(DEMO_STAGES);
    await expect.poll(() => bob.stageOf('tp-ivr'), SOON).toBe('Get help');
  });

  it('keeps the stage when Alice cancels the dialog', async () => {
    const [alice] = await aliceAndBob();
    await alice.stageMenu('Renew or leave', 'Delete stage…');
    await alice.deleteStageDialog.getByRole('button', { name: 'Cancel' }).click();
    await alice.deleteStageDialog.waitFor({ state: 'hidden' });
    expect(await alice.stageNames()).toEqual(DEMO_STAGES);
  });

  it('tells an empty stage name in plain words, and keeps the name', async () => {
    const [alice] = await aliceAndBob();
    await alice.renameStage('Buy', '   ');
    await expect.poll(() => alice.message.innerText(), SOON).toBe('A stage needs a name.');
    expect(await alice.stageNames()).toEqual(DEMO_STAGES);
  });

  it('shows Cora, a commenter, no stage controls', async () => {
    const mapId = await workshop.newMap();
    const cora = await workshop.join('cora', mapId);
    expect(await cora.stageNames()).toEqual(DEMO_STAGES);
    expect(await cora.addStageButton.count()).toBe(0);
    expect(await cora.page.getByRole('button', { name: /^Stage menu:/ }).count()).toBe(0);
    expect(await cora.page.getByRole('button', { name: /^Drag to reorder stage/ }).count()).toBe(0);
    expect(await cora.page.getByRole('button', { name: 'Map details' }).count()).toBe(0);
    expect(await cora.mapTitle.getByRole('button').count()).toBe(0);
    expect(await cora.page.getByRole('textbox', { name: /^Stage name:/ }).first().isDisabled()).toBe(true);
  });
});

describe('a blank map', () => {
  it('says how to start once it has no stages, and Add stage starts it, live for Bob', async () => {
    const [alice, bob] = await aliceAndBob(await workshop.newBlankMap());
    // With its standard stages and no touchpoint yet, it says how to put the first one on.
    expect(await alice.page.getByTestId('touchpoints-empty-state').innerText()).toContain('Double-click in a stage’s column');
    for (const name of await alice.stageNames()) await alice.deleteStage(name, 'empty');

    for (const person of [alice, bob]) await person.page.getByTestId('stages-empty-state').waitFor(SOON);
    expect(await alice.page.getByTestId('stages-empty-state').innerText()).toContain('Start with the stages of the journey');
    // "Add a stage first" now points at a button that is there.
    expect(await alice.addTouchpointButton.isDisabled()).toBe(true);
    expect(await alice.addTouchpointButton.getAttribute('title')).toContain('“Add stage” on the canvas');
    expect(await alice.addStageButton.isVisible()).toBe(true);

    await alice.addStage('Arrive');
    for (const person of [alice, bob]) await expect.poll(() => person.stageNames(), SOON).toEqual(['Arrive']);
    await expect.poll(() => bob.page.getByTestId('stages-empty-state').count(), SOON).toBe(0);

    await alice.addTouchpointButton.click();
    const card = alice.page.locator('.react-flow__node-touchpoint.selected');
    await card.waitFor();
    const id = await card.getAttribute('data-id');
    await expect.poll(() => bob.stageOf(id ?? ''), SOON).toBe('Arrive');
  });
});

describe("the map's title and persona", () => {
  it('renames the map from the canvas: Bob\'s header and the map\'s record follow', async () => {
    const [alice, bob] = await aliceAndBob();
    const mapId = alice.page.url().split('/').at(-1) ?? '';

    await alice.renameMap('FiberNet switch, Q3 workshop');

    await expect.poll(() => bob.mapTitle.innerText(), SOON).toBe('FiberNet switch, Q3 workshop');
    expect(await alice.mapTitle.innerText()).toBe('FiberNet switch, Q3 workshop');
    await expect.poll(async () => (await workshop.mapRecord(mapId)).title, SOON).toBe('FiberNet switch, Q3 workshop');
    expect(await alice.page.getByRole('textbox', { name: 'Map title' }).count()).toBe(0);
  });

  it('refuses an empty title in plain words and keeps the old one', async () => {
    const [alice] = await aliceAndBob();
    const before = await alice.mapTitle.innerText();
    await alice.renameMap('  ');
    await expect.poll(() => alice.message.innerText(), SOON).toBe('The map needs a title.');
    expect(await alice.mapTitle.innerText()).toBe(before);
  });

  it('edits the persona in Map details; the report shows it', async () => {
    const [alice] = await aliceAndBob();
    const mapId = alice.page.url().split('/').at(-1) ?? '';
    await alice.page.getByRole('button', { name: 'Map details', exact: true }).click();
    expect(await alice.page.getByLabel('Persona', { exact: true }).getAttribute('maxlength')).toBe('500');
    await alice.page.getByRole('button', { name: 'Cancel', exact: true }).click();

    await alice.setPersona('Sam, 52, moving house with two teenagers who game online');

    await alice.page.goto(`/maps/${mapId}/report`);
    await alice.page.getByText('Persona: Sam, 52, moving house with two teenagers who game online').waitFor(SOON);
  });
});

describe('the stage header', () => {
  it('tells the accountable team a person set from the owners the cards give, and has no text under 11 px', async () => {
    const [alice, bob] = await aliceAndBob();
    const owners = (canvas: Canvas, stageId: string) => canvas.page.getByTestId(`stage-owners-${stageId}`).innerText();

    expect(await bob.page.getByLabel('Accountable team for Buy').inputValue()).toBe('Sales');
    expect(await owners(bob, 'stage-buy')).toBe('Card owners: Billing, E-commerce, Field Operations, Sales');
    expect(await owners(bob, 'stage-choose')).toMatch(/^No accountable team · owners: E-commerce, Marketing, Sales \(fragmented\) · suggested: \w+/);
    expect(await owners(bob, 'stage-get-help')).toBe('No accountable team · owner from its cards: Contact Center');

    await alice.page.getByLabel('Accountable team for Choose').fill('Sales');
    await alice.page.getByLabel('Accountable team for Choose').press('Enter');
    await expect.poll(() => owners(bob, 'stage-choose'), SOON).toBe('Card owners: E-commerce, Marketing, Sales');
    expect(await bob.page.getByLabel('Accountable team for Choose').inputValue()).toBe('Sales');

    const smallest = await bob.page.evaluate(() => {
      let min = Infinity;
      for (const header of document.querySelectorAll('[data-testid^="stage-header-"]')) {
        for (const element of [header, ...header.querySelectorAll('*')]) {
          const hasText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()) || element instanceof HTMLInputElement;
          if (hasText) min = Math.min(min, parseFloat(getComputedStyle(element).fontSize));
        }
      }
      return min;
    });
    expect(smallest).toBeGreaterThanOrEqual(11);
  });
});
