package dev.orderflow.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * libs/contracts/topic-declarations.json: the system's one declaration of who reads and writes each
 * topic. It is generated from {@link #SOURCE}, so a fix belongs there.
 */
final class TopicDeclarations {
  static final Path CONTRACTS = Path.of("../../libs/contracts");
  static final String SOURCE = "libs/contracts/src/topic-declarations.ts";
  static final String GENERATE = "npm run contracts:generate";
  /** This processor's name as a participant of the declaration. */
  static final String PROCESSOR = "order-analytics";
  static final String STREAM_INTERNAL = "stream-internal";

  record Declaration(String topic, String kind, Integer schemaVersion, String key, List<String> producers, List<Consumer> consumers) {
    boolean isConsumedBy(String participant) {
      return consumers.stream().anyMatch(consumer -> consumer.participant().equals(participant));
    }

    boolean isProducedBy(String participant) {
      return producers.contains(participant);
    }

    /** The latest JSON Schema snapshot of its message type. */
    Path schemaSnapshot() {
      return CONTRACTS.resolve("schemas/" + topic + "/v" + schemaVersion + ".json");
    }
  }

  record Consumer(String participant, Group group) {}

  record Group(String id, String match) {}

  private record Document(List<Declaration> topics) {}

  private TopicDeclarations() {}

  /** Every declared topic, by name. */
  static Map<String, Declaration> all() throws IOException {
    Document document = Json.MAPPER.readValue(CONTRACTS.resolve("topic-declarations.json").toFile(), Document.class);
    Map<String, Declaration> byTopic = new TreeMap<>();
    document.topics().forEach(declaration -> byTopic.put(declaration.topic(), declaration));
    return byTopic;
  }

  static Map<String, Declaration> consumedByProcessor() throws IOException {
    return where(declaration -> declaration.isConsumedBy(PROCESSOR));
  }

  static Map<String, Declaration> producedByProcessor() throws IOException {
    return where(declaration -> declaration.isProducedBy(PROCESSOR));
  }

  static Map<String, Declaration> where(Predicate<Declaration> condition) throws IOException {
    Map<String, Declaration> matching = all();
    matching.values().removeIf(condition.negate());
    return matching;
  }

  static JsonNode readSchemaSnapshot(Declaration declaration) throws IOException {
    return Json.MAPPER.readTree(declaration.schemaSnapshot().toFile());
  }
}
