/**
 * Issue 16 in Chromium, as a facilitator does it: Alice imports the journey
 * her team kept in a spreadsheet (its own column names, mapped on the
 * dashboard with a preview of the first rows), lands on the new map laid out
 * by stage, shares it with Bob, tidies it up as one change Bob sees and one
 * undo takes back, and downloads it. A file with a bad row is refused with
 * the row's number and makes no map. What the Mermaid download holds parses
 * with Mermaid's own parser, in the browser.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRows } from '../../lib/exchange/csv';
import { pictureFrame } from '../../lib/journey/layout';
import type { JourneyMap } from '../../lib/journey/types';
import { cardBoxes, overlaps, type Canvas } from './support/canvas-driver';
import { Workshop } from './support/workshop';
import { REPO_ROOT } from '../support/server';

const SOON = { timeout: 10_000 };

/** A team's own spreadsheet: German headers, semicolons (a German Excel's CSV), a quoted cell with a line break. */
const SPREADSHEET = [
  'Phase;Kontaktpunkt;Kanal;Team;Gefühl;Schmerzpunkte',
  'Entdecken;Werbung im Netz;web;Marketing;1;',
  'Entdecken;Vergleichsportal;web;Marketing;0;',
  'Kaufen;Online-Bestellung;web;E-Commerce;1;',
  'Kaufen;Hotline;phone;Vertrieb;-1;"S4 F4: Warteschleife\nS2 F3: Rückruf vergessen"',
  'Nutzen;Router-Einrichtung;app;Technik;-2;S5 F3: Anleitung fehlt',
  'Hilfe;Chat;chat;Kundenservice;0;',
].join('\r\n');

let workshop: Workshop;

beforeAll(async () => {
  workshop = await Workshop.open(['alice', 'bob']);
});

afterEach(async () => {
  await workshop?.leave();
});

afterAll(async () => {
  await workshop?.close();
});

async function dashboard(): Promise<import('playwright-core').Page> {
  const page = await (await workshop.newContext('alice')).newPage();
  await page.goto('/');
  return page;
}

