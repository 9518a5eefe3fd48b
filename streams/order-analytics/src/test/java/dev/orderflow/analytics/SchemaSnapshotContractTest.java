package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.orderflow.analytics.TopicDeclarations.Declaration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor reads the same JSON Schema snapshots as the services: for each topic it reads or
 * writes, libs/contracts/schemas/<topic>/v<N>.json with N the declared schemaVersion. The input
 * samples match theirs and keep every field OrderEvent reads; the records the topology writes
 * match the snapshots of their result topics, which the analytics app validates them with.
 */
class SchemaSnapshotContractTest {
  /** Draft-07, as the snapshots are written, with formats (uuid, date-time) asserted and not only noted. */
  static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_7,
          registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  @Test
  void everyInputSampleMatchesItsSnapshot() throws IOException {
    for (Declaration input : inputs().values()) {
      assertEquals(List.of(), errors(input, sampleOf(input)), input.topic() + " sample against " + input.schemaSnapshot());
    }
  }

  @Test
  void theSnapshotsRequireEveryFieldOrderEventReadsWithItsType() throws IOException {
    Map<String, Declaration> inputs = inputs();
    assertEquals(inputs.keySet(), OrderEvent.FIELDS_READ.keySet(), "OrderEvent.FIELDS_READ against the declared inputs");
    for (Declaration input : inputs.values()) {
      JsonNode snapshot = TopicDeclarations.readSchemaSnapshot(input);
      OrderEvent.FIELDS_READ
          .get(input.topic())
          .forEach(
              (path, type) -> {
                String reads = input.schemaSnapshot() + ": OrderEvent needs " + path + ", a required " + type;
                assertEquals(Set.of(type), texts(requiredField(snapshot, path, reads).path("type")), reads + ", but the schema types it otherwise");
              });
    }
  }

  @Test
  void orderEventReadsExactlyTheFieldsItLists() throws IOException {
    for (Declaration input : inputs().values()) {
      assertEquals(
          OrderEvent.FIELDS_READ.get(input.topic()).keySet(),
          fieldsTheParserReads(sampleOf(input)),
          "OrderEvent.FIELDS_READ of " + input.topic() + " against what fromEnvelope reads of its sample");
    }
  }

  @Test
  void theRecordsTheTopologyWritesFromTheSamplesMatchTheirSnapshots(@TempDir Path stateDir) throws Exception {
    // The topology test's driver and helpers, started and stopped here.
    OrderAnalyticsTopologyTest topology = new OrderAnalyticsTopologyTest();
    topology.stateDir = stateDir;
    topology.start();
    try {
      Instant latest = Instant.EPOCH;
      for (Declaration input : inputs().values()) {
        JsonNode sample = sampleOf(input);
        Instant occurredAt = Instant.parse(sample.get("occurredAt").asText());
        topology.inputs.get(input.topic()).pipeInput(OrderEvent.fromEnvelope(sample).orderId(), Json.MAPPER.writeValueAsBytes(sample), occurredAt);
        if (occurredAt.isAfter(latest)) latest = occurredAt;
      }
      // Closes every window that holds a sample (the longest lasts five minutes): all results leave.
      topology.tick(latest.plus(OrderAnalyticsTopology.TOP_WINDOW).plus(OrderAnalyticsTopologyTest.GRACE));
      for (Declaration result : results().values()) {
        List<String> records = topology.output(result.topic()).readValuesToList();
        assertFalse(records.isEmpty(), "the samples led to no record on " + result.topic() + " to check");
        for (String record : records) {
          assertEquals(List.of(), errors(result, Json.MAPPER.readTree(record)), record + " against " + result.schemaSnapshot());
        }
      }
    } finally {
      topology.stop();
    }
  }

  @Test
  void theValidatorFollowsReferencesAndAssertsFormats() throws IOException {
    // Else the checks above could pass without ever looking into a payload.
    Declaration reserved = inputs().get(AnalyticsTopics.STOCK_RESERVED);
    JsonNode broken = sampleOf(reserved);
    ObjectNode payload = (ObjectNode) broken.get("payload");
    payload.put("orderId", "not-a-uuid");
    ((ObjectNode) payload.get("items").get(0)).put("quantity", "two");
    List<String> errors = errors(reserved, broken);
    assertEquals(2, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("orderId") || errors.get(1).contains("orderId"), errors.toString());
    assertTrue(errors.get(0).contains("quantity") || errors.get(1).contains("quantity"), errors.toString());
  }

