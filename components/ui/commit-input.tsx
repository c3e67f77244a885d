'use client';

import { useState, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'onFocus'> & {
  value: string;
  onCommit: (value: string) => void;
  /** Told of each keystroke, to check what is being typed before it is committed. */
  onDraft?: (draft: string) => void;
};

/**
 * A text input for a shared document: it shows the live value, except while
 * the person is typing, and writes once, on blur or Enter (Escape cancels),
 * so that a half-typed word never reaches the others.
 */
export function CommitInput({ value, onCommit, onDraft, onKeyDown, ...rest }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const finish = (commit: boolean) => {
    if (commit && draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  return (
    <input
      {...rest}
      value={draft ?? value}
      onFocus={() => setDraft(value)}
      onChange={(e) => {
        setDraft(e.target.value);
        onDraft?.(e.target.value);
      }}
      onBlur={() => finish(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          setDraft(null);
          requestAnimationFrame(() => e.currentTarget?.blur());
        }
        onKeyDown?.(e);
      }}
    />
  );
}
