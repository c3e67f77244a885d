import { caughtImportError } from '../support/import-error';
import { describe, expect, it } from 'vitest';
import { buildMap, type ImportedJourney } from '../../lib/exchange/imported-journey';
import { MAX_MERMAID_LINES, exportMermaid, importMermaid } from '../../lib/exchange/mermaid';
import { orderedTouchpoints } from '../../lib/exchange/touchpoint-rows';
import { blankMap, demoMap } from '../../lib/journey/templates';
import type { JourneyMap, Touchpoint } from '../../lib/journey/types';

/** What a test compares of an imported touchpoint: [stage, label, emotion, owner]. */
const tasks = (journey: ImportedJourney) => journey.touchpoints.map((t) => [t.stage, t.label, t.emotion, t.owner]);


function touchpoint(id: string, stageId: string | null, fields: Partial<Touchpoint>): Touchpoint {
  return { id, kind: 'touchpoint', stageId, label: id, channel: 'web', owner: null, emotion: null, contactVolume: 0, x: 30, y: 200, painPoints: [], externalKey: null, ...fields };
}

/** The blank template's hub and its first `stages` stages, with these touchpoints. */
function mapWith(title: string, stages: number, touchpoints: Touchpoint[]): JourneyMap {
  const { map } = blankMap({ title });
  map.stages = map.stages.slice(0, stages);
  for (const tp of touchpoints) map.touchpoints[tp.id] = tp;
  return map;
}

// The example of Mermaid's documentation (docs/syntax/userJourney.md).
const WORKING_DAY = `journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
`;

const WORKING_DAY_TASKS = [
  ['Go to work', 'Make tea', 2, 'Me'],
  ['Go to work', 'Go upstairs', 0, 'Me'],
  ['Go to work', 'Do work', -2, 'Me'],
  ['Go home', 'Go downstairs', 2, 'Me'],
  ['Go home', 'Sit down', 2, 'Me'],
];

