import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countOf, plainMessage } from '../../lib/journey/plain-words';
import { updateTouchpoint, writeMap } from '../../lib/journey/schema';
import type { EditOrigin } from '../../lib/journey/origin';
import { demoMap } from '../../lib/journey/templates';

const alice: EditOrigin = { userId: 'alice', kind: 'local' };

/** The message of the schema's refusal of `patch`, as the inspector gets it. */
function refusal(patch: Parameters<typeof updateTouchpoint>[2]): string {
  const doc = new Y.Doc();
  writeMap(doc, demoMap().map, alice);
  try {
    updateTouchpoint(doc, 'tp-ivr', patch, alice);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the schema took it');
}

describe('plainMessage', () => {
  it("says what the person typed wrong in the inspector's words, never a field name of the code", () => {
    expect(plainMessage(refusal({ contactVolume: -5 }))).toBe("Contacts a month can't be negative.");
    expect(plainMessage(refusal({ contactVolume: 2.5 }))).toBe('Contacts a month must be a whole number.');
    expect(plainMessage(refusal({ contactVolume: Number.NaN }))).toBe('Contacts a month must be a whole number, 0 or more.');
    expect(plainMessage(refusal({ label: 'x'.repeat(201) }))).toBe("A label can't be longer than 200 characters.");
    expect(plainMessage(refusal({ label: '   ' }))).toBe("A label can't be empty.");
    expect(plainMessage(refusal({ owner: 'x'.repeat(201) }))).toBe("A team name can't be longer than 200 characters.");
    expect(plainMessage(refusal({ emotion: 7 }))).toBe('Emotion must be from -2 to 2.');
    expect(plainMessage(refusal({ externalKey: 'k'.repeat(101) }))).toBe("An external key can't be longer than 100 characters.");
    expect(plainMessage(refusal({ externalKey: 'CR-FIRST-BILL' }))).toBe('"CR-FIRST-BILL" is already the external key of "First bill": a key names one touchpoint.');
  });

  it('keeps a message it does not know, and says each of several issues', () => {
    expect(plainMessage('the contact-center hub cannot be deleted')).toBe('the contact-center hub cannot be deleted');
    expect(plainMessage('text must not be empty; severity must be between 1 and 5 (got 9)')).toBe("A pain point can't be empty. Severity must be from 1 to 5.");
  });
});

describe('countOf', () => {
  it('says one thing in the singular and every other count in the plural', () => {
    expect(countOf(1, 'dot')).toBe('1 dot');
    expect(countOf(0, 'dot')).toBe('0 dots');
    expect(countOf(2, 'reply', 'replies')).toBe('2 replies');
    expect(countOf(1600, 'contact')).toBe('1,600 contacts');
  });
});