describe('import on the dashboard', () => {
  it('maps a spreadsheet\'s own columns with a preview, imports it, and Bob edits the new map with Alice; tidy up is one change and one undo', async () => {
    const page = await dashboard();
    const form = page.getByRole('form', { name: 'Import a map' });
    await form.locator('input[type=file]').setInputFiles({ name: 'Kundenreise Breitband.csv', mimeType: 'text/csv', buffer: Buffer.from(SPREADSHEET) });
    // The columns of the same name are none here: the label must be chosen before anything can be imported.
    await expect.poll(() => form.getByRole('button', { name: 'Import as a new map' }).isDisabled(), SOON).toBe(true);
    await form.getByLabel('Stage').selectOption('Phase');
    await form.getByLabel('Touchpoint (label)').selectOption('Kontaktpunkt');
    await form.getByLabel('Channel').selectOption('Kanal');
    await form.getByLabel('Owner (team)').selectOption('Team');
    await form.getByLabel('Emotion (−2 to 2)').selectOption('Gefühl');
    await form.getByLabel('Pain points').selectOption('Schmerzpunkte');
    const preview = form.getByRole('table');
    expect(await preview.getByRole('row').count()).toBe(6);
    expect(await preview.innerText()).toContain('Werbung im Netz');
    expect(await form.getByLabel('Title of the new map').inputValue()).toBe('Kundenreise Breitband');

    await form.getByRole('button', { name: 'Import as a new map' }).click();
    await page.waitForURL(/\/maps\/[\w-]+$/, SOON);
    const mapId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.close();

    await workshop.share(mapId);
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    for (const label of ['Werbung im Netz', 'Hotline', 'Router-Einrichtung', 'Chat']) await bob.page.getByText(label, { exact: true }).first().waitFor(SOON);
    const boxes = [...(await cardBoxes(bob)).values()];
    expect(boxes.length).toBeGreaterThanOrEqual(6);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);

    // Bob drags nothing; Alice moves a card out of line, then tidies up: Bob sees it back in its column.
    const hotline = await idOf(alice, 'Hotline');
    const before = await bob.position(hotline);
    await alice.dragBy(hotline, { dx: 20, dy: 160 });
    await expect.poll(() => bob.position(hotline), SOON).not.toEqual(before);
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    await alice.page.getByRole('button', { name: /Tidy up the layout/ }).click();
    await alice.page.getByText(/Tidied up: 1 card moved/).waitFor(SOON);
    await expect.poll(() => bob.position(hotline), SOON).toEqual(before);
    // One undo puts back what the tidy-up moved, for everyone.
    await alice.page.getByRole('button', { name: 'Undo my last change' }).click();
    await expect.poll(() => bob.position(hotline), SOON).not.toEqual(before);
  });

  it('an Excel workbook of the team\'s own columns comes in the same way, its first sheet previewed', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Reise');
    sheet.addRows([
      ['Phase', 'Kontaktpunkt', 'Gefühl'],
      ['Kaufen', 'Online-Bestellung', 1],
      ['Nutzen', 'Router-Einrichtung', -2],
    ]);
    const page = await dashboard();
    const form = page.getByRole('form', { name: 'Import a map' });
    await form.locator('input[type=file]').setInputFiles({ name: 'Reise.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await workbook.xlsx.writeBuffer()) });
    expect(await form.getByLabel('Format').inputValue()).toBe('xlsx');
    await form.getByLabel('Touchpoint (label)').selectOption('Kontaktpunkt', SOON);
    await form.getByLabel('Stage').selectOption('Phase');
    await form.getByLabel('Emotion (−2 to 2)').selectOption('Gefühl');
    expect(await form.getByRole('table').innerText()).toContain('Router-Einrichtung');
    await form.getByRole('button', { name: 'Import as a new map' }).click();
    await page.waitForURL(/\/maps\/[\w-]+$/, SOON);
    await page.getByText('Router-Einrichtung', { exact: true }).first().waitFor(SOON);
    await page.close();
  });

  it('refuses a file with a bad row, naming the row, and makes no map', async () => {
    const page = await dashboard();
    const listed = await page.locator('a[href^="/maps/"]').count();
    const form = page.getByRole('form', { name: 'Import a map' });
    await form.locator('input[type=file]').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('stage,label,emotion\nBuy,Shop,1\nBuy,Hotline,7\n') });
    await form.getByRole('button', { name: 'Import as a new map' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor(SOON);
    expect(await alert.innerText()).toContain('One row is not valid; nothing was imported');
    expect(await alert.innerText()).toContain('Row 3: emotion must be between -2 and 2 (got 7)');
    expect(page.url()).toBe(`${workshop.server.url}/`);
    await page.reload();
    expect(await page.locator('a[href^="/maps/"]').count()).toBe(listed);
  });
});

describe('a file into an empty map', () => {
  it('Alice pours a spreadsheet into the blank map Bob has open: he sees the stages and cards come; her one undo takes them back', async () => {
    const mapId = await workshop.newMap('Blank on Tuesday', 'blank');
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    await alice.page.getByTestId('touchpoints-empty-state').waitFor(SOON);
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    const choosing = alice.page.waitForEvent('filechooser');
    await alice.page.getByRole('button', { name: /Import a file into this map/ }).click();
    await (await choosing).setFiles({ name: 'journey.csv', mimeType: 'text/csv', buffer: Buffer.from('stage,label,owner\nKaufen,Online-Shop,E-Commerce\nKaufen,Hotline,Vertrieb\nNutzen,App,\n') });
    await alice.page.getByText(/Imported 3 touchpoints in 2 stages from journey\.csv/).waitFor(SOON);
    for (const label of ['Online-Shop', 'Hotline', 'App']) await bob.page.getByText(label, { exact: true }).first().waitFor(SOON);
    expect(await bob.stageNames()).toEqual(['Kaufen', 'Nutzen']);
    await alice.page.getByRole('button', { name: 'Undo my last change' }).click();
    await expect.poll(() => bob.stageNames(), SOON).toEqual(['Discover', 'Choose', 'Buy', 'Use', 'Get help', 'Renew or leave']);
    expect(await bob.cardsDrawn()).toBe(0);
    // With cards on it, the map takes no file: the menu no longer offers it.
    await alice.page.getByRole('button', { name: 'Redo' }).click();
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    expect(await alice.page.getByRole('button', { name: /Import a file into this map/ }).count()).toBe(0);
  });
});

