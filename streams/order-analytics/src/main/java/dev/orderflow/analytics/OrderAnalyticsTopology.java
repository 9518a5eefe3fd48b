package dev.orderflow.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * order domain events ─► per-order outcomes (sale on confirmation, cancellation) ─► four results:
 *
 * <ul>
 *   <li>{@code analytics.sku-sales}: orders, units and revenue per SKU per 1-minute tumbling window;
 *   <li>{@code analytics.top-skus}: the 5 SKUs with most units per 5-minute window advancing by 1;
 *   <li>{@code analytics.customer-totals}: running orders, spent and refunded per customer (compacted);
 *   <li>{@code analytics.cancellations}: cancellations per reason per 1-minute window.
 * </ul>
 *
 * Windowed results are final: emitted once when stream time passes the window end plus the grace
 * period ({@code suppress(untilWindowCloses)}). Stream time only moves with records, so the clock
 * topic's ticks are merged in before each windowed aggregation: without them the last windows would
 * stay open until the next order. The windowed aggregations run on one partition, so that one tick
 * reaches all of them (the per-order work before them runs on every input partition).
 */
public final class OrderAnalyticsTopology {
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final Duration TOP_WINDOW = Duration.ofMinutes(5);
  static final String CLOCK_KEY = "~clock";
  private static final Logger LOGGER = LoggerFactory.getLogger(OrderAnalyticsTopology.class);

  private static final Serde<String> STRINGS = Serdes.String();
  private static final Serde<OrderEvent> EVENTS = Json.serde(OrderEvent.class);
  private static final Serde<OrderOutcome> OUTCOMES = Json.serde(OrderOutcome.class);
  private static final Serde<OrderFacts> FACTS = Json.serde(OrderFacts.class);
  private static final Serde<SkuSale> SALES = Json.serde(SkuSale.class);
  private static final Serde<SkuTotals> SKU_TOTALS = Json.serde(SkuTotals.class);
  private static final Serde<WindowedSkuUnits> WINDOWED_UNITS = Json.serde(WindowedSkuUnits.class);
  private static final Serde<TopSkus> TOP_SKUS = Json.serde(TopSkus.class);
  private static final Serde<CustomerTotals> CUSTOMER_TOTALS = Json.serde(CustomerTotals.class);
  private static final Serde<SkuWindowSales> SKU_WINDOW_SALES = Json.serde(SkuWindowSales.class);
  private static final Serde<CancellationCount> CANCELLATION_COUNTS = Json.serde(CancellationCount.class);

  private OrderAnalyticsTopology() {}

