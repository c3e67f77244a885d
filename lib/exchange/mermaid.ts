import type { JourneyMap, Touchpoint } from '../journey/types';
import { EMOTION_MAX, EMOTION_MIN } from '../journey/types';
import { ImportError, type ImportProblem } from './import-error';
import type { ImportedJourney, ImportedTouchpoint } from './imported-journey';
import { orderedTouchpoints } from './touchpoint-rows';

/**
 * Mermaid's `journey` diagram: a section a stage, a task a touchpoint, its
 * score (1..5) the emotion (-2..2) plus 3 and its first actor the owner.
 * Both directions follow Mermaid's own lexer (user-journey/parser/journey.jison)
 * rule for rule, so that what we write is what Mermaid reads, and a file that
 * renders in Mermaid imports the same tasks here.
 */

/** The section of the touchpoints of no stage (an import makes it a stage of that name). */
export const NO_STAGE_SECTION = 'No stage';
/** A task or section whose text is empty once made safe: Mermaid needs at least a character. */
export const UNTITLED = '(untitled)';
/** The title of an imported file that names none. */
export const DEFAULT_IMPORTED_TITLE = 'Imported journey';
/** At most this many lines are read (about five times the largest map a file can bring, blank lines and comments included). */
export const MAX_MERMAID_LINES = 100_000;

const SCORE_OFFSET = 3;
const ZERO_WIDTH_SPACE = '\u200B';

// ---------------------------------------------------------------------------
// Export

/** Characters the lexer cuts a token on, and what we write instead: they look the same and cut nothing. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '#': '\uFF03',
  ';': '\uFF1B',
  ':': '\uA789',
  ',': '\u201A',
};

/**
 * One line of text, with no `%%` left: Mermaid's lexer takes `%%` one
 * character into a line for a comment, and other tools that read Mermaid
 * (preprocessors, editors) take it anywhere. A lone CR counts: Mermaid turns
 * CR into a line break.
 */
function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
    .replace(/%%/g, '%\uFF05')
    .trim();
}

function withLookAlikes(text: string, cutOn: string): string {
  return [...cutOn].reduce((out, char) => out.split(char).join(LOOK_ALIKES[char] ?? char), text);
}

/**
 * A task line that begins with a keyword is read as that keyword
 * ("title search: 3" is a title; the lexer takes the first rule that
 * matches), and one that begins with `%` as a comment. A zero-width space in
 * front matches none of those rules and is not whitespace to the lexer; an
 * import drops it again. A name that already begins with one gets another,
 * so that it comes back as it was.
 */
const GUARDED_START = /^(?:journey|title|section|acctitle|accdescr|%|\u200B)/i;

// The title token runs to `#`, `;` or the line's end: a colon is its own.
const titleText = (title: string): string => withLookAlikes(oneLine(title), '#;');
const sectionText = (name: string): string => withLookAlikes(oneLine(name), '#;:') || UNTITLED;
// The actors are split on `,` and only the part after the second colon is read.
const ownerText = (owner: string | null): string => withLookAlikes(oneLine(owner ?? ''), '#;:,');

function taskText(label: string): string {
  const text = withLookAlikes(oneLine(label), '#;:') || UNTITLED;
  return GUARDED_START.test(text) ? ZERO_WIDTH_SPACE + text : text;
}

/** Unknown emotion is the middle of the scale: Mermaid draws every task with a face. */
function score(emotion: number | null): number {
  return Math.min(EMOTION_MAX, Math.max(EMOTION_MIN, Math.round(emotion ?? 0))) + SCORE_OFFSET;
}

function taskLine(touchpoint: Touchpoint): string {
  const owner = ownerText(touchpoint.owner);
  return `    ${taskText(touchpoint.label)}: ${score(touchpoint.emotion)}${owner === '' ? '' : `: ${owner}`}`;
}

/**
 * The map as a Mermaid journey: every stage a section (an empty one too, so
 * that the stages come back), the touchpoints as drawn, stage by stage and
 * top to bottom, the touchpoints of no stage last under "No stage". The hub
 * is not a step of the journey and is left out.
 */
