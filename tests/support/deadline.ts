/**
 * Waiting for an event with a deadline, never a sleep (shared/STYLE.md).
 * `watch` subscribes, calls resolve or reject when the event comes, and
 * returns how to unsubscribe; past `timeoutMs` the promise rejects naming `what`.
 */
export function untilDeadline<T>(
  timeoutMs: number,
  what: string,
  watch: (resolve: (value: T) => void, reject: (error: Error) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let unsubscribe: (() => void) | null = null;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe?.();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    unsubscribe = watch(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (done) unsubscribe();
  });
}
