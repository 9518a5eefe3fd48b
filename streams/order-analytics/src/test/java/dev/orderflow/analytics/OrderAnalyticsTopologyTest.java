package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    AnalyticsSettings settings = AnalyticsSettings.defaults("unused:9092");
    Properties properties = OrderAnalyticsApp.streamsProperties(settings);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
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

  @SuppressWarnings("unchecked")
  static List<String> skuNames(Map<String, Object> ranking) {
    return ((List<Map<String, Object>>) ranking.get("skus")).stream().map(entry -> (String) entry.get("sku")).toList();
  }
}
