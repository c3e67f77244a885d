/** Issue 11 §5: who a comment mentions, as the composer writes it (`@<member's name>`). */
import { describe, expect, it } from 'vitest';
import { excerptOf, mentionedPeople } from '../../lib/journey/mentions';

const bob = { id: 'u-bob', name: 'Bob Ortiz' };
const bo = { id: 'u-bo', name: 'Bob' };
const cora = { id: 'u-cora', name: 'Cora Lind' };
const people = [bo, bob, cora];

describe('mentionedPeople', () => {
  it('finds each member named after an @, once, longest name first', () => {
    expect(mentionedPeople('@Bob Ortiz can you check this?', people)).toEqual([bob]);
    expect(mentionedPeople('@Bob and @Cora Lind, and @Bob Ortiz; again @Bob Ortiz.', people)).toEqual([bo, cora, bob]);
  });

  it('needs the @ and a whole name: no email addresses, no prefixes of longer words', () => {
    expect(mentionedPeople('Bob Ortiz, no at sign', people)).toEqual([]);
    expect(mentionedPeople('@Bobby and @Cora Lindqvist', people)).toEqual([]);
    expect(mentionedPeople('mail bob@Bob Ortiz.example', [bob])).toEqual([bob]);
    expect(mentionedPeople('@bob ortiz', people)).toEqual([]);
    expect(mentionedPeople('@', people)).toEqual([]);
  });

  it('ignores people without a name', () => {
    expect(mentionedPeople('@ hello', [{ id: 'x', name: '' }, { id: 'y', name: '  ' }])).toEqual([]);
  });
});

describe('excerptOf', () => {
  it('keeps a short body whole, on one line', () => {
    expect(excerptOf('  @Bob Ortiz\ncan you   check this? ')).toBe('@Bob Ortiz can you check this?');
  });
  it('cuts a long body at a word with an ellipsis', () => {
    const excerpt = excerptOf(`${'word '.repeat(60)}end`, 40);
    expect(excerpt.length).toBeLessThanOrEqual(40);
    expect(excerpt).toMatch(/word…$/);
  });
});
