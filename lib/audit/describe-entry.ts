/**
 * Audit entries in words ("Alice Ng started workshop copy 'Tuesday'"), never
 * event codes. One function for every action the server records, so that a
 * new action without words here shows up in its unit test.
 */

export interface AuditEntryFacts {
  actorEmail: string;
  action: string;
  targetEmail: string | null;
  detail: Record<string, unknown> | null;
}

/** The name of the person with this email when the app knows it, else null. */
export type NameOf = (email: string) => string | null;

const ROLE_WORDS: Record<string, string> = { owner: 'the owner', editor: 'an editor', commenter: 'a commenter', viewer: 'a viewer' };

const roleWords = (role: unknown): string => (typeof role === 'string' ? (ROLE_WORDS[role] ?? 'a member') : 'a member');
const text = (detail: Record<string, unknown> | null, key: string): string | null => {
  const value = detail?.[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
};
const changes = (n: number): string => `${n} ${n === 1 ? 'change' : 'changes'}`;
const quoted = (title: string | null, otherwise: string): string => (title === null ? otherwise : `'${title}'`);

function changeCount(detail: Record<string, unknown> | null, key: string): number | null {
  const value = detail?.[key];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (Array.isArray(value)) return value.length;
  return null;
}

/** One audit entry as a sentence that starts with who did it. */
export function describeAuditEntry(entry: AuditEntryFacts, nameOf: NameOf = () => null): string {
  const { action, detail } = entry;
  const person = (email: string | null): string => (email === null ? 'someone' : (nameOf(email) ?? email));
  const actor = person(entry.actorEmail);
  const target = person(entry.targetEmail);
  const title = text(detail, 'title');
  switch (action) {
    case 'map.created':
      return `${actor} created the map ${quoted(title, '')}`.trimEnd();
    case 'map.imported': {
      const format = text(detail, 'format');
      const touchpoints = changeCount(detail, 'touchpoints');
      const from = format === null ? 'a file' : `a ${format === 'mermaid' ? 'Mermaid' : format.toUpperCase()} file`;
      return `${actor} made the map ${quoted(title, '')} from ${from}${touchpoints === null ? '' : ` (${touchpoints} ${touchpoints === 1 ? 'touchpoint' : 'touchpoints'})`}`.replace(/ {2,}/g, ' ');
    }
    case 'map.renamed':
      return title === null ? `${actor} renamed the map` : `${actor} renamed the map to '${title}'`;
    case 'map.deleted':
      return `${actor} deleted the map ${quoted(title, '')}`.trimEnd();
    case 'map.marked_master':
      return `${actor} made this the master map`;
    case 'map.unmarked_master':
      return `${actor} made this an ordinary map again (no longer the master)`;
    case 'member.added':
      return `${actor} added ${target} as ${roleWords(detail?.role)}`;
    case 'member.invited':
      return `${actor} invited ${target} as ${roleWords(detail?.role)}`;
    case 'member.role_changed':
      return `${actor} made ${target} ${roleWords(detail?.to)}${detail?.from ? ` (was ${roleWords(detail.from)})` : ''}`;
    case 'member.removed':
      return `${actor} removed ${target} from the map${detail?.role ? ` (was ${roleWords(detail.role)})` : ''}`;
    case 'invitation.changed':
      return `${actor} changed the invitation of ${target}: now as ${roleWords(detail?.to)}`;
    case 'invitation.removed':
      return `${actor} cancelled the invitation of ${target}`;
    case 'invitation.accepted':
      return `${actor} accepted the invitation and joined as ${roleWords(detail?.role)}`;
    case 'ownership.transferred':
      return `${actor} handed ownership to ${target} and became ${roleWords(detail?.formerOwnerRole ?? 'editor')}`;
    case 'version.restored': {
      const count = changeCount(detail, 'changes');
      return `${actor} restored the version ${quoted(text(detail, 'version'), 'kept earlier')}${count === null ? '' : ` (${changes(count)})`}`;
    }
    case 'workshop.started': {
      const masterTitle = text(detail, 'masterTitle');
      // On the copy the entry names its master; on the master, the copy.
      if (masterTitle !== null || text(detail, 'masterId') !== null) {
        return `${actor} started this workshop copy of ${quoted(masterTitle, 'the master')}`;
      }
      return `${actor} started workshop copy ${quoted(title, 'of this map')}`;
    }
    case 'workshop.merged': {
      const count = changeCount(detail, 'changes') ?? 0;
      const conflicts = changeCount(detail, 'conflicts') ?? 0;
      const settled = conflicts > 0 ? `, settling ${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'}` : '';
      return `${actor} merged ${changes(count)} from ${quoted(title, 'a workshop copy')}${settled}`;
    }
    case 'workshop.refreshed':
      return `${actor} brought ${changes(changeCount(detail, 'changes') ?? 0)} of the master into this copy`;
    default:
      return `${actor} changed the map`;
  }
}
