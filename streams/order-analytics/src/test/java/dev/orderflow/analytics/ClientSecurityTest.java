package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecurityTest {
  @TempDir Path secrets;

  @Test
  void connectsWithoutSaslWhenNothingIsSet() {
    List<String> problems = new ArrayList<>();
    assertEquals(Map.of(), ClientSecurity.properties(null, null, null, null, problems));
    assertEquals(List.of(), problems);
  }

  @Test
  void authenticatesWithScramFromAMountedPasswordFile() throws Exception {
    Path password = Files.writeString(secrets.resolve("password"), "s3cret\n");
    List<String> problems = new ArrayList<>();
    Map<String, String> properties =
        ClientSecurity.properties("orderflow-order-analytics", null, password.toString(), null, problems);
    assertEquals(List.of(), problems);
    assertEquals("SASL_PLAINTEXT", properties.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
    assertTrue(properties.get("sasl.jaas.config").contains("username=\"orderflow-order-analytics\" password=\"s3cret\";"));
  }

  @Test
  void usesTlsWithTheGivenCa() throws Exception {
    Path ca = Files.writeString(secrets.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> properties = ClientSecurity.properties("u", "p", null, ca.toString(), new ArrayList<>());
    assertEquals("SASL_SSL", properties.get("security.protocol"));
    assertEquals("PEM", properties.get("ssl.truststore.type"));
  }

  @Test
  void namesTheVariableThatIsMissingOrUnreadable() {
    List<String> problems = new ArrayList<>();
    ClientSecurity.properties("u", null, null, null, problems);
    ClientSecurity.properties(null, "p", null, null, problems);
    ClientSecurity.properties("u", null, secrets.resolve("missing").toString(), null, problems);
    assertEquals(3, problems.size());
    assertTrue(problems.get(0).startsWith("KAFKA_SASL_PASSWORD: "));
    assertTrue(problems.get(1).startsWith("KAFKA_SASL_USERNAME: "));
    assertTrue(problems.get(2).startsWith("KAFKA_SASL_PASSWORD_FILE: cannot be read"));
    assertFalse(String.join(" ", problems).contains("p\""));
  }
}
