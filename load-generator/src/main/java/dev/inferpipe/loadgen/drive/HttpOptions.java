package dev.inferpipe.loadgen.drive;

import java.util.List;

/**
 * How to speak to an HTTP target.
 *
 * @param headers {@code Name: value} headers sent with every request ({@code Authorization}, {@code
 *     X-API-Key}, tracing headers)
 * @param insecure for {@code https://}: accept any certificate, as for a self-signed one
 */
public record HttpOptions(List<String> headers, boolean insecure) {
  public static final HttpOptions NONE = new HttpOptions(List.of(), false);

  public HttpOptions {
    headers = List.copyOf(headers);
  }
}
