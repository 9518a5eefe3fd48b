package dev.orderflow.analytics;

import java.util.List;

/**
 * The topics this processor reads and writes. Input names come from libs/contracts/src/topics.ts;
 * TopologyDeclarationTest checks these lists against libs/contracts/topic-declarations.json.
 */
public final class AnalyticsTopics {
  public static final String STOCK_RESERVED = "inventory.reserved";
  public static final String ORDER_CONFIRMED = "order.confirmed";
  public static final String ORDER_CANCELLED = "order.cancelled";

  /** Wall-clock ticks that advance stream time while no orders flow, so that windows close. */
  public static final String CLOCK = "analytics.clock";

  public static final String SKU_SALES = "analytics.sku-sales";
  public static final String TOP_SKUS = "analytics.top-skus";
  public static final String CUSTOMER_TOTALS = "analytics.customer-totals";
  public static final String CANCELLATIONS = "analytics.cancellations";

  public static final List<String> INPUTS = List.of(STOCK_RESERVED, ORDER_CONFIRMED, ORDER_CANCELLED);
  public static final List<String> RESULTS = List.of(SKU_SALES, TOP_SKUS, CUSTOMER_TOTALS, CANCELLATIONS);

  private AnalyticsTopics() {}
}
