package dev.orderflow.analytics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The values that travel between the processors and onto the result topics (all JSON). */
final class Model {
  private Model() {}
}

record SoldItem(String sku, long quantity, long unitPriceCents) {
  long revenueCents() {
    return quantity * unitPriceCents;
  }
}

/**
 * What the per-order processor knows about one order (its state store value). {@code lastSeenAt}: the
 * timestamp of the order's latest event, for the store's retention (0 in entries written before it
 * existed).
 */
record OrderFacts(
    List<SoldItem> items,
    String customerId,
    long totalCents,
    boolean confirmed,
    long confirmedAt,
    boolean saleEmitted,
    boolean cancelEmitted,
    long lastSeenAt) {
  static OrderFacts empty() {
    return new OrderFacts(null, null, 0, false, 0, false, false, 0);
  }

  OrderFacts seenAt(long timestamp) {
    return new OrderFacts(items, customerId, totalCents, confirmed, confirmedAt, saleEmitted, cancelEmitted, Math.max(lastSeenAt, timestamp));
  }
}

/** One outcome per order and kind, emitted exactly once however often the inputs repeat. */
record OrderOutcome(
    OrderEvent.Kind kind, String orderId, String customerId, List<SoldItem> items, long totalCents, String reason, long refundedCents) {}

/** One SKU line of a confirmed order, or a clock tick (sku null). */
record SkuSale(String sku, long orders, long units, long revenueCents) {
  static SkuSale tick() {
    return new SkuSale(null, 0, 0, 0);
  }

  @JsonIgnore
  boolean isTick() {
    return sku == null;
  }
}

record SkuTotals(long orders, long units, long revenueCents) {
  static SkuTotals empty() {
    return new SkuTotals(0, 0, 0);
  }

  SkuTotals add(SkuSale sale) {
    return new SkuTotals(orders + sale.orders(), units + sale.units(), revenueCents + sale.revenueCents());
  }
}

/** Result: analytics.sku-sales, one per SKU and closed 1-minute window. */
record SkuWindowSales(String sku, String windowStart, String windowEnd, long orders, long units, long revenueCents) {}

record SkuUnits(String sku, long units) {}

/** Result: analytics.top-skus, one per closed 5-minute window (updated as the SKUs of that window arrive). */
record TopSkus(String windowStart, String windowEnd, List<SkuUnits> skus) {
  static final int SIZE = 5;

  static TopSkus empty() {
    return new TopSkus(null, null, List.of());
  }

  /** Keeps every SKU's units (a window's SKUs arrive one by one); `top()` cuts to five. */
  TopSkus with(String start, String end, SkuUnits entry) {
    List<SkuUnits> all = new ArrayList<>(skus);
    all.removeIf(existing -> existing.sku().equals(entry.sku()));
    all.add(entry);
    all.sort(Comparator.comparingLong(SkuUnits::units).reversed().thenComparing(SkuUnits::sku));
    return new TopSkus(start, end, List.copyOf(all));
  }

  TopSkus top() {
    return new TopSkus(windowStart, windowEnd, skus.subList(0, Math.min(SIZE, skus.size())));
  }
}

record WindowedSkuUnits(String windowStart, String windowEnd, SkuUnits units) {}

/** Result: analytics.customer-totals (compacted, keyed by customer id). */
record CustomerTotals(String customerId, long orders, long spentCents, long cancellations, long refundedCents) {
  static CustomerTotals empty() {
    return new CustomerTotals(null, 0, 0, 0, 0);
  }

  CustomerTotals add(OrderOutcome outcome) {
    return switch (outcome.kind()) {
      case CONFIRMED -> new CustomerTotals(outcome.customerId(), orders + 1, spentCents + outcome.totalCents(), cancellations, refundedCents);
      case CANCELLED ->
          new CustomerTotals(outcome.customerId(), orders, spentCents, cancellations + 1, refundedCents + outcome.refundedCents());
      case RESERVED -> this;
    };
  }
}

/** Result: analytics.cancellations, one per reason and closed 1-minute window. */
record CancellationCount(String reason, String windowStart, String windowEnd, long count) {}
