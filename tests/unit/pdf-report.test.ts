/**
 * The PDF report (server/exchange/pdf-report.ts) as a reader gets it, read
 * back with poppler's tools: its text is real text (pdftotext finds the title,
 * the stages, the figures as printed, the cards and the actions), it renders
 * (pdftoppm), any script in the embedded fonts comes out as typed, a long
 * label is cut within its card, and a 5,000-touchpoint map renders in time on
 * many pages.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatPercent } from '../../components/report/format';
import { annotateMap } from '../../lib/annotations';
import { blankMap, demoMap } from '../../lib/journey/templates';
import type { Action, JourneyMap, Touchpoint } from '../../lib/journey/types';
import { renderPdfReport } from '../../server/exchange/pdf-report';

const GENERATED_AT = new Date(Date.UTC(2025, 10, 27, 9, 30));
const NO_DISCUSSION = { comments: {}, votes: {} };

let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-pdf-'));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs one of poppler's tools; a clear sentence when it is not installed. */
function poppler(tool: 'pdftotext' | 'pdftoppm' | 'pdfinfo' | 'pdffonts', args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: install Debian's poppler-utils (apt-get install poppler-utils) to run the PDF report tests`);
    }
    throw error;
  }
}

async function render(name: string, map: JourneyMap, discussion = NO_DISCUSSION): Promise<{ file: string; ms: number }> {
  const annotations = annotateMap(map, discussion);
  const started = performance.now();
  const pdf = await renderPdfReport({ map, annotations, generatedAt: GENERATED_AT });
  const ms = performance.now() - started;
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return { file, ms };
}

/** The PDF's text, every run of white space as one space (a wrapped text reads whole). */
const textOf = (file: string): string => poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');

function touchpoint(id: string, stageId: string | null, label: string, extra: Partial<Touchpoint> = {}): Touchpoint {
  return { id, kind: 'touchpoint', stageId, label, channel: 'web', owner: 'Contact Center', emotion: -1, contactVolume: 120, x: 0, y: 0, painPoints: [], externalKey: null, ...extra };
}

const ACTION: Action = {
  id: 'action-ivr-options',
  touchpointId: 'tp-ivr',
  painPointId: 'pp-seven-options',
  title: 'Cut the phone menu to four options',
  ownerTeam: 'Contact Center',
  due: '2025-10-01',
  status: 'doing',
  doneAt: null,
  createdAt: Date.UTC(2025, 7, 2),
};

