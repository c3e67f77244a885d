import type { StageAnnotation } from '../../../lib/annotations/types';
import type { Stage } from '../../../lib/journey/types';

/**
 * The second half of a stage's ownership, in words: what the cards say about
 * who owns the stage, as opposed to the accountable team a person set. The
 * header shows the set team in its own field; this line never repeats it.
 */
export function computedOwnership(stage: Stage, a: StageAnnotation): { text: string; tone: 'plain' | 'warn' | 'alert' } {
  const owners = a.owners.join(', ');
  if (a.touchpoints === 0) return { text: stage.accountable ? 'No touchpoints yet' : 'No accountable team · no touchpoints yet', tone: 'plain' };
  if (stage.accountable) return { text: a.owners.length === 0 ? 'Its cards name no owner' : `Card owners: ${owners}`, tone: 'plain' };
  const suggested = a.suggestedOwner ? ` · suggested: ${a.suggestedOwner}` : '';
  if (a.owners.length === 1) return { text: `No accountable team · owner from its cards: ${owners}`, tone: 'plain' };
  if (a.owners.length > 1) return { text: `No accountable team · owners: ${owners} (fragmented)${suggested}`, tone: 'warn' };
  return { text: `No accountable team · no card has an owner${suggested}`, tone: 'alert' };
}
