import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WaitTimeout, waitFor } from '../support/wait';

describe('waitFor, the one wait of the tests', () => {
  it('resolves with the first value that is not false, null or undefined', async () => {
    let calls = 0;
    const found = await waitFor(() => (++calls >= 3 ? { calls } : null));
    expect(found).toEqual({ calls: 3 });
    await expect(waitFor(() => 0)).resolves.toBe(0);
    await expect(waitFor(() => '')).resolves.toBe('');
  });

  it('fails at the deadline with a sentence naming what never happened', async () => {
    const never = waitFor(() => false, { timeout: 30, message: 'a door that stays shut' });
    await expect(never).rejects.toBeInstanceOf(WaitTimeout);
    await expect(never).rejects.toThrow('timed out after 30 ms waiting for a door that stays shut');
  });

  it('fails at once with the error a check throws or rejects with', async () => {
    await expect(waitFor(() => {
      throw new Error('the socket closed first');
    })).rejects.toThrow('the socket closed first');
    await expect(waitFor(() => Promise.reject(new Error('the server answered 500')))).rejects.toThrow('the server answered 500');
  });

  it('re-checks when an event wakes it, and unsubscribes however it ends', async () => {
    const source = new EventEmitter();
    let value: string | null = null;
    const subscribe = (wake: () => void) => {
      source.on('change', wake);
      return () => source.off('change', wake);
    };
    // A poll interval past the deadline: only the event can make it resolve in time.
    const waiting = waitFor(() => value, { interval: 60_000, timeout: 10_000 }, subscribe);
    value = 'changed';
    source.emit('change');
    await expect(waiting).resolves.toBe('changed');
    expect(source.listenerCount('change')).toBe(0);

    await expect(waitFor(() => null, { interval: 60_000, timeout: 20 }, subscribe)).rejects.toBeInstanceOf(WaitTimeout);
    expect(source.listenerCount('change')).toBe(0);
  });

  it('runs one check at a time: an event during a slow check runs it once more after, not alongside', async () => {
    const source = new EventEmitter();
    let running = 0;
    let most = 0;
    let checks = 0;
    let release: () => void = () => undefined;
    const waiting = waitFor(
      async () => {
        running += 1;
        most = Math.max(most, running);
        checks += 1;
        if (checks === 1) await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
        return checks >= 2;
      },
      { interval: 60_000 },
      (wake) => {
        source.on('change', wake);
        return () => source.off('change', wake);
      },
    );
    source.emit('change');
    source.emit('change');
    release();
    await waiting;
    expect({ most, checks }).toEqual({ most: 1, checks: 2 });
  });
});
