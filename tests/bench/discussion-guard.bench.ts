/**
 * The discussion guard's cost per comment: `npm run bench:guard`. On a
 * discussion of 1,000 and 10,000 comments, the median and p95 time of
 * DiscussionGuard.check for a new comment (what the server runs on every
 * comment anyone posts), 200 checks each. Informational: nothing here fails
 * on a slow machine.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { addComment } from '../../lib/journey/schema';
import { DiscussionGuard } from '../../server/collab/discussion-guard';
import { median, quantile } from './stats';

const CHECKS = 200;
const SIZES = [1_000, 10_000];
const ORIGIN: EditOrigin = { userId: 'bench', kind: 'local' };
const CORA = { userId: 'cora', userName: 'Cora', isOwner: false, dotsPerPerson: null };

function discussionOf(comments: number): Y.Doc {
  const doc = new Y.Doc();
  const now = Date.now();
  doc.transact(() => {
    for (let i = 0; i < comments; i++) {
      addComment(doc, { id: `c${i}`, touchpointId: `tp${i % 500}`, authorId: `u${i % 50}`, authorName: `User ${i % 50}`, body: `Comment ${i}`, createdAt: now }, ORIGIN);
    }
  });
  return doc;
}

for (const size of SIZES) {
  const doc = discussionOf(size);
  const guard = new DiscussionGuard(doc);
  const times: number[] = [];
  for (let k = 0; k < CHECKS; k++) {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(copy);
    addComment(copy, { id: `new${k}`, touchpointId: 'tp1', authorId: 'cora', authorName: 'Cora', body: 'A new comment', createdAt: Date.now() }, ORIGIN);
    const update = Y.encodeStateAsUpdate(copy, before);
    const started = performance.now();
    const verdict = guard.check(update, CORA, Date.now(), () => []);
    times.push(performance.now() - started);
    if (!verdict.ok) throw new Error(`the bench's comment was refused: ${verdict.reason}`);
    Y.applyUpdate(doc, update);
  }
  console.log(`${size.toLocaleString('en')} comments: DiscussionGuard.check of a new comment median ${median(times).toFixed(3)} ms, p95 ${quantile(times, 0.95).toFixed(3)} ms (${CHECKS} checks)`);
}
