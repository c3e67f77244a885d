import Link from 'next/link';

/** The badge on a map whose stored state cannot be read, wherever maps are listed. */
export function DamagedBadge({ mapId }: { mapId: string }) {
  return (
    <span data-testid={`damaged-${mapId}`} className="inline-flex shrink-0 rounded-full bg-rose-50 px-2 py-0.5 text-xs font-semibold text-rose-800 ring-1 ring-rose-200 ring-inset">
      Damaged
    </span>
  );
}

/** What a damaged map means and what the person can do: its owner restores a saved version, everyone else asks them. */
export function DamagedNotice({ mapId, message, isOwner, onHistory = false }: { mapId: string; message: string; isOwner: boolean; onHistory?: boolean }) {
  return (
    <div role="note" aria-label="Damaged map" className="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900">
      <p>{message}</p>
      {isOwner && !onHistory ? (
        <Link href={`/maps/${mapId}/history`} className="mt-2 inline-block font-semibold text-rose-800 underline hover:text-rose-950">
          Restore a saved version
        </Link>
      ) : null}
      {isOwner && onHistory ? <p className="mt-1">Choose a version below: the map becomes that version again, and what could not be read is kept for your operator.</p> : null}
    </div>
  );
}
