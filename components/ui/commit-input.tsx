'use client';

import { useCallback, useEffect, useRef, useState, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'onFocus'> & {
  value: string;
  onCommit: (value: string) => void;
  /** Told of each keystroke, to check what is being typed before it is committed. */
  onDraft?: (draft: string) => void;
};

/** A pause in typing this long writes what was typed: one write (and one undo step) per burst of typing. */
export const COMMIT_PAUSE_MS = 400;

/**
 * A text input for a shared document: it shows the live value, except while
 * the person is typing. What they type is written when they pause, on blur
 * or Enter, and when the page goes away, so that nothing typed is lost
 * silently; a half-typed word between keystrokes never reaches the others.
 * Escape cancels the edit, taking back what it had written already. An empty
 * field (or a number field that holds no number) waits for blur or Enter: it
 * is often a step on the way to the next value, not the value.
 */
export function CommitInput({ value, onCommit, onDraft, onKeyDown, ...rest }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  /** The value when this edit began: what Escape goes back to. */
  const original = useRef<string | null>(null);
  /** Typed and not written yet. */
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ value, onCommit });
  useEffect(() => {
    latest.current = { value, onCommit };
  });

  // Reads only refs: one function for the life of the input, safe to hand to window listeners.
  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const typed = pending.current;
    pending.current = null;
    if (typed !== null && typed !== latest.current.value) latest.current.onCommit(typed);
  }, []);

  useEffect(() => {
    // Leaving the page (reload, close, navigation) with something typed writes it first.
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      // Unmounted while typing (the card closed): no blur comes, so write it now.
      flush();
    };
  }, [flush]);

  return (
    <input
      {...rest}
      value={draft ?? value}
      onFocus={() => {
        original.current = value;
        setDraft(value);
      }}
      onChange={(e) => {
        const typed = e.target.value;
        const complete = typed.trim() !== '' && e.target.validity.valid;
        setDraft(typed);
        onDraft?.(typed);
        pending.current = typed;
        if (timer.current) clearTimeout(timer.current);
        timer.current = complete ? setTimeout(flush, COMMIT_PAUSE_MS) : null;
      }}
      onBlur={() => {
        flush();
        original.current = null;
        setDraft(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          if (timer.current) clearTimeout(timer.current);
          timer.current = null;
          pending.current = null;
          const before = original.current;
          if (before !== null && before !== latest.current.value) latest.current.onCommit(before);
          setDraft(null);
          requestAnimationFrame(() => e.currentTarget?.blur());
        }
        onKeyDown?.(e);
      }}
    />
  );
}
