package dev.orderflow.analytics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The same endpoints as the Node apps: /health/ready while the streams are RUNNING, and /health/live
 * unless they have failed for good (ERROR, or NOT_RUNNING without a shutdown): a processor whose
 * streams died must be restarted by its orchestrator, not left answering "alive" for ever.
 */
final class HealthServer {
  private final HttpServer server;

  HealthServer(int port, Supplier<KafkaStreams.State> state) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/health/live",
        exchange -> {
          KafkaStreams.State current = state.get();
          boolean isAlive = !isDead(current);
          answer(exchange, isAlive ? 200 : 503, "{\"status\":\"" + (isAlive ? "ok" : "error") + "\",\"streams\":\"" + current + "\"}");
        });
    server.createContext(
        "/health/ready",
        exchange -> {
          KafkaStreams.State current = state.get();
          boolean isReady = current == KafkaStreams.State.RUNNING;
          answer(exchange, isReady ? 200 : 503, "{\"status\":\"" + (isReady ? "ok" : "error") + "\",\"streams\":\"" + current + "\"}");
        });
  }

  static boolean isDead(KafkaStreams.State state) {
    return state == KafkaStreams.State.ERROR
        || state == KafkaStreams.State.PENDING_ERROR
        || state == KafkaStreams.State.NOT_RUNNING;
  }

  int port() {
    return server.getAddress().getPort();
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
    // As the Node apps: the supervisor (tools/system) checks that its own child answers.
    exchange.getResponseHeaders().set("x-process-id", String.valueOf(ProcessHandle.current().pid()));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
