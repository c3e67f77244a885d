'use client';

import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { NAME_MAX_LENGTH } from '../../lib/journey/validation';

/** What is being typed on the canvas itself: a card's label or a connection's. */
export type EditTarget = { kind: 'card' | 'connection'; id: string };

export interface CanvasEditing {
  editing: EditTarget | null;
  canEdit: boolean;
  startEdit: (target: EditTarget) => void;
  /** Writes the label (unless it is unchanged) and ends the edit. */
  commit: (target: EditTarget, label: string) => void;
  cancel: () => void;
}

const NOTHING: CanvasEditing = { editing: null, canEdit: false, startEdit: () => undefined, commit: () => undefined, cancel: () => undefined };

/**
 * Provided by the canvas to its cards and connections. A context, not node
 * data: starting an edit then re-renders the cards in view, without building
 * a node or an edge again.
 */
export const CanvasEditingContext = createContext<CanvasEditing>(NOTHING);

export function useEditing(kind: EditTarget['kind'], id: string): { editing: boolean; context: CanvasEditing } {
  const context = useContext(CanvasEditingContext);
  return { editing: context.editing?.kind === kind && context.editing.id === id, context };
}

/**
 * A label typed in place: focused with its text selected, so that typing
 * replaces it; Enter or leaving the field writes it, Escape leaves it as it was.
 */
export function InlineLabelInput({ target, value, label, className, placeholder }: { target: EditTarget; value: string; label: string; className: string; placeholder?: string }) {
  const { commit, cancel } = useContext(CanvasEditingContext);
  const [draft, setDraft] = useState(value);
  const ref = useRef<HTMLInputElement>(null);
  // Enter and Escape end the edit before the blur that follows them.
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  return (
    <input
      ref={ref}
      aria-label={label}
      value={draft}
      maxLength={NAME_MAX_LENGTH}
      placeholder={placeholder}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        // The canvas's own keys (Delete, arrows, Enter opens the inspector) are not for a field being typed in.
        e.stopPropagation();
        if (e.key !== 'Enter' && e.key !== 'Escape') return;
        done.current = true;
        // Back to the card or the connection, for whoever goes on with the keyboard.
        const owner = target.kind === 'card' ? e.currentTarget.closest<HTMLElement>('.react-flow__node') : document.querySelector<SVGElement>(`[data-testid="rf__edge-${CSS.escape(target.id)}"]`);
        if (e.key === 'Enter') commit(target, draft);
        else cancel();
        requestAnimationFrame(() => owner?.focus());
      }}
      onBlur={() => {
        if (!done.current) commit(target, draft);
      }}
      onDoubleClick={(e) => e.stopPropagation()}
      className={`nodrag nopan nowheel ${className}`}
    />
  );
}
