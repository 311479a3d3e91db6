package dev.inferpipe.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {
  @Test
  void masksEveryKafkaSecuritySecretAndKeepsTheRest() {
    Map<String, Object> masked =
        SecretMasking.mask(
            Map.of(
                "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.password", "t",
                "ssl.keystore.password", "k",
                "ssl.key.password", "k2",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "sasl.oauthbearer.client.credentials.client.secret", "s",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/truststore.p12"));

    assertThat(masked)
        .containsEntry("sasl.jaas.config", SecretMasking.MASK)
        .containsEntry("ssl.truststore.password", SecretMasking.MASK)
        .containsEntry("ssl.keystore.password", SecretMasking.MASK)
        .containsEntry("ssl.key.password", SecretMasking.MASK)
        .containsEntry("ssl.keystore.key", SecretMasking.MASK)
        .containsEntry("sasl.oauthbearer.client.credentials.client.secret", SecretMasking.MASK)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12");
  }
}
