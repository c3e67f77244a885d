import Link from 'next/link';

type MapPage = 'report' | 'members' | 'history' | 'workshops' | 'merge';

/** The links between a map's pages; every page leads back to the canvas, where the work happens. */
export function MapNav({ mapId, current }: { mapId: string; current: MapPage }) {
  const links: Array<[MapPage, string, string]> = [
    ['report', 'Annotations', `/maps/${mapId}/report`],
    ['history', 'History', `/maps/${mapId}/history`],
    ['workshops', 'Workshops', `/maps/${mapId}/workshops`],
    ['members', 'Members', `/maps/${mapId}/members`],
  ];
  return (
    <nav aria-label="This map" className="flex items-center gap-4">
      <Link href="/" className="text-sm text-indigo-700 hover:underline">
        All maps
      </Link>
      <Link href={`/maps/${mapId}`} className="rounded-md bg-indigo-600 px-2.5 py-1 text-sm font-semibold text-white hover:bg-indigo-700">
        ← Back to the canvas
      </Link>
      {links.map(([key, label, href]) => (
        <Link key={key} href={href} aria-current={key === current ? 'page' : undefined} className={`text-sm ${key === current ? 'font-semibold text-slate-900' : 'text-indigo-700 hover:underline'}`}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
