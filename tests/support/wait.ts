/**
 * The one way a test waits: for a condition, never a sleep (shared/STYLE.md).
 * `waitFor` re-checks `check` every few ms and at once when an event source
 * wakes it, and resolves with the first truthy value it returns; past the
 * deadline it fails with a sentence naming what never happened.
 */

export interface WaitOptions {
  /** Deadline in ms (default 10 s). */
  timeout?: number;
  /** What was awaited, for the failure message. */
  message?: string;
  /** Re-check interval in ms when no event wakes the wait (default 10; longer for checks that ask a server). */
  interval?: number;
}

export class WaitTimeout extends Error {}

/** Subscribes `wake` to an event source and returns how to unsubscribe; the unsubscribe runs however the wait ends. */
export type Subscribe = (wake: () => void) => () => void;

type Found<T> = Exclude<T, false | null | undefined>;

/**
 * Resolves with the first value of `check` that is not false, null or
 * undefined. A check that throws (or rejects) fails the wait with that error,
 * so a check can fail fast ("the socket closed first").
 */
export function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions = {}, subscribe?: Subscribe): Promise<Found<T>> {
  const { timeout = 10_000, message = 'a condition', interval = 10 } = options;
  return new Promise<Found<T>>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    let poll: NodeJS.Timeout | null = null;
    let unsubscribe: (() => void) | null = null;
    const finish = (outcome: { value: Found<T> } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (poll) clearTimeout(poll);
      unsubscribe?.();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
    };
    const deadline = setTimeout(() => finish({ error: new WaitTimeout(`timed out after ${timeout} ms waiting for ${message}`) }), timeout);
    const run = async (): Promise<void> => {
      if (settled) return;
      // One check at a time: an event during a slow (async) check runs it once more after.
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        const value = await check();
        if (value !== false && value !== null && value !== undefined) return finish({ value: value as Found<T> });
      } catch (error) {
        return finish({ error });
      } finally {
        checking = false;
      }
      if (again) {
        again = false;
        return run();
      }
      if (poll) clearTimeout(poll);
      poll = setTimeout(() => void run(), interval);
    };
    if (subscribe) {
      unsubscribe = subscribe(() => void run());
      if (settled) unsubscribe();
    }
    void run();
  });
}