export function exportMermaid(map: JourneyMap): string {
  const known = new Set(map.stages.map((stage) => stage.id));
  const byStage = new Map<string | null, Touchpoint[]>();
  for (const touchpoint of orderedTouchpoints(map)) {
    const key = touchpoint.stageId !== null && known.has(touchpoint.stageId) ? touchpoint.stageId : null;
    const bucket = byStage.get(key);
    if (bucket) bucket.push(touchpoint);
    else byStage.set(key, [touchpoint]);
  }
  const sections: Array<{ name: string; touchpoints: Touchpoint[] }> = map.stages.map((stage) => ({ name: stage.name, touchpoints: byStage.get(stage.id) ?? [] }));
  const unstaged = byStage.get(null) ?? [];
  if (unstaged.length > 0) sections.push({ name: NO_STAGE_SECTION, touchpoints: unstaged });

  const title = titleText(map.meta.title);
  // "title" with nothing after it is not a title to Mermaid but a broken task.
  const lines = ['journey', ...(title === '' ? [] : [`  title ${title}`])];
  for (const section of sections) lines.push(`  section ${sectionText(section.name)}`, ...section.touchpoints.map(taskLine));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// Import: Mermaid's lexer, then its grammar

type TokenKind =
  | 'newline'
  | 'journey'
  | 'title'
  | 'accTitle'
  | 'accDescr'
  | 'accValue'
  | 'accDescrOpen'
  | 'accDescrClose'
  | 'section'
  | 'taskName'
  | 'taskData'
  | 'colon'
  | 'invalid';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based line of the token's first character. */
  line: number;
}

type LexState = 'initial' | 'accValue' | 'accDescrBlock';

interface LexRule {
  pattern: RegExp;
  /** null: matched and dropped (comments, whitespace). */
  kind: TokenKind | null;
  then?: LexState;
}

/**
 * journey.jison's rules in its order (the first that matches wins, case
 * aside), as jison 0.4.18 (the version Mermaid builds with) compiles them:
 * its `\%%` is a single `%`, so one `%` where a token would start begins a
 * comment ("%x: 5" is one), and a quoted keyword gets a `\b` ("journeyman: 5"
 * is a task). One more quirk is the grammar's own: a character followed by
 * `%%` starts a comment too ("a%%b: 5" is one).
 */
