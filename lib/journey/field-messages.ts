import { JourneyError } from './errors';
import { NAME_MAX_LENGTH, PERSONA_MAX_LENGTH } from './validation';

/**
 * What a person is told when a value they typed for a stage or the map cannot
 * be kept: a sentence about the thing they edit, never the name of a field
 * in the code. The fields enforce the same lengths while typing (maxLength);
 * these checks catch what gets past them (an empty name, a paste).
 */

export const STAGE_NAME_MAX = NAME_MAX_LENGTH;
export const TEAM_NAME_MAX = NAME_MAX_LENGTH;
export const MAP_TITLE_MAX = NAME_MAX_LENGTH;
export const PERSONA_MAX = PERSONA_MAX_LENGTH;

const tooLong = (what: string, max: number) => `${what} can be at most ${max.toLocaleString('en-US')} characters.`;

export function stageNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'A stage needs a name.';
  return trimmed.length > STAGE_NAME_MAX ? tooLong('A stage name', STAGE_NAME_MAX) : null;
}

export function teamNameProblem(team: string): string | null {
  return team.trim().length > TEAM_NAME_MAX ? tooLong('A team name', TEAM_NAME_MAX) : null;
}

export function mapTitleProblem(title: string): string | null {
  const trimmed = title.trim();
  if (trimmed === '') return 'The map needs a title.';
  return trimmed.length > MAP_TITLE_MAX ? tooLong('A map title', MAP_TITLE_MAX) : null;
}

export function personaProblem(persona: string): string | null {
  return persona.trim().length > PERSONA_MAX ? tooLong('The persona', PERSONA_MAX) : null;
}

/** A refused stage change in words: the likely cause is someone else's edit that arrived first. */
export function stageRefusal(error: unknown, action: string): string {
  if (error instanceof JourneyError && error.code === 'not_found') return `Couldn't ${action}: someone else deleted that stage a moment ago.`;
  return `Couldn't ${action}. Try again; if it keeps failing, reload the map.`;
}
