package dev.inferpipe.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates Kubernetes manifests offline: built-in kinds by deserializing into fabric8's typed
 * models (wrong types fail; a field the model does not know lands in {@code additionalProperties},
 * which must stay empty everywhere), custom resources (KEDA, Strimzi, Prometheus operator) against
 * JSON Schemas written from their CRDs.
 */
final class ManifestValidator {
  private static final Map<String, Class<?>> TYPED =
      Map.of(
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
  private static final Map<String, String> SCHEMAS =
      Map.of(
          "keda.sh/v1alpha1/ScaledObject", "scaledobject",
          "kafka.strimzi.io/v1beta2/KafkaTopic", "kafkatopic",
          "monitoring.coreos.com/v1/ServiceMonitor", "servicemonitor");
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper FABRIC8 = new ObjectMapper();

  private ManifestValidator() {}

  /** Every document of a multi-document YAML text, skipping empty ones. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    for (String part : yaml.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(part);
      if (node != null && !node.isMissingNode() && !node.isNull()) {
        documents.add(node);
      }
    }
    return documents;
  }

  /** The problems of one manifest, each prefixed by its kind and name; empty when valid. */
  static List<String> problems(JsonNode manifest) {
    String type = manifest.path("apiVersion").asString() + "/" + manifest.path("kind").asString();
    String where = type + " " + manifest.path("metadata").path("name").asString() + ": ";
    List<String> problems = new ArrayList<>();
    if (TYPED.containsKey(type)) {
      try {
        Object typed = FABRIC8.readValue(JSON.writeValueAsString(manifest), TYPED.get(type));
        unknownFields(typed, "", problems);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        problems.add("does not deserialize: " + e.getOriginalMessage());
      }
    } else if (SCHEMAS.containsKey(type)) {
      Schema schema =
          REGISTRY.getSchema(
              SchemaLocation.of("classpath:schemas/" + SCHEMAS.get(type) + ".schema.json"));
      schema.validate(manifest).forEach(error -> problems.add(error.toString()));
    } else {
      problems.add("no schema for this kind");
    }
    return problems.stream().map(problem -> where + problem).toList();
  }

  private static void unknownFields(Object value, String path, List<String> problems) {
    if (value == null || path.length() > 400) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> unknownFields(item, path + "." + key, problems));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : getters(value.getClass())) {
      Object property = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(
              "unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
        }
      } else {
        unknownFields(property, path + "." + propertyName(getter), problems);
      }
    }
  }

  private static List<Method> getters(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(method -> method.getParameterCount() == 0)
        .filter(method -> !Modifier.isStatic(method.getModifiers()))
        .filter(method -> method.getName().startsWith("get"))
        .filter(method -> method.getDeclaringClass() != Object.class)
        .filter(method -> !method.getReturnType().isPrimitive())
        .toList();
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
