/**
 * A one-shot cancellation for one client request: the pipeline cancels it when
 * the client goes away, and the exchange in flight stops.
 *
 * Not an AbortController: that brings an EventTarget per request (and a
 * DOMException with a stack trace on each abort) for what is one listener at a
 * time: a request has at most one exchange waiting on it (the fallback exchange
 * starts after the first ended).
 */
export class Cancel {
  #cancelled = false;
  #reason: Error | undefined;
  #listener: ((reason: Error) => void) | null = null;

  /** True once `cancel` was called. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** The reason given to `cancel`, or undefined. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Cancels once; later calls do nothing. Calls the listener, if one is set. */
  cancel(reason: Error): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#reason = reason;
    const listener = this.#listener;
    this.#listener = null;
    listener?.(reason);
  }

  /** Sets (or, with null, clears) the one listener; it replaces any earlier one. */
  onCancel(listener: ((reason: Error) => void) | null): void {
    this.#listener = listener;
  }
}
