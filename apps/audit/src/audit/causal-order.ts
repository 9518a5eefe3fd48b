export interface CausalEvent {
  eventId: string;
  causationId: string | null;
  occurredAt: string;
  aggregateVersion: number;
}

/**
 * Orders one aggregate's events for reading: by time, then by aggregate version (events of one
 * transaction share a millisecond), then as recorded; and an event never comes before the event
 * that caused it, even if the clocks of two services disagree.
 */
export function causalOrder<Event extends CausalEvent>(events: readonly Event[]): Event[] {
  const byTime = events
    .map((event, index) => ({ event, index }))
    .sort(
      (a, b) =>
        a.event.occurredAt.localeCompare(b.event.occurredAt) ||
        a.event.aggregateVersion - b.event.aggregateVersion ||
        a.index - b.index,
    )
    .map(({ event }) => event);
  const present = new Set(byTime.map((event) => event.eventId));
  const emitted = new Set<string>();
  const waiting = new Map<string, Event[]>();
  const ordered: Event[] = [];
  const emit = (event: Event): void => {
    ordered.push(event);
    emitted.add(event.eventId);
    const effects = waiting.get(event.eventId) ?? [];
    waiting.delete(event.eventId);
    effects.forEach(emit);
  };
  for (const event of byTime) {
    const cause = event.causationId;
    if (cause && cause !== event.eventId && present.has(cause) && !emitted.has(cause)) {
      waiting.set(cause, [...(waiting.get(cause) ?? []), event]);
    } else {
      emit(event);
    }
  }
  // A cycle of causes (never produced by Orderflow) would leave events waiting: keep them, in time order.
  for (const event of byTime) if (!emitted.has(event.eventId)) ordered.push(event);
  return ordered;
}
