package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The samples in libs/contracts (validated by the TypeScript classes there) parse into this model. */
class OrderEventContractTest {
  static final Path SAMPLES = Path.of("../../libs/contracts/src/samples");

  static byte[] sample(String topic) throws IOException {
    return sample(topic, 1);
  }

  static byte[] sample(String topic, int version) throws IOException {
    return Files.readAllBytes(SAMPLES.resolve(topic + ".v" + version + ".json"));
  }

  @Test
  void parsesEveryInputTopicSample() throws IOException {
    for (String topic : AnalyticsTopics.INPUTS) {
      OrderEvent event = OrderEvent.parse(sample(topic));
      assertFalse(event.orderId().isEmpty(), topic);
      assertFalse(event.eventId().isEmpty(), topic);
    }
    try (Stream<Path> files = Files.list(SAMPLES)) {
      long inputSamples = files.filter(file -> AnalyticsTopics.INPUTS.stream().anyMatch(topic -> file.getFileName().toString().startsWith(topic + ".v"))).count();
      assertEquals(AnalyticsTopics.INPUTS.size(), inputSamples);
    }
  }

  @Test
  void readsPricedItemsOfAReservation() throws IOException {
    OrderEvent reserved = OrderEvent.parse(sample(AnalyticsTopics.STOCK_RESERVED));
    assertEquals(OrderEvent.Kind.RESERVED, reserved.kind());
    assertEquals(List.of(new SoldItem("BOOK-1", 2, 1250), new SoldItem("PEN-7", 1, 300)), reserved.items());
    assertEquals(2800, reserved.totalCents());
  }

  @Test
  void readsConfirmationAndCancellation() throws IOException {
    OrderEvent confirmed = OrderEvent.parse(sample(AnalyticsTopics.ORDER_CONFIRMED));
    assertEquals("alice", confirmed.customerId());
    assertEquals(2800, confirmed.totalCents());
    OrderEvent cancelled = OrderEvent.parse(sample(AnalyticsTopics.ORDER_CANCELLED));
    assertEquals("PAYMENT_DECLINED", cancelled.reason());
    assertEquals(0, cancelled.refundedCents());
  }
}
