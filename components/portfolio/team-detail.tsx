import { ACTION_STATUS_WORDS } from '../../lib/journey/actions';
import type { TeamRow } from '../../lib/portfolio/teams';
import { OwnershipBadge, PainBadge } from '../report/badges';
import { formatCount } from './format';
import { MapLink } from './teams-table';

/** The heaviest touchpoints shown at once; the rest fold away, so that a team on fifty maps stays readable. */
const SHOWN_TOUCHPOINTS = 8;

function TouchpointList({ touchpoints }: { touchpoints: TeamRow['touchpoints'] }) {
  return (
    <ul className="mt-1 space-y-1 text-sm">
      {touchpoints.map((t) => (
        <li key={`${t.mapId}/${t.touchpointId}`}>
          <MapLink mapId={t.mapId}>{t.label || 'Untitled touchpoint'}</MapLink>{' '}
          <span className="text-xs text-slate-500">
            {t.hub
              ? `${t.mapTitle} · the contact center hub`
              : `${t.mapTitle} › ${t.stageName ?? ''} · pain ${formatCount(t.pain)} · ${formatCount(t.estimatedContacts)}/mo${t.measuredContacts === null ? '' : ` · ${formatCount(t.measuredContacts)} measured`}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One team across the maps: what it answers for, what it owns, where it shares a stage, what it has promised. */
export function TeamDetail({ team, anchor }: { team: TeamRow; anchor: string }) {
  return (
    <section id={anchor} aria-labelledby={`${anchor}-name`} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid={`team-${team.key}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${anchor}-name`} className="text-lg font-semibold text-slate-900">
          {team.name}
        </h3>
        <p className="text-sm text-slate-600">
          pain {formatCount(team.pain)} · {formatCount(team.estimatedContacts)} contacts/mo estimated
          {team.measuredContacts === null ? '' : ` · ${formatCount(team.measuredContacts)} measured`}
        </p>
      </div>
      {team.spellings.length > 1 ? (
        <p className="mt-1 text-xs text-amber-800">
          Spelled {team.spellings.length} ways across the maps: {team.spellings.map((s) => `“${s}”`).join(', ')}. Within a map each spelling counts as a different owner: name it one way.
        </p>
      ) : null}
      <div className="mt-4 grid gap-5 lg:grid-cols-2">
        <div>
          <h4 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Accountable for</h4>
          {team.accountableFor.length === 0 ? (
            <p className="mt-1 text-sm text-amber-800">No stage: {team.touchpoints.some((t) => !t.hub) ? 'it owns touchpoints but answers for no stage.' : 'it is named on actions or the hub only.'}</p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm">
              {team.accountableFor.map((stage) => (
                <li key={`${stage.mapId}/${stage.stageId}`} className="flex flex-wrap items-center gap-2">
                  <MapLink mapId={stage.mapId}>
                    {stage.mapTitle} › {stage.stageName}
                  </MapLink>
                  <PainBadge level={stage.painLevel} />
                  <span className="text-xs text-slate-500">
                    {formatCount(stage.estimatedContacts)} contacts/mo{stage.named ? '' : ' · its only owner, not named on the stage'}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {team.sharedStages.length > 0 ? (
            <>
              <h4 className="mt-4 text-xs font-semibold tracking-wide text-slate-600 uppercase">Owns cards in, does not answer for</h4>
              <ul className="mt-1 space-y-1 text-sm">
                {team.sharedStages.map((stage) => (
                  <li key={`${stage.mapId}/${stage.stageId}`} className="flex flex-wrap items-center gap-2">
                    <MapLink mapId={stage.mapId}>
                      {stage.mapTitle} › {stage.stageName}
                    </MapLink>
                    <OwnershipBadge ownership={stage.ownership} />
                    <span className="text-xs text-slate-500">{stage.accountable ? `${stage.accountable} answers for it` : `nobody answers for it (${stage.owners.join(', ')})`}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        <div>
          <h4 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Touchpoints owned</h4>
          {team.touchpoints.length === 0 ? (
            <p className="mt-1 text-sm text-slate-500">None.</p>
          ) : (
            <>
              <TouchpointList touchpoints={team.touchpoints.slice(0, SHOWN_TOUCHPOINTS)} />
              {team.touchpoints.length > SHOWN_TOUCHPOINTS ? (
                <details className="mt-1 text-sm">
                  <summary className="cursor-pointer text-indigo-700 hover:underline">{team.touchpoints.length - SHOWN_TOUCHPOINTS} more, with less pain</summary>
                  <TouchpointList touchpoints={team.touchpoints.slice(SHOWN_TOUCHPOINTS)} />
                </details>
              ) : null}
            </>
          )}
          <h4 className="mt-4 text-xs font-semibold tracking-wide text-slate-600 uppercase">Actions</h4>
          {team.actions.length === 0 ? (
            <p className="mt-1 text-sm text-slate-500">None.</p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm">
              {team.actions.map((a) => (
                <li key={`${a.mapId}/${a.actionId}`} data-testid="team-action">
                  <MapLink mapId={a.mapId}>{a.title}</MapLink>{' '}
                  <span className={`text-xs ${a.overdue ? 'font-semibold text-red-700' : 'text-slate-500'}`}>
                    {a.overdue ? 'Overdue' : ACTION_STATUS_WORDS[a.status]}
                    {a.due && a.status !== 'done' ? ` · due ${a.due}` : ''} · {a.mapTitle}
                    {a.touchpointLabel ? ` › ${a.touchpointLabel}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
