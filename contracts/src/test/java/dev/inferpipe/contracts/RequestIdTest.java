package dev.inferpipe.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdTest {
  @Test
  void randomIdsAreVersionFourUuidsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = RequestId.random().value();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void aRecordCarriesItsIdInTheHeaderElseInTheKey() {
    assertThat(RequestId.carried("from-header", "from-key"))
        .isEqualTo(new RequestId("from-header"));
    assertThat(RequestId.carried(null, "from-key")).isEqualTo(new RequestId("from-key"));
    assertThat(RequestId.carried("", "from-key")).isEqualTo(new RequestId("from-key"));
    assertThat(RequestId.carried(null, null)).isNull();
    assertThat(RequestId.carried("", "")).isNull();
  }

  @Test
  void onTheWireAnIdIsItsPlainValue() {
    RequestId id = RequestId.unguessable();

    assertThat(id.toString()).isEqualTo(id.value());
    assertThat(UUID.fromString(id.value()).version()).isEqualTo(4);
    assertThatThrownBy(() -> new RequestId("")).isInstanceOf(IllegalArgumentException.class);
  }
}