describe('importMermaid', () => {
  it("reads the documentation's working day: a section a stage, a task a touchpoint, score - 3 the emotion, the first actor the owner", () => {
    const journey = importMermaid(WORKING_DAY, {});
    expect(journey.title).toBe('My working day');
    expect(journey.persona).toBe('');
    expect(journey.stages).toEqual(['Go to work', 'Go home']);
    expect(tasks(journey)).toEqual(WORKING_DAY_TASKS);
    expect(journey.touchpoints.map((t) => t.row)).toEqual([4, 5, 6, 8, 9]);
    expect(journey.touchpoints[2]).toEqual({
      row: 6,
      stage: 'Go to work',
      label: 'Do work',
      channel: 'other',
      owner: 'Me',
      externalKey: null,
      emotion: -2,
      contactVolume: 0,
      painPoints: [],
    });
  });

  it("reads the task forms of the syntax (`Task name: <score>: <comma separated list of actors>`), as Mermaid's parser tests write them", () => {
    const text = [
      'journey',
      'title Adding journey diagram functionality to mermaid',
      'section Documentation',
      'A task: 5: Alice, Bob, Charlie',
      'B task: 3:Bob, Charlie',
      'C task: 5',
      'E task: 5:',
      'section Another section',
      'P task: 1:',
    ].join('\n');
    const journey = importMermaid(text, {});
    expect(journey.title).toBe('Adding journey diagram functionality to mermaid');
    expect(journey.stages).toEqual(['Documentation', 'Another section']);
    expect(tasks(journey)).toEqual([
      ['Documentation', 'A task', 2, 'Alice'],
      ['Documentation', 'B task', 0, 'Bob'],
      ['Documentation', 'C task', 2, null],
      ['Documentation', 'E task', 2, null],
      ['Another section', 'P task', -2, null],
    ]);
  });

  it('skips comments, directives, front matter, accTitle/accDescr (one line and { … } blocks), blank lines, tabs and CRLF', () => {
    const text = [
      '---',
      'config:',
      '  theme: forest',
      '---',
      '%%{init: {"journey": {"useMaxWidth": false}}}%%',
      '%% before the diagram',
      '',
      'journey',
      '\ttitle My working day   # the title stops at a hash',
      '  accTitle: Going to work and home',
      '  accDescr: A day; its tasks: five',
      '  accDescr {',
      '    Two lines: with colons',
      '    section Not a section',
      '  }',
      '  %% a comment line',
      '  # another comment line',
      '',
      '\tsection\tGo to work',
      '\t\tMake tea: 5: Me',
      '      Go upstairs: 3: Me # a trailing comment',
      '      Do work: 1: Me, Cat',
      '    section Go home   %%{ a one-line directive }%%',
      '      Go downstairs: 5: Me',
      '',
      '      Sit down: 5: Me',
    ];
    for (const newline of ['\n', '\r\n']) {
      const journey = importMermaid(text.join(newline), {});
      expect(journey.title).toBe('My working day');
      expect(journey.stages).toEqual(['Go to work', 'Go home']);
      expect(tasks(journey)).toEqual(WORKING_DAY_TASKS);
      // Rows are the file's lines: the front matter and the block count.
      expect(journey.touchpoints.map((t) => t.row)).toEqual([20, 21, 22, 24, 26]);
    }
  });

  // Mermaid builds journey.jison with jison 0.4.18, which compiles its `\%%` rule to a single `%` and a quoted keyword to the word alone.
  it("follows Mermaid's compiled lexer: % first or %% second on a line is a comment, further on it is text; journey is a keyword only as a word", () => {
    const journey = importMermaid(['journey', 'section A', '%%Hidden: 5: Me', '  % of users: 5: Me', 'a%%b: 5: Me', 'Half 50%% off: 4: Me', 'journeyman: 2: Me'].join('\n'), {});
    expect(tasks(journey)).toEqual([
      ['A', 'Half 50%% off', 1, 'Me'],
      ['A', 'journeyman', -1, 'Me'],
    ]);
  });

  it('takes options.title over the file\'s, the front matter\'s title without a title line, else "Imported journey"', () => {
    expect(importMermaid(WORKING_DAY, { title: 'Chosen' }).title).toBe('Chosen');
    expect(importMermaid(WORKING_DAY, { title: '  ' }).title).toBe('My working day');
    expect(importMermaid('---\ntitle: "From YAML"\n---\njourney\nsection A\nTask: 3', {}).title).toBe('From YAML');
    expect(importMermaid('journey\nsection A\nTask: 3', {}).title).toBe('Imported journey');
  });

  it("puts tasks before the first section in no stage ('')", () => {
    const journey = importMermaid('journey\nLoose: 2: Me\nsection A\nKept: 4', {});
    expect(journey.stages).toEqual(['A']);
    expect(tasks(journey)).toEqual([
      ['', 'Loose', -1, 'Me'],
      ['A', 'Kept', 1, null],
    ]);
  });

  it('reads any finite score, rounded and clamped to the emotions -2..2', () => {
    const journey = importMermaid('journey\nsection A\nHigh: 9\nLow: -4\nHalf: 3.6\nHex: 0x2\nZero: 0', {});
    expect(journey.touchpoints.map((t) => t.emotion)).toEqual([2, -2, 1, -1, -2]);
  });

  it('strips the zero-width space an export puts before a keyword, and keeps look-alike characters as written', () => {
    const journey = importMermaid('journey\nsection A\n\u200Btitle search: 3: Sales\u201A Billing\nCall\uA789 billing ＃1: 3', {});
    expect(tasks(journey)).toEqual([
      ['A', 'title search', 0, 'Sales\u201A Billing'],
      ['A', 'Call\uA789 billing ＃1', 0, null],
    ]);
  });

  describe('bad input', () => {
    it('refuses a file that does not begin with "journey", on the line it begins with', () => {
      const flowchart = caughtImportError(() => importMermaid('flowchart TD\n  A --> B', {}));
      expect(flowchart.details).toEqual([{ row: 1, message: expect.stringMatching(/not a Mermaid journey/) }]);
      expect(flowchart.message).toMatch(/not a Mermaid journey/);

      const afterComments = caughtImportError(() => importMermaid('%% a comment\n\n# another\nsequenceDiagram\njourney', {}));
      expect(afterComments.details.map((d) => d.row)).toEqual([4]);
    });

    it('refuses an empty file, with no row', () => {
      const empty = caughtImportError(() => importMermaid('\n  \n%% only a comment\n', {}));
      expect(empty.details).toEqual([{ row: null, message: expect.stringMatching(/empty/) }]);
    });

    it('refuses a task whose score is not a number, on its line', () => {
      const error = caughtImportError(() => importMermaid('journey\nsection A\nTask: x: Me', {}));
      expect(error.details).toEqual([{ row: 3, message: expect.stringMatching(/"x".*not a number/) }]);
      expect(error.message).toMatch(/nothing was imported/);
    });

    it('lists every bad line, once each, and imports nothing', () => {
      const text = [
        'journey',
        'section A',
        'Task: x: Me', // 3: score not a number
        'Good: 3: Me',
        'Just some words', // 5: neither keyword nor task
        'No score:', // 6: colon and nothing
        ': 4: Me', // 7: no name
        'journey planner: 5: Me', // 8: a keyword where a task should be
        'Semi: 3; more', // 9: Mermaid has no ';'
        'Blank score: : Me', // 10: an empty score is no score
        'Infinite: Infinity', // 11
        'Fine: 4',
      ].join('\n');
      const error = caughtImportError(() => importMermaid(text, {}));
      expect(error.details.map((d) => d.row)).toEqual([3, 5, 6, 7, 8, 9, 10, 11]);
      expect(error.details.every((d) => d.message.length > 0)).toBe(true);
      expect(error.message).toBe('8 lines are not a valid Mermaid journey line; nothing was imported');
    });

    it('refuses an accDescr { block that is never closed (Mermaid would swallow every task after it)', () => {
      const error = caughtImportError(() => importMermaid('journey\nsection A\naccDescr {\n  text\nTask: 3', {}));
      expect(error.details.map((d) => d.row)).toEqual([3]);
    });

    it(`reads up to ${MAX_MERMAID_LINES} lines and refuses more, with no row`, () => {
      // Three lines, then blank ones up to the limit; the last line break ends the last line.
      const atLimit = `journey\nsection A\nTask: 3${'\n'.repeat(MAX_MERMAID_LINES - 2)}`;
      expect(atLimit.split('\n').length - 1).toBe(MAX_MERMAID_LINES);
      expect(importMermaid(atLimit, {}).touchpoints).toHaveLength(1);

      const tooLong = caughtImportError(() => importMermaid(`${atLimit}More: 3`, {}));
      expect(tooLong.details).toEqual([{ row: null, message: expect.stringMatching(/100001 lines/) }]);
    });
  });
});

