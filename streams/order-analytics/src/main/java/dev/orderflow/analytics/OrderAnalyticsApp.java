package dev.orderflow.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: validates the environment, waits for the services' event topics, creates the clock
 * and result topics, then runs the topology with exactly-once processing, a clock ticker and the
 * health endpoint. Instances with the same APPLICATION_ID share the work.
 */
public final class OrderAnalyticsApp {
  private static final Logger LOGGER = LoggerFactory.getLogger(OrderAnalyticsApp.class);
  private static final Duration TOPIC_WAIT = Duration.ofMinutes(2);

  private OrderAnalyticsApp() {}

  public static void main(String[] args) throws Exception {
    AnalyticsSettings settings;
    try {
      settings = AnalyticsSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException error) {
      System.err.println(error.getMessage());
      System.exit(1);
      return;
    }
    Map<String, Object> adminProperties = new HashMap<>(settings.clientSecurity());
    adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
    try (Admin admin = Admin.create(adminProperties)) {
      awaitInputTopics(admin);
      createTopics(admin, settings);
    }

    KafkaStreams streams = new KafkaStreams(OrderAnalyticsTopology.build(settings.grace()), streamsProperties(settings));
    HealthServer health = new HealthServer(settings.httpPort(), streams::state);
    KafkaProducer<String, String> clockProducer = clockProducer(settings);
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  clock.shutdownNow();
                  clockProducer.close(Duration.ofSeconds(2));
                  streams.close(Duration.ofSeconds(20));
                  health.stop();
                }));
    streams.setUncaughtExceptionHandler(
        error -> {
          LOGGER.error("stream thread failed; replacing it", error);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    long lagMs = settings.clockLag().toMillis();
    AtomicBoolean isTicking = new AtomicBoolean(false);
    // Ticks start once the streams run, after any backlog of a restart has begun to flow.
    streams.setStateListener(
        (state, previous) -> {
          if (state == KafkaStreams.State.RUNNING && isTicking.compareAndSet(false, true)) {
            clock.scheduleAtFixedRate(
                () -> tick(clockProducer, lagMs), settings.clockInterval().toMillis(), settings.clockInterval().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
    health.start();
    streams.start();
    LOGGER.info(
        "order-analytics is up: application.id {}, brokers {}, health on :{}", settings.applicationId(), settings.brokers(), settings.httpPort());
  }

  /**
   * A tick stamped a little in the past (CLOCK_LAG_MS): an order event published up to that long
   * after the tick's time, such as a backlog read after a restart, still lands in its window.
   */
  private static void tick(KafkaProducer<String, String> producer, long lagMs) {
    long at = System.currentTimeMillis() - lagMs;
    producer.send(new ProducerRecord<>(AnalyticsTopics.CLOCK, null, at, null, Instant.ofEpochMilli(at).toString()));
  }

  static Properties streamsProperties(AnalyticsSettings settings) {
    Properties properties = new Properties();
    properties.putAll(settings.clientSecurity());
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir());
    properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // A crashed instance's partitions move on after 10 s rather than 45 s.
    properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    if (settings.instanceId() != null && !settings.instanceId().isBlank()) {
      properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), settings.instanceId());
    }
    return properties;
  }

  private static KafkaProducer<String, String> clockProducer(AnalyticsSettings settings) {
    Properties properties = new Properties();
    properties.putAll(settings.clientSecurity());
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-clock");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(properties);
  }

  /** The services create their topics at start; a source topic missing at start stops a Streams app. */
  private static void awaitInputTopics(Admin admin) throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
    while (true) {
      Set<String> existing = admin.listTopics().names().get();
      List<String> missing = AnalyticsTopics.INPUTS.stream().filter(topic -> !existing.contains(topic)).toList();
      if (missing.isEmpty()) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("input topics still missing: " + missing);
      LOGGER.info("waiting for the input topics {}", missing);
      Thread.sleep(500);
    }
  }

  /** The result topics are compacted: each key (SKU and window, customer) keeps its latest value. */
  private static void createTopics(Admin admin, AnalyticsSettings settings) throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> topics = new ArrayList<>();
    if (!existing.contains(AnalyticsTopics.CLOCK)) {
      topics.add(
          new NewTopic(AnalyticsTopics.CLOCK, 1, settings.replicationFactor())
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()))));
    }
    for (String topic : AnalyticsTopics.RESULTS) {
      if (existing.contains(topic)) continue;
      topics.add(
          new NewTopic(topic, settings.resultPartitions(), settings.replicationFactor())
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }
    for (NewTopic topic : topics) {
      try {
        admin.createTopics(List.of(topic)).all().get();
      } catch (ExecutionException error) {
        if (!(error.getCause() instanceof TopicExistsException)) throw error;
      }
    }
  }
}
