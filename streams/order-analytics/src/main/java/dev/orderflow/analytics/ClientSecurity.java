package dev.orderflow.analytics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor's own Kafka principal, from the same variables as the Nest apps: SASL/SCRAM-SHA-512
 * with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE, a mounted secret);
 * TLS with KAFKA_TLS_CA_FILE (PEM). Nothing set: plaintext without SASL. The result goes to every
 * client (Streams passes unprefixed client settings to its consumers, producers and admin).
 */
final class ClientSecurity {
  private ClientSecurity() {}

  /** From KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE and KAFKA_TLS_CA_FILE (each may be null). */
  static Map<String, String> properties(
      String usernameVariable, String passwordVariable, String passwordFileVariable, String caFileVariable, List<String> problems) {
    String username = blankToNull(usernameVariable);
    String password = blankToNull(passwordVariable);
    String passwordFile = blankToNull(passwordFileVariable);
    String caFile = blankToNull(caFileVariable);
    if (password != null && passwordFile != null) {
      problems.add("KAFKA_SASL_PASSWORD_FILE: set together with KAFKA_SASL_PASSWORD: use one of them");
    } else if (passwordFile != null) {
      try {
        password = Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException error) {
        problems.add("KAFKA_SASL_PASSWORD_FILE: cannot be read (" + error.getClass().getSimpleName() + ")");
      }
    }
    if (username != null && password == null && passwordFile == null) {
      problems.add("KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_USERNAME is set (or KAFKA_SASL_PASSWORD_FILE)");
    }
    if (username == null && (password != null || passwordFile != null)) {
      problems.add("KAFKA_SASL_USERNAME: is required when a Kafka password is set");
    }
    if (caFile != null && !Files.isReadable(Path.of(caFile))) {
      problems.add("KAFKA_TLS_CA_FILE: cannot be read");
    }
    Map<String, String> properties = new HashMap<>();
    boolean isSasl = username != null && password != null;
    boolean isTls = caFile != null;
    if (isSasl) {
      properties.put("sasl.mechanism", "SCRAM-SHA-512");
      properties.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + jaasEscaped(username)
              + "\" password=\""
              + jaasEscaped(password)
              + "\";");
    }
    if (isTls) {
      properties.put("ssl.truststore.type", "PEM");
      properties.put("ssl.truststore.location", caFile);
    }
    if (isSasl || isTls) {
      properties.put("security.protocol", (isSasl ? "SASL_" : "") + (isTls ? "SSL" : "PLAINTEXT"));
    }
    return Map.copyOf(properties);
  }

  private static String jaasEscaped(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
