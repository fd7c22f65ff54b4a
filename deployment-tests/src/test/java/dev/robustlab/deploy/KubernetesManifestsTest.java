package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders k8s/overlays/dev and prod and validates every object against its kind's schema ({@link ManifestSchemas});
 * checks the renderer against {@code kubectl kustomize} where kubectl exists, and that the schemas refuse broken
 * objects (so that an empty problem list means something).
 */
class KubernetesManifestsTest {

    @Test
    void everyOverlayRendersTheKindsItShould() {
        Map<String, List<String>> expected = Map.of(
                "dev", List.of("Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service",
                        "ScaledObject", "NetworkPolicy", "Ingress", "Kafka", "KafkaNodePool", "KafkaTopic",
                        "StatefulSet", "Job"),
                "prod", List.of("Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service",
                        "ScaledObject", "NetworkPolicy", "Ingress", "KafkaTopic"));
        for (String overlay : Repo.OVERLAYS) {
            List<ObjectNode> objects = Repo.rendered(overlay);
            for (String kind : expected.get(overlay)) {
                assertFalse(Repo.all(objects, kind).isEmpty(), overlay + " renders no " + kind);
            }
            for (String service : Repo.SERVICES) {
                assertNotNull(Repo.find(objects, "Deployment", service), overlay + ": no Deployment " + service);
            }
        }
        List<ObjectNode> prod = Repo.rendered("prod");
        assertTrue(Repo.all(prod, "StatefulSet").isEmpty() && Repo.all(prod, "Kafka").isEmpty(),
                "prod uses external Kafka, MinIO and PostgreSQL: no StatefulSet and no Kafka of its own");
        assertTrue(Repo.all(Repo.rendered("dev"), "StatefulSet").stream()
                .map(o -> o.path("metadata").path("name").asText()).toList().containsAll(List.of("minio", "postgres")));
    }

    @Test
    void everyRenderedObjectIsValidAgainstItsSchema() {
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (String overlay : Repo.OVERLAYS) {
            for (ObjectNode object : Repo.rendered(overlay)) {
                ManifestSchemas.problems(object).forEach(p -> problems.add(overlay + ": " + p));
                validated++;
            }
        }
        assertTrue(validated > 60, "only " + validated + " objects rendered");
        assertEquals(List.of(), problems);
    }

    @Test
    void theSchemasRefuseBrokenObjects() {
        List<ObjectNode> dev = Repo.rendered("dev");
        ObjectNode deployment = Repo.find(dev, "Deployment", "attack-service");
        ((ObjectNode) deployment.get("spec")).put("replica", 2);
        assertBroken(deployment, "replica");

        ObjectNode replicas = Repo.find(dev, "Deployment", "gateway");
        ((ObjectNode) replicas.get("spec")).put("replicas", "two");
        assertBroken(replicas, "replicas");

        ObjectNode probe = Repo.find(dev, "Deployment", "eval-service");
        ((ObjectNode) probe.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).put("paht", "/q/health");
        assertBroken(probe, "paht");

        ObjectNode kafka = Repo.find(dev, "Kafka", "robustlab");
        ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("type", "internl");
        assertBroken(kafka, "type");

        ObjectNode pool = Repo.find(dev, "KafkaNodePool", "dual-role");
        ((ObjectNode) pool.at("/spec/storage")).put("type", "disk");
        assertBroken(pool, "storage");

        ObjectNode topic = Repo.find(dev, "KafkaTopic", "attack-requested");
        ((ObjectNode) topic.get("spec")).put("partitions", "twelve");
        assertBroken(topic, "partitions");

        ObjectNode scaled = Repo.find(dev, "ScaledObject", "attack-service");
        ((ObjectNode) scaled.get("spec")).remove("triggers");
        assertBroken(scaled, "triggers");

        ObjectNode policy = Repo.find(dev, "NetworkPolicy", "gateway-ingress");
        ((ObjectNode) policy.at("/spec/ingress/0/ports/0")).put("port", true);
        assertBroken(policy, "port");

        ObjectNode claim = Repo.find(dev, "PersistentVolumeClaim", "robustlab-datasets");
        ((ObjectNode) claim.get("spec")).put("accessModes", "ReadOnlyMany");
        assertBroken(claim, "accessModes");

        ObjectNode unknownKind = Repo.find(dev, "Service", "gateway");
        unknownKind.put("apiVersion", "v2");
        assertBroken(unknownKind, "no schema");
    }

