// Bounded event queue with batched send(): size- or time-triggered flush, seq numbers, drop counts.
//
// Batch message: {type: "batch", first_seq, next_seq, dropped, dropped_total, stacks, events}
// Event i of a batch has seq first_seq + i (also carried as `seq`). Events dropped because the
// queue was full consume seq numbers, so next_seq = first_seq + events.length + dropped; the host
// checks that each batch starts where the previous one ended.
// Stacks are interned per batch: `stacks` holds each distinct stack once, events carry `st` (index).

export interface QueueOptions {
    batchMax: number;
    flushMs: number;
    queueMax: number;
}

export class EventQueue {
    opts: QueueOptions;
    private events: Record<string, unknown>[] = [];
    private stacks: string[][] = [];
    private stackIndex = new Map<string, number>();
    private nextSeq = 0;
    private spanStart = 0;
    private droppedSpan = 0;
    droppedTotal = 0;
    batches = 0;
    queued = 0;
    private timer: ReturnType<typeof setTimeout> | null = null;

    constructor(opts: QueueOptions) {
        this.opts = opts;
    }

    /** Queue one event (its stack given as a cache key plus parsed frames); counts a drop when full. */
    push(ev: Record<string, unknown>, stackKey: string | null, frames: string[] | null): void {
        const seq = this.nextSeq++;
        if (this.events.length >= this.opts.queueMax) {
            this.droppedSpan++;
            this.droppedTotal++;
            this.arm();
            return;
        }
        ev.seq = seq;
        if (stackKey !== null && frames !== null) {
            let idx = this.stackIndex.get(stackKey);
            if (idx === undefined) {
                idx = this.stacks.length;
                this.stacks.push(frames);
                this.stackIndex.set(stackKey, idx);
            }
            ev.st = idx;
        }
        this.events.push(ev);
        this.queued++;
        if (this.events.length >= this.opts.batchMax) {
            this.flush();
        } else {
            this.arm();
        }
    }

    private arm(): void {
        if (this.timer !== null) return;
        if (this.opts.flushMs <= 0) {
            this.flush();
            return;
        }
        this.timer = setTimeout(() => {
            this.timer = null;
            this.flush();
        }, this.opts.flushMs);
    }

    flush(): void {
        if (this.timer !== null) {
            clearTimeout(this.timer);
            this.timer = null;
        }
        if (this.events.length === 0 && this.droppedSpan === 0) return;
        send({
            type: "batch",
            first_seq: this.spanStart,
            next_seq: this.nextSeq,
            dropped: this.droppedSpan,
            dropped_total: this.droppedTotal,
            stacks: this.stacks,
            events: this.events,
        });
        this.batches++;
        this.spanStart = this.nextSeq;
        this.droppedSpan = 0;
        this.events = [];
        this.stacks = [];
        this.stackIndex = new Map();
    }

    stats(): Record<string, number> {
        return { next_seq: this.nextSeq, queued: this.queued, batches: this.batches, dropped: this.droppedTotal };
    }
}
