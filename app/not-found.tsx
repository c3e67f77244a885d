import Link from 'next/link';
import { AppBar } from '@/components/ui/page-header';

export default function NotFound() {
  return (
    <>
      <AppBar />
      <main className="mx-auto max-w-xl px-6 py-16 text-center">
        <h1 className="text-xl font-semibold text-slate-900">Not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is no map at this address, or it was deleted.</p>
        <Link href="/" className="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">
          Back to all maps
        </Link>
      </main>
    </>
  );
}
