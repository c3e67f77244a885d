import type { Nobody } from '../../lib/portfolio/teams';
import { OwnershipBadge } from '../report/badges';
import { formatCount } from './format';
import { MapLink } from './teams-table';

/** "When everyone owns the customer experience, nobody owns it": what no team answers for, across the maps. */
export function NobodyPanel({ nobody }: { nobody: Nobody }) {
  const clear = nobody.stages.length === 0 && nobody.unownedTouchpoints === 0 && nobody.openActionsWithoutTeam === 0;
  if (clear) {
    return (
      <section aria-labelledby="nobody" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4" data-testid="nobody">
        <h2 id="nobody" className="font-semibold text-emerald-900">
          Every stage has a team that answers for it
        </h2>
        <p className="mt-1 text-sm text-emerald-900">Every touchpoint has an owner and every open action a team.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="nobody" className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="nobody">
      <h2 id="nobody" className="font-semibold text-amber-950">
        Nobody answers for these
      </h2>
      <p className="mt-1 text-sm text-amber-950">
        When everyone owns the customer experience, nobody owns it.{' '}
        {nobody.unownedTouchpoints > 0
          ? `${nobody.unownedTouchpoints} ${nobody.unownedTouchpoints === 1 ? 'touchpoint has' : 'touchpoints have'} no owner, carrying pain ${formatCount(nobody.pain)} and ${formatCount(nobody.estimatedContacts)} contacts a month${nobody.measuredContacts === null ? '' : ` (${formatCount(nobody.measuredContacts)} measured)`}. `
          : ''}
        {nobody.openActionsWithoutTeam > 0 ? `${nobody.openActionsWithoutTeam} open ${nobody.openActionsWithoutTeam === 1 ? 'action has' : 'actions have'} no team.` : ''}
      </p>
      {nobody.stages.length > 0 ? (
        <ul className="mt-3 space-y-1 text-sm text-amber-950">
          {nobody.stages.map((stage) => (
            <li key={`${stage.mapId}/${stage.stageId}`} className="flex flex-wrap items-center gap-2">
              <MapLink mapId={stage.mapId}>
                {stage.mapTitle} › {stage.stageName}
              </MapLink>
              <OwnershipBadge ownership={stage.ownership} />
              <span>
                {stage.owners.length > 1 ? `shared by ${stage.owners.join(', ')}` : 'no owner'}
                {stage.suggestedOwner ? ` — suggested: ${stage.suggestedOwner}` : ''}
                {stage.pain > 0 ? ` · pain ${formatCount(stage.pain)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
