package dev.orderflow.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of an order domain event (the TypeScript services' JSON envelope) that analytics uses.
 * The contract is the sample messages in libs/contracts/src/samples, which the tests parse.
 */
public record OrderEvent(
    Kind kind,
    String eventId,
    String orderId,
    String customerId,
    List<SoldItem> items,
    long totalCents,
    String reason,
    long refundedCents) {

  public enum Kind {
    RESERVED,
    CONFIRMED,
    CANCELLED
  }

  /** Parses an envelope of one of the input topics; throws on anything that is not one. */
  public static OrderEvent parse(byte[] json) {
    try {
      return fromEnvelope(Json.MAPPER.readTree(json));
    } catch (IOException error) {
      throw new IllegalArgumentException("not JSON: " + error.getMessage(), error);
    }
  }

  public static OrderEvent fromEnvelope(JsonNode envelope) {
    String type = text(envelope, "type");
    String eventId = text(envelope, "eventId");
    JsonNode payload = envelope.path("payload");
    if (!payload.isObject()) throw new IllegalArgumentException("envelope without payload");
    String orderId = text(payload, "orderId");
    return switch (type) {
      case AnalyticsTopics.STOCK_RESERVED -> {
        List<SoldItem> items = new ArrayList<>();
        for (JsonNode item : payload.path("items")) {
          items.add(
              new SoldItem(text(item, "sku"), number(item, "quantity"), number(item, "unitPriceCents")));
        }
        if (items.isEmpty()) throw new IllegalArgumentException("inventory.reserved without items");
        yield new OrderEvent(Kind.RESERVED, eventId, orderId, null, List.copyOf(items), number(payload, "totalCents"), null, 0);
      }
      case AnalyticsTopics.ORDER_CONFIRMED ->
          new OrderEvent(Kind.CONFIRMED, eventId, orderId, text(payload, "customerId"), List.of(), number(payload, "totalCents"), null, 0);
      case AnalyticsTopics.ORDER_CANCELLED ->
          new OrderEvent(
              Kind.CANCELLED,
              eventId,
              orderId,
              text(payload, "customerId"),
              List.of(),
              0,
              text(payload, "reason"),
              number(payload, "refundedCents"));
      default -> throw new IllegalArgumentException("not an analytics input: " + type);
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || value.asLong() < 0) {
      throw new IllegalArgumentException(field + " must be a non-negative integer");
    }
    return value.asLong();
  }
}
