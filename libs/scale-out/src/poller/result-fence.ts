/**
 * Fencing on the poller: a result is sent only under the lease term its probe began in.
 *
 * A term is one continuous holding of the lease: it begins when the poller takes the lease and ends when it
 * learns the lease was lost and others may poll its devices (renewal refused). A term's epoch may grow
 * (the group changed and we outrank the previous owners) or be kept (alone in the group, back from a cut),
 * but a lost lease taken again opens a new term, with a new poll engine; results of probes begun in an
 * older term are dropped, so a poller woken after a pause never sends a probe that spanned the pause
 * under its new epoch. A result already sent under the old epoch is refused by the core (`isFenced`).
 *
 * Within a term, the lease's validity is judged by the monotonic clock (which runs on while the process
 * is stopped): once the last confirmed renewal is older than the lease, the poller may have slept past it,
 * so it asks the key-value store (a compare-and-set renewal) before sending. A renewal that could not reach
 * the store after the lease ran out means the poller is awake but cut off (a branch behind a cut WAN): it
 * keeps sending under its epoch, buffered, and the core's fence decides.
 */
export interface LeaseView {
  /** The current term. */
  term: number;
  epoch: number;
  /** Monotonic ms until which the lease surely holds: when the last successful write was sent, plus the TTL. */
  validUntil: number;
  /** Monotonic ms of the last renewal that could not reach the store (0: none). */
  unreachableAt: number;
}

/** `send` under the current epoch; `drop` the result; `confirm` the lease with the store first, then ask again. */
export type FenceVerdict = 'send' | 'drop' | 'confirm';

/** `lease`: undefined while none was taken. `now`: monotonic ms. */
export function fenceVerdict(probeTerm: number, lease: LeaseView | undefined, now: number): FenceVerdict {
  if (!lease || !lease.term || !lease.epoch || probeTerm !== lease.term) return 'drop';
  if (now < lease.validUntil) return 'send';
  return lease.unreachableAt > lease.validUntil ? 'send' : 'confirm';
}
