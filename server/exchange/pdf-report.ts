import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { OWNERSHIP_STYLES, PAIN_STYLES, formatContacts, formatCount, formatCsat, formatEmotion, formatMonth, formatPercent } from '../../components/report/format';
import type { MapAnnotations, Ownership, PainLevel, StageAnnotation } from '../../lib/annotations/types';
import { orderedTouchpoints } from '../../lib/exchange/touchpoint-rows';
import { ACTION_STATUS_WORDS, isOpen, isOverdue } from '../../lib/journey/actions';
import type { Action, JourneyMap, Touchpoint } from '../../lib/journey/types';

/**
 * The report of a journey map as a vector PDF (pdfkit), the web report's
 * sections on A4 landscape pages: the title block, the summary figures, the map
 * itself (stage columns of touchpoint cards, continued on as many pages as its
 * stages need), the emotion curve, the annotations by stage, the ownership
 * gaps and the actions. Text is real text in embedded fonts, so that it can be
 * selected, searched and extracted; shapes are vector paths.
 *
 * Fonts: a map's texts are any Unicode, which PDF's standard Helvetica
 * (WinAnsi) cannot show, and a user's machine is to need nothing installed.
 * So the fonts ship in npm packages and are embedded (subset) in the file:
 * Noto Sans (Latin with its extensions, Greek, Cyrillic, Vietnamese) and Noto
 * Sans SC (Chinese, simplified and traditional; Japanese kana and kanji). Neither covers both (Noto Sans SC
 * lacks Polish 'ż' and Greek 'έ'), so each character takes the first of them
 * that has its glyph, and a text is drawn as runs, one a font.
 * Hangul, and the scripts that need shaping (Arabic, Indic), are not covered.
 */

const require = createRequire(import.meta.url);

type Weight = 'regular' | 'bold';

/** Each weight's fonts in the order a character looks for its glyph; resolved from the packages at run time (they stay external to dist/server). */
const FONT_FILES: Readonly<Record<Weight, readonly string[]>> = {
  regular: ['@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf', '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'],
  bold: ['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf', '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'],
};

/** The part of fontkit (pdfkit's own font engine) used here: whether a font has a character. */
interface FontkitFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

interface Face {
  /**
   * The name it is registered under in each document: its path, which is also
   * how pdfkit knows the document's default font (the first regular face). Under
   * any other name, pdfkit would find that font the same as its default one and
   * parse the file again on every switch of font (5,000 cards: 55 s, not 1.5 s).
   */
  name: string;
  path: string;
  data: Buffer;
  font: FontkitFont;
}

let loadedFaces: Record<Weight, Face[]> | null = null;

/** The font files, read once a process (about 22 MB). */
function faces(): Record<Weight, Face[]> {
  if (loadedFaces) return loadedFaces;
  const fontkit = require('fontkit') as { create(data: Buffer): FontkitFont };
  const load = (weight: Weight): Face[] =>
    FONT_FILES[weight].map((specifier) => {
      const path = require.resolve(specifier);
      const data = fs.readFileSync(path);
      return { name: path, path, data, font: fontkit.create(data) };
    });
  loadedFaces = { regular: load('regular'), bold: load('bold') };
  return loadedFaces;
}

// ---------------------------------------------------------------------------
// Page geometry (points) and colours

const MARGIN = 36;
/** The lowest a line of content may reach; the footer is below. */
const FOOTER_SPACE = 26;

const INK = '#0f172a';
const MUTED = '#475569';
const LINE = '#cbd5e1';
const ACCENT = '#4338ca';
const COLUMN_FILL = '#f1f5f9';
const HEADER_FILL = '#e0e7ff';
const TABLE_HEADER_FILL = '#e2e8f0';
const ZEBRA_FILL = '#f8fafc';
const HOTSPOT_FILL = '#fef2f2';
const HOTSPOT_INK = '#b91c1c';
const WARN_LINE = '#f59e0b';
const GAP_FILL = '#fffbeb';
const GAP_INK = '#451a03';
const GAP_HEADING = '#78350f';

const PAIN_INK: Record<PainLevel, string> = { none: MUTED, low: '#854d0e', medium: '#9a3412', high: '#b91c1c', critical: '#7f1d1d' };
const OWNERSHIP_INK: Record<Ownership, string> = { owned: '#065f46', fragmented: '#92400e', unowned: '#9f1239', empty: MUTED };

/** Red below 0, green above, grey at 0 (dark enough for white text on them), pale when unknown. */
function emotionColor(emotion: number | null): string {
  if (emotion === null) return LINE;
  if (emotion < 0) return '#be123c';
  if (emotion > 0) return '#047857';
  return '#475569';
}

const ELLIPSIS = '…';
/** No line of any box here holds more characters than this; a longer text is cut before it is measured. */
const MAX_LINE_CHARS = 400;

interface TextStyle {
  size: number;
  weight?: Weight;
  color?: string;
}

/** One line of text: control characters (newlines, tabs) as spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MARK = /\p{M}/u;

/**
 * Text in the embedded fonts: measured, cut to a width with an ellipsis,
 * wrapped, drawn at a baseline, each run of characters in the first font that
 * has them.
 */
