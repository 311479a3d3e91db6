package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.correlation.Reply;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores an {@link AsyncResult} as whether it is pending, the model's name, then the deadline (for
 * a pending one) or the error code's name (empty for a success) and the reply body. The store is in
 * memory only, so the format never has to outlive a process.
 */
final class AsyncResultSerde {
  private AsyncResultSerde() {}

  static Serde<AsyncResult> serde() {
    return Serdes.serdeFrom(serializer(), deserializer());
  }

  private static Serializer<AsyncResult> serializer() {
    return (topic, result) -> {
      if (result == null) {
        return null;
      }
      ByteArrayOutputStream bytes =
          new ByteArrayOutputStream(result.isPending() ? 64 : result.reply().body().length + 64);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeBoolean(result.isPending());
        out.writeUTF(result.model());
        if (result.isPending()) {
          out.writeLong(result.deadlineEpochMs());
        } else {
          out.writeUTF(result.errorCode() == null ? "" : result.errorCode().name());
          out.write(result.reply().body());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    };
  }

  private static Deserializer<AsyncResult> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
        boolean pending = in.readBoolean();
        String model = in.readUTF();
        if (pending) {
          return AsyncResult.accepted(model, in.readLong());
        }
        String code = in.readUTF();
        byte[] body = in.readAllBytes();
        return new AsyncResult(
            model, new Reply(code.isEmpty() ? null : ErrorCode.fromWire(code), body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
