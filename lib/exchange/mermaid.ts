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
 * One line of text, with no `%%` left: Mermaid takes `%%` for a comment at
 * the start of a token, and other renderers of Mermaid (preprocessors,
 * editors) anywhere. A lone CR counts: Mermaid turns CR into a line break.
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
 * ("title search: 3" is a title), and the lexer takes the first rule that
 * matches. A zero-width space in front matches none of them and is not
 * whitespace to the lexer; an import drops it again. A text that already
 * begins with one gets another, so that it comes back as it was.
 */
const KEYWORD_START = /^(?:journey|title|section|acctitle|accdescr|\u200B)/i;

// The title token runs to `#`, `;` or the line's end: a colon is its own.
const titleText = (title: string): string => withLookAlikes(oneLine(title), '#;');
const sectionText = (name: string): string => withLookAlikes(oneLine(name), '#;:') || UNTITLED;
// The actors are split on `,` and only the part after the second colon is read.
const ownerText = (owner: string | null): string => withLookAlikes(oneLine(owner ?? ''), '#;:,');

function taskText(label: string): string {
  const text = withLookAlikes(oneLine(label), '#;:') || UNTITLED;
  return KEYWORD_START.test(text) ? ZERO_WIDTH_SPACE + text : text;
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
    byStage.set(key, [...(byStage.get(key) ?? []), touchpoint]);
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
 * journey.jison's rules in its order (the first that matches wins, case aside).
 * Two quirks are Mermaid's own and kept: a character followed by `%%` starts a
 * comment too ("a%%b: 5" is one), and the value of accTitle/accDescr runs to
 * the line's end whatever it holds.
 */
const LEX_RULES: Readonly<Record<LexState, readonly LexRule[]>> = {
  initial: [
    { pattern: /%%(?!\{)[^\n]*/y, kind: null },
    { pattern: /[^}]%%[^\n]*/y, kind: null },
    { pattern: /\n+/y, kind: 'newline' },
    { pattern: /\s+/y, kind: null },
    { pattern: /#[^\n]*/y, kind: null },
    { pattern: /journey/iy, kind: 'journey' },
    { pattern: /title\s[^#\n;]+/iy, kind: 'title' },
    { pattern: /accTitle\s*:\s*/iy, kind: 'accTitle', then: 'accValue' },
    { pattern: /accDescr\s*:\s*/iy, kind: 'accDescr', then: 'accValue' },
    { pattern: /accDescr\s*\{\s*/iy, kind: 'accDescrOpen', then: 'accDescrBlock' },
    { pattern: /section\s[^#:\n;]+/iy, kind: 'section' },
    { pattern: /[^#:\n;]+/y, kind: 'taskName' },
    { pattern: /:[^#\n;]+/y, kind: 'taskData' },
    { pattern: /:/y, kind: 'colon' },
    { pattern: /[^]/y, kind: 'invalid' },
  ],
  accValue: [{ pattern: /[^\n]*/y, kind: 'accValue', then: 'initial' }],
  accDescrBlock: [
    { pattern: /\}/y, kind: 'accDescrClose', then: 'initial' },
    { pattern: /[^}]+/y, kind: 'accValue' },
  ],
};

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let state: LexState = 'initial';
  let at = 0;
  let line = 1;
  while (at < text.length) {
    let matched = false;
    for (const rule of LEX_RULES[state]) {
      rule.pattern.lastIndex = at;
      const match = rule.pattern.exec(text);
      if (!match) continue;
      const [value] = match;
      if (rule.kind !== null) tokens.push({ kind: rule.kind, text: value, line });
      for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) line++;
      at += value.length;
      state = rule.then ?? state;
      matched = true;
      break;
    }
    // Every state has a rule for any character but one that another rule takes; this keeps a bad table from looping.
    if (!matched) throw new Error(`no Mermaid lexer rule matches at line ${line}`);
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

const FRONT_MATTER = /^---[ \t]*\n([^]*?)\n---[ \t]*(?=\n|$)/;
const DIRECTIVE = /%%\{[^]*?\}%%/g;

/**
 * What Mermaid takes out before its parser sees the text: CRLF and lone CR
 * become line breaks, a leading YAML front matter (whose `title:` is the
 * diagram's title) and `%%{ … }%%` directives go.
 */
function preprocess(text: string): { body: string; frontTitle: string | null } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const front = FRONT_MATTER.exec(normalized);
  const yamlTitle = front ? /^title:[ \t]*(.*)$/m.exec(front[1] ?? '')?.[1]?.trim() : undefined;
  const frontTitle = yamlTitle ? yamlTitle.replace(/^(["'])(.*)\1$/, '$2') : null;
  const body = (front ? blankOut(front[0]) + normalized.slice(front[0].length) : normalized).replace(DIRECTIVE, blankOut);
  return { body, frontTitle };
}

/** A text as the file means it: trimmed, without the zero-width space an export puts before a keyword. */
const fileText = (text: string): string => text.trim().replace(/^\u200B/, '');

const TASK_FORM = '"name: score: actors", the score 1 to 5';

/** Mermaid's addTask: the score before the second colon, the actors after it (by commas), anything after a third colon unread. */
function readTask(name: Token, data: Token, stage: string): ImportedTouchpoint | ImportProblem {
  const [scoreText = '', actors] = data.text.slice(1).split(':');
  // Number('') is 0; an empty score is a missing one, not a neutral one.
  const score = scoreText.trim() === '' ? Number.NaN : Number(scoreText);
  if (!Number.isFinite(score)) {
    return { row: name.line, message: `The score ${JSON.stringify(scoreText.trim())} of "${fileText(name.text)}" is not a number (a task is ${TASK_FORM})` };
  }
  const owner = fileText(actors?.split(',')[0] ?? '');
  return {
    row: name.line,
    stage,
    label: fileText(name.text),
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
        ? `"${fileText(token.text)}" has no score after its colon (a task is ${TASK_FORM})`
        : `"${fileText(token.text)}" is neither a title, a section nor a task (a task is ${TASK_FORM})`;
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
  const lines = lineCount(text.replace(/\r\n?/g, '\n'));
  if (lines > MAX_MERMAID_LINES) {
    const message = `The file has ${lines} lines; a Mermaid journey is read up to ${MAX_MERMAID_LINES}`;
    throw new ImportError(message, [{ row: null, message }]);
  }
  const { body, frontTitle } = preprocess(text);
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
  const touchpoints: ImportedTouchpoint[] = [];
  const problems: ImportProblem[] = [];
  let i = tokens.indexOf(first) + 1;
  const problem = (row: number, message: string) => {
    problems.push({ row, message });
    // One sentence a line: the rest of a bad line says nothing more.
    while (i < tokens.length && (tokens[i]?.line ?? 0) <= row) i++;
  };
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    switch (token.kind) {
      case 'newline':
      case 'accValue':
      case 'accDescrClose':
        i++;
        break;
      case 'title':
        // "title" and the one whitespace character after it, as Mermaid's substr(6).
        title = fileText(token.text.slice(6));
        i++;
        break;
      case 'accTitle':
      case 'accDescr':
        i += next?.kind === 'accValue' ? 2 : 1;
        break;
      case 'accDescrOpen':
        // Mermaid would take the rest of the file as the description, tasks and all.
        if (!tokens.slice(i + 1).some((t) => t.kind === 'accDescrClose')) {
          problem(token.line, 'accDescr { is never closed with }: the rest of the file would be its text');
          i = tokens.length;
        } else i++;
        break;
      case 'section':
        stage = fileText(token.text.slice(8));
        if (stage !== '' && !stages.some((s) => s.toLowerCase() === stage.toLowerCase())) stages.push(stage);
        i++;
        break;
      case 'taskName': {
        if (next?.kind !== 'taskData') {
          problem(token.line, unexpected(token, next));
          break;
        }
        const read = readTask(token, next, stage);
        if ('label' in read) touchpoints.push(read);
        else problems.push(read);
        i += 2;
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
