package dev.inferpipe.ingress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class AsyncPreferenceTest {
  private static AsyncPreference of(String query, String... prefer) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v2/models/m/infer");
    request.setQueryString(query);
    for (String header : prefer) {
      request.addHeader("Prefer", header);
    }
    return AsyncPreference.of(request);
  }

  @Test
  void theQueryParameterAsksForAsync() {
    assertThat(of("async=true")).isEqualTo(new AsyncPreference(true, false));
    assertThat(of("x=1&async")).isEqualTo(new AsyncPreference(true, false));
    assertThat(of("async=TRUE")).isEqualTo(new AsyncPreference(true, false));
    assertThat(of(null)).isEqualTo(new AsyncPreference(false, false));
  }

  @Test
  void preferRespondAsyncAsksForAsyncAmongOtherPreferences() {
    assertThat(of(null, "respond-async")).isEqualTo(new AsyncPreference(true, true));
    assertThat(of(null, "return=minimal, Respond-Async; x=1"))
        .isEqualTo(new AsyncPreference(true, true));
    assertThat(of(null, "wait=5", "respond-async")).isEqualTo(new AsyncPreference(true, true));
    assertThat(of(null, "respond-asynchronously")).isEqualTo(new AsyncPreference(false, false));
  }

  @Test
  void anExplicitAsyncFalseWinsOverTheHeader() {
    assertThat(of("async=false", "respond-async")).isEqualTo(new AsyncPreference(false, false));
  }

  @Test
  void anUnreadableFlagIsRefusedByName() {
    assertThatThrownBy(() -> of("async=maybe"))
        .isInstanceOf(IngressException.class)
        .hasMessage("query parameter async: expected true or false, was 'maybe'");
  }
}
