package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The image datasets reach the workers. trainer-service and attack-service read them from
 * {@code ROBUSTLAB_DATA_DIR} (service-worker's DataDirectory), the images carry none and nothing downloads them, so a
 * deployment must mount them where that variable points:
 * <ul>
 *   <li>every overlay renders the PersistentVolumeClaim {@value #CLAIM} (ReadOnlyMany; dev ReadWriteOnce, one node),
 *       and both worker Deployments mount it read-only at the path (or above the path) their
 *       {@code ROBUSTLAB_DATA_DIR} resolves to, from env or from an envFrom ConfigMap;</li>
 *   <li>docker-compose.yml mounts, for both worker services, a read-only bind of one host directory that is
 *       configurable ({@code ${VARIABLE:-default}}) at the path their {@code ROBUSTLAB_DATA_DIR} names;</li>
 *   <li>k8s/datasets/loader.yaml, the pod that fills the claim, is valid and mounts that claim writable.</li>
 * </ul>
 * Each check collects every problem; {@link #theChecksFindARemovedOrWritableMountAndAMissingVariable} breaks copies
 * of the rendered objects and of compose to show that they fail.
 */
class DatasetsVolumeTest {

    static final String CLAIM = "robustlab-datasets";
    static final String DATA_DIR = "ROBUSTLAB_DATA_DIR";
    static final List<String> WORKERS = List.of("trainer-service", "attack-service");
    /** The access mode each overlay asks for (k8s/README.md, "Datasets"; dev: overlays/dev/dev-datasets.yaml). */
    static final Map<String, String> ACCESS_MODES = Map.of("dev", "ReadWriteOnce", "prod", "ReadOnlyMany");
    static final String LOADER = "k8s/datasets/loader.yaml";

    @Test
    void everyOverlayHasTheClaimAndBothWorkersMountItReadOnlyAtTheirDataDirectory() {
        List<String> problems = new ArrayList<>();
        for (String overlay : Repo.OVERLAYS) {
            problems.addAll(kubernetesProblems(overlay, Repo.rendered(overlay)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void composeMountsOneConfigurableHostDirectoryReadOnlyAtTheWorkersDataDirectory() {
        assertEquals(List.of(), composeProblems(DeploymentConfigurationTest.compose()));
    }

    @Test
    void theLoaderPodMountsTheClaimOfTheWorkersWritable() {
        List<ObjectNode> objects = Kustomize.loadObjects(Repo.root().resolve(LOADER));
        assertEquals(1, objects.size(), LOADER + ": one Pod");
        ObjectNode pod = objects.get(0);
        assertEquals("Pod", pod.path("kind").asText(), LOADER);
        assertEquals(List.of(), ManifestSchemas.problems(pod), LOADER + " against the Pod schema");
        for (String overlay : Repo.OVERLAYS) {
            ObjectNode claim = Repo.find(Repo.rendered(overlay), "PersistentVolumeClaim", CLAIM);
            assertEquals(claim.at("/metadata/namespace").asText(), pod.at("/metadata/namespace").asText(),
                    LOADER + ": the claim's namespace in " + overlay);
        }
        JsonNode spec = pod.path("spec");
        JsonNode volume = find(spec.path("volumes"), v -> CLAIM.equals(v.at("/persistentVolumeClaim/claimName")
                .asText()));
        assertNotNull(volume, LOADER + ": no volume of claim " + CLAIM);
        assertFalse(volume.at("/persistentVolumeClaim/readOnly").asBoolean(false), LOADER + ": the claim is read-only");
        JsonNode container = spec.path("containers").get(0);
        JsonNode mount = find(container.path("volumeMounts"), m -> volume.path("name").asText()
                .equals(m.path("name").asText()));
        assertTrue(mount != null && !mount.path("readOnly").asBoolean(false), LOADER + ": claim not mounted writable");
    }

    @Test
    void theChecksFindARemovedOrWritableMountAndAMissingVariable() {
        List<ObjectNode> noMount = Repo.rendered("dev");
        removeWhere((ArrayNode) container(noMount, "attack-service").get("volumeMounts"),
                m -> m.path("mountPath").asText().equals("/datasets"));
        assertFinds(kubernetesProblems("dev", noMount), "Deployment attack-service: no volume is mounted at");

        List<ObjectNode> writable = Repo.rendered("prod");
        for (JsonNode m : container(writable, "trainer-service").get("volumeMounts")) {
            ((ObjectNode) m).remove("readOnly");
        }
        for (JsonNode v : Repo.find(writable, "Deployment", "trainer-service").at("/spec/template/spec/volumes")) {
            if (v.has("persistentVolumeClaim")) {
                ((ObjectNode) v.get("persistentVolumeClaim")).put("readOnly", false);
            }
        }
        assertFinds(kubernetesProblems("prod", writable),
                "Deployment trainer-service: " + CLAIM + " is mounted read-write");

        List<ObjectNode> noVariable = Repo.rendered("dev");
        ((ObjectNode) Repo.find(noVariable, "ConfigMap", DeploymentConfigurationTest.CONFIG_MAP).get("data"))
                .remove(DATA_DIR);
        assertFinds(kubernetesProblems("dev", noVariable), "Deployment trainer-service does not set " + DATA_DIR);
        assertFinds(kubernetesProblems("dev", noVariable), "Deployment attack-service does not set " + DATA_DIR);

        List<ObjectNode> elsewhere = Repo.rendered("prod");
        ((ObjectNode) Repo.find(elsewhere, "ConfigMap", DeploymentConfigurationTest.CONFIG_MAP).get("data"))
                .put(DATA_DIR, "/data");
        assertFinds(kubernetesProblems("prod", elsewhere), "no volume is mounted at " + DATA_DIR + "=/data");

        List<ObjectNode> otherClaim = Repo.rendered("dev");
        for (JsonNode v : Repo.find(otherClaim, "Deployment", "attack-service").at("/spec/template/spec/volumes")) {
            if (v.has("persistentVolumeClaim")) {
                ((ObjectNode) v.get("persistentVolumeClaim")).put("claimName", "data");
            }
        }
        assertFinds(kubernetesProblems("dev", otherClaim), "is not the PersistentVolumeClaim " + CLAIM);

        List<ObjectNode> noClaim = Repo.rendered("prod");
        noClaim.removeIf(o -> o.path("kind").asText().equals("PersistentVolumeClaim"));
        assertFinds(kubernetesProblems("prod", noClaim), "prod: no PersistentVolumeClaim " + CLAIM);

        Map<String, Object> composeNoVariable = DeploymentConfigurationTest.compose();
        ((Map<?, ?>) service(composeNoVariable, "trainer-service").get("environment")).remove(DATA_DIR);
        assertFinds(composeProblems(composeNoVariable), "trainer-service does not set " + DATA_DIR);

        Map<String, Object> composeNoMount = DeploymentConfigurationTest.compose();
        ((List<?>) service(composeNoMount, "attack-service").get("volumes"))
                .removeIf(v -> ComposeVolume.parse(v).target().equals("/datasets"));
        assertFinds(composeProblems(composeNoMount), "attack-service mounts nothing at " + DATA_DIR + "=/datasets");

        Map<String, Object> composeWritable = DeploymentConfigurationTest.compose();
        @SuppressWarnings("unchecked")
        List<Object> volumes = (List<Object>) service(composeWritable, "trainer-service").get("volumes");
        volumes.removeIf(v -> ComposeVolume.parse(v).target().equals("/datasets"));
        volumes.add("./datasets:/datasets");
        List<String> problems = composeProblems(composeWritable);
        assertFinds(problems, "trainer-service mounts ./datasets at /datasets read-write");
        assertFinds(problems, "trainer-service: the host directory './datasets' is not configurable");
        assertFinds(problems, "trainer-service and attack-service mount different host directories");
    }

    @Test
    void composeInterpolationGivesTheDefaultsOfUnsetVariables() {
        assertEquals("./datasets", ComposeVolume.interpolate("${ROBUSTLAB_DATASETS:-./datasets}"));
        assertEquals("/a/b", ComposeVolume.interpolate("${X-/a}/b"));
        assertEquals("/b", ComposeVolume.interpolate("${X}/b"));
        assertEquals("$HOME/x", ComposeVolume.interpolate("$$HOME/x"));
        ComposeVolume shortSyntax = ComposeVolume.parse("${D:-./datasets}:/datasets:ro,z");
        assertEquals(new ComposeVolume("${D:-./datasets}", "./datasets", "/datasets", "bind", true), shortSyntax);
        assertTrue(shortSyntax.sourceIsAVariableWithADefault());
        ComposeVolume named = ComposeVolume.parse("trainer-work:/deployments/work");
        assertEquals(new ComposeVolume("trainer-work", "trainer-work", "/deployments/work", "volume", false), named);
        assertFalse(named.sourceIsAVariableWithADefault());
        assertFalse(ComposeVolume.parse("${D}:/datasets").sourceIsAVariableWithADefault());
        assertEquals(new ComposeVolume("", "", "/tmp/x", "volume", false), ComposeVolume.parse("/tmp/x"));
    }

    // ------------------------------------------------------------------------------------------------ checks

    /** What is wrong with the datasets claim and its mounts in the objects of {@code overlay}. */
    static List<String> kubernetesProblems(String overlay, List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        ObjectNode claim = Repo.find(objects, "PersistentVolumeClaim", CLAIM);
        if (claim == null) {
            problems.add(overlay + ": no PersistentVolumeClaim " + CLAIM);
        } else {
            List<String> modes = new ArrayList<>();
            claim.at("/spec/accessModes").forEach(m -> modes.add(m.asText()));
            if (!modes.equals(List.of(ACCESS_MODES.get(overlay)))) {
                problems.add(overlay + ": " + CLAIM + " asks for " + modes + ", expected [" + ACCESS_MODES.get(overlay)
                        + "] (k8s/README.md, \"Datasets\")");
            }
            if (claim.at("/spec/resources/requests/storage").asText("").isEmpty()) {
                problems.add(overlay + ": " + CLAIM + " requests no storage");
            }
        }
        for (String service : WORKERS) {
            String where = overlay + ": Deployment " + service;
            ObjectNode deployment = Repo.find(objects, "Deployment", service);
            if (deployment == null) {
                problems.add(overlay + ": no Deployment " + service);
                continue;
            }
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = find(pod.path("containers"), c -> service.equals(c.path("name").asText()));
            String dataDir = container == null ? null : dataDirectory(objects, container);
            if (dataDir == null || dataDir.isBlank()) {
                problems.add(where + " does not set " + DATA_DIR + " (env, or a key of an envFrom ConfigMap)");
                continue;
            }
            if (!dataDir.startsWith("/")) {
                problems.add(where + ": " + DATA_DIR + "=" + dataDir + " is not an absolute path");
                continue;
            }
            JsonNode mount = innermost(container.path("volumeMounts"), dataDir, m -> m.path("mountPath").asText());
            if (mount == null) {
                problems.add(where + ": no volume is mounted at " + DATA_DIR + "=" + dataDir);
                continue;
            }
            String mountPath = mount.path("mountPath").asText();
            JsonNode volume = find(pod.path("volumes"), v -> v.path("name").asText()
                    .equals(mount.path("name").asText()));
            JsonNode source = volume == null ? null : volume.path("persistentVolumeClaim");
            if (source == null || !CLAIM.equals(source.path("claimName").asText())) {
                problems.add(where + ": the volume '" + mount.path("name").asText() + "' at " + mountPath
                        + " is not the PersistentVolumeClaim " + CLAIM);
                continue;
            }
            if (!mount.path("readOnly").asBoolean(false) && !source.path("readOnly").asBoolean(false)) {
                problems.add(where + ": " + CLAIM + " is mounted read-write at " + mountPath
                        + "; the workers must mount it readOnly");
            }
            if (claim != null && !claim.at("/metadata/namespace").asText()
                    .equals(deployment.at("/metadata/namespace").asText())) {
                problems.add(where + " is not in the namespace of " + CLAIM);
            }
        }
        return problems;
    }

    /**
     * ROBUSTLAB_DATA_DIR as the container gets it: envFrom ConfigMaps in order (with their prefix), then env (a value
     * or a configMapKeyRef), the later winning as in Kubernetes; null if unset or from a source this cannot read.
     */
    static String dataDirectory(List<ObjectNode> objects, JsonNode container) {
        String value = null;
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            JsonNode ref = from.path("configMapRef");
            if (ref.isObject() && DATA_DIR.startsWith(prefix)) {
                JsonNode v = configMapValue(objects, ref.path("name").asText(), DATA_DIR.substring(prefix.length()));
                value = v == null ? value : v.asText();
            }
        }
        for (JsonNode env : container.path("env")) {
            if (DATA_DIR.equals(env.path("name").asText())) {
                JsonNode ref = env.at("/valueFrom/configMapKeyRef");
                JsonNode v = env.has("value") ? env.get("value")
                        : ref.isObject() ? configMapValue(objects, ref.path("name").asText(), ref.path("key").asText())
                        : null;
                value = v == null ? null : v.asText();
            }
        }
        return value;
    }

    private static JsonNode configMapValue(List<ObjectNode> objects, String name, String key) {
        ObjectNode map = Repo.find(objects, "ConfigMap", name);
        JsonNode v = map == null ? null : map.path("data").get(key);
        return v != null && v.isValueNode() ? v : null;
    }

    /** What is wrong with the datasets mounts of the worker services in a parsed docker-compose.yml. */
    static List<String> composeProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        Set<String> hostDirectories = new TreeSet<>();
        for (String service : WORKERS) {
            String where = "docker-compose.yml: " + service;
            Map<String, Object> definition = DeploymentConfigurationTest.mapOrNull(service(compose, service));
            if (definition == null) {
                problems.add(where + " is missing");
                continue;
            }
            Object environment = definition.get("environment");
            String written = DeploymentConfigurationTest.composeEnvironment(environment).get(DATA_DIR);
            String dataDir = written == null ? "" : ComposeVolume.interpolate(written);
            if (dataDir.isBlank()) {
                problems.add(where + " does not set " + DATA_DIR);
                continue;
            }
            List<ComposeVolume> volumes = new ArrayList<>();
            for (Object v : DeploymentConfigurationTest.list(definition.get("volumes"))) {
                volumes.add(ComposeVolume.parse(v));
            }
            ComposeVolume mount = innermost(volumes, dataDir, ComposeVolume::target);
            if (mount == null) {
                problems.add(where + " mounts nothing at " + DATA_DIR + "=" + dataDir);
                continue;
            }
            if (!mount.readOnly()) {
                problems.add(where + " mounts " + mount.rawSource() + " at " + mount.target()
                        + " read-write; it must be read-only (:ro, or read_only: true)");
            }
            if (!mount.type().equals("bind")) {
                problems.add(where + " mounts the " + mount.type() + " '" + mount.source() + "' at " + mount.target()
                        + "; expected a bind mount of a host directory");
            } else if (!mount.sourceIsAVariableWithADefault()) {
                problems.add(where + ": the host directory '" + mount.rawSource() + "' is not configurable; write it"
                        + " as ${VARIABLE:-default}");
            }
            hostDirectories.add(mount.rawSource());
        }
        if (hostDirectories.size() > 1) {
            problems.add("docker-compose.yml: " + String.join(" and ", WORKERS) + " mount different host directories "
                    + hostDirectories);
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The service's definition as parsed (not a copy: changing it changes {@code compose}). */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> service(Map<String, Object> compose, String name) {
        Object services = compose.get("services");
        return services instanceof Map<?, ?> m && m.get(name) instanceof Map<?, ?> s ? (Map<Object, Object>) s : null;
    }

    /** Of the items mounted at {@code path} or at a directory above it, the innermost: the one a reader sees. */
    private static <T> T innermost(Iterable<T> items, String path, Function<T, String> mountPath) {
        Path target = Path.of(path).normalize();
        T best = null;
        int depth = -1;
        for (T item : items) {
            String at = mountPath.apply(item);
            if (at == null || at.isEmpty()) {
                continue;
            }
            Path mounted = Path.of(at).normalize();
            if (target.startsWith(mounted) && mounted.getNameCount() > depth) {
                best = item;
                depth = mounted.getNameCount();
            }
        }
        return best;
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (test.test(item)) {
                return item;
            }
        }
        return null;
    }

    private static ObjectNode container(List<ObjectNode> objects, String service) {
        return (ObjectNode) Repo.find(objects, "Deployment", service).at("/spec/template/spec/containers/0");
    }

    private static void removeWhere(ArrayNode array, Predicate<JsonNode> test) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (test.test(array.get(i))) {
                array.remove(i);
            }
        }
    }

    private static void assertFinds(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected a problem containing '" + expected
                + "', got " + problems);
    }
}