  public static Topology build(Duration grace) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OrderOutcomeProcessor.STORE), STRINGS, FACTS));

    KStream<String, OrderEvent> events = null;
    for (String topic : AnalyticsTopics.INPUTS) {
      KStream<String, OrderEvent> stream =
          builder.stream(topic, Consumed.with(STRINGS, Serdes.ByteArray()).withName("read-" + topic))
              .flatMapValues(OrderAnalyticsTopology::parseOrSkip, Named.as("parse-" + topic));
      events = events == null ? stream : events.merge(stream, Named.as("merge-" + topic));
    }
    KStream<String, OrderOutcome> outcomes =
        events.process(OrderOutcomeProcessor::new, Named.as("order-outcomes"), OrderOutcomeProcessor.STORE);

    KStream<String, String> ticks =
        builder.stream(AnalyticsTopics.CLOCK, Consumed.with(STRINGS, STRINGS).withName("read-clock"))
            .selectKey((key, value) -> CLOCK_KEY, Named.as("clock-key"));

    KStream<String, SkuSale> skuSales =
        outcomes
            .filter((orderId, outcome) -> outcome.kind() == OrderEvent.Kind.CONFIRMED, Named.as("sales"))
            .flatMap(
                (orderId, sale) -> {
                  List<KeyValue<String, SkuSale>> lines = new ArrayList<>();
                  for (SoldItem item : sale.items()) {
                    lines.add(KeyValue.pair(item.sku(), new SkuSale(item.sku(), 1, item.quantity(), item.revenueCents())));
                  }
                  return lines;
                },
                Named.as("sale-lines"))
            .merge(ticks.mapValues(tick -> SkuSale.tick(), Named.as("sale-ticks")), Named.as("sales-and-ticks"))
            .repartition(Repartitioned.with(STRINGS, SALES).withName("by-sku").withNumberOfPartitions(1));

    TimeWindows minutes = TimeWindows.ofSizeAndGrace(MINUTE, grace);
    skuSalesPerMinute(skuSales, minutes);
    topSkus(skuSales, TimeWindows.ofSizeAndGrace(TOP_WINDOW, grace).advanceBy(MINUTE));
    customerTotals(outcomes);
    cancellationsPerMinute(outcomes, ticks, minutes);
    return builder.build();
  }

  private static void skuSalesPerMinute(KStream<String, SkuSale> skuSales, TimeWindows minutes) {
    skuSales
        .groupByKey(Grouped.with(STRINGS, SALES))
        .windowedBy(minutes)
        .aggregate(
            SkuTotals::empty,
            (sku, sale, totals) -> totals.add(sale),
            Named.as("sku-minute"),
            windowStore("sku-minute-totals", SKU_TOTALS, minutes))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("sku-minute-final"))
        .toStream(Named.as("sku-minute-results"))
        .filter((window, totals) -> !CLOCK_KEY.equals(window.key()), Named.as("sku-minute-no-ticks"))
        .map(
            (window, totals) ->
                KeyValue.pair(
                    windowKey(window),
                    new SkuWindowSales(
                        window.key(), start(window), end(window), totals.orders(), totals.units(), totals.revenueCents())),
            Named.as("sku-minute-view"))
        .to(AnalyticsTopics.SKU_SALES, Produced.with(STRINGS, SKU_WINDOW_SALES).withName("write-sku-sales"));
  }

  private static void topSkus(KStream<String, SkuSale> skuSales, TimeWindows fiveMinutes) {
    skuSales
        .groupByKey(Grouped.with(STRINGS, SALES))
        .windowedBy(fiveMinutes)
        .aggregate(
            () -> 0L,
            (sku, sale, units) -> units + sale.units(),
            Named.as("sku-five-minutes"),
            windowStore("sku-five-minute-units", Serdes.Long(), fiveMinutes))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("sku-five-minutes-final"))
        .toStream(Named.as("sku-five-minute-results"))
        .filter((window, units) -> !CLOCK_KEY.equals(window.key()) && units > 0, Named.as("sku-five-minutes-no-ticks"))
        // Each (SKU, window) arrives once, final: ranking them per window needs no retraction.
        .map(
            (window, units) ->
                KeyValue.pair(start(window), new WindowedSkuUnits(start(window), end(window), new SkuUnits(window.key(), units))),
            Named.as("by-window"))
        // The topic the key-value ranking's groupByKey created (one partition, like its input), kept.
        .repartition(Repartitioned.with(STRINGS, WINDOWED_UNITS).withName("top-skus-by-window"))
        .process(TopSkusRanker.withStore(TOP_WINDOW, retentionOf(fiveMinutes), STRINGS, TOP_SKUS), Named.as("rank-skus"))
        .to(AnalyticsTopics.TOP_SKUS, Produced.with(STRINGS, TOP_SKUS).withName("write-top-skus"));
  }

  private static void customerTotals(KStream<String, OrderOutcome> outcomes) {
    outcomes
        .selectKey((orderId, outcome) -> outcome.customerId(), Named.as("by-customer"))
        .groupByKey(Grouped.with("customer-outcomes", STRINGS, OUTCOMES))
        .aggregate(
            CustomerTotals::empty,
            (customerId, outcome, totals) -> totals.add(outcome),
            Named.as("customer-totals"),
            Materialized.<String, CustomerTotals, KeyValueStore<Bytes, byte[]>>as("customer-totals")
                .withKeySerde(STRINGS)
                .withValueSerde(CUSTOMER_TOTALS))
        .toStream(Named.as("customer-total-updates"))
        .to(AnalyticsTopics.CUSTOMER_TOTALS, Produced.with(STRINGS, CUSTOMER_TOTALS).withName("write-customer-totals"));
  }

  private static void cancellationsPerMinute(
      KStream<String, OrderOutcome> outcomes, KStream<String, String> ticks, TimeWindows minutes) {
    outcomes
        .filter((orderId, outcome) -> outcome.kind() == OrderEvent.Kind.CANCELLED, Named.as("cancellations"))
        .map((orderId, outcome) -> KeyValue.pair(outcome.reason(), 1L), Named.as("by-reason"))
        .merge(ticks.mapValues(tick -> 0L, Named.as("cancellation-ticks")), Named.as("cancellations-and-ticks"))
        .repartition(Repartitioned.with(STRINGS, Serdes.Long()).withName("by-reason").withNumberOfPartitions(1))
        .groupByKey(Grouped.with(STRINGS, Serdes.Long()))
        .windowedBy(minutes)
        .reduce(Long::sum, Named.as("reason-minute"), windowStore("reason-minute-counts", Serdes.Long(), minutes))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("reason-minute-final"))
        .toStream(Named.as("reason-minute-results"))
        .filter((window, count) -> !CLOCK_KEY.equals(window.key()), Named.as("reason-minute-no-ticks"))
        .map(
            (window, count) -> KeyValue.pair(windowKey(window), new CancellationCount(window.key(), start(window), end(window), count)),
            Named.as("reason-minute-view"))
        .to(AnalyticsTopics.CANCELLATIONS, Produced.with(STRINGS, CANCELLATION_COUNTS).withName("write-cancellations"));
  }

  /**
   * How long a store keeps a window: until it has closed (its end plus the grace period), when its
   * result is final and has left through suppress. Streams' default for a windowed aggregation,
   * stated so that every store of the topology says how it is bounded.
   */
  private static Duration retentionOf(TimeWindows windows) {
    return Duration.ofMillis(windows.size() + windows.gracePeriodMs());
  }

  private static <V> Materialized<String, V, WindowStore<Bytes, byte[]>> windowStore(String name, Serde<V> values, TimeWindows windows) {
    return Materialized.<String, V, WindowStore<Bytes, byte[]>>as(name)
        .withKeySerde(STRINGS)
        .withValueSerde(values)
        .withRetention(retentionOf(windows));
  }

  /** The services validate what they publish; anything else is logged and skipped, never a crash loop. */
  private static List<OrderEvent> parseOrSkip(byte[] value) {
    try {
      return List.of(OrderEvent.parse(value));
    } catch (IllegalArgumentException error) {
      LOGGER.warn("skipping an event that is not a valid envelope: {}", error.getMessage());
      return List.of();
    }
  }

  private static String windowKey(Windowed<String> window) {
    return window.key() + "@" + start(window);
  }

  private static String start(Windowed<String> window) {
    return Instant.ofEpochMilli(window.window().start()).toString();
  }

  private static String end(Windowed<String> window) {
    return Instant.ofEpochMilli(window.window().end()).toString();
  }
}
