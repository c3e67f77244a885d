import Link from 'next/link';

/** The links between a map's pages. */
export function MapNav({ mapId, current }: { mapId: string; current: 'report' | 'members' | 'history' | 'workshops' | 'merge' }) {
  const links: Array<[typeof current | 'canvas', string, string]> = [
    ['canvas', 'Canvas', `/maps/${mapId}`],
    ['report', 'Annotations', `/maps/${mapId}/report`],
    ['history', 'History', `/maps/${mapId}/history`],
    ['workshops', 'Workshops', `/maps/${mapId}/workshops`],
    ['members', 'Members', `/maps/${mapId}/members`],
  ];
  return (
    <nav aria-label="This map" className="flex gap-4">
      {links.map(([key, label, href]) => (
        <Link key={key} href={href} aria-current={key === current ? 'page' : undefined} className={`text-sm ${key === current ? 'font-semibold text-slate-900' : 'text-indigo-700 hover:underline'}`}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