class Typesetter {
  private readonly coverage: Record<Weight, Map<number, number>> = { regular: new Map(), bold: new Map() };

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly fonts: Record<Weight, Face[]>,
  ) {
    for (const weight of ['regular', 'bold'] as const) {
      for (const face of fonts[weight]) doc.registerFont(face.name, face.data);
    }
  }

  private faceOf(weight: Weight, codePoint: number): number {
    const known = this.coverage[weight].get(codePoint);
    if (known !== undefined) return known;
    const found = this.fonts[weight].findIndex((face) => face.font.hasGlyphForCodePoint(codePoint));
    // No font has it: the first one draws its missing-glyph box.
    const index = found < 0 ? 0 : found;
    this.coverage[weight].set(codePoint, index);
    return index;
  }

  /** The text as runs, each in one font (by its name); spaces and combining marks stay with the run before them. */
  runs(text: string, weight: Weight): { font: string; text: string }[] {
    const faces = this.fonts[weight];
    const nameOf = (index: number): string => faces[index]?.name ?? '';
    if (PRINTABLE_ASCII.test(text)) return text === '' ? [] : [{ font: nameOf(0), text }];
    const runs: { font: string; text: string }[] = [];
    let current = -1;
    let buffer = '';
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0x20;
      const keep = current >= 0 && (codePoint === 0x20 || (codePoint >= 0x300 && MARK.test(char)));
      const index = keep ? current : this.faceOf(weight, codePoint);
      if (index !== current && buffer !== '') {
        runs.push({ font: nameOf(current), text: buffer });
        buffer = '';
      }
      current = index;
      buffer += char;
    }
    if (buffer !== '') runs.push({ font: nameOf(current), text: buffer });
    return runs;
  }

  width(text: string, style: TextStyle): number {
    let width = 0;
    for (const run of this.runs(text, style.weight ?? 'regular')) width += this.doc.font(run.font).fontSize(style.size).widthOfString(run.text);
    return width;
  }

  /** Draws one line with its baseline at y; returns its width. */
  draw(text: string, x: number, y: number, style: TextStyle): number {
    let at = x;
    this.doc.fillColor(style.color ?? INK);
    for (const run of this.runs(text, style.weight ?? 'regular')) {
      this.doc.font(run.font).fontSize(style.size);
      const width = this.doc.widthOfString(run.text);
      this.doc.text(run.text, at, y, { lineBreak: false, baseline: 'alphabetic' });
      at += width;
    }
    return at - x;
  }

  /** The text on one line within maxWidth: whole, or cut with an ellipsis ('' when not even that fits). */
  fit(text: string, style: TextStyle, maxWidth: number): string {
    let line = oneLine(text);
    const chars = Array.from(line);
    if (chars.length > MAX_LINE_CHARS) line = chars.slice(0, MAX_LINE_CHARS).join('');
    else if (this.width(line, style) <= maxWidth) return line;
    // The longest prefix that fits with the ellipsis after it; only tested prefixes are kept, so the result always fits.
    let low = 0;
    let high = Math.min(chars.length, MAX_LINE_CHARS) - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.width(chars.slice(0, middle).join('').trimEnd() + ELLIPSIS, style) <= maxWidth) low = middle;
      else high = middle - 1;
    }
    if (low > 0) return chars.slice(0, low).join('').trimEnd() + ELLIPSIS;
    return this.width(ELLIPSIS, style) <= maxWidth ? ELLIPSIS : '';
  }

  /** The longest prefix (at least one character) of chars that fits in maxWidth. */
  private prefixThatFits(chars: string[], style: TextStyle, maxWidth: number): number {
    let low = 1;
    let high = Math.min(chars.length, MAX_LINE_CHARS);
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.width(chars.slice(0, middle).join(''), style) <= maxWidth) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * The text as lines of at most maxWidth (the first one firstWidth), broken at
   * spaces, or within a word that fits no line (texts without spaces, such as
   * Chinese); at most maxLines, the last one cut with an ellipsis if the text goes on.
   */
  wrap(text: string, style: TextStyle, maxWidth: number, maxLines: number, firstWidth = maxWidth): string[] {
    const words = oneLine(text).split(' ').filter((word) => word !== '');
    const lines: string[] = [];
    const widthOf = (index: number) => (index === 0 ? firstWidth : maxWidth);
    let line = '';
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? '';
      const candidate = line === '' ? word : `${line} ${word}`;
      if (this.width(candidate, style) <= widthOf(lines.length)) {
        line = candidate;
        continue;
      }
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      if (lines.length >= maxLines - 1) {
        lines.push(this.fit(words.slice(i).join(' '), style, widthOf(lines.length)));
        return lines;
      }
      if (this.width(word, style) <= widthOf(lines.length)) {
        line = word;
        continue;
      }
      let chars = Array.from(word);
      while (chars.length > 0) {
        if (lines.length >= maxLines - 1) {
          lines.push(this.fit([chars.join(''), ...words.slice(i + 1)].join(' '), style, widthOf(lines.length)));
          return lines;
        }
        const take = this.prefixThatFits(chars, style, widthOf(lines.length));
        if (take >= chars.length) {
          line = chars.join('');
          break;
        }
        lines.push(chars.slice(0, take).join(''));
        chars = chars.slice(take);
      }
    }
    if (line !== '') lines.push(line);
    return lines;
  }
}

