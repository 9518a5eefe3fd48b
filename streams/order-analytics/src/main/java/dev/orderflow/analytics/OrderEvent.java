package dev.orderflow.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /**
   * The fields {@link #fromEnvelope} reads of each input topic's message, with the JSON type it needs;
   * it rejects a message that lacks one. SchemaSnapshotContractTest checks that the schema
   * snapshots require them with that type, and that this list is what the parser really reads.
   */
  public static final Map<String, Map<String, String>> FIELDS_READ =
      Map.of(
          AnalyticsTopics.STOCK_RESERVED,
          envelopeWith(
              Map.of(
                  "orderId", "string",
                  "items", "array",
                  "items[].sku", "string",
                  "items[].quantity", "integer",
                  "items[].unitPriceCents", "integer",
                  "totalCents", "integer")),
          AnalyticsTopics.ORDER_CONFIRMED,
          envelopeWith(Map.of("orderId", "string", "customerId", "string", "totalCents", "integer")),
          AnalyticsTopics.ORDER_CANCELLED,
          envelopeWith(Map.of("orderId", "string", "customerId", "string", "reason", "string", "refundedCents", "integer")));

  private static Map<String, String> envelopeWith(Map<String, String> payloadFields) {
    Map<String, String> fields = new TreeMap<>(Map.of("type", "string", "eventId", "string", "payload", "object"));
    payloadFields.forEach((path, type) -> fields.put("payload." + path, type));
    return Collections.unmodifiableMap(fields);
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
