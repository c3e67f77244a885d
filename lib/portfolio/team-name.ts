/**
 * Team names as people type them: "Billing", "billing " and "BILLING" on three
 * maps are one team. A name is compared by its key — Unicode-normalized
 * (NFKC), trimmed, inner whitespace collapsed to one space, lower-cased — and
 * shown in the spelling used most often (the first by code unit on a tie), so
 * that the teams page neither splits a team by a typo of case nor invents a
 * spelling nobody wrote. A blank name is no team, as in the annotations.
 */

/** The comparison key of a team name, or null when the name is blank (no team). */
export function teamKey(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const key = name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
  return key === '' ? null : key;
}

/** Counts the spellings of one team, to show the one used most often. */
export class SpellingTally {
  private readonly counts = new Map<string, number>();

  add(name: string): void {
    const spelling = name.trim().replace(/\s+/gu, ' ');
    this.counts.set(spelling, (this.counts.get(spelling) ?? 0) + 1);
  }

  /** The spelling used most often; the first by code unit on a tie. */
  get name(): string {
    let best = '';
    let bestCount = 0;
    for (const [spelling, count] of this.counts) {
      if (count > bestCount || (count === bestCount && spelling < best)) {
        best = spelling;
        bestCount = count;
      }
    }
    return best;
  }

  /** Every spelling seen, sorted by code unit: more than one tells the lead the maps spell the team differently. */
  get spellings(): string[] {
    return [...this.counts.keys()].sort(compareCodeUnits);
  }
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