describe('exportMermaid', () => {
  const tiny = () =>
    mapWith('Broadband', 3, [
      touchpoint('tp-ad', 'stage-discover', { label: 'Social ad', owner: 'Marketing', emotion: 1, y: 400 }),
      touchpoint('tp-leaflet', 'stage-discover', { label: 'Leaflet', owner: null, emotion: null, y: 200 }),
      touchpoint('tp-checkout', 'stage-buy', { label: 'Checkout', owner: 'E-commerce', emotion: -2 }),
      touchpoint('tp-word', null, { label: 'Word of mouth', owner: '', emotion: 2 }),
    ]);

  it('writes the stages as sections (an empty one too), the touchpoints top to bottom as tasks, unstaged ones last, no hub', () => {
    expect(exportMermaid(tiny())).toBe(
      [
        'journey',
        '  title Broadband',
        '  section Discover',
        '    Leaflet: 3',
        '    Social ad: 4: Marketing',
        '  section Choose',
        '  section Buy',
        '    Checkout: 1: E-commerce',
        '  section No stage',
        '    Word of mouth: 5',
        '',
      ].join('\n'),
    );
  });

  it('is a function of the map only', () => {
    expect(exportMermaid(demoMap().map)).toBe(exportMermaid(demoMap().map));
  });

  const hostileLabels = [
    'Call: billing',
    'Ticket #42',
    'a; b',
    'line one\nline two\r\nthree\tfour',
    '50%% off',
    '%%hidden',
    '% of users',
    'a%%b',
    'title search',
    'Section A',
    'journey planner',
    'accTitle: x',
    'AccDescr { y',
    '',
    '\u200Balready hidden',
  ];
  const hostile = () =>
    mapWith('Our: title # 1; with\nbreak %% here', 2, [
      ...hostileLabels.map((label, i) =>
        touchpoint(`tp-${i}`, i % 2 === 0 ? 'stage-discover' : 'stage-choose', { label, emotion: (i % 5) - 2, owner: i % 3 === 0 ? 'Sales, Billing' : 'Ops: EMEA #1; x%%y', y: 200 + i * 10 }),
      ),
      touchpoint('tp-null', 'stage-choose', { label: 'No feeling', emotion: null, y: 900 }),
    ]);

  it('writes hostile texts as lines of the grammar: no cut characters, no %%, keywords guarded', () => {
    const map = hostile();
    map.stages[0] = { id: 'stage-discover', name: 'Find: out # more; %%now', accountable: null };
    const lines = exportMermaid(map).split('\n');
    expect(lines.shift()).toBe('journey');
    expect(lines.pop()).toBe('');
    for (const line of lines) {
      expect(line).not.toContain('%%');
      expect(line).toMatch(/^(?: {2}title [^#;]+| {2}section [^#:;]+| {4}[^\s#:;][^#:;]*: [1-5](?:: [^#:;,]+)?)$/);
    }
    expect(lines).toContain('  title Our: title ＃ 1； with break %％ here');
    expect(lines).toContain('  section Find\uA789 out ＃ more； %％now');
    for (const start of ['title search', 'Section A', 'journey planner', '% of users', '%％hidden', '\u200Balready']) expect(lines.some((l) => l.startsWith(`    \u200B${start}`))).toBe(true);
    expect(lines.some((l) => l.startsWith('    a%％b: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('    (untitled): '))).toBe(true);
    expect(lines.filter((l) => l.endsWith(': Sales\u201A Billing'))).toHaveLength(5);
  });

  it('writes hostile texts that import as the same tasks in the same sections, scores kept', () => {
    const map = hostile();
    const journey = importMermaid(exportMermaid(map), {});
    const expected = orderedTouchpoints(map).map((tp) => [tp.stageId === 'stage-discover' ? 'Discover' : 'Choose', tp.emotion ?? 0]);
    expect(journey.stages).toEqual(['Discover', 'Choose']);
    expect(journey.touchpoints.map((t) => [t.stage, t.emotion])).toEqual(expected);
    for (const label of ['title search', 'Section A', 'journey planner', '% of users', '\u200Balready hidden']) expect(journey.touchpoints.map((t) => t.label)).toContain(label);
  });
});

describe('round trip: export, import, buildMap', () => {
  /** Per stage (by name), its touchpoints' [label, owner, emotion] top to bottom. */
  function byStage(map: JourneyMap): Array<[string, Array<[string, string | null, number | null]>]> {
    return map.stages.map((stage) => [stage.name, orderedTouchpoints(map).filter((tp) => tp.stageId === stage.id).map((tp) => [tp.label, tp.owner, tp.emotion])]);
  }
  const roundTrip = (map: JourneyMap) => buildMap(importMermaid(exportMermaid(map), {}));

  it('keeps the demo map: title, stage names, labels, owners, emotions, order', () => {
    const demo = demoMap().map;
    const back = roundTrip(demo);
    expect(back.meta.title).toBe(demo.meta.title);
    expect(byStage(back)).toEqual(byStage(demo));
    expect(Object.values(back.touchpoints).filter((tp) => tp.kind === 'hub')).toHaveLength(1);
  });

  it('keeps a hostile map modulo the look-alikes, an unknown emotion coming back as 0 and unstaged touchpoints in "No stage"', () => {
    const map = hostile();
    map.touchpoints['tp-loose'] = touchpoint('tp-loose', null, { label: 'Loose; end', owner: 'Sales, Billing', emotion: -1 });
    const lookAlike = (text: string) =>
      text
        .replace(/\s+/g, ' ')
        .replace(/%%/g, '%％')
        .replace(/#/g, '＃')
        .replace(/;/g, '；')
        .replace(/:/g, '\uA789')
        .trim();
    const back = roundTrip(map);
    const expected = byStage(map).map(([stage, tps]) => [stage, tps.map(([label, owner, emotion]) => [lookAlike(label) || '(untitled)', owner === null ? null : lookAlike(owner).replace(/,/g, '\u201A'), emotion ?? 0])]);
    expect(byStage(back)).toEqual([...expected, ['No stage', [['Loose； end', 'Sales\u201A Billing', -1]]]]);

    const noFeeling = Object.values(back.touchpoints).find((tp) => tp.label === 'No feeling');
    expect(map.touchpoints['tp-null']?.emotion).toBeNull();
    expect(noFeeling?.emotion).toBe(0);
  });

  function hostile(): JourneyMap {
    const labels = ['Call: billing', 'Ticket #42', 'a; b', 'line one\nline two', '50%% off', 'title search', 'Section A', 'journey planner', '', '% of users'];
    return mapWith('Hostile: map', 2, [
      ...labels.map((label, i) => touchpoint(`tp-${i}`, i < 5 ? 'stage-discover' : 'stage-choose', { label, owner: i % 2 === 0 ? 'Sales, Billing' : null, emotion: (i % 5) - 2, y: 200 + i * 10 })),
      touchpoint('tp-null', 'stage-choose', { label: 'No feeling', owner: 'Ops', emotion: null, y: 900 }),
    ]);
  }
});
