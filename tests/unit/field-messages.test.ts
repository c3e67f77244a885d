import { describe, expect, it } from 'vitest';
import { JourneyError } from '../../lib/journey/errors';
import { mapTitleProblem, personaProblem, stageNameProblem, stageRefusal, teamNameProblem } from '../../lib/journey/field-messages';

describe('plain words for stage and map fields', () => {
  it('says what is wrong with a stage name, a team, a title or a persona, in a sentence about the thing', () => {
    expect(stageNameProblem('  ')).toBe('A stage needs a name.');
    expect(stageNameProblem('x'.repeat(201))).toBe('A stage name can be at most 200 characters.');
    expect(stageNameProblem(' Buy ')).toBeNull();
    expect(teamNameProblem('t'.repeat(201))).toBe('A team name can be at most 200 characters.');
    expect(teamNameProblem('')).toBeNull();
    expect(mapTitleProblem('')).toBe('The map needs a title.');
    expect(mapTitleProblem('m'.repeat(201))).toBe('A map title can be at most 200 characters.');
    expect(personaProblem('p'.repeat(501))).toBe('The persona can be at most 500 characters.');
    expect(personaProblem('')).toBeNull();
  });

  it('never shows the code words of a refusal', () => {
    const gone = stageRefusal(new JourneyError('not_found', 'stage "stage-use" does not exist'), 'move the stage');
    expect(gone).toBe("Couldn't move the stage: someone else deleted that stage a moment ago.");
    const other = stageRefusal(new JourneyError('invalid', 'index must be between 0 and 5 (got 6)'), 'move the stage');
    expect(other).not.toMatch(/index|stage-|got/);
  });
});
