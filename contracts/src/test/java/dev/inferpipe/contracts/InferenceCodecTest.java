package dev.inferpipe.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class InferenceCodecTest {
  private final InferenceCodec codec = new InferenceCodec();

  @ParameterizedTest
  @FieldSource("dev.inferpipe.contracts.GoldenMessages#VALID_REQUESTS")
  void validRequestsSurviveARoundTrip(String name) {
    InferenceRequest request = codec.decodeRequest(GoldenMessages.valid(name));

    assertThat(codec.decodeRequest(codec.encode(request))).isEqualTo(request);
  }

  @ParameterizedTest
  @FieldSource("dev.inferpipe.contracts.GoldenMessages#VALID_RESPONSES")
  void validResponsesSurviveARoundTrip(String name) {
    InferenceResponse response = codec.decodeResponse(GoldenMessages.valid(name));

    assertThat(codec.decodeResponse(codec.encode(response))).isEqualTo(response);
  }

  @Test
  void decodesTypedFlatData() {
    InferenceRequest request = codec.decodeRequest(GoldenMessages.fp32Request());

    InferTensor input = request.input("input");
    assertThat(request.id()).isEqualTo("golden-fp32-1");
    assertThat(input.shape()).containsExactly(2, 4);
    assertThat(input.floats()).containsExactly(1f, 2f, 3f, 4f, 0.5f, 0.25f, -1f, 0f);
  }

  @Test
  void flattensNestedData() {
    InferenceRequest request =
        codec.decodeRequest(GoldenMessages.valid("nested-data-request.json"));

    assertThat((long[]) request.inputs().get(0).data()).containsExactly(1, 2, 3, 4);
    assertThat(request.parameters()).containsEntry("priority", 1);
  }

  @Test
  void invalidRequestsNameTheirField() {
    for (Map.Entry<String, String> golden : GoldenMessages.INVALID_REQUESTS.entrySet()) {
      assertThatThrownBy(() -> codec.decodeRequest(GoldenMessages.invalid(golden.getKey())))
          .as(golden.getKey())
          .isInstanceOfSatisfying(
              ContractViolation.class, v -> assertThat(v.field()).isEqualTo(golden.getValue()));
    }
  }

  @Test
  void violationMessagesSayWhatWasExpected() {
    assertThatThrownBy(
            () -> codec.decodeRequest(GoldenMessages.invalid("shape-data-mismatch.json")))
        .hasMessage("inputs[0].data: expected 4 elements for shape [2, 2], was 3");
    assertThatThrownBy(() -> codec.decodeRequest(GoldenMessages.invalid("wrong-element-type.json")))
        .hasMessage("inputs[0].data[1]: expected a number for FP32, was string \"two\"");
  }

  @Test
  void rejectsInvalidUtf8AndEmptyBodies() {
    byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertThatThrownBy(() -> codec.decodeRequest(invalidUtf8))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> codec.decodeRequest(new byte[0]))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("empty");
  }

  @Test
  void enforcesLimits() {
    InferenceCodec strict = new InferenceCodec(new CodecLimits(1, 3, 8));
    String twoInputs =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},"
            + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";
    String bigShape =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[]}]}";

    assertThatThrownBy(() -> strict.decodeRequest(twoInputs.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("inputs: expected at most 1 tensors, was 2");
    assertThatThrownBy(() -> strict.decodeRequest(bigShape.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("inputs[0].shape: describes more than 3 elements");
  }

  @Test
  void peeksTheIdOfAnInvalidRequest() {
    assertThat(codec.peekId(GoldenMessages.invalid("shape-data-mismatch.json"))).isEqualTo("bad");
    assertThat(codec.peekId(GoldenMessages.invalid("truncated-json.json"))).isNull();
  }
}
