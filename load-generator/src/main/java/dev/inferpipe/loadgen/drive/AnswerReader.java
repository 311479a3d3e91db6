package dev.inferpipe.loadgen.drive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HTTP/1.1 answers off one connection through a buffer of its own: the status line, the
 * headers it needs (length, chunking, {@code Connection: close}) and the body, kept only for an
 * error's code. Not thread-safe: one lane of {@link HttpTarget} owns it.
 */
final class AnswerReader {
  private static final Pattern ERROR_CODE = Pattern.compile("\"error_code\"\\s*:\\s*\"([A-Z_]+)\"");

  private final byte[] buffer = new byte[16384];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private int lineLength;
  private InputStream in;
  private boolean closing;

  /** Reads from a new connection from now on. */
  void reset(InputStream in) {
    this.in = in;
    position = limit = 0;
  }

  /** Whether the last answer said {@code Connection: close}: the server ends keep-alive. */
  boolean closing() {
    return closing;
  }

  /** The next answer: its status, and for an error its error code. */
  Outcome read() throws IOException {
    closing = false;
    if (!readLine() || lineLength < 12 || !lineStartsWith("http/1.")) {
      throw new IOException("connection closed before the answer");
    }
    int code = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    long length = -1;
    boolean chunked = false;
    while (readLine() && lineLength > 0) {
      if (lineStartsWith("content-length:")) {
        length = number("content-length:".length(), 10);
      } else if (lineStartsWith("transfer-encoding:") && lineContains("chunked")) {
        chunked = true;
      } else if (lineStartsWith("connection:") && lineContains("close")) {
        closing = true; // the server ends keep-alive after this answer
      }
    }
    ByteArrayOutputStream body = code == 200 ? null : new ByteArrayOutputStream();
    if (chunked) {
      for (long size; readLine() && (size = number(0, 16)) > 0; readLine()) {
        body(size, body);
      }
      readLine(); // the empty line after the last chunk
    } else {
      body(Math.max(0, length), body);
    }
    if (code == 200) {
      return Outcome.OK;
    }
    Matcher error = ERROR_CODE.matcher(body.toString(StandardCharsets.UTF_8));
    return new Outcome(code, error.find() ? error.group(1) : null);
  }

  /** Reads the next {@code count} bytes of the answer into {@code into}, or past them. */
  private void body(long count, ByteArrayOutputStream into) throws IOException {
    for (long left = count; left > 0; ) {
      if (fill() <= 0) {
        throw new IOException("connection closed mid-answer");
      }
      int n = (int) Math.min(left, limit - position);
      if (into != null) {
        into.write(buffer, position, n);
      }
      position += n;
      left -= n;
    }
  }

  /** Reads more into the buffer if it is used up; the bytes unread, or -1 at the end. */
  int fill() throws IOException {
    if (position < limit) {
      return limit - position;
    }
    int read = in.read(buffer, 0, buffer.length);
    position = 0;
    limit = Math.max(0, read);
    return read;
  }

  /** The next line, without its CR LF, into {@code line}; false at the end of the stream. */
  private boolean readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (fill() <= 0) {
        if (lineLength == 0) {
          return false;
        }
        throw new IOException("connection closed mid-answer");
      }
      int start = position;
      while (position < limit) {
        if (buffer[position++] == '\n') {
          keep(start, position - 1 - start);
          if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
          }
          return true;
        }
      }
      keep(start, position - start);
    }
  }

  private void keep(int from, int count) {
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + count, 2 * line.length));
    }
    System.arraycopy(buffer, from, line, lineLength, count);
    lineLength += count;
  }

  /** Whether the line starts with {@code lower}, in any case. */
  private boolean lineStartsWith(String lower) {
    return regionMatches(0, lower);
  }

  private boolean lineContains(String lower) {
    for (int at = 0; at + lower.length() <= lineLength; at++) {
      if (regionMatches(at, lower)) {
        return true;
      }
    }
    return false;
  }

  private boolean regionMatches(int at, String lower) {
    if (at + lower.length() > lineLength) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      if (Character.toLowerCase((char) line[at + i]) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The number in the line from {@code at}, after blanks, up to its first non-digit. */
  private long number(int at, int radix) throws IOException {
    while (at < lineLength && (line[at] == ' ' || line[at] == '\t')) {
      at++;
    }
    long value = 0;
    int digits = 0;
    for (int digit; at < lineLength && (digit = Character.digit(line[at], radix)) >= 0; at++) {
      value = value * radix + digit;
      digits++;
    }
    if (digits == 0) {
      throw new IOException("not a number in the answer's head");
    }
    return value;
  }
}