    private static void assertBroken(ObjectNode object, String mentioned) {
        List<String> problems = ManifestSchemas.problems(object);
        assertFalse(problems.isEmpty(), Kustomize.id(object) + " should be invalid");
        assertTrue(problems.stream().anyMatch(p -> p.contains(mentioned)), mentioned + " not named in " + problems);
    }

    /** The Java renderer gives exactly kubectl's objects (kubectl's kustomize v5), where kubectl is installed. */
    @Test
    void javaRenderingEqualsKubectlKustomize(@TempDir Path tmp) throws Exception {
        String kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: the overlays were rendered and validated"
                + " by the Java renderer only");
        Path copy = tmp.resolve("k8s");
        copyTree(Repo.root().resolve("k8s"), copy);
        for (String overlay : Repo.OVERLAYS) {
            Path dir = copy.resolve("overlays").resolve(overlay);
            Files.copy(dir.resolve("credentials.env.example"), dir.resolve("credentials.env"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize took over 60 s");
            assertEquals(0, process.exitValue(), "kubectl kustomize " + overlay + " failed");
            Map<String, JsonNode> fromKubectl = new TreeMap<>();
            for (Object doc : Kustomize.yaml().loadAll(out)) {
                JsonNode node = Kustomize.JSON.valueToTree(doc);
                fromKubectl.put(Kustomize.id(node), node);
            }
            Map<String, JsonNode> fromJava = new TreeMap<>();
            Repo.rendered(overlay).forEach(o -> fromJava.put(Kustomize.id(o), o));
            assertEquals(fromKubectl.keySet(), fromJava.keySet(), overlay + ": objects differ");
            for (String id : fromJava.keySet()) {
                assertEquals(fromKubectl.get(id), fromJava.get(id), overlay + ": " + id + " differs");
            }
        }
    }

    @Test
    void theRendererRefusesWhatItDoesNotImplementOrCannotApply(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("k");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                + "data: {X: \"1\"}\n");
        Kustomize renderer = new Kustomize(Map.of());

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\nnamePrefix: x-\n");
        assertThrows(IllegalArgumentException.class, () -> renderer.render(dir), "namePrefix is not implemented");

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches:\n"
                + "  - target: {kind: ConfigMap, name: b}\n    patch: '[{op: replace, path: /data/X, value: \"2\"}]'\n");
        assertThrows(IllegalArgumentException.class, () -> renderer.render(dir), "a target matching nothing");

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches:\n"
                + "  - target: {kind: ConfigMap, name: a}\n    patch: '[{op: test, path: /data/X, value: \"2\"}]'\n");
        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class, () -> renderer.render(dir));
        assertTrue(failed.getMessage().contains("test failed at /data/X"), failed.getMessage());

        Files.writeString(dir.resolve("kustomization.yaml"), "namespace: n\nresources: [cm.yaml]\npatches:\n"
                + "  - target: {kind: ConfigMap}\n    patch: '[{op: replace, path: /data/X, value: \"2\"}]'\n"
                + "images: []\nlabels: [{pairs: {a: b}}]\n");
        ObjectNode cm = renderer.render(dir).get(0);
        assertEquals("2", cm.at("/data/X").asText());
        assertEquals("n", cm.at("/metadata/namespace").asText());
        assertEquals("b", cm.at("/metadata/labels/a").asText());
    }

    @Test
    void imagesAreRetaggedByName() {
        ObjectNode image = Kustomize.JSON.createObjectNode().put("name", "robustlab/gateway")
                .put("newName", "registry.example.com/robustlab/gateway").put("newTag", "1.0");
        assertEquals("registry.example.com/robustlab/gateway:1.0", Kustomize.newImage("robustlab/gateway:0.1", image));
        assertEquals("robustlab/gateway-x:0.1", Kustomize.newImage("robustlab/gateway-x:0.1", image));
        assertEquals("registry.example.com/robustlab/gateway:1.0", Kustomize.newImage("robustlab/gateway", image));
    }

    static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("credentials.env")) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
