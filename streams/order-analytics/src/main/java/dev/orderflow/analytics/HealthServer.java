package dev.orderflow.analytics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** The same endpoints as the Node apps: /health/live (the JVM answers) and /health/ready (RUNNING). */
final class HealthServer {
  private final HttpServer server;

  HealthServer(int port, Supplier<KafkaStreams.State> state) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health/live", exchange -> answer(exchange, 200, "{\"status\":\"ok\"}"));
    server.createContext(
        "/health/ready",
        exchange -> {
          KafkaStreams.State current = state.get();
          boolean isReady = current == KafkaStreams.State.RUNNING;
          answer(exchange, isReady ? 200 : 503, "{\"status\":\"" + (isReady ? "ok" : "error") + "\",\"streams\":\"" + current + "\"}");
        });
  }

  void start() {
    server.start();
  }

  void stop() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
