package dev.orderflow.analytics;

import static dev.orderflow.analytics.TopicDeclarations.PROCESSOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.orderflow.analytics.TopicDeclarations.Declaration;
import dev.orderflow.analytics.TopicDeclarations.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.apache.kafka.streams.TopologyDescription.Sink;
import org.apache.kafka.streams.TopologyDescription.Source;
import org.junit.jupiter.api.Test;

/**
 * The processor's inputs and outputs are part of the declaration in libs/contracts: the topology,
 * built as the app builds it, reads exactly the topics declared with order-analytics among their
 * consumers and writes exactly those declared with it among their producers.
 */
class TopologyDeclarationTest {
  static final AnalyticsSettings SETTINGS = AnalyticsSettings.defaults("unused:9092");

  @Test
  void readsExactlyTheTopicsDeclaredAsItsInputs() throws IOException {
    Set<String> read = topicsRead(OrderAnalyticsTopology.build(SETTINGS.grace()).describe());
    Set<String> declared = TopicDeclarations.consumedByProcessor().keySet();
    assertEquals(declared, read, mismatch("reads", "consumers", read, declared));
  }

  @Test
  void writesExactlyTheTopicsDeclaredAsItsOutputs() throws IOException {
    Set<String> written = topicsWritten(OrderAnalyticsTopology.build(SETTINGS.grace()).describe());
    // The app's ticker writes the clock with a producer of its own, beside the topology.
    written.add(AnalyticsTopics.CLOCK);
    Set<String> declared = TopicDeclarations.producedByProcessor().keySet();
    assertEquals(declared, written, mismatch("writes", "producers", written, declared));
  }

  @Test
  void analyticsTopicsListTheDeclaredTopics() throws IOException {
    Map<String, Declaration> consumed = TopicDeclarations.consumedByProcessor();
    Map<String, Declaration> produced = TopicDeclarations.producedByProcessor();
    assertEquals(topicsOfKind(consumed, "event"), new TreeSet<>(AnalyticsTopics.INPUTS), "AnalyticsTopics.INPUTS");
    assertEquals(topicsOfKind(produced, "stream-result"), new TreeSet<>(AnalyticsTopics.RESULTS), "AnalyticsTopics.RESULTS");
    assertEquals(topicsOfKind(consumed, TopicDeclarations.STREAM_INTERNAL), Set.of(AnalyticsTopics.CLOCK), "AnalyticsTopics.CLOCK");
  }

  @Test
  void readsInTheDeclaredConsumerGroup() throws IOException {
    // A Streams app's consumer group is its application.id (APPLICATION_ID, by default this one).
    Group expected = new Group(SETTINGS.applicationId(), "exact");
    for (Declaration declaration : TopicDeclarations.consumedByProcessor().values()) {
      for (TopicDeclarations.Consumer consumer : declaration.consumers()) {
        if (consumer.participant().equals(PROCESSOR)) assertEquals(expected, consumer.group(), declaration.topic());
      }
    }
  }

  /** The topics the topology subscribes to, without Kafka Streams' own. */
  static Set<String> topicsRead(TopologyDescription description) {
    Set<String> topics = new TreeSet<>();
    for (Node node : nodes(description)) {
      if (node instanceof Source source) {
        assertNotNull(source.topicSet(), source.name() + " reads a topic pattern, which the declaration cannot check");
        topics.addAll(source.topicSet());
      }
    }
    description.globalStores().forEach(store -> topics.addAll(store.source().topicSet()));
    topics.removeIf(TopologyDeclarationTest::isStreamsOwn);
    return topics;
  }

  /** The topics the topology writes to, without Kafka Streams' own. */
  static Set<String> topicsWritten(TopologyDescription description) {
    Set<String> topics = new TreeSet<>();
    for (Node node : nodes(description)) {
      if (node instanceof Sink sink) {
        assertNotNull(sink.topic(), sink.name() + " picks its topic per record, which the declaration cannot check");
        topics.add(sink.topic());
      }
    }
    topics.removeIf(TopologyDeclarationTest::isStreamsOwn);
    return topics;
  }

  private static List<Node> nodes(TopologyDescription description) {
    return description.subtopologies().stream().flatMap(subtopology -> subtopology.nodes().stream()).toList();
  }

  /**
   * Repartition and changelog topics: Streams names them {@code <application.id>-<name>-repartition}
   * (or {@code -changelog}) and creates them itself; a description shows them without the id.
   */
  static boolean isStreamsOwn(String topic) {
    return topic.endsWith("-repartition") || topic.endsWith("-changelog");
  }

  private static Set<String> topicsOfKind(Map<String, Declaration> declarations, String kind) {
    Set<String> topics = new TreeSet<>();
    declarations.values().stream().filter(declaration -> declaration.kind().equals(kind)).forEach(declaration -> topics.add(declaration.topic()));
    return topics;
  }

  /** What to change, and where, so that the declaration says what the topology does. */
  static String mismatch(String verb, String role, Set<String> actual, Set<String> declared) throws IOException {
    Set<String> known = TopicDeclarations.all().keySet();
    List<String> changes = new ArrayList<>();
    for (String topic : actual) {
      if (declared.contains(topic)) continue;
      changes.add(
          known.contains(topic)
              ? "add '" + PROCESSOR + "' to the " + role + " of " + topic
              : "declare the topic " + topic + " with '" + PROCESSOR + "' among its " + role);
    }
    for (String topic : declared) {
      if (!actual.contains(topic)) changes.add("remove '" + PROCESSOR + "' from the " + role + " of " + topic);
    }
    return "The topology "
        + verb
        + " other topics than the declaration says. "
        + String.join("; ", changes)
        + ": in "
        + TopicDeclarations.SOURCE
        + ", then `"
        + TopicDeclarations.GENERATE
        + "`. Or, if the topology is what is wrong, fix OrderAnalyticsTopology.";
  }
}
