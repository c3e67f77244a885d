/**
 * Months as 'YYYY-MM' (DESIGN.md, "Measured data and outcomes": calendar
 * months in UTC). A month is also its index, year × 12 + month − 1, so that
 * shifting by n months is adding n.
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: string): boolean {
  return PERIOD.test(value);
}

/** The month index of 'YYYY-MM', or null when it is not one. */
export function monthIndex(period: string): number | null {
  const match = PERIOD.exec(period);
  if (!match) return null;
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function periodOfIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The UTC month of a moment (ms since the epoch). */
export function monthIndexOfMs(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function shiftPeriod(period: string, months: number): string {
  const index = monthIndex(period);
  if (index === null) throw new RangeError(`not a period: ${JSON.stringify(period)}`);
  return periodOfIndex(index + months);
}
