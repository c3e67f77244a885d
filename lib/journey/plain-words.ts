/**
 * The schema's refusals in the words of the person at the canvas. The
 * validation messages name the fields as the code and the API do
 * ("contactVolume must be at least 0 (got -5)"), which is right for an API
 * client and wrong for a workshop: here they become "Contacts a month can't
 * be negative". A message this does not recognise is kept as it is.
 */

/** How a field is called on screen, by its name in the schema. */
const FIELDS: Readonly<Record<string, string>> = {
  label: 'A label',
  owner: 'A team name',
  contactVolume: 'Contacts a month',
  externalKey: 'An external key',
  text: 'A pain point',
  name: 'A stage name',
  title: 'A title',
  persona: 'A persona',
  severity: 'Severity',
  frequency: 'Frequency',
  emotion: 'Emotion',
  body: 'A comment',
};

const RULES: ReadonlyArray<[RegExp, (subject: string, ...found: string[]) => string]> = [
  [/^must be at most (\d+) characters/, (subject, max) => `${subject} can't be longer than ${max} characters`],
  [/^must not be empty/, (subject) => `${subject} can't be empty`],
  [/^must be at least 0 \(/, (subject) => `${subject} can't be negative`],
  [/^must be at least (-?\d+) \(/, (subject, min) => `${subject} can't be less than ${min}`],
  [/^must be a whole number of at least (-?\d+)/, (subject, min) => `${subject} must be a whole number, ${min} or more`],
  [/^must be a whole number between (-?\d+) and (-?\d+)/, (subject, min, max) => `${subject} must be a whole number from ${min} to ${max}`],
  [/^must be between (-?\d+) and (-?\d+)/, (subject, min, max) => `${subject} must be from ${min} to ${max}`],
  [/^must be a whole number/, (subject) => `${subject} must be a whole number`],
  [/^is required/, (subject) => `${subject} is needed`],
];

function plainIssue(issue: string): string {
  const taken = /^external key (".*") is already the key of touchpoint (".*")$/.exec(issue);
  if (taken) return `${taken[1]} is already the external key of ${taken[2]}: a key names one touchpoint.`;
  // formatIssues may put where the field is first ("touchpoints.t1: …").
  const match = /^(?:[\w.[\]-]+: )?(\w+) (.*)$/.exec(issue);
  const subject = match?.[1] === undefined ? undefined : FIELDS[match[1]];
  const rest = match?.[2];
  if (subject === undefined || rest === undefined) return issue;
  for (const [pattern, say] of RULES) {
    const found = pattern.exec(rest);
    if (found) return `${say(subject, ...found.slice(1))}.`;
  }
  return issue;
}

/** A refusal of the schema (a JourneyError's message, its issues joined by "; ") said plainly. */
export function plainMessage(message: string): string {
  return message.split('; ').map(plainIssue).join(' ');
}

/** "1 dot", "2 dots", "0 changes": a count with its noun in the right number. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
