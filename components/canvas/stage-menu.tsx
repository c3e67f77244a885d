'use client';

import { useEffect, useRef, useState } from 'react';

export interface StageMenuProps {
  stageName: string;
  canMoveLeft: boolean;
  canMoveRight: boolean;
  onMoveLeft: () => void;
  onMoveRight: () => void;
  onDelete: () => void;
}

const MENU_KEYS = new Set(['Enter', ' ', 'Escape', 'ArrowUp', 'ArrowDown', 'Delete', 'Backspace']);

const itemClass = 'block w-full px-3 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none disabled:text-slate-400 disabled:hover:bg-transparent';

/**
 * A stage's menu: moving it from the keyboard (dragging the header is the
 * pointer's way) and deleting it. Arrow keys move between the items, Escape
 * closes and gives the focus back to the button.
 */
export function StageMenu({ stageName, canMoveLeft, canMoveRight, onMoveLeft, onMoveRight, onDelete }: StageMenuProps) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus({ preventScroll: true });
    const close = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || !menu.current?.parentElement?.contains(event.target)) setOpen(false);
    };
    window.addEventListener('pointerdown', close, true);
    return () => window.removeEventListener('pointerdown', close, true);
  }, [open]);

  // The focus goes back to the button: after a move it is still on this stage, ready for the next one.
  const choose = (action: () => void) => {
    setOpen(false);
    button.current?.focus({ preventScroll: true });
    action();
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    // Keys the menu answers are its own: the canvas would delete the selected card on Delete, the workspace open it on Enter.
    // Shortcuts such as Ctrl+Z still reach the workspace.
    if (MENU_KEYS.has(event.key)) event.stopPropagation();
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = items.findIndex((item) => item === document.activeElement);
    if (event.key === 'Escape') {
      setOpen(false);
      button.current?.focus({ preventScroll: true });
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
      next?.focus({ preventScroll: true });
    }
  };

  return (
    <div className="nodrag nopan pointer-events-auto relative shrink-0" onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        aria-label={`Stage menu: ${stageName}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="grid h-7 w-7 place-items-center rounded text-lg leading-none text-slate-600 hover:bg-white/70 hover:text-slate-900"
      >
        ⋯
      </button>
      {open ? (
        <div ref={menu} role="menu" aria-label={`Stage ${stageName}`} className="absolute top-8 right-0 z-10 w-44 rounded-md border border-slate-200 bg-white py-1 shadow-lg">
          <button type="button" role="menuitem" disabled={!canMoveLeft} className={itemClass} onClick={() => choose(onMoveLeft)}>
            Move left
          </button>
          <button type="button" role="menuitem" disabled={!canMoveRight} className={itemClass} onClick={() => choose(onMoveRight)}>
            Move right
          </button>
          <button type="button" role="menuitem" className={`${itemClass} text-rose-700`} onClick={() => choose(onDelete)}>
            Delete stage…
          </button>
        </div>
      ) : null}
    </div>
  );
}
