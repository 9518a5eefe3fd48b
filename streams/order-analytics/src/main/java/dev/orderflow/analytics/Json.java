package dev.orderflow.analytics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON everywhere: the TypeScript services write it, the analytics app reads it. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static <T> Serde<T> serde(Class<T> type) {
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) return null;
          try {
            return MAPPER.writeValueAsBytes(value);
          } catch (IOException error) {
            throw new UncheckedIOException(error);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) return null;
          try {
            return MAPPER.readValue(bytes, type);
          } catch (IOException error) {
            throw new UncheckedIOException(error);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
