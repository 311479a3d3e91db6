package dev.inferpipe.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.json.JsonMapper;

/** The shipped JSON Schemas agree with the codec on the golden messages. */
class JsonSchemaTest {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaIdResolvers(
                  ids -> ids.mapPrefix("https://inferpipe.dev/schemas/", "classpath:schemas/")));
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Schema request =
      REGISTRY.getSchema(SchemaLocation.of("classpath:schemas/inference-request.schema.json"));
  private final Schema response =
      REGISTRY.getSchema(SchemaLocation.of("classpath:schemas/inference-response.schema.json"));

  @ParameterizedTest
  @FieldSource("dev.inferpipe.contracts.GoldenMessages#VALID_REQUESTS")
  void validRequestsConform(String name) {
    assertThat(request.validate(JSON.readTree(GoldenMessages.valid(name)))).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("dev.inferpipe.contracts.GoldenMessages#VALID_RESPONSES")
  void validResponsesConform(String name) {
    assertThat(response.validate(JSON.readTree(GoldenMessages.valid(name)))).isEmpty();
  }

  @Test
  void structurallyInvalidRequestsDoNotConform() {
    for (String name :
        new String[] {
          "unknown-datatype.json", "missing-inputs.json", "unknown-field.json", "missing-data.json"
        }) {
      assertThat(request.validate(JSON.readTree(GoldenMessages.invalid(name))))
          .as(name)
          .isNotEmpty();
    }
  }

  @Test
  void whatTheCodecWritesConforms() {
    InferenceCodec codec = new InferenceCodec();
    byte[] failure =
        codec.encode(InferenceResponse.failure("m", "id-1", ErrorCode.DEADLINE_EXCEEDED, "late"));

    assertThat(response.validate(JSON.readTree(new String(failure, StandardCharsets.UTF_8))))
        .isEmpty();
  }
}
