package dev.robustlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The schema of every kind k8s/ uses, by {@code apiVersion} and {@code kind}:
 * <ul>
 *   <li>Kubernetes built-in kinds: generated ({@link ModelSchema}) from fabric8's kubernetes-model (the version the
 *       Quarkus BOM manages), which is generated from the Kubernetes OpenAPI specification;</li>
 *   <li>Strimzi {@code kafka.strimzi.io/v1} Kafka, KafkaNodePool, KafkaTopic: generated from Strimzi's api model
 *       (io.strimzi:api), the classes Strimzi generates its CRDs from;</li>
 *   <li>KEDA {@code keda.sh/v1alpha1} ScaledObject: {@code schemas/keda-scaledobject-v1alpha1.schema.json}, written
 *       from KEDA's ScaledObject specification (no Java model of KEDA is on Maven Central).</li>
 * </ul>
 * A kind without a schema here is an error: every rendered object must be validated.
 */
final class ManifestSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** apiVersion + " " + kind to the model class (fabric8 or Strimzi). */
    static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1 Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
            Map.entry("v1 ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1 Secret", "io.fabric8.kubernetes.api.model.Secret"),
            Map.entry("v1 PersistentVolumeClaim", "io.fabric8.kubernetes.api.model.PersistentVolumeClaim"),
            Map.entry("v1 Pod", "io.fabric8.kubernetes.api.model.Pod"),
            Map.entry("v1 Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("apps/v1 Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("apps/v1 StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet"),
            Map.entry("batch/v1 Job", "io.fabric8.kubernetes.api.model.batch.v1.Job"),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("networking.k8s.io/v1 Ingress", "io.fabric8.kubernetes.api.model.networking.v1.Ingress"),
            Map.entry("kafka.strimzi.io/v1 Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1 KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1 KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"));

    /** apiVersion + " " + kind to a checked-in schema resource. */
    static final Map<String, String> FILES = Map.of(
            "keda.sh/v1alpha1 ScaledObject", "schemas/keda-scaledobject-v1alpha1.schema.json");

    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private ManifestSchemas() {
    }

    /** The problems of {@code object} against its kind's schema; one problem if the kind has no schema. */
    static List<String> problems(JsonNode object) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        if (!MODELS.containsKey(key) && !FILES.containsKey(key)) {
            return List.of(Kustomize.id(object) + ": no schema for " + key + " (known: "
                    + new java.util.TreeSet<>(concat()) + ")");
        }
        List<Error> errors = schema(key).validate(object.toString(), InputFormat.JSON);
        return errors.stream().map(e -> Kustomize.id(object) + ": " + e.getInstanceLocation() + " " + e.getMessage())
                .collect(Collectors.toList());
    }

    static Schema schema(String key) {
        return CACHE.computeIfAbsent(key, k -> REGISTRY.getSchema(source(k), InputFormat.JSON));
    }

    static String source(String key) {
        if (FILES.containsKey(key)) {
            try (InputStream in = ManifestSchemas.class.getClassLoader().getResourceAsStream(FILES.get(key))) {
                if (in == null) {
                    throw new IllegalStateException("test resource " + FILES.get(key) + " is missing");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String[] parts = key.split(" ");
        try {
            return ModelSchema.of(Class.forName(MODELS.get(key)), parts[0], parts[1]).toString();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("model class of " + key + " is not on the test classpath", e);
        }
    }

    private static List<String> concat() {
        List<String> all = new java.util.ArrayList<>(MODELS.keySet());
        all.addAll(FILES.keySet());
        return all;
    }
}
