'use client';

import { useEffect, useState } from 'react';

/** The time now, kept fresh every `everyMs`: for what a render says about dates (overdue, days since) without reading the clock in render. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
