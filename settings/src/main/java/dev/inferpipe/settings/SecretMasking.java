package dev.inferpipe.settings;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Masks secret values in settings before both services show them on {@code /config}: passwords,
 * keys' passwords, private keys given inline ({@code ssl.keystore.key}), SASL JAAS configs, tokens
 * and API keys.
 */
public final class SecretMasking {
  public static final String MASK = "******";
  private static final String[] SECRET_MARKERS = {
    "password",
    "secret",
    "jaas",
    "token",
    "credential",
    "keystore.key",
    "api-key",
    "apikey",
    "api.key"
  };

  private SecretMasking() {}

  /** A sorted copy of {@code settings} with every secret value replaced by {@link #MASK}. */
  public static Map<String, Object> mask(Map<String, ?> settings) {
    Map<String, Object> masked = new TreeMap<>();
    settings.forEach(
        (key, value) ->
            masked.put(key, isSecret(key) && value != null ? MASK : String.valueOf(value)));
    return masked;
  }

  public static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String marker : SECRET_MARKERS) {
      if (lower.contains(marker)) {
        return true;
      }
    }
    return false;
  }
}
