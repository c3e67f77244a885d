import type { Channel } from '../../../lib/journey/types';

const GLYPHS: Record<Channel, string> = {
  web: 'M2 8a6 6 0 1 0 12 0A6 6 0 0 0 2 8Zm0 0h12M8 2c2 2 2 10 0 12M8 2c-2 2-2 10 0 12',
  app: 'M5 1.5h6a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-11a1 1 0 0 1 1-1Zm2 11h2',
  phone: 'M3 2h3l1 3-2 1a8 8 0 0 0 5 5l1-2 3 1v3a1 1 0 0 1-1 1A12 12 0 0 1 2 3a1 1 0 0 1 1-1Z',
  chat: 'M2 3h12v8H6l-3 3v-3H2Z',
  email: 'M2 4h12v8H2Zm0 0 6 5 6-5',
  store: 'M2 6 3 2h10l1 4M2 6h12v8H2Zm4 8V10h4v4',
  social: 'M5 8a2 2 0 1 1-4 0 2 2 0 0 1 4 0Zm10-4a2 2 0 1 1-4 0 2 2 0 0 1 4 0Zm0 8a2 2 0 1 1-4 0 2 2 0 0 1 4 0ZM5 7l6-2M5 9l6 2',
  other: 'M4 8h.01M8 8h.01M12 8h.01',
};

export function ChannelIcon({ channel, className = 'h-3.5 w-3.5' }: { channel: Channel; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" className={className} fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={GLYPHS[channel]} />
    </svg>
  );
}
