// Child process for the crash test: appends to the journal in DIR as fast as it can, fsync on
// every record, and prints each sequence number once `append` has resolved (= on disk). The
// test kills it with SIGKILL somewhere in the middle of that loop.
import { RiskJournal } from '../../../src/guard/journal/risk-journal.js';

const [dir, maxBytes] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: crash-writer DIR [MAX_BYTES]');
const journal = await RiskJournal.open(dir, { unitId: 'crash-unit', maxBytes: Number(maxBytes ?? 1024 * 1024), keepFiles: 1000, fsync: 'every-record' });
if (journal.bootSession === undefined) await journal.startBootSession('power-on');
process.stdout.write(`ready ${journal.lastSeq}\n`);
for (let i = 0; ; i += 1) {
  const event = await journal.append({ type: 'agent-lifecycle', data: { phase: 'config-loaded', detail: `record ${i} ${'x'.repeat(200)}` } });
  process.stdout.write(`${event.seq}\n`);
}
