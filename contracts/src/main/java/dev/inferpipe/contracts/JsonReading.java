package dev.inferpipe.contracts;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Field-level reads of a JSON tree that fail with a {@link ContractViolation} naming the field. */
final class JsonReading {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private JsonReading() {}

  static void rejectUnknownFields(JsonNode node, String path, Set<String> known) {
    for (String field : node.propertyNames()) {
      if (!known.contains(field)) {
        throw new ContractViolation(
            join(path, field), "unknown field; expected one of " + new TreeSet<>(known));
      }
    }
  }

  static String requiredString(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw new ContractViolation(
          join(path, field), "expected a string, was " + TensorReader.describe(value));
    }
    return value.asString();
  }

  static String optionalString(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return requiredString(node, field, path);
  }

  static Map<String, Object> optionalObject(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw new ContractViolation(
          join(path, field), "expected an object, was " + TensorReader.describe(value));
    }
    return MAPPER.convertValue(value, MAP);
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