  /** The declared topics the processor reads, but its own clock (ticks, no schema). */
  static Map<String, Declaration> inputs() throws IOException {
    return TopicDeclarations.where(declaration -> declaration.isConsumedBy(TopicDeclarations.PROCESSOR) && !isClock(declaration));
  }

  /** The declared topics the processor writes, but its own clock. */
  static Map<String, Declaration> results() throws IOException {
    return TopicDeclarations.where(declaration -> declaration.isProducedBy(TopicDeclarations.PROCESSOR) && !isClock(declaration));
  }

  private static boolean isClock(Declaration declaration) {
    return declaration.kind().equals(TopicDeclarations.STREAM_INTERNAL);
  }

  /** The sample message of the declared version, libs/contracts/src/samples/<topic>.v<N>.json. */
  static JsonNode sampleOf(Declaration input) throws IOException {
    return Json.MAPPER.readTree(OrderEventContractTest.sample(input.topic(), input.schemaVersion()));
  }

  static List<String> errors(Declaration declaration, JsonNode message) throws IOException {
    return SCHEMAS.getSchema(TopicDeclarations.readSchemaSnapshot(declaration)).validate(message).stream().map(String::valueOf).toList();
  }

  /**
   * The schema of a field path such as payload.items[].sku (a field of each element of items),
   * following references; fails unless every step of the path is declared and required.
   */
  private static JsonNode requiredField(JsonNode snapshot, String path, String reads) {
    JsonNode schema = snapshot;
    for (String step : path.split("\\.")) {
      boolean isEachElement = step.endsWith("[]");
      String name = isEachElement ? step.substring(0, step.length() - 2) : step;
      schema = dereference(snapshot, schema);
      assertTrue(schema.path("properties").has(name), reads + ", but the schema has no " + name);
      assertTrue(texts(schema.path("required")).contains(name), reads + ", but the schema does not require " + name);
      schema = dereference(snapshot, schema.path("properties").path(name));
      if (isEachElement) schema = schema.path("items");
    }
    return dereference(snapshot, schema);
  }

  /** The snapshots' references are local (#/$defs/...): a JSON Pointer into the snapshot itself. */
  private static JsonNode dereference(JsonNode snapshot, JsonNode schema) {
    while (schema.has("$ref")) schema = snapshot.at(schema.get("$ref").asText().substring(1));
    return schema;
  }

  /** A string, or an array of strings (as "type" and "required" hold them), as a set. */
  private static Set<String> texts(JsonNode node) {
    Set<String> texts = new TreeSet<>();
    if (node.isTextual()) texts.add(node.asText());
    node.forEach(element -> texts.add(element.asText()));
    return texts;
  }

  /** The fields without which OrderEvent rejects the sample, or reads it otherwise: the ones it reads. */
  static Set<String> fieldsTheParserReads(JsonNode sample) {
    Set<String> read = new TreeSet<>();
    probe(sample, "", "", OrderEvent.fromEnvelope(sample), read);
    return read;
  }

  /** Removes each field under the pointer in turn, in a copy of the sample, and parses what is left. */
  private static void probe(JsonNode sample, String pointer, String path, OrderEvent whole, Set<String> read) {
    JsonNode node = sample.at(pointer);
    if (node.isArray()) {
      for (int index = 0; index < node.size(); index++) probe(sample, pointer + "/" + index, path + "[]", whole, read);
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode without = sample.deepCopy();
      ((ObjectNode) without.at(pointer)).remove(field.getKey());
      if (!readsAs(without, whole)) read.add(fieldPath);
      probe(sample, pointer + "/" + field.getKey(), fieldPath, whole, read);
    }
  }

  private static boolean readsAs(JsonNode message, OrderEvent expected) {
    try {
      return OrderEvent.fromEnvelope(message).equals(expected);
    } catch (IllegalArgumentException rejected) {
      return false;
    }
  }
}
