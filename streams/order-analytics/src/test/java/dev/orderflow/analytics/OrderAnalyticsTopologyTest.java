package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderAnalyticsTopologyTest {
  static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(10);

  @TempDir Path stateDir;
  TopologyTestDriver driver;
  Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
  TestInputTopic<String, String> clock;
  TestOutputTopic<String, String> skuSales;
  TestOutputTopic<String, String> topSkus;
  TestOutputTopic<String, String> customerTotals;
  TestOutputTopic<String, String> cancellations;

  @BeforeEach
  void start() {
    start(Map.of());
  }

  void start(Map<String, Object> overrides) {
    AnalyticsSettings settings = AnalyticsSettings.defaults("unused:9092");
    Properties properties = OrderAnalyticsApp.streamsProperties(settings);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    properties.putAll(overrides);
    driver = new TopologyTestDriver(OrderAnalyticsTopology.build(GRACE), properties);
    for (String topic : AnalyticsTopics.INPUTS) {
      inputs.put(topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
    }
    clock = driver.createInputTopic(AnalyticsTopics.CLOCK, new StringSerializer(), new StringSerializer());
    skuSales = output(AnalyticsTopics.SKU_SALES);
    topSkus = output(AnalyticsTopics.TOP_SKUS);
    customerTotals = output(AnalyticsTopics.CUSTOMER_TOTALS);
    cancellations = output(AnalyticsTopics.CANCELLATIONS);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void countsConfirmedSalesPerSkuOnceTheMinuteCloses() throws Exception {
    String first = sale("alice", T0.plusSeconds(5), item("BOOK-1", 2, 1250), item("PEN-7", 1, 300));
    sale("bob", T0.plusSeconds(30), item("BOOK-1", 1, 1250));
    sale("carol", T0.plusSeconds(65), item("PEN-7", 4, 300)); // the next minute, within the grace period

    assertTrue(skuSales.isEmpty(), "no result before the window closes");
    tick(T0.plusSeconds(60).plus(GRACE).minusMillis(1));
    assertTrue(skuSales.isEmpty(), "still within the grace period");
    tick(T0.plusSeconds(60).plus(GRACE));

    Map<String, Map<String, Object>> results = values(skuSales.readKeyValuesToList());
    assertEquals(2, results.size());
    Map<String, Object> book = results.get("BOOK-1@2026-01-15T10:00:00Z");
    assertEquals(2, number(book, "orders"));
    assertEquals(3, number(book, "units"));
    assertEquals(3750, number(book, "revenueCents"));
    assertEquals("2026-01-15T10:01:00Z", book.get("windowEnd"));
    Map<String, Object> pen = results.get("PEN-7@2026-01-15T10:00:00Z");
    assertEquals(1, number(pen, "orders"));
    assertEquals(300, number(pen, "revenueCents"));
    assertTrue(first.length() > 0);
  }

  @Test
  void writesResultsWithoutTheHeadersOfTheServicesMessages() throws Exception {
    String orderId = UUID.randomUUID().toString();
    TestInputTopic<String, byte[]> reserved = inputs.get(AnalyticsTopics.STOCK_RESERVED);
    TestInputTopic<String, byte[]> confirmations = inputs.get(AnalyticsTopics.ORDER_CONFIRMED);
    Headers headers = new RecordHeaders().add("x-message-type", "order.confirmed".getBytes(StandardCharsets.UTF_8));
    reserved.pipeInput(new TestRecord<>(orderId, reserved(orderId, 1250, item("BOOK-1", 1, 1250)).getBytes(StandardCharsets.UTF_8), headers, T0));
    confirmations.pipeInput(new TestRecord<>(orderId, confirmed(orderId, "alice", 1250).getBytes(StandardCharsets.UTF_8), headers, T0.plusSeconds(1)));
    tick(T0.plusSeconds(75));
    assertEquals(0, skuSales.readRecord().headers().toArray().length);
    assertEquals(0, customerTotals.readRecord().headers().toArray().length);
  }

  @Test
  void joinsAConfirmationReadBeforeItsReservationAndIgnoresRepeats() throws Exception {
    String orderId = UUID.randomUUID().toString();
    send(AnalyticsTopics.ORDER_CONFIRMED, orderId, confirmed(orderId, "alice", 2500), T0.plusSeconds(1));
    send(AnalyticsTopics.ORDER_CONFIRMED, orderId, confirmed(orderId, "alice", 2500), T0.plusSeconds(2));
    String reservation = reserved(orderId, 2500, item("BOOK-1", 2, 1250));
    send(AnalyticsTopics.STOCK_RESERVED, orderId, reservation, T0.plusSeconds(3));
    send(AnalyticsTopics.STOCK_RESERVED, orderId, reservation, T0.plusSeconds(4));
    tick(T0.plusSeconds(75));

    List<KeyValue<String, String>> results = skuSales.readKeyValuesToList();
    assertEquals(1, results.size());
    Map<String, Object> book = values(results).get("BOOK-1@2026-01-15T10:00:00Z");
    assertEquals(1, number(book, "orders"));
    assertEquals(2, number(book, "units"));
    assertEquals(2500, number(book, "revenueCents"));
  }

  @Test
  void doesNotCountAReservationThatIsNeverConfirmed() throws Exception {
    String orderId = UUID.randomUUID().toString();
    send(AnalyticsTopics.STOCK_RESERVED, orderId, reserved(orderId, 1250, item("BOOK-1", 1, 1250)), T0.plusSeconds(1));
    send(AnalyticsTopics.ORDER_CANCELLED, orderId, cancelled(orderId, "bob", "PAYMENT_DECLINED", 0), T0.plusSeconds(2));
    tick(T0.plusSeconds(75));
    assertTrue(skuSales.isEmpty());
    Map<String, Map<String, Object>> counts = values(cancellations.readKeyValuesToList());
    assertEquals(1, number(counts.get("PAYMENT_DECLINED@2026-01-15T10:00:00Z"), "count"));
  }

  @Test
  void ranksTheTopFiveSkusByUnitsOverFiveMinuteWindows() throws Exception {
    String[] skus = {"A", "B", "C", "D", "E", "F", "G"};
    for (int index = 0; index < skus.length; index++) {
      sale("alice", T0.plusSeconds(10 + index), item(skus[index], index + 1, 100));
    }
    sale("alice", T0.plusSeconds(130), item("A", 10, 100)); // A: 11 units in windows holding both minutes
    tick(T0.plusSeconds(60 * 6).plus(GRACE));

    Map<String, Map<String, Object>> latest = values(topSkus.readKeyValuesToList());
    // The window [09:58, 10:03) holds both sales; [09:56, 10:01) only the first minute.
    Map<String, Object> both = latest.get("2026-01-15T09:58:00Z");
    assertEquals(List.of("A", "G", "F", "E", "D"), skuNames(both));
    assertEquals(11, number(((List<Map<String, Object>>) both.get("skus")).get(0), "units"));
    Map<String, Object> firstMinuteOnly = latest.get("2026-01-15T09:56:00Z");
    assertEquals(List.of("G", "F", "E", "D", "C"), skuNames(firstMinuteOnly));
    assertEquals("2026-01-15T10:01:00Z", firstMinuteOnly.get("windowEnd"));
  }

  @Test
  void dropsTheRankingOfAWindowOnceItsRetentionHasPassed() throws Exception {
    sale("alice", T0.plusSeconds(10), item("A", 1, 100));
    tick(T0.plusSeconds(60 * 6).plus(GRACE)); // closes the five windows holding the sale
    WindowStore<String, Object> rankings = driver.getWindowStore(TopSkusRanker.STORE);
    assertEquals(minutes("09:56", "09:57", "09:58", "09:59", "10:00"), windowStarts(rankings));

    // Stream time moves on: the rankings of later windows push the first ones past their retention.
    sale("bob", T0.plus(Duration.ofMinutes(20)), item("B", 1, 100));
    tick(T0.plus(Duration.ofMinutes(26)).plus(GRACE));
    assertEquals(minutes("10:16", "10:17", "10:18", "10:19", "10:20"), windowStarts(rankings));
    assertNull(rankings.fetch("2026-01-15T10:00:00Z", T0.toEpochMilli()));

    // A late total of a dropped window is not ranked alone over the published ranking.
    topSkus.readKeyValuesToList();
    driver
        .createInputTopic("order-analytics-top-skus-by-window-repartition", new StringSerializer(), new StringSerializer())
        .pipeInput(
            "2026-01-15T10:00:00Z",
            Json.MAPPER.writeValueAsString(new WindowedSkuUnits("2026-01-15T10:00:00Z", "2026-01-15T10:05:00Z", new SkuUnits("C", 9))),
            T0.plusSeconds(30));
    assertTrue(topSkus.isEmpty());
    assertEquals(minutes("10:16", "10:17", "10:18", "10:19", "10:20"), windowStarts(rankings));
  }

  @Test
  void forgetsTheWindowedTotalsOfAWindowOnceItCloses() throws Exception {
    driver.close();
    // Without the record cache, which would keep serving recent entries up to its size in bytes.
    start(Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0));
    String orderId = sale("alice", T0.plusSeconds(10), item("A", 1, 100));
    send(AnalyticsTopics.ORDER_CANCELLED, orderId, cancelled(orderId, "alice", "CUSTOMER_CANCELLED", 100), T0.plusSeconds(20));
    assertEquals(minutes("10:00"), windowStarts(driver.getWindowStore("sku-minute-totals"), "A"));
    assertEquals(minutes("10:00"), windowStarts(driver.getWindowStore("reason-minute-counts"), "CUSTOMER_CANCELLED"));

    tick(T0.plusSeconds(60 * 6).plus(GRACE)); // the 1-minute windows and the five 5-minute windows close
    assertEquals(List.of(), windowStarts(driver.getWindowStore("sku-minute-totals"), "A"));
    assertEquals(List.of(), windowStarts(driver.getWindowStore("reason-minute-counts"), "CUSTOMER_CANCELLED"));
    assertEquals(List.of(), windowStarts(driver.getWindowStore("sku-five-minute-units"), "A"));
    // Their results left before they went.
    assertEquals(Set.of("A@2026-01-15T10:00:00Z"), skuSales.readKeyValuesToMap().keySet());
    assertEquals(Set.of("CUSTOMER_CANCELLED@2026-01-15T10:00:00Z"), cancellations.readKeyValuesToMap().keySet());
    assertEquals(5, topSkus.readKeyValuesToMap().size());
  }

  @Test
  void keepsRunningTotalsPerCustomer() throws Exception {
    sale("alice", T0.plusSeconds(1), item("BOOK-1", 2, 1250));
    String refunded = sale("alice", T0.plusSeconds(2), item("PEN-7", 1, 300));
    send(AnalyticsTopics.ORDER_CANCELLED, refunded, cancelled(refunded, "alice", "CUSTOMER_CANCELLED", 300), T0.plusSeconds(3));
    send(AnalyticsTopics.ORDER_CANCELLED, refunded, cancelled(refunded, "alice", "CUSTOMER_CANCELLED", 300), T0.plusSeconds(4));

    Map<String, Object> alice = Json.MAPPER.readValue(customerTotals.readKeyValuesToMap().get("alice"), Map.class);
    assertEquals(2, number(alice, "orders"));
    assertEquals(2800, number(alice, "spentCents"));
    assertEquals(1, number(alice, "cancellations"));
    assertEquals(300, number(alice, "refundedCents"));
  }

  @Test
  void skipsAMessageThatIsNotAnEnvelopeAndCarriesOn() throws Exception {
    inputs.get(AnalyticsTopics.ORDER_CONFIRMED).pipeInput("x", "not json".getBytes(StandardCharsets.UTF_8), T0);
    sale("alice", T0.plusSeconds(1), item("BOOK-1", 1, 1250));
    tick(T0.plusSeconds(75));
    assertEquals(1, skuSales.readKeyValuesToList().size());
  }

  @Test
  void readsTheSampleMessagesOfTheContracts() throws Exception {
    Path samples = OrderEventContractTest.SAMPLES;
    String orderId = "0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11";
    inputs.get(AnalyticsTopics.STOCK_RESERVED).pipeInput(orderId, Files.readAllBytes(samples.resolve("inventory.reserved.v1.json")), T0);
    inputs.get(AnalyticsTopics.ORDER_CONFIRMED).pipeInput(orderId, Files.readAllBytes(samples.resolve("order.confirmed.v1.json")), T0.plusSeconds(1));
    tick(T0.plusSeconds(75));
    Map<String, Map<String, Object>> results = values(skuSales.readKeyValuesToList());
    assertEquals(2500, number(results.get("BOOK-1@2026-01-15T10:00:00Z"), "revenueCents"));
    assertEquals(300, number(results.get("PEN-7@2026-01-15T10:00:00Z"), "revenueCents"));
  }

  @Test
  void forgetsAnOrderAWeekAfterItsLastEventAndKeepsTheRecentOnes() throws Exception {
    KeyValueStore<String, OrderFacts> facts = driver.getKeyValueStore(OrderOutcomeProcessor.STORE);
    String old = sale("alice", T0, item("BOOK-1", 1, 1250));
    String recent = sale("bob", T0.plus(Duration.ofDays(6)), item("PEN-7", 1, 300));
    assertTrue(facts.get(old) != null && facts.get(recent) != null);

    // Stream time passes the week after the first order (and the hourly purge): only it is forgotten.
    sale("carol", T0.plus(OrderOutcomeProcessor.RETENTION).plus(OrderOutcomeProcessor.PURGE_EVERY), item("PEN-7", 1, 300));
    assertNull(facts.get(old));
    assertTrue(facts.get(recent) != null);
    assertEquals(T0.plus(Duration.ofDays(6)).plusMillis(200).toEpochMilli(), facts.get(recent).lastSeenAt());
  }

  // --- helpers

  record Item(String sku, long quantity, long unitPriceCents) {}

  static Item item(String sku, long quantity, long unitPriceCents) {
    return new Item(sku, quantity, unitPriceCents);
  }

  /** A reservation and its confirmation, as the saga publishes them; returns the order id. */
  String sale(String customerId, Instant at, Item... items) throws Exception {
    String orderId = UUID.randomUUID().toString();
    long total = 0;
    for (Item item : items) total += item.quantity() * item.unitPriceCents();
    send(AnalyticsTopics.STOCK_RESERVED, orderId, reserved(orderId, total, items), at);
    send(AnalyticsTopics.ORDER_CONFIRMED, orderId, confirmed(orderId, customerId, total), at.plusMillis(200));
    return orderId;
  }

  void send(String topic, String orderId, String json, Instant at) {
    inputs.get(topic).pipeInput(orderId, json.getBytes(StandardCharsets.UTF_8), at);
  }

  void tick(Instant at) {
    clock.pipeInput(null, at.toString(), at);
  }

  static String envelope(String type, String orderId, Map<String, Object> payload) throws Exception {
    Map<String, Object> envelope = new HashMap<>();
    envelope.put("eventId", UUID.randomUUID().toString());
    envelope.put("type", type);
    envelope.put("occurredAt", Instant.now().toString());
    envelope.put("correlationId", "test");
    envelope.put("aggregateId", orderId);
    envelope.put("aggregateVersion", 1);
    envelope.put("payload", payload);
    return Json.MAPPER.writeValueAsString(envelope);
  }

  static String reserved(String orderId, long totalCents, Item... items) throws Exception {
    return envelope(AnalyticsTopics.STOCK_RESERVED, orderId, Map.of("orderId", orderId, "items", List.of(items), "totalCents", totalCents));
  }

  static String confirmed(String orderId, String customerId, long totalCents) throws Exception {
    return envelope(AnalyticsTopics.ORDER_CONFIRMED, orderId, Map.of("orderId", orderId, "customerId", customerId, "totalCents", totalCents));
  }

  static String cancelled(String orderId, String customerId, String reason, long refundedCents) throws Exception {
    return envelope(
        AnalyticsTopics.ORDER_CANCELLED,
        orderId,
        Map.of("orderId", orderId, "customerId", customerId, "reason", reason, "refundedCents", refundedCents));
  }

  TestOutputTopic<String, String> output(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer());
  }

  /** Latest value per key, parsed. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> values(List<KeyValue<String, String>> records) throws Exception {
    Map<String, Map<String, Object>> parsed = new HashMap<>();
    for (KeyValue<String, String> record : records) parsed.put(record.key, Json.MAPPER.readValue(record.value, Map.class));
    return parsed;
  }

  static long number(Map<String, Object> values, String field) {
    return ((Number) values.get(field)).longValue();
  }

  static List<String> minutes(String... times) {
    return Arrays.stream(times).map(time -> "2026-01-15T" + time + ":00Z").toList();
  }

  /** The starts of the windows a store holds (of one key, if given), in order. */
  static List<String> windowStarts(WindowStore<String, Object> store, String... keys) {
    List<String> starts = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, Object> all = store.all()) {
      all.forEachRemaining(
          entry -> {
            if (keys.length == 0 || List.of(keys).contains(entry.key.key())) {
              starts.add(Instant.ofEpochMilli(entry.key.window().start()).toString());
            }
          });
    }
    return starts.stream().distinct().sorted().toList();
  }

  @SuppressWarnings("unchecked")
  static List<String> skuNames(Map<String, Object> ranking) {
    return ((List<Map<String, Object>>) ranking.get("skus")).stream().map(entry -> (String) entry.get("sku")).toList();
  }
}
