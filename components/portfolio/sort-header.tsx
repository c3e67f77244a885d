import Link from 'next/link';
import { headerLink, type SortDir, type SortState } from '../../lib/portfolio/table-sort';

/**
 * A column header that sorts the table with a plain link (`?sort=…&dir=…`):
 * it works without JavaScript, and the sorted view is a URL to share.
 */
export function SortHeader<K extends string>({
  column,
  label,
  state,
  firstDir,
  basePath,
  align = 'right',
  title,
}: {
  column: K;
  label: string;
  state: SortState<K>;
  firstDir: Readonly<Record<K, SortDir>>;
  basePath: string;
  align?: 'left' | 'right';
  title?: string;
}) {
  const next = headerLink({ firstDir }, state, column);
  const current = state.sort === column;
  const arrow = current ? (state.dir === 'asc' ? '↑' : '↓') : '';
  return (
    <th scope="col" aria-sort={current ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined} className={`px-3 py-3 ${align === 'right' ? 'text-right' : 'text-left'}`}>
      <Link
        href={`${basePath}?sort=${encodeURIComponent(next.sort)}&dir=${next.dir}`}
        title={title ?? `Sort by ${label.toLowerCase()}`}
        data-testid={`sort-${column}`}
        className={`inline-flex items-center gap-1 hover:text-indigo-700 hover:underline ${current ? 'text-slate-900' : ''}`}
      >
        {label}
        <span aria-hidden className="w-2 text-indigo-700">
          {arrow}
        </span>
      </Link>
    </th>
  );
}