const LEX_RULES: Readonly<Record<LexState, readonly LexRule[]>> = {
  initial: [
    { pattern: /%(?!\{)[^\n]*/y, kind: null },
    { pattern: /[^}]%%[^\n]*/y, kind: null },
    { pattern: /\n+/y, kind: 'newline' },
    { pattern: /\s+/y, kind: null },
    { pattern: /#[^\n]*/y, kind: null },
    { pattern: /journey\b/iy, kind: 'journey' },
    { pattern: /title\s[^#\n;]+/iy, kind: 'title' },
    { pattern: /accTitle\s*:\s*/iy, kind: 'accTitle', then: 'accValue' },
    { pattern: /accDescr\s*:\s*/iy, kind: 'accDescr', then: 'accValue' },
    { pattern: /accDescr\s*\{\s*/iy, kind: 'accDescrOpen', then: 'accDescrBlock' },
    { pattern: /section\s[^#:\n;]+/iy, kind: 'section' },
    { pattern: /[^#:\n;]+/y, kind: 'taskName' },
    { pattern: /:[^#\n;]+/y, kind: 'taskData' },
    { pattern: /:/y, kind: 'colon' },
    { pattern: /[\s\S]/y, kind: 'invalid' },
  ],
  accValue: [{ pattern: /[^\n]*/y, kind: 'accValue', then: 'initial' }],
  accDescrBlock: [
    { pattern: /\}/y, kind: 'accDescrClose', then: 'initial' },
    { pattern: /[^}]+/y, kind: 'accValue' },
  ],
};

/** The first rule of the state that matches at `at`, as jison's lexer picks (not the longest match). */
function matchAt(state: LexState, text: string, at: number): { rule: LexRule; value: string } {
  for (const rule of LEX_RULES[state]) {
    rule.pattern.lastIndex = at;
    const match = rule.pattern.exec(text);
    if (match) return { rule, value: match[0] };
  }
  // Each state ends with a rule for any character: a table that lost it must not loop.
  throw new Error(`no Mermaid lexer rule matches at ${at}`);
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let state: LexState = 'initial';
  let line = 1;
  for (let at = 0; at < text.length; ) {
    const { rule, value } = matchAt(state, text, at);
    if (rule.kind !== null) tokens.push({ kind: rule.kind, text: value, line });
    for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) line++;
    at += value.length;
    state = rule.then ?? state;
  }
  return tokens;
}

/** The lines of the text (a last line break ends the last line rather than starting one), counted without building them. */
function lineCount(text: string): number {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks++;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

/** Blank in place of `skipped`, its line breaks kept, so that line numbers stay the file's. */
const blankOut = (skipped: string): string => skipped.replace(/[^\n]/g, '');

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?=\n|$)/;
const DIRECTIVE = /%%\{[\s\S]*?\}%%/g;

/**
 * What Mermaid takes out before its parser sees the text: a leading YAML
 * front matter (whose `title:` is the diagram's title) and `%%{ … }%%`
 * directives.
 */
function preprocess(normalized: string): { body: string; frontTitle: string | null } {
  const front = FRONT_MATTER.exec(normalized);
  const yamlTitle = front ? /^title:[ \t]*(.*)$/m.exec(front[1] ?? '')?.[1]?.trim() : undefined;
  const frontTitle = yamlTitle ? yamlTitle.replace(/^(["'])(.*)\1$/, '$2') : null;
  const body = (front ? blankOut(front[0]) + normalized.slice(front[0].length) : normalized).replace(DIRECTIVE, blankOut);
  return { body, frontTitle };
}

/** A task's name as the file means it: trimmed, without the zero-width space an export puts before a keyword. */
const taskName = (token: Token): string => token.text.trim().replace(/^\u200B/, '');

const TASK_FORM = '"name: score: actors", the score 1 to 5';

/** Mermaid's addTask: the score before the second colon, the actors after it (by commas), anything after a third colon unread. */
function readTask(name: Token, data: Token, stage: string): ImportedTouchpoint | { problem: string } {
  const [scoreText = '', actors] = data.text.slice(1).split(':');
  // Number('') is 0; an empty score is a missing one, not a neutral one.
  const score = scoreText.trim() === '' ? Number.NaN : Number(scoreText);
  if (!Number.isFinite(score)) {
    return { problem: `The score ${JSON.stringify(scoreText.trim())} of "${taskName(name)}" is not a number (a task is ${TASK_FORM})` };
  }
  const owner = actors?.split(',')[0]?.trim() ?? '';
  return {
    row: name.line,
    stage,
    label: taskName(name),
    channel: 'other',
    owner: owner === '' ? null : owner,
    externalKey: null,
    // Mermaid draws any number; a map's emotion is a whole step of -2..2.
    emotion: Math.min(EMOTION_MAX, Math.max(EMOTION_MIN, Math.round(score) - SCORE_OFFSET)),
    contactVolume: 0,
    painPoints: [],
  };
}

/** Why a statement cannot start with this token: the sentence for its line. */
function unexpected(token: Token, next: Token | undefined): string {
  switch (token.kind) {
    case 'journey':
      return `A line that begins with "journey" is not a task: "journey" only opens the file`;
    case 'taskName':
      return next?.kind === 'colon'
        ? `"${taskName(token)}" has no score after its colon (a task is ${TASK_FORM})`
        : `"${taskName(token)}" is neither a title, a section nor a task (a task is ${TASK_FORM})`;
    case 'taskData':
    case 'colon':
      return `A task needs a name before its colon (a task is ${TASK_FORM})`;
    case 'invalid':
      return `Mermaid does not allow ${JSON.stringify(token.text)} here`;
    default:
      return `Mermaid does not expect ${JSON.stringify(token.text.trim())} here`;
  }
}

function summary(problems: readonly ImportProblem[]): string {
  return `${problems.length === 1 ? 'One line is' : `${problems.length} lines are`} not a valid Mermaid journey line; nothing was imported`;
}

/**
 * A Mermaid journey into a journey to build a map of: a section a stage, a
 * task a touchpoint (its line is its row). The title is `options.title` when
 * one is given, else the file's, else "Imported journey". Texts are kept as
 * written, look-alike characters of an export included; only the zero-width
 * space an export puts before a keyword goes. Every bad line is reported (by
 * its number, with a sentence) and none is applied.
 */
export function importMermaid(text: string, options: { title?: string } = {}): ImportedJourney {
  // Mermaid reads CRLF and a lone CR as line breaks.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = lineCount(normalized);
  if (lines > MAX_MERMAID_LINES) {
    const message = `The file has ${lines} lines; a Mermaid journey is read up to ${MAX_MERMAID_LINES}`;
    throw new ImportError(message, [{ row: null, message }]);
  }
  const { body, frontTitle } = preprocess(normalized);
  const tokens = lex(body);

  const first = tokens.find((token) => token.kind !== 'newline');
  if (!first) {
    const message = 'The file is empty: a Mermaid journey begins with the line "journey"';
    throw new ImportError(message, [{ row: null, message }]);
  }
  if (first.kind !== 'journey') {
    const message = `The file is not a Mermaid journey: line ${first.line} should be "journey"`;
    throw new ImportError(message, [{ row: first.line, message }]);
  }

  let title = frontTitle;
  let stage = '';
  const stages: string[] = [];
  // buildMap takes stage names case aside.
  const seenStages = new Set<string>();
  const touchpoints: ImportedTouchpoint[] = [];
  const problems: ImportProblem[] = [];
  let i = tokens.indexOf(first) + 1;
  const problem = (row: number, message: string) => {
    problems.push({ row, message });
    // One sentence a line: the rest of a bad line says nothing more.
    while (i < tokens.length && (tokens[i]?.line ?? 0) <= row) i++;
  };
  for (let token = tokens[i]; token; token = tokens[i]) {
    const next = tokens[i + 1];
    switch (token.kind) {
      case 'newline':
      case 'accValue':
      case 'accDescrClose':
        i++;
        break;
      case 'title':
        // "title" and the one whitespace character after it, as Mermaid's substr(6).
        title = token.text.slice(6).trim();
        i++;
        break;
      case 'accTitle':
      case 'accDescr':
        i += next?.kind === 'accValue' ? 2 : 1;
        break;
      case 'accDescrOpen':
        // The block is at most one value and its `}`. Without the `}`, Mermaid would take the rest of the file as the description, tasks and all.
        if (next?.kind !== 'accDescrClose' && tokens[i + 2]?.kind !== 'accDescrClose') {
          problem(token.line, 'accDescr { is never closed with }: the rest of the file would be its text');
          i = tokens.length;
        } else i++;
        break;
      case 'section':
        stage = token.text.slice(8).trim();
        if (stage !== '' && !seenStages.has(stage.toLowerCase())) {
          seenStages.add(stage.toLowerCase());
          stages.push(stage);
        }
        i++;
        break;
      case 'taskName': {
        if (next?.kind !== 'taskData') {
          problem(token.line, unexpected(token, next));
          break;
        }
        const read = readTask(token, next, stage);
        if ('problem' in read) problem(token.line, read.problem);
        else {
          touchpoints.push(read);
          i += 2;
        }
        break;
      }
      default:
        problem(token.line, unexpected(token, next));
    }
  }
  if (problems.length > 0) throw new ImportError(summary(problems), problems);
  const chosen = options.title?.trim() || title || DEFAULT_IMPORTED_TITLE;
  return { title: chosen, persona: '', stages, touchpoints };
}
