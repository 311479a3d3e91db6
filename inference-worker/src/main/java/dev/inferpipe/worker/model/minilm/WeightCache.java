package dev.inferpipe.worker.model.minilm;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converted weights on disk, in DJL's NDList encoding, beside the SHA-256 of that file. A file
 * whose checksum does not match (corrupt, or partly written) reads as absent, so the caller
 * converts again. Writes go to a temporary file that is moved into place, checksum last.
 */
final class WeightCache {
  private static final Logger log = LoggerFactory.getLogger(WeightCache.class);

  private final Path weights;
  private final Path checksum;

  WeightCache(Path directory, String key) {
    this.weights = directory.resolve(key + ".ndlist");
    this.checksum = directory.resolve(key + ".sha256");
  }

  Path file() {
    return weights;
  }

  /** The cached weights, or null when there are none or they fail their checksum. */
  NDList load(NDManager manager) throws IOException {
    if (!Files.isRegularFile(weights) || !Files.isRegularFile(checksum)) {
      return null;
    }
    String expected = Files.readString(checksum, StandardCharsets.US_ASCII).trim();
    byte[] bytes = Files.readAllBytes(weights);
    if (!sha256(bytes).equals(expected)) {
      log.warn("cached weights {} fail their checksum; converting again", weights);
      return null;
    }
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      return NDList.decode(manager, in);
    }
  }

  void store(NDList list) throws IOException {
    Files.createDirectories(weights.getParent());
    Path temporary = Files.createTempFile(weights.getParent(), "weights", ".partial");
    MessageDigest digest = newDigest();
    try (OutputStream out =
        new java.security.DigestOutputStream(Files.newOutputStream(temporary), digest)) {
      list.encode(out);
    }
    Files.deleteIfExists(checksum);
    Files.move(
        temporary, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(checksum, HexFormat.of().formatHex(digest.digest()) + "\n");
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
