'use client';

import { useSyncExternalStore } from 'react';
import { localDate } from '../../lib/journey/actions';

const subscribe = (changed: () => void) => {
  const timer = setInterval(changed, 60_000);
  return () => clearInterval(timer);
};

/**
 * The reader's own calendar date, 'YYYY-MM-DD'; null while the server renders
 * and during hydration, since the server's date need not be the reader's (a
 * due date is the day the reader reads it as).
 */
export function useToday(): string | null {
  return useSyncExternalStore(subscribe, () => localDate(new Date()), () => null);
}
