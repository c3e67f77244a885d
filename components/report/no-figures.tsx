import Link from 'next/link';

/** Where measured figures come from, for a map that has none yet. */
export function NoFigures() {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 bg-slate-50 p-4 text-sm text-slate-700" data-testid="no-figures">
      No measured figures yet: they arrive with the contact center’s nightly push to this map (<code className="text-xs">PUT /api/maps/…/metrics</code>,
      see “Measured data: the nightly push” in the README), made with a{' '}
      <Link href="/settings/tokens" className="font-medium text-indigo-700 underline hover:text-indigo-900">
        “Push measured figures only” access token
      </Link>
      .
    </p>
  );
}
