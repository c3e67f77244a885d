import type { Ownership, PainLevel } from '../../lib/annotations/types';
import { OWNERSHIP_STYLES, PAIN_STYLES } from './format';

const base = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap';

export function PainBadge({ level }: { level: PainLevel }) {
  const style = PAIN_STYLES[level];
  return <span className={`${base} ${style.className}`}>{style.label}</span>;
}

export function OwnershipBadge({ ownership }: { ownership: Ownership }) {
  const style = OWNERSHIP_STYLES[ownership];
  return <span className={`${base} ${style.className}`}>{style.label}</span>;
}
