/**
 * Issue 11 §5: audit entries in words, never event codes. Every action the
 * server records (found in server/ by its `action: '…'` literal) has its own
 * sentence, with the actor's name when it is known.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeAuditEntry, type AuditEntryFacts } from '../../lib/audit/describe-entry';

const NAMES: Record<string, string> = { 'alice@example.com': 'Alice Ng', 'bob@example.com': 'Bob Ortiz' };
const nameOf = (email: string): string | null => NAMES[email] ?? null;
const entry = (action: string, detail: Record<string, unknown> | null = null, targetEmail: string | null = null): AuditEntryFacts => ({
  actorEmail: 'alice@example.com',
  action,
  targetEmail,
  detail,
});
const say = (action: string, detail: Record<string, unknown> | null = null, targetEmail: string | null = null): string => describeAuditEntry(entry(action, detail, targetEmail), nameOf);

/** The action codes written in server/: `action: 'member.added'`, and the ternaries that choose one. */
function recordedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) walk(full);
      else if (full.endsWith('.ts')) {
        const source = fs.readFileSync(full, 'utf8');
        for (const line of source.split('\n').filter((l) => l.includes('action:'))) {
          for (const match of line.matchAll(/'((?:map|member|invitation|ownership|version|workshop)\.[a-z_]+)'/g)) found.add(match[1] ?? '');
        }
      }
    }
  };
  walk(path.resolve(import.meta.dirname, '../../server'));
  return [...found].sort();
}

describe('describeAuditEntry', () => {
  it('has words of its own for every action the server records, and never shows the code', () => {
    const actions = recordedActions();
    expect(actions).toEqual(expect.arrayContaining(['map.created', 'member.role_changed', 'workshop.started', 'workshop.merged', 'map.marked_master']));
    for (const action of actions) {
      const sentence = say(action, { title: 'Tuesday', role: 'editor', from: 'viewer', to: 'editor', changes: 2 }, 'bob@example.com');
      expect(sentence, action).not.toContain(action);
      expect(sentence, action).not.toMatch(/_|\b[a-z]+\.[a-z]+\b/);
      expect(sentence, `${action} has no words of its own`).not.toBe('Alice Ng changed the map');
      expect(sentence.startsWith('Alice Ng '), action).toBe(true);
    }
  });

  it('says who did what to whom, by name when known and by email otherwise', () => {
    expect(say('member.role_changed', { from: 'viewer', to: 'editor' }, 'bob@example.com')).toBe('Alice Ng made Bob Ortiz an editor (was a viewer)');
    expect(say('member.added', { role: 'commenter' }, 'carol@example.com')).toBe('Alice Ng added carol@example.com as a commenter');
    expect(say('member.invited', { role: 'viewer' }, 'new@example.com')).toBe('Alice Ng invited new@example.com as a viewer');
    expect(say('member.removed', { role: 'editor' }, 'bob@example.com')).toBe('Alice Ng removed Bob Ortiz from the map (was an editor)');
    expect(say('ownership.transferred', { formerOwnerRole: 'editor' }, 'bob@example.com')).toBe('Alice Ng handed ownership to Bob Ortiz and became an editor');
    expect(describeAuditEntry(entry('invitation.accepted', { role: 'editor' }, 'alice@example.com'))).toBe('alice@example.com accepted the invitation and joined as an editor');
    expect(say('invitation.removed', null, 'x@example.com')).toBe('Alice Ng cancelled the invitation of x@example.com');
  });

  it('tells workshop copies by name: started (on the master and on the copy), merged, refreshed', () => {
    expect(say('workshop.started', { copyId: 'c1', title: 'Tuesday' })).toBe("Alice Ng started workshop copy 'Tuesday'");
    expect(say('workshop.started', { masterId: 'm1', masterTitle: 'Broadband', members: 4, withComments: false })).toBe("Alice Ng started this workshop copy of 'Broadband'");
    expect(say('workshop.merged', { copyId: 'c1', title: 'Tuesday', changes: ['a', 'b', 'c', 'd'], conflicts: 0 })).toBe("Alice Ng merged 4 changes from 'Tuesday'");
    expect(say('workshop.merged', { copyId: 'c1', title: 'Tuesday', changes: ['a'], conflicts: 1 })).toBe("Alice Ng merged 1 change from 'Tuesday', settling 1 conflict");
    expect(say('workshop.refreshed', { changes: 2 })).toBe('Alice Ng brought 2 changes of the master into this copy');
    expect(say('version.restored', { version: 'Before lunch', changes: 3 })).toBe("Alice Ng restored the version 'Before lunch' (3 changes)");
    expect(say('map.renamed', { title: 'Fibre' })).toBe("Alice Ng renamed the map to 'Fibre'");
    expect(say('map.imported', { title: 'Aus der Tabelle', format: 'csv', touchpoints: 42, bytes: 900 })).toBe("Alice Ng made the map 'Aus der Tabelle' from a CSV file (42 touchpoints)");
    expect(say('map.imported', { title: 'Journey', format: 'mermaid', touchpoints: 1 })).toBe("Alice Ng made the map 'Journey' from a Mermaid file (1 touchpoint)");
  });

  it('an entry with missing or odd details still reads as a sentence', () => {
    expect(say('workshop.merged', null)).toBe('Alice Ng merged 0 changes from a workshop copy');
    expect(say('member.role_changed', { to: 42 }, 'bob@example.com')).toBe('Alice Ng made Bob Ortiz a member');
    expect(say('something.new')).toBe('Alice Ng changed the map');
  });
});
