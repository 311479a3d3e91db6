package dev.inferpipe.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates Kubernetes manifests offline against typed models generated from the upstream schemas:
 * built-in kinds with fabric8's (from the Kubernetes OpenAPI), the ServiceMonitor with fabric8's
 * Prometheus-operator model, the KafkaTopic with Strimzi's own API model. A manifest must
 * deserialize (wrong types fail) with no unknown field anywhere (an unknown field lands in a
 * model's {@code additionalProperties}). KEDA publishes no Java model: its kinds are validated by
 * {@link UpstreamSchemaTest} with the npm package {@code @kubernetes-models/keda}.
 */
final class ManifestValidator {
  private static final Map<String, Class<?>> TYPED =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
          Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class));

  /** Kinds only the Node validation checks (no Java model of them exists upstream). */
  static final Set<String> NODE_ONLY =
      Set.of("keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication");

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
    } else if (NODE_ONLY.contains(type)) {
      return List.of();
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
    String model = value.getClass().getName();
    if (!model.startsWith("io.fabric8.") && !model.startsWith("io.strimzi.")) {
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
        .filter(method -> !method.isBridge())
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