describe('downloads', () => {
  it('the canvas menu downloads the CSV named after the map, and the Mermaid text parses with Mermaid itself', async () => {
    const mapId = await workshop.newMap('Réclamations 2026');
    const alice = await workshop.join('alice', mapId);
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByRole('link', { name: /^CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe('Réclamations-2026.csv');
    const csv = fs.readFileSync((await download.path()) ?? '', 'utf8');
    const rows = readCsvRows(csv).filter((row) => row.length > 1);
    expect(rows[0]?.slice(0, 3)).toEqual(['stage', 'label', 'channel']);
    expect(rows.length).toBeGreaterThan(10);

    const mermaid = await alice.page.evaluate(async (url) => (await fetch(url)).text(), `/api/maps/${mapId}/export?format=mermaid`);
    const blank = await alice.page.context().newPage();
    await blank.setContent('<!doctype html><title>mermaid</title>');
    await blank.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/mermaid/dist/mermaid.min.js') });
    const parsed = await blank.evaluate(async (text) => {
      const engine = (globalThis as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } }).mermaid;
      return (await engine.parse(text)).diagramType;
    }, mermaid);
    expect(parsed).toBe('journey');
  });
});

describe('pictures of the canvas', () => {
  it('a PNG of the whole map has the map\'s size; its SVG holds the labels of cards in every stage, in view or not; the view\'s PNG is the canvas\'s size', async () => {
    const mapId = await workshop.newMap('Picture this');
    const alice = await workshop.join('alice', mapId, { asOpened: true });
    const file = (await alice.page.evaluate(async (url) => (await fetch(url)).json(), `/api/maps/${mapId}/export?format=json`)) as { map: JourneyMap };
    const frame = pictureFrame(file.map);

    const save = async (name: string) => {
      await alice.page.getByRole('button', { name: 'Map ▾' }).click();
      const downloading = alice.page.waitForEvent('download', { timeout: 30_000 });
      await alice.page.getByRole('button', { name }).click();
      const download = await downloading;
      return { name: download.suggestedFilename(), bytes: fs.readFileSync((await download.path()) ?? '') };
    };
    const png = await save('PNG picture of the whole map');
    expect(png.name).toBe('Picture-this.png');
    expect(pngSize(png.bytes)).toEqual({ width: frame.width, height: frame.height });
    expect(frame.zoom).toBe(1);

    const svg = await save('SVG picture of the whole map');
    const text = svg.bytes.toString('utf8');
    const touchpoints = Object.values(file.map.touchpoints).filter((t) => t.kind === 'touchpoint');
    for (const stage of file.map.stages) {
      const card = touchpoints.find((t) => t.stageId === stage.id);
      if (card) expect(text, `a card of ${stage.name}`).toContain(card.label);
    }

    const view = await save('PNG picture of the current view');
    expect(view.name).toBe('Picture-this-view.png');
    const pane = await alice.page.locator('.react-flow').first().boundingBox();
    expect(pngSize(view.bytes)).toEqual({ width: Math.round(pane?.width ?? 0), height: Math.round(pane?.height ?? 0) });
    // The canvas is back as it was: the picture changed nothing on screen.
    expect(await alice.page.locator('.react-flow').first().boundingBox()).toEqual(pane);
  });
});

/** A PNG's size, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The id of the card whose label is `label`. */
async function idOf(canvas: Canvas, label: string): Promise<string> {
  const card = canvas.page.locator('.react-flow__node-touchpoint', { hasText: label }).first();
  return (await card.getAttribute('data-id')) ?? '';
}