// ---------------------------------------------------------------------------
// What the report shows

interface CardColumn {
  name: string;
  accountable: string | null;
  /** Whether this is the stage-less touchpoints' column. */
  unstaged: boolean;
  touchpoints: Touchpoint[];
}

interface ActionRow {
  title: string;
  touchpoint: string;
  ownerTeam: string;
  due: string;
  overdue: boolean;
  status: string;
}

type Align = 'left' | 'right';

interface TableCell {
  text: string;
  style?: Partial<TextStyle>;
  /** A second line under the text, such as the hotspot's mark. */
  note?: { text: string; style: Partial<TextStyle> };
}

interface TableColumn<Row> {
  header: string;
  /** Points; a column with grow shares what the fixed ones leave, by its grow. */
  width: number;
  grow?: number;
  align?: Align;
  cell(row: Row): TableCell;
}

const generatedFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

/** The map's columns: its stages in order, then its touchpoints in no stage (if any), each top to bottom as drawn. */
function cardColumns(map: JourneyMap): CardColumn[] {
  const columns: CardColumn[] = map.stages.map((stage) => ({ name: stage.name, accountable: stage.accountable, unstaged: false, touchpoints: [] }));
  const byStage = new Map(map.stages.map((stage, index) => [stage.id, columns[index]]));
  const unstaged: CardColumn = { name: 'No stage', accountable: null, unstaged: true, touchpoints: [] };
  for (const touchpoint of orderedTouchpoints(map)) {
    const column = (touchpoint.stageId === null ? undefined : byStage.get(touchpoint.stageId)) ?? unstaged;
    column.touchpoints.push(touchpoint);
  }
  return unstaged.touchpoints.length > 0 ? [...columns, unstaged] : columns;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every action: the open ones by due date (undated last), then the done ones newest first, then the dropped ones. */
function actionRows(map: JourneyMap, today: string): ActionRow[] {
  const stageNames = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const rank = (action: Action): number => (isOpen(action) ? 0 : action.status === 'done' ? 1 : 2);
  const order = (a: Action, b: Action): number =>
    rank(a) - rank(b) ||
    (rank(a) === 0 ? compareText(a.due ?? '9999-99-99', b.due ?? '9999-99-99') : 0) ||
    (rank(a) === 1 ? (b.doneAt ?? 0) - (a.doneAt ?? 0) : 0) ||
    a.createdAt - b.createdAt ||
    compareText(a.id, b.id);
  return Object.values(map.actions)
    .sort(order)
    .map((action) => {
      const touchpoint = Object.hasOwn(map.touchpoints, action.touchpointId) ? map.touchpoints[action.touchpointId] : undefined;
      const stage = touchpoint?.stageId == null ? undefined : stageNames.get(touchpoint.stageId);
      const overdue = isOverdue(action, today);
      return {
        title: action.title,
        touchpoint: touchpoint ? `${touchpoint.label}${stage ? ` · ${stage}` : ''}` : 'touchpoint deleted',
        ownerTeam: action.ownerTeam ?? 'no owner team',
        due: action.due === null ? 'no due date' : overdue ? `Overdue: due ${action.due}` : action.due,
        overdue,
        status: ACTION_STATUS_WORDS[action.status],
      };
    });
}

/** Lets the event loop run between pages: a large map takes a while, and the server has other requests. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class ReportWriter {
  private readonly text: Typesetter;
  private readonly left = MARGIN;
  private readonly width: number;
  private readonly bottom: number;
  private y = MARGIN;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly input: { map: JourneyMap; annotations: MapAnnotations; generatedAt: Date },
  ) {
    this.text = new Typesetter(doc, faces());
    this.width = doc.page.width - 2 * MARGIN;
    this.bottom = doc.page.height - MARGIN - FOOTER_SPACE;
  }

  async write(): Promise<void> {
    this.titleBlock();
    this.summaryFigures();
    await this.journeyMap();
    this.emotionCurve();
    await this.stageTable();
    this.ownershipGaps();
    await this.actions();
    this.footers();
  }

  // -- page flow --------------------------------------------------------------

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN;
  }

  /** A new page unless `height` more fits on this one. */
  private room(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }

  private heading(title: string, next: number, subtitle?: string): void {
    this.room(24 + next);
    this.text.draw(this.text.fit(title, { size: 13, weight: 'bold' }, this.width), this.left, this.y + 13, { size: 13, weight: 'bold' });
    if (subtitle) {
      const at = this.text.width(title, { size: 13, weight: 'bold' }) + 8;
      this.text.draw(this.text.fit(subtitle, { size: 9 }, this.width - at), this.left + at, this.y + 13, { size: 9, color: MUTED });
    }
    this.y += 22;
  }

  // -- title block and summary ------------------------------------------------

  private titleBlock(): void {
    const { map, generatedAt } = this.input;
    const brand = { size: 12, weight: 'bold' as const, color: ACCENT };
    const brandWidth = this.text.width('JourneyHub', brand);
    this.text.draw('JourneyHub', this.left + this.width - brandWidth, this.y + 10, brand);
    this.text.draw('ANNOTATIONS REPORT', this.left, this.y + 8, { size: 8, weight: 'bold', color: ACCENT });
    this.y += 14;
    const title = { size: 20, weight: 'bold' as const };
    for (const line of this.text.wrap(map.meta.title || 'Untitled journey', title, this.width, 2)) {
      this.text.draw(line, this.left, this.y + 20, title);
      this.y += 25;
    }
    if (map.meta.persona.trim() !== '') {
      for (const line of this.text.wrap(`Persona: ${map.meta.persona}`, { size: 10 }, this.width, 2)) {
        this.text.draw(line, this.left, this.y + 11, { size: 10, color: MUTED });
        this.y += 14;
      }
    }
    this.text.draw(`Generated ${generatedFormat.format(generatedAt)} UTC`, this.left, this.y + 11, { size: 9, color: MUTED });
    this.y += 22;
  }

  private summaryFigures(): void {
    const { annotations } = this.input;
    const hotspot = annotations.stages.find((stage) => stage.stageId === annotations.hotspotStageId);
    const figures: { label: string; value: string; hint: string; warn: boolean }[] = [
      { label: 'Hotspot', value: hotspot ? hotspot.name : 'None', hint: hotspot ? `pain ${hotspot.pain}` : 'no pain points yet', warn: false },
      { label: 'Ownership gaps', value: String(annotations.ownershipGaps), hint: 'stages fragmented or unowned', warn: annotations.ownershipGaps > 0 },
      { label: 'Failure demand', value: `${formatCount(annotations.failureDemand)} /mo`, hint: 'contacts a month to the contact center', warn: false },
      { label: 'Hub coverage', value: formatPercent(annotations.hubCoverage), hint: 'touchpoints linked to the hub', warn: false },
      { label: 'Unstaged', value: String(annotations.unstaged), hint: 'touchpoints in no stage', warn: annotations.unstaged > 0 },
    ];
    const gap = 8;
    const boxWidth = (this.width - gap * (figures.length - 1)) / figures.length;
    const inner = boxWidth - 16;
    const hints = figures.map((figure) => this.text.wrap(figure.hint, { size: 7.5 }, inner, 2));
    const height = 50 + Math.max(...hints.map((lines) => lines.length)) * 9;
    this.room(height);
    figures.forEach((figure, index) => {
      const x = this.left + index * (boxWidth + gap);
      this.doc.lineWidth(figure.warn ? 1.2 : 0.8).roundedRect(x, this.y, boxWidth, height, 4).fillAndStroke('#ffffff', figure.warn ? WARN_LINE : LINE);
      this.text.draw(this.text.fit(figure.label.toUpperCase(), { size: 7.5, weight: 'bold' }, inner), x + 8, this.y + 14, { size: 7.5, weight: 'bold', color: MUTED });
      this.text.draw(this.text.fit(figure.value, { size: 15, weight: 'bold' }, inner), x + 8, this.y + 35, { size: 15, weight: 'bold' });
      (hints[index] ?? []).forEach((line, n) => this.text.draw(line, x + 8, this.y + 50 + n * 9, { size: 7.5, color: MUTED }));
    });
    this.y += height + 16;
  }

  // -- the map ----------------------------------------------------------------

  private async journeyMap(): Promise<void> {
    const columns = cardColumns(this.input.map);
    const count = columns.reduce((sum, column) => sum + column.touchpoints.length, 0);
    const subtitle = `${columns.length} ${columns.length === 1 ? 'column' : 'columns'}, ${formatCount(count)} ${count === 1 ? 'touchpoint' : 'touchpoints'}; on each card its contacts a month and its emotion (−2 to +2: red below 0, grey at 0, green above)`;
    if (columns.length === 0) {
      this.heading('Journey map', 14);
      this.text.draw('This map has no stages and no touchpoints yet.', this.left, this.y + 10, { size: 9, color: MUTED });
      this.y += 24;
      return;
    }
    // Columns of at least MIN_COLUMN points; more stages than fit across the page go on in further bands below.
    const MIN_COLUMN = 118;
    const COLUMN_GAP = 8;
    const perBandMost = Math.max(1, Math.floor((this.width + COLUMN_GAP) / (MIN_COLUMN + COLUMN_GAP)));
    const bands = Math.ceil(columns.length / perBandMost);
    const perBand = Math.ceil(columns.length / bands);
    const columnWidth = (this.width - COLUMN_GAP * (perBand - 1)) / perBand;
    // Cards side by side within a column when it is wide enough (few stages); rows of them otherwise.
    const PAD = 5;
    const CARD_GAP = 5;
    const MIN_CARD = 112;
    const across = Math.max(1, Math.floor((columnWidth - 2 * PAD + CARD_GAP) / (MIN_CARD + CARD_GAP)));
    const cardWidth = (columnWidth - 2 * PAD - CARD_GAP * (across - 1)) / across;
    const CARD_HEIGHT = 38;
    const HEADER_HEIGHT = 36;
    const pitch = CARD_HEIGHT + CARD_GAP;

    let first = true;
    for (let band = 0; band < bands; band++) {
      const inBand = columns.slice(band * perBand, (band + 1) * perBand);
      const rows = inBand.map((column) => Math.max(1, Math.ceil(column.touchpoints.length / across)));
      const bandRows = Math.max(...rows);
      let fromRow = 0;
      while (fromRow < bandRows) {
        // A band's first rows go on below the band before it if they fit; any further rows on the next page.
        const need = HEADER_HEIGHT + 2 * PAD + pitch;
        if (first) this.heading('Journey map', need, subtitle);
        else if (fromRow > 0 || this.y + need > this.bottom) {
          await breathe();
          this.newPage();
          this.heading('Journey map (continued)', need, subtitle);
        }
        first = false;
        const fits = Math.max(1, Math.floor((this.bottom - this.y - HEADER_HEIGHT - 2 * PAD + CARD_GAP) / pitch));
        const shown = Math.min(fits, bandRows - fromRow);
        const top = this.y;
        const height = HEADER_HEIGHT + 2 * PAD + shown * pitch - CARD_GAP;
        inBand.forEach((column, index) => {
          const x = this.left + index * (columnWidth + COLUMN_GAP);
          this.stageColumn(column, x, top, columnWidth, height, HEADER_HEIGHT);
          const cards = column.touchpoints.slice(fromRow * across, (fromRow + shown) * across);
          cards.forEach((touchpoint, n) => {
            const cardX = x + PAD + (n % across) * (cardWidth + CARD_GAP);
            const cardY = top + HEADER_HEIGHT + PAD + Math.floor(n / across) * pitch;
            this.card(touchpoint, cardX, cardY, cardWidth, CARD_HEIGHT);
          });
          if (fromRow === 0 && column.touchpoints.length === 0) {
            this.text.draw('No touchpoints', x + PAD + 2, top + HEADER_HEIGHT + PAD + 12, { size: 7.5, color: MUTED });
          }
        });
        this.y = top + height + 14;
        fromRow += shown;
      }
    }
  }

  private stageColumn(column: CardColumn, x: number, y: number, width: number, height: number, headerHeight: number): void {
    this.doc.rect(x, y, width, height).fill(COLUMN_FILL);
    this.doc.rect(x, y, width, headerHeight).fill(HEADER_FILL);
    const inner = width - 12;
    const name = { size: 9.5, weight: 'bold' as const };
    this.text.draw(this.text.fit(column.name, name, inner), x + 6, y + 14, name);
    const who = column.unstaged ? 'Touchpoints in no stage' : column.accountable ? `Accountable: ${column.accountable}` : 'No accountable team';
    this.text.draw(this.text.fit(who, { size: 7.5 }, inner), x + 6, y + 27, { size: 7.5, color: column.accountable ? INK : MUTED });
  }

  private card(touchpoint: Touchpoint, x: number, y: number, width: number, height: number): void {
    this.doc.lineWidth(0.6).roundedRect(x, y, width, height, 3).fillAndStroke('#ffffff', LINE);
    // The emotion as the card's left edge too, for a column's mood at a glance.
    this.doc.save().roundedRect(x, y, width, height, 3).clip().rect(x, y, 3, height).fill(emotionColor(touchpoint.emotion)).restore();
    const inner = width - 13;
    const label = { size: 8, weight: 'bold' as const };
    const detail = { size: 7.5, color: MUTED };
    this.text.draw(this.text.fit(touchpoint.label || 'Untitled touchpoint', label, inner), x + 8, y + 11, label);
    this.text.draw(this.text.fit(touchpoint.owner ? `Owner: ${touchpoint.owner}` : 'No owner', detail, inner), x + 8, y + 22, detail);
    // Contacts a month on the left; the emotion on the right, as a badge in its colour.
    const badgeStyle = { size: 7, weight: 'bold' as const, color: touchpoint.emotion === null ? MUTED : '#ffffff' };
    const badgeText = formatEmotion(touchpoint.emotion);
    const badgeWidth = Math.max(14, this.text.width(badgeText, badgeStyle) + 6);
    const badgeX = x + 8 + inner - badgeWidth;
    if (touchpoint.emotion === null) this.doc.lineWidth(0.6).roundedRect(badgeX, y + 26, badgeWidth, 9, 4.5).stroke(LINE);
    else this.doc.roundedRect(badgeX, y + 26, badgeWidth, 9, 4.5).fill(emotionColor(touchpoint.emotion));
    this.text.draw(badgeText, badgeX + (badgeWidth - this.text.width(badgeText, badgeStyle)) / 2, y + 32.8, badgeStyle);
    const contactsStyle = { size: 7.5, weight: 'bold' as const };
    this.text.draw(this.text.fit(`${formatCount(touchpoint.contactVolume)} contacts/mo`, contactsStyle, inner - badgeWidth - 4), x + 8, y + 32.5, contactsStyle);
  }

  // -- emotion curve ----------------------------------------------------------

  private emotionCurve(): void {
    const { annotations } = this.input;
    const points = annotations.emotionCurve;
    const names = new Map(annotations.stages.map((stage) => [stage.stageId, stage.name]));
    const height = 150;
    this.heading('Emotion across the journey', height);
    if (points.length === 0) {
      this.text.draw('No stages yet.', this.left, this.y + 10, { size: 9, color: MUTED });
      this.y += 24;
      return;
    }
    const top = this.y;
    this.doc.lineWidth(0.8).roundedRect(this.left, top, this.width, height, 4).stroke(LINE);
    const plotLeft = this.left + 40;
    const plotRight = this.left + this.width - 40;
    const plotTop = top + 16;
    const plotBottom = top + height - 36;
    const yOf = (emotion: number) => plotTop + ((2 - emotion) / 4) * (plotBottom - plotTop);
    const step = points.length > 1 ? (plotRight - plotLeft) / (points.length - 1) : 0;
    const xOf = (index: number) => (points.length > 1 ? plotLeft + index * step : (plotLeft + plotRight) / 2);
    for (const value of [2, 1, 0, -1, -2]) {
      const y = yOf(value);
      this.doc.save().lineWidth(value === 0 ? 0.8 : 0.4);
      if (value === 0) this.doc.dash(3, { space: 3 });
      this.doc.moveTo(plotLeft - 6, y).lineTo(plotRight + 6, y).stroke(value === 0 ? '#94a3b8' : '#e2e8f0');
      this.doc.restore();
      const label = value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
      this.text.draw(label, this.left + 30 - this.text.width(label, { size: 7.5 }), y + 2.5, { size: 7.5, color: MUTED });
    }
    // The curve, broken where a stage has no emotion.
    this.doc.save().lineWidth(2).lineJoin('round').lineCap('round').strokeColor('#4f46e5');
    let open = false;
    points.forEach((point, index) => {
      if (point.emotion === null) {
        open = false;
        return;
      }
      if (open) this.doc.lineTo(xOf(index), yOf(point.emotion));
      else this.doc.moveTo(xOf(index), yOf(point.emotion));
      open = true;
    });
    this.doc.stroke().restore();
    const labelWidth = points.length > 1 ? Math.max(step - 4, 8) : plotRight - plotLeft;
    points.forEach((point, index) => {
      const x = xOf(index);
      if (point.emotion !== null) {
        const y = yOf(point.emotion);
        this.doc.circle(x, y, 3.5).fill(emotionColor(point.emotion));
        const value = formatEmotion(point.emotion);
        if (step >= 24 || points.length === 1) {
          const valueStyle = { size: 7.5, weight: 'bold' as const };
          const valueWidth = this.text.width(value, valueStyle);
          const baseline = point.emotion >= 1.5 ? y + 13 : y - 7;
          this.doc.rect(x - valueWidth / 2 - 1.5, baseline - 7, valueWidth + 3, 9).fill('#ffffff');
          this.text.draw(value, x - valueWidth / 2, baseline, valueStyle);
        }
      }
      const name = this.text.fit(names.get(point.stageId) ?? point.stageId, { size: 7.5 }, labelWidth);
      this.text.draw(name, x - this.text.width(name, { size: 7.5 }) / 2, top + height - 14, { size: 7.5, color: INK });
    });
    this.y = top + height + 16;
  }

  // -- tables -----------------------------------------------------------------

  /** A table with wrapped cells; its header again at the top of each page it goes on to. */
  private async table<Row>(columns: TableColumn<Row>[], rows: readonly Row[], maxLines: number): Promise<void> {
    const fixed = columns.reduce((sum, column) => sum + column.width, 0);
    const grow = columns.reduce((sum, column) => sum + (column.grow ?? 0), 0);
    const widths = columns.map((column) => column.width + (grow > 0 ? ((column.grow ?? 0) / grow) * Math.max(0, this.width - fixed) : 0));
    const PAD_X = 5;
    const PAD_Y = 5;
    const LINE_HEIGHT = 10.5;
    const headerStyle = { size: 7.5, weight: 'bold' as const, color: '#334155' };
    const headerLines = columns.map((column, index) => this.text.wrap(column.header, headerStyle, (widths[index] ?? 0) - 2 * PAD_X, 2));
    const headerHeight = Math.max(...headerLines.map((lines) => lines.length)) * LINE_HEIGHT + 2 * PAD_Y;

    const drawHeader = () => {
      this.doc.rect(this.left, this.y, this.width, headerHeight).fill(TABLE_HEADER_FILL);
      let x = this.left;
      columns.forEach((column, index) => {
        const width = widths[index] ?? 0;
        (headerLines[index] ?? []).forEach((line, n) => {
          const at = column.align === 'right' ? x + width - PAD_X - this.text.width(line, headerStyle) : x + PAD_X;
          this.text.draw(line, at, this.y + PAD_Y + 8 + n * LINE_HEIGHT, headerStyle);
        });
        x += width;
      });
      this.y += headerHeight;
    };

    this.room(headerHeight + LINE_HEIGHT + 2 * PAD_Y);
    drawHeader();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      const cells = columns.map((column) => column.cell(row));
      const laid = cells.map((cell, index) => {
        const style: TextStyle = { size: 8, ...cell.style };
        return { cell, style, lines: this.text.wrap(cell.text, style, (widths[index] ?? 0) - 2 * PAD_X, maxLines) };
      });
      const lineCount = Math.max(1, ...laid.map(({ cell, lines }) => lines.length + (cell.note ? 1 : 0)));
      const height = lineCount * LINE_HEIGHT + 2 * PAD_Y;
      if (this.y + height > this.bottom) {
        await breathe();
        this.newPage();
        drawHeader();
      }
      const fill = laid.some(({ cell }) => cell.note) ? HOTSPOT_FILL : r % 2 === 1 ? ZEBRA_FILL : null;
      if (fill) this.doc.rect(this.left, this.y, this.width, height).fill(fill);
      this.doc.lineWidth(0.5).moveTo(this.left, this.y + height).lineTo(this.left + this.width, this.y + height).stroke(LINE);
      let x = this.left;
      laid.forEach(({ cell, style, lines }, index) => {
        const width = widths[index] ?? 0;
        const column = columns[index];
        const draw = (line: string, n: number, lineStyle: TextStyle) => {
          const at = column?.align === 'right' ? x + width - PAD_X - this.text.width(line, lineStyle) : x + PAD_X;
          this.text.draw(line, at, this.y + PAD_Y + 8 + n * LINE_HEIGHT, lineStyle);
        };
        lines.forEach((line, n) => draw(line, n, style));
        if (cell.note) {
          const noteStyle: TextStyle = { size: 7, ...cell.note.style };
          draw(this.text.fit(cell.note.text, noteStyle, width - 2 * PAD_X), lines.length, noteStyle);
        }
        x += width;
      });
      this.y += height;
    }
    this.y += 16;
  }

  private async stageTable(): Promise<void> {
    const { annotations } = this.input;
    const period = annotations.measuredPeriod;
    const columns: TableColumn<StageAnnotation>[] = [
      {
        header: 'Stage',
        width: 70,
        grow: 2,
        cell: (stage) => ({
          text: stage.name,
          style: { weight: 'bold' },
          ...(stage.stageId === annotations.hotspotStageId ? { note: { text: 'HOTSPOT', style: { weight: 'bold', color: HOTSPOT_INK } } } : {}),
        }),
      },
      { header: 'Touchpoints', width: 56, align: 'right', cell: (stage) => ({ text: formatCount(stage.touchpoints) }) },
      { header: 'Emotion', width: 44, align: 'right', cell: (stage) => ({ text: formatEmotion(stage.emotion) }) },
      { header: 'Pain', width: 36, align: 'right', cell: (stage) => ({ text: formatCount(stage.pain) }) },
      {
        header: 'Level',
        width: 48,
        cell: (stage) => ({ text: PAIN_STYLES[stage.painLevel].label, style: { color: PAIN_INK[stage.painLevel], weight: stage.painLevel === 'high' || stage.painLevel === 'critical' ? 'bold' : 'regular' } }),
      },
      { header: 'Owners', width: 60, grow: 3, cell: (stage) => ({ text: stage.owners.length > 0 ? stage.owners.join(', ') : 'None' }) },
      { header: 'Accountable', width: 50, grow: 2, cell: (stage) => ({ text: stage.accountable ?? '–' }) },
      { header: 'Ownership', width: 64, cell: (stage) => ({ text: OWNERSHIP_STYLES[stage.ownership].label, style: { color: OWNERSHIP_INK[stage.ownership], weight: 'bold' } }) },
      { header: 'Suggested owner', width: 50, grow: 2, cell: (stage) => ({ text: stage.suggestedOwner ?? '–' }) },
      { header: 'Hub coverage', width: 50, align: 'right', cell: (stage) => ({ text: formatPercent(stage.hubCoverage) }) },
      { header: period ? 'Estimated contacts / month' : 'Contacts / month', width: 62, align: 'right', cell: (stage) => ({ text: formatCount(stage.failureDemand) }) },
    ];
    if (period) {
      columns.push(
        { header: `Contacts ${formatMonth(period)}`, width: 58, align: 'right', cell: (stage) => ({ text: stage.measured?.contacts == null ? '–' : formatContacts(stage.measured.contacts) }) },
        { header: `CSAT ${formatMonth(period)}`, width: 50, align: 'right', cell: (stage) => ({ text: stage.measured?.csat == null ? '–' : formatCsat(stage.measured.csat) }) },
      );
    }
    this.heading('Annotations by stage', 60, period ? `measured figures of ${formatMonth(period)}` : undefined);
    if (annotations.stages.length === 0) {
      this.text.draw('No stages yet.', this.left, this.y + 10, { size: 9, color: MUTED });
      this.y += 24;
      return;
    }
    await this.table(columns, annotations.stages, 3);
  }

  // -- ownership gaps ---------------------------------------------------------

  private ownershipGaps(): void {
    const gaps = this.input.annotations.stages.filter((stage) => stage.ownership === 'fragmented' || stage.ownership === 'unowned');
    this.heading('When everyone owns the experience, nobody owns it', 30);
    if (gaps.length === 0) {
      this.text.draw('No ownership gaps: every stage with touchpoints has one accountable team.', this.left, this.y + 10, { size: 9, color: MUTED });
      this.y += 26;
      return;
    }
    const size = 9;
    const LINE_HEIGHT = 12.5;
    const indent = 14;
    for (const stage of gaps) {
      const name = { size, weight: 'bold' as const, color: GAP_INK };
      const nameText = this.text.fit(stage.name, name, this.width - 2 * indent);
      const nameWidth = this.text.width(nameText, name);
      const rest =
        ` is ${stage.ownership}` +
        (stage.owners.length > 1 ? ` (${stage.owners.join(', ')})` : '') +
        (stage.suggestedOwner ? ` — suggested accountable owner: ${stage.suggestedOwner}` : ' — no owner to suggest') +
        '.';
      const lines = this.text.wrap(rest, { size }, this.width - 2 * indent, 4, this.width - 2 * indent - nameWidth - 3);
      const height = lines.length * LINE_HEIGHT + 8;
      this.room(height);
      this.doc.rect(this.left, this.y, this.width, height).fill(GAP_FILL);
      this.doc.rect(this.left, this.y, 3, height).fill(WARN_LINE);
      this.text.draw(nameText, this.left + indent, this.y + 13, name);
      lines.forEach((line, n) => {
        const x = n === 0 ? this.left + indent + nameWidth + 3 : this.left + indent;
        this.text.draw(line, x, this.y + 13 + n * LINE_HEIGHT, { size, color: GAP_INK });
      });
      this.y += height + 3;
    }
    this.y += 14;
  }

  // -- actions ----------------------------------------------------------------

  private async actions(): Promise<void> {
    const today = this.input.generatedAt.toISOString().slice(0, 10);
    const rows = actionRows(this.input.map, today);
    this.heading('Actions', 40, rows.length > 0 ? `${rows.length} ${rows.length === 1 ? 'action' : 'actions'}; overdue as of ${today}` : undefined);
    if (rows.length === 0) {
      this.text.draw('No actions yet.', this.left, this.y + 10, { size: 9, color: MUTED });
      this.y += 24;
      return;
    }
    const columns: TableColumn<ActionRow>[] = [
      { header: 'Action', width: 120, grow: 3, cell: (row) => ({ text: row.title, style: { weight: 'bold' } }) },
      { header: 'Touchpoint', width: 90, grow: 2, cell: (row) => ({ text: row.touchpoint }) },
      { header: 'Owner team', width: 100, cell: (row) => ({ text: row.ownerTeam }) },
      { header: 'Due', width: 110, cell: (row) => ({ text: row.due, style: row.overdue ? { weight: 'bold', color: HOTSPOT_INK } : {} }) },
      { header: 'Status', width: 70, cell: (row) => ({ text: row.status }) },
    ];
    await this.table(columns, rows, 3);
  }

  // -- footers ----------------------------------------------------------------

  private footers(): void {
    const range = this.doc.bufferedPageRange();
    const style = { size: 7.5, color: MUTED };
    const title = this.input.map.meta.title || 'Untitled journey';
    for (let index = range.start; index < range.start + range.count; index++) {
      this.doc.switchToPage(index);
      const y = this.doc.page.height - MARGIN + 4;
      this.doc.lineWidth(0.5).moveTo(this.left, y - 12).lineTo(this.left + this.width, y - 12).stroke(LINE);
      const page = `Page ${index - range.start + 1} of ${range.count}`;
      const pageWidth = this.text.width(page, style);
      this.text.draw(page, this.left + this.width - pageWidth, y, style);
      this.text.draw(this.text.fit(`${title} · JourneyHub annotations report`, style, this.width - pageWidth - 24), this.left, y, style);
    }
  }
}

/**
 * The map's report as a PDF: A4 landscape, real (extractable) text in
 * embedded fonts, vector shapes. The file's info has the map's title, the
 * author JourneyHub and generatedAt as its creation date, so that two renders
 * of one input differ only where pdfkit itself varies (its font subsets' tags).
 */
export async function renderPdfReport(input: { map: JourneyMap; annotations: MapAnnotations; generatedAt: Date }): Promise<Buffer> {
  const regular = faces().regular[0];
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    bufferPages: true,
    // The embedded font as the default, so that pdfkit never loads its standard Helvetica.
    ...(regular ? { font: regular.path } : {}),
    displayTitle: true,
    lang: 'en',
    info: {
      Title: input.map.meta.title || 'Untitled journey',
      Author: 'JourneyHub',
      Subject: 'Annotations report',
      Creator: 'JourneyHub',
      CreationDate: input.generatedAt,
      ModDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  await new ReportWriter(doc, input).write();
  doc.end();
  return finished;
}
