package dev.orderflow.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins what analytics needs of one order across three topics, in whatever order they arrive: the
 * priced items of `inventory.reserved` with `order.confirmed` (a sale), and `order.cancelled`.
 *
 * <p>All three are keyed by order id and have the same partition count, so one task sees all of an
 * order's events and one store entry holds its facts. Each outcome is emitted once: the services'
 * outbox may publish an event twice (a crash between publish and mark), and a confirmation can be
 * read before its reservation, since they come from different topics. A stream-table join would miss
 * that second case; this processor simply waits for both halves.
 *
 * <p>The store forgets an order {@link #RETENTION} after its latest event (stream time, checked every
 * {@link #PURGE_EVERY}): repeats come from an outbox publishing again after a crash, within minutes,
 * and both halves of a sale arrive within the seconds a saga takes. Without it the store would grow
 * with every order ever placed. A repeat older than that would count again.
 *
 * <p>Outcomes leave without the input's headers: Streams would otherwise copy the services'
 * {@code x-message-type} header onto every result, and the results are not those messages.
 */
final class OrderOutcomeProcessor implements Processor<String, OrderEvent, String, OrderOutcome> {
  static final String STORE = "order-facts";
  static final Duration RETENTION = Duration.ofDays(7);
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private ProcessorContext<String, OrderOutcome> context;
  private KeyValueStore<String, OrderFacts> facts;

  @Override
  public void init(ProcessorContext<String, OrderOutcome> context) {
    this.context = context;
    this.facts = context.getStateStore(STORE);
    context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::forgetOrdersSeenBefore);
  }

  /** Deletes the facts of orders whose latest event is older than the retention; dates undated ones now. */
  private void forgetOrdersSeenBefore(long streamTime) {
    long cutoff = streamTime - RETENTION.toMillis();
    List<String> expired = new ArrayList<>();
    List<KeyValue<String, OrderFacts>> undated = new ArrayList<>();
    try (KeyValueIterator<String, OrderFacts> all = facts.all()) {
      all.forEachRemaining(
          entry -> {
            if (entry.value.lastSeenAt() == 0) undated.add(KeyValue.pair(entry.key, entry.value.seenAt(streamTime)));
            else if (entry.value.lastSeenAt() < cutoff) expired.add(entry.key);
          });
    }
    expired.forEach(facts::delete);
    facts.putAll(undated);
  }

  @Override
  public void process(Record<String, OrderEvent> record) {
    OrderEvent event = record.value();
    if (event == null) return;
    String orderId = event.orderId();
    OrderFacts known = facts.get(orderId);
    if (known == null) known = OrderFacts.empty();
    OrderFacts updated =
        switch (event.kind()) {
          case RESERVED -> known.items() != null ? known : withItems(known, event);
          case CONFIRMED -> known.confirmed() ? known : withConfirmation(known, event, record.timestamp());
          case CANCELLED -> known.cancelEmitted() ? known : cancel(known, event, record);
        };
    if (updated.confirmed() && updated.items() != null && !updated.saleEmitted()) {
      OrderOutcome sale =
          new OrderOutcome(OrderEvent.Kind.CONFIRMED, orderId, updated.customerId(), updated.items(), updated.totalCents(), null, 0);
      // A sale happens when the order is confirmed, whichever half arrived last.
      context.forward(record.withValue(sale).withTimestamp(updated.confirmedAt()).withHeaders(new RecordHeaders()));
      updated =
          new OrderFacts(
              updated.items(), updated.customerId(), updated.totalCents(), true, updated.confirmedAt(), true, updated.cancelEmitted(), updated.lastSeenAt());
    }
    updated = updated.seenAt(record.timestamp());
    if (!updated.equals(known)) facts.put(orderId, updated);
  }

  private static OrderFacts withItems(OrderFacts known, OrderEvent reserved) {
    return new OrderFacts(
        reserved.items(), known.customerId(), known.totalCents(), known.confirmed(), known.confirmedAt(), known.saleEmitted(), known.cancelEmitted(), known.lastSeenAt());
  }

  private static OrderFacts withConfirmation(OrderFacts known, OrderEvent confirmed, long timestamp) {
    return new OrderFacts(
        known.items(), confirmed.customerId(), confirmed.totalCents(), true, timestamp, false, known.cancelEmitted(), known.lastSeenAt());
  }

  private OrderFacts cancel(OrderFacts known, OrderEvent cancelled, Record<String, OrderEvent> record) {
    OrderOutcome outcome =
        new OrderOutcome(
            OrderEvent.Kind.CANCELLED, cancelled.orderId(), cancelled.customerId(), null, 0, cancelled.reason(), cancelled.refundedCents());
    context.forward(record.withValue(outcome).withHeaders(new RecordHeaders()));
    return new OrderFacts(
        known.items(), known.customerId(), known.totalCents(), known.confirmed(), known.confirmedAt(), known.saleEmitted(), true, known.lastSeenAt());
  }
}
