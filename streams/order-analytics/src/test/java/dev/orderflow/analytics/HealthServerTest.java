package dev.orderflow.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void liveUntilTheStreamsFailForGoodAndReadyOnlyWhileRunning() throws Exception {
    AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
    HealthServer health = new HealthServer(0, state::get);
    health.start();
    try {
      assertEquals(200, status(health, "/health/live"));
      assertEquals(503, status(health, "/health/ready"));
      state.set(KafkaStreams.State.RUNNING);
      assertEquals(200, status(health, "/health/live"));
      assertEquals(200, status(health, "/health/ready"));
      state.set(KafkaStreams.State.ERROR);
      assertEquals(503, status(health, "/health/live"));
      assertEquals(503, status(health, "/health/ready"));
    } finally {
      health.stop();
    }
  }

  private int status(HealthServer health, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
