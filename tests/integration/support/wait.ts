/**
 * Waiting without sleeping: every wait is for a condition or an event, with a
 * deadline that fails the test with a sentence saying what never happened.
 */

export interface WaitOptions {
  /** Deadline in ms (default 10 s). */
  timeout?: number;
  /** What was awaited, for the failure message. */
  message?: string;
}

export class WaitTimeout extends Error {}

/**
 * Resolves once `predicate` returns true (re-checked every few ms, and at
 * once when `wake` is called by an event source). A predicate that throws
 * fails the wait with that error.
 */
export function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeout = 10_000, message = 'a condition' }: WaitOptions = {},
  subscribe?: (wake: () => void) => () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    let poll: NodeJS.Timeout | null = null;
    let unsubscribe: (() => void) | null = null;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (poll) clearTimeout(poll);
      unsubscribe?.();
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const deadline = setTimeout(() => finish(new WaitTimeout(`timed out after ${timeout} ms waiting for ${message}`)), timeout);
    const check = async (): Promise<void> => {
      if (settled) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        if (await predicate()) return finish();
      } catch (error) {
        return finish(error);
      } finally {
        checking = false;
      }
      if (again) {
        again = false;
        return check();
      }
      if (poll) clearTimeout(poll);
      poll = setTimeout(() => void check(), 10);
    };
    if (subscribe) unsubscribe = subscribe(() => void check());
    void check();
  });
}
