package dev.orderflow.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The environment, validated once at start-up; a bad or missing variable stops it with one line each. */
public record AnalyticsSettings(
    String brokers,
    String applicationId,
    String stateDir,
    int httpPort,
    Duration grace,
    Duration clockInterval,
    Duration clockLag,
    int resultPartitions,
    short replicationFactor,
    String instanceId,
    /** Client settings of the processor's principal (ClientSecurity); empty without SASL or TLS. */
    Map<String, String> clientSecurity) {

  public static AnalyticsSettings defaults(String brokers) {
    return new AnalyticsSettings(
        brokers, "order-analytics", ".data/streams", 3108, Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(5), 6, (short) 1, null, Map.of());
  }

  public static AnalyticsSettings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String brokers = env.getOrDefault("KAFKA_BROKERS", "127.0.0.1:9092").trim();
    if (brokers.isEmpty()) problems.add("KAFKA_BROKERS: must list host:port,...");
    String applicationId = env.getOrDefault("APPLICATION_ID", "order-analytics");
    String stateDir = env.getOrDefault("STATE_DIR", ".data/streams");
    // Static group membership (the pod name): a restarted instance takes its partitions back at once.
    String instanceId = env.get("INSTANCE_ID");
    int httpPort = positive(env, "HTTP_PORT", 3108, problems);
    int graceMs = positive(env, "WINDOW_GRACE_MS", 20_000, problems);
    int clockMs = positive(env, "CLOCK_INTERVAL_MS", 1_000, problems);
    int lagMs = positive(env, "CLOCK_LAG_MS", 5_000, problems);
    int partitions = positive(env, "KAFKA_TOPIC_PARTITIONS", 6, problems);
    int replication = positive(env, "KAFKA_REPLICATION_FACTOR", 1, problems);
    Map<String, String> clientSecurity =
        ClientSecurity.properties(
            env.get("KAFKA_SASL_USERNAME"),
            env.get("KAFKA_SASL_PASSWORD"),
            env.get("KAFKA_SASL_PASSWORD_FILE"),
            env.get("KAFKA_TLS_CA_FILE"),
            problems);
    if (!problems.isEmpty()) throw new IllegalArgumentException("Invalid environment:\n  " + String.join("\n  ", problems));
    return new AnalyticsSettings(
        brokers,
        applicationId,
        stateDir,
        httpPort,
        Duration.ofMillis(graceMs),
        Duration.ofMillis(clockMs),
        Duration.ofMillis(lagMs),
        partitions,
        (short) replication,
        instanceId,
        clientSecurity);
  }

  private static int positive(Map<String, String> env, String name, int fallback, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) return parsed;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + ": must be a positive integer (got \"" + value + "\")");
    return fallback;
  }
}
