/**
 * @mentions in a comment's body: the composer writes `@<member's name>`, and
 * the comments panel and the server read them back the same way.
 */

export interface Mentionable {
  id: string;
  name: string;
}

/** Longest first, so that "@Bob Ortiz" names Bob Ortiz, not a member called "Bob". */
const byLength = (a: Mentionable, b: Mentionable): number => b.name.length - a.name.length;

const isNameEnd = (ch: string | undefined): boolean => ch === undefined || !/[\p{L}\p{N}_]/u.test(ch);

/**
 * The people a body mentions, each once, in the order of their first mention.
 * A mention is `@` + the person's name as written, followed by anything that
 * cannot continue a name (a space, punctuation, the end).
 */
export function mentionedPeople<P extends Mentionable>(body: string, people: readonly P[]): P[] {
  const candidates = people.filter((p) => p.name.trim().length > 0).sort(byLength);
  const found: P[] = [];
  const taken = new Set<string>();
  for (let at = body.indexOf('@'); at >= 0; at = body.indexOf('@', at + 1)) {
    const person = candidates.find((p) => body.startsWith(p.name, at + 1) && isNameEnd(body[at + 1 + p.name.length]));
    if (person && !taken.has(person.id)) {
      taken.add(person.id);
      found.push(person);
    }
  }
  return found;
}

/** A comment's body on one line, cut at a word to about `max` characters, for a notification. */
/** Control characters (a NUL pasted from a form, a bell) as spaces: a notice shows text, and PostgreSQL stores no NUL in it. */
export function withoutControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function excerptOf(body: string, max = 140): string {
  const flat = withoutControlCharacters(body).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Where a mention leads: the map with the comment's touchpoint selected and its thread open. */
export function threadHref(mapId: string, touchpointId: string, commentId: string): string {
  return `/maps/${encodeURIComponent(mapId)}?touchpoint=${encodeURIComponent(touchpointId)}&thread=${encodeURIComponent(commentId)}`;
}
