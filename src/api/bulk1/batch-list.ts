// The batch list of a job, rendered from per-batch fragments kept between polls. A job's list is re-rendered at every
// poll while any batch of the server changes, and most of its batches have not: a 5,000-batch list cost ~150 ms of
// rendering per poll. Each batch's piece of the document is kept with the values it was made from, and the list is
// their concatenation, byte for byte what renderBatchInfoList writes (checked once per format, with a fallback).
import type { Batch } from '../../jobs/model.js';
import type { WireFormat } from '../../protocol/bulk1/format.js';
import { renderBatchInfoList } from './codec.js';

/** The document around the batches: `renderBatchInfoList` of one batch is head + its fragment + tail. */
interface Frame {
  head: string;
  tail: string;
}

const FRAMES: Record<WireFormat, Frame> = {
  xml: { head: '', tail: '</batchInfoList>' },
  json: { head: '{"batchInfo":[', tail: ']}' },
};

/** Past this many kept fragments the cache starts over (a bound on memory, ~500 bytes each). */
const MAX_FRAGMENTS = 200_000;

const valuesOf = (b: Batch) =>
  `${b.state}\u0000${b.stateMessage ?? '\u0001'}\u0000${b.systemModstamp}\u0000${b.createdDate}\u0000${b.numberRecordsProcessed}` +
  `\u0000${b.numberRecordsFailed}\u0000${b.totalProcessingTime}\u0000${b.apiActiveProcessingTime}\u0000${b.apexProcessingTime}`;

export class BatchListRenderer {
  private readonly fragments = new Map<string, { values: string; text: string }>();

  render(batches: readonly Batch[], format: WireFormat): string {
    if (batches.length === 0) return renderBatchInfoList(batches, format);
    const parts = new Array<string>(batches.length);
    for (let i = 0; i < batches.length; i++) {
      const part = this.fragment(batches[i], format);
      if (part === undefined) return renderBatchInfoList(batches, format);
      parts[i] = part;
    }
    const frame = FRAMES[format];
    return `${frame.head}${parts.join(format === 'json' ? ',' : '')}${frame.tail}`;
  }

  /** One batch's piece of the list; undefined when the document does not have the expected frame. */
  private fragment(b: Batch, format: WireFormat): string | undefined {
    const key = `${format}:${b.jobId}:${b.id}`;
    const values = valuesOf(b);
    const kept = this.fragments.get(key);
    if (kept?.values === values) return kept.text;
    const whole = renderBatchInfoList([b], format);
    const frame = FRAMES[format];
    if (format === 'xml' && !frame.head) frame.head = whole.slice(0, whole.indexOf('>\n <batchInfo>') + 2);
    if (!frame.head || !whole.startsWith(frame.head) || !whole.endsWith(frame.tail)) return undefined;
    const text = whole.slice(frame.head.length, whole.length - frame.tail.length);
    if (this.fragments.size >= MAX_FRAGMENTS) this.fragments.clear();
    this.fragments.set(key, { values, text });
    return text;
  }
}