describe('PDF report of the demo map', () => {
  const demo = demoMap();
  demo.map.actions[ACTION.id] = ACTION;
  const annotations = annotateMap(demo.map, demo.discussion);
  let file = '';

  beforeAll(async () => {
    ({ file } = await render('demo', demo.map, demo.discussion));
  });

  it('has the title, every stage, the summary figures as printed, the cards and the actions as text', () => {
    const text = textOf(file);
    expect(text).toContain('Switching to FiberNet broadband');
    expect(text).toContain('Persona: Maya, 38');
    expect(text).toContain('JourneyHub');
    expect(text).toContain('Generated 27 Nov 2025, 09:30 UTC');
    for (const stage of demo.map.stages) expect(text).toContain(stage.name);

    const hotspot = annotations.stages.find((stage) => stage.stageId === annotations.hotspotStageId);
    expect(hotspot?.name).toBe('Buy');
    expect(annotations.failureDemand).toBeGreaterThan(0);
    expect(text).toContain(`${formatCount(annotations.failureDemand)} /mo`);
    expect(text).toContain(`HUB COVERAGE`);
    expect(text).toContain(formatPercent(annotations.hubCoverage));
    const lines = poppler('pdftotext', ['-enc', 'UTF-8', '-f', '1', '-l', '1', file, '-']).split('\n');
    expect(lines).toContain(String(annotations.ownershipGaps));

    // A card: its label; its owner and contacts a month (text reads across the columns, so not after its label).
    expect(text).toContain('Installation booking');
    expect(text).toContain('Owner: Field Operations 900 contacts/mo');
    expect(text).toContain('Emotion across the journey');
    expect(text).toContain('Annotations by stage');
    expect(text).toContain('When everyone owns the experience, nobody owns it');
    expect(text).toContain('Choose is fragmented (E-commerce, Marketing, Sales) — suggested accountable owner: Sales.');
    expect(text).toContain('Cut the phone menu to four options');
    expect(text).toContain('Overdue: due 2025-10-01');
  });

  it('is A4 landscape with the map title, JourneyHub as author and the generation time as creation date', () => {
    const info = poppler('pdfinfo', ['-isodates', file]);
    expect(info).toMatch(/^Title:\s+Switching to FiberNet broadband$/m);
    expect(info).toMatch(/^Author:\s+JourneyHub$/m);
    expect(info).toMatch(/^CreationDate:\s+2025-11-27T09:30:00Z$/m);
    expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
  });

  it('renders: page 1 as a PNG', () => {
    const prefix = path.join(dir, 'demo-page');
    poppler('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, prefix]);
    const png = fs.readdirSync(dir).find((name) => name.startsWith('demo-page') && name.endsWith('.png'));
    expect(png).toBeDefined();
    const bytes = fs.readFileSync(path.join(dir, png ?? ''));
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(bytes.length).toBeGreaterThan(5_000);
  });

  it('is the same file for the same input', async () => {
    const again = await render('demo-again', demo.map, demo.discussion);
    expect(fs.readFileSync(again.file).equals(fs.readFileSync(file))).toBe(true);
  });
});

describe('PDF report texts', () => {
  it('shows Polish, Greek, Cyrillic and CJK labels as typed, in embedded fonts', async () => {
    const { map } = blankMap({ title: 'Zażółć gęślą jaźń: Καλημέρα, Привет, 東京', persona: 'Ελένη, Москва' });
    const labels = ['Zażółć gęślą jaźń', 'Καλημέρα', 'Привет', '東京'];
    labels.forEach((label, index) => {
      map.touchpoints[`t${index}`] = touchpoint(`t${index}`, 'stage-use', label, { y: index, owner: 'Obsługa klienta' });
    });
    map.stages[0] = { id: 'stage-discover', name: 'Открытие', accountable: '東京チーム' };
    const { file } = await render('unicode', map);
    const text = textOf(file);
    for (const label of labels) expect(text).toContain(label);
    expect(text).toContain('Zażółć gęślą jaźń: Καλημέρα, Привет, 東京');
    expect(text).toContain('Owner: Obsługa klienta');
    expect(text).toContain('Открытие');
    expect(text).toContain('Accountable: 東京チーム');
    const fonts = poppler('pdffonts', [file]);
    expect(fonts).toMatch(/NotoSans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts).toMatch(/NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('cuts a label too long for its card with an ellipsis, within its column', async () => {
    const { map } = blankMap({ title: 'Long labels' });
    map.touchpoints.long = touchpoint('long', 'stage-discover', `Longlabelstart ${'very '.repeat(40)}TAILMARKER`);
    map.touchpoints.cjk = touchpoint('cjk', 'stage-discover', `長${'东京的客户服务中心'.repeat(12)}末尾`, { y: 1 });
    const { file } = await render('long', map);
    const text = textOf(file);
    expect(text).toMatch(/Longlabelstart (very )*\S*… /);
    expect(text).not.toContain('TAILMARKER');
    expect(text).not.toContain('末尾');
    // Every word of the first column ends before the second column's stage name begins.
    const words = [...poppler('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-']).matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map(
      ([, xMin, xMax, word]) => ({ xMin: Number(xMin), xMax: Number(xMax), word: word ?? '' }),
    );
    const secondColumn = words.find((word) => word.word === 'Choose');
    expect(secondColumn).toBeDefined();
    const columnEnd = (secondColumn?.xMin ?? 0) - 6;
    const cut = words.filter((word) => word.word.includes('…'));
    expect(cut.length).toBeGreaterThanOrEqual(2);
    for (const word of cut) expect(word.xMax).toBeLessThan(columnEnd);
  });
});

describe('PDF report of a large map', () => {
  it('renders 5,000 touchpoints in well under 10 s, on more than one page, every card in it', { timeout: 60_000 }, async () => {
    const { map } = blankMap({ title: 'Five thousand touchpoints' });
    const owners = ['Marketing', 'Sales', 'Billing', 'Contact Center', 'Field Operations', null];
    for (let i = 0; i < 5000; i++) {
      const stage = map.stages[i % map.stages.length];
      const label = i % 10 === 0 ? `Touchpoint ${i} with a label much too long for one line of a card` : `Touchpoint ${i}`;
      map.touchpoints[`tp-${i}`] = touchpoint(`tp-${i}`, stage?.id ?? null, label, { y: i, owner: owners[i % owners.length] ?? null, emotion: (i % 5) - 2, contactVolume: i });
    }
    const { file, ms } = await render('large', map);
    expect(ms).toBeLessThan(10_000);
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', [file]))?.[1]);
    expect(pages).toBeGreaterThan(1);
    const text = textOf(file);
    expect(text).toContain('Touchpoint 4999 ');
    expect(text).toContain('Touchpoint 1 ');
    expect(text).toContain('Journey map (continued)');
  });
});
