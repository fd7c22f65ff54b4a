package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The repository under test and its rendered overlays (rendered once per test run). */
final class Repo {
    static final List<String> OVERLAYS = List.of("dev", "prod");
    static final List<String> SERVICES = List.of("gateway", "trainer-service", "attack-service", "eval-service");
    /** The git-ignored credentials file of an overlay and its checked-in example, used when it is absent. */
    static final Map<String, String> ENV_FALLBACK = Map.of("credentials.env", "credentials.env.example");

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();
    private static Path root;

    private Repo() {
    }

    /** From system property robustlab.root, or the nearest directory above the working one with docker-compose.yml. */
    static synchronized Path root() {
        if (root != null) {
            return root;
        }
        String configured = System.getProperty("robustlab.root");
        if (configured != null && Files.isRegularFile(Paths.get(configured).resolve("docker-compose.yml"))) {
            root = Paths.get(configured).toAbsolutePath().normalize();
            return root;
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker-compose.yml"))) {
                root = d;
                return root;
            }
        }
        fail("docker-compose.yml not found above " + Paths.get("").toAbsolutePath()
                + " and system property robustlab.root is " + configured);
        return null;
    }

    static Path overlay(String name) {
        return root().resolve("k8s/overlays").resolve(name);
    }

    /** Every object of an overlay, rendered by {@link Kustomize} (deep copies: tests may modify them). */
    static List<ObjectNode> rendered(String overlay) {
        List<ObjectNode> objects = RENDERED.computeIfAbsent(overlay,
                o -> new Kustomize(ENV_FALLBACK).render(overlay(o)));
        return objects.stream().map(ObjectNode::deepCopy).collect(Collectors.toList());
    }

    static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && name.equals(o.path("metadata").path("name").asText())).findFirst().orElse(null);
    }

    static List<ObjectNode> all(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).collect(Collectors.toList());
    }

    static Properties applicationProperties(String service) {
        return DeploymentConfigurationTest.load(root().resolve(service)
                .resolve("src/main/resources/application.properties"));
    }
}
