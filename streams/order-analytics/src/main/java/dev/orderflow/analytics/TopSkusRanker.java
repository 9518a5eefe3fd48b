package dev.orderflow.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ranks the SKUs of each closed 5-minute window as they arrive, one final (SKU, window) total at a
 * time, keyed by the window's start, and forwards the window's top five after each.
 *
 * <p>The rankings live in a window store, not a key-value store: a key-value store would keep one
 * entry per window for ever (1,440 a day), while this one drops a window once the windows it has
 * ranked start more than {@code retention} later. All SKUs of a window arrive when it closes, and
 * windows close in order, so a window is complete long before it is dropped.
 *
 * <p>A total for a window the store no longer holds is dropped rather than ranked alone: that
 * window's ranking was published, and a ranking of the one late SKU would replace it on the
 * compacted result topic.
 */
final class TopSkusRanker implements Processor<String, WindowedSkuUnits, String, TopSkus> {
  /** Not the key-value store's name "top-skus-ranking": a window store cannot restore from its changelog. */
  static final String STORE = "top-skus-window-rankings";
  private static final Logger LOGGER = LoggerFactory.getLogger(TopSkusRanker.class);

  private final long retentionMs;
  private ProcessorContext<String, TopSkus> context;
  private WindowStore<String, TopSkus> rankings;
  /** The store's own clock: it drops a window once one starting {@code retention} later is put. */
  private long latestWindowStart = Long.MIN_VALUE;

  private TopSkusRanker(Duration retention) {
    this.retentionMs = retention.toMillis();
  }

  /** The ranker and its store, persistent and logged to a changelog (exactly once, like every store). */
  static ProcessorSupplier<String, WindowedSkuUnits, String, TopSkus> withStore(
      Duration windowSize, Duration retention, Serde<String> keys, Serde<TopSkus> values) {
    StoreBuilder<WindowStore<String, TopSkus>> store =
        Stores.windowStoreBuilder(Stores.persistentWindowStore(STORE, retention, windowSize, false), keys, values);
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, WindowedSkuUnits, String, TopSkus> get() {
        return new TopSkusRanker(retention);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(store);
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, TopSkus> context) {
    this.context = context;
    this.rankings = context.getStateStore(STORE);
    // Processors start after their stores are restored: the store's clock is its latest window.
    try (KeyValueIterator<Windowed<String>, TopSkus> all = rankings.all()) {
      all.forEachRemaining(entry -> latestWindowStart = Math.max(latestWindowStart, entry.key.window().start()));
    }
  }

  @Override
  public void process(Record<String, WindowedSkuUnits> record) {
    WindowedSkuUnits entry = record.value();
    long windowStart = Instant.parse(entry.windowStart()).toEpochMilli();
    if (windowStart + retentionMs <= latestWindowStart) {
      LOGGER.warn("dropping {} units of {} for the expired window {}", entry.units().units(), entry.units().sku(), entry.windowStart());
      return;
    }
    TopSkus known = rankings.fetch(record.key(), windowStart);
    TopSkus ranking = (known == null ? TopSkus.empty() : known).with(entry.windowStart(), entry.windowEnd(), entry.units());
    rankings.put(record.key(), ranking, windowStart);
    latestWindowStart = Math.max(latestWindowStart, windowStart);
    context.forward(record.withValue(ranking.top()));
  }
}
