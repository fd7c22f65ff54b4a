package dev.robustlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The part of kustomize (v5) that k8s/ uses, in Java, so that the overlays can be rendered where no kubectl
 * exists. It refuses every kustomization field it does not implement, instead of ignoring it.
 *
 * <p>Per kustomization, in kustomize's order: {@code resources} (files, or directories holding a kustomization,
 * rendered first), {@code secretGenerator} (env files and literals; only with
 * {@code generatorOptions.disableNameSuffixHash: true}), then the transformers {@code patches} (JSON 6902 patches
 * from {@code path} or inline {@code patch}, selected by {@code target} kind/name/namespace), {@code namespace},
 * {@code labels} (without selectors) and {@code images} ({@code newName}, {@code newTag}). A file outside the
 * kustomization's directory is refused (kustomize's default load restriction), except a resource directory.
 *
 * <p>{@code envFallback} maps a git-ignored env file to the checked-in example used when it is absent (the tests
 * render with {@code credentials.env.example}); the fallbacks used are recorded in {@link #fallbacksUsed()}.
 */
final class Kustomize {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "images", "patches", "secretGenerator", "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass");

    private final Map<String, String> envFallback;
    private final List<String> fallbacksUsed = new ArrayList<>();

    Kustomize(Map<String, String> envFallback) {
        this.envFallback = envFallback;
    }

    List<String> fallbacksUsed() {
        return fallbacksUsed;
    }

    /** Renders the kustomization in {@code dir}: every object, in the order kustomize accumulates them. */
    List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        ObjectNode k = single(file);
        Set<String> unknown = new TreeSet<>();
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": fields this renderer does not implement: " + unknown);
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path path = dir.resolve(r.asText()).normalize();
            List<ObjectNode> added = Files.isDirectory(path) ? render(path) : loadObjects(inside(dir, path, file));
            for (ObjectNode o : added) {
                addUnique(objects, o, file);
            }
        }
        for (JsonNode generator : k.path("secretGenerator")) {
            if (!k.path("generatorOptions").path("disableNameSuffixHash").asBoolean(false)) {
                throw new IllegalArgumentException(file + ": secretGenerator needs generatorOptions."
                        + "disableNameSuffixHash: true here (name suffix hashes are not implemented)");
            }
            addUnique(objects, secret(dir, file, generator), file);
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, file, patch, objects);
        }
        if (k.hasNonNull("namespace")) {
            for (ObjectNode o : objects) {
                if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
                    ((ObjectNode) o.get("metadata")).put("namespace", k.get("namespace").asText());
                }
            }
        }
        for (JsonNode label : k.path("labels")) {
            if (label.path("includeSelectors").asBoolean(false) || label.path("includeTemplates").asBoolean(false)) {
                throw new IllegalArgumentException(file + ": labels with includeSelectors/includeTemplates are not"
                        + " implemented");
            }
            for (ObjectNode o : objects) {
                ObjectNode metadata = (ObjectNode) o.get("metadata");
                ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels")
                        : metadata.putObject("labels");
                label.path("pairs").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            }
        }
        for (JsonNode image : k.path("images")) {
            for (ObjectNode o : objects) {
                retag(o, image);
            }
        }
        return objects;
    }

    private static void addUnique(List<ObjectNode> objects, ObjectNode o, Path file) {
        String id = id(o);
        if (objects.stream().anyMatch(x -> id(x).equals(id))) {
            throw new IllegalArgumentException(file + ": " + id + " is defined twice");
        }
        objects.add(o);
    }

    /** kind/namespace/name, kustomize's resource id (without group and version). */
    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("namespace").asText("") + "/"
                + o.path("metadata").path("name").asText();
    }

    private ObjectNode secret(Path dir, Path file, JsonNode generator) {
        String name = generator.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(file + ": secretGenerator without name");
        }
        for (String field : iterable(generator.fieldNames())) {
            if (!Set.of("name", "namespace", "envs", "literals", "type").contains(field)) {
                throw new IllegalArgumentException(file + ": secretGenerator field '" + field + "' is not implemented");
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode env : generator.path("envs")) {
            Path path = dir.resolve(env.asText()).normalize();
            inside(dir, path, file);
            if (!Files.isRegularFile(path)) {
                String fallback = envFallback.get(path.getFileName().toString());
                Path example = fallback == null ? null : path.resolveSibling(fallback);
                if (example == null || !Files.isRegularFile(example)) {
                    throw new IllegalArgumentException(file + ": env file " + path + " does not exist");
                }
                fallbacksUsed.add(path + " <- " + example.getFileName());
                path = example;
            }
            readEnv(path).forEach(data::put);
        }
        for (JsonNode literal : generator.path("literals")) {
            String s = literal.asText();
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ": literal '" + s + "' is not KEY=VALUE");
            }
            data.put(s.substring(0, eq), s.substring(eq + 1));
        }
        ObjectNode secret = JSON.createObjectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", name);
        if (generator.hasNonNull("namespace")) {
            metadata.put("namespace", generator.get("namespace").asText());
        }
        secret.put("type", generator.path("type").asText("Opaque"));
        ObjectNode encoded = secret.putObject("data");
        data.forEach((key, value) -> encoded.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return secret;
    }

    /** An env file: KEY=VALUE lines, '#' comments and blank lines ignored, no quoting (as kustomize reads it). */
    static Map<String, String> readEnv(Path path) {
        Map<String, String> values = new LinkedHashMap<>();
        int number = 0;
        for (String line : read(path).split("\n")) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(path + ":" + number + ": not KEY=VALUE: " + trimmed);
            }
            values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return values;
    }

    private static void applyPatch(Path dir, Path file, JsonNode patch, List<ObjectNode> objects) {
        JsonNode operations;
        String source;
        if (patch.hasNonNull("path")) {
            Path path = inside(dir, dir.resolve(patch.get("path").asText()).normalize(), file);
            source = path.toString();
            operations = JSON.valueToTree(yaml().load(read(path)));
        } else if (patch.hasNonNull("patch")) {
            source = file + " (inline patch)";
            operations = JSON.valueToTree(yaml().load(patch.get("patch").asText()));
        } else {
            throw new IllegalArgumentException(file + ": a patch needs path or patch");
        }
        if (!operations.isArray()) {
            throw new IllegalArgumentException(source + ": only JSON 6902 patches (a list of operations) are"
                    + " implemented, not strategic merge patches");
        }
        JsonNode target = patch.path("target");
        for (String field : iterable(target.fieldNames())) {
            if (!Set.of("kind", "name", "namespace").contains(field)) {
                throw new IllegalArgumentException(file + ": patch target field '" + field + "' is not implemented");
            }
        }
        int matched = 0;
        for (ObjectNode o : objects) {
            if (matches(target, "kind", o.path("kind")) && matches(target, "name", o.path("metadata").path("name"))
                    && matches(target, "namespace", o.path("metadata").path("namespace"))) {
                JsonPatch.apply(o, operations, source + " on " + id(o));
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException(source + ": its target " + target + " matches no object");
        }
    }

    private static boolean matches(JsonNode target, String field, JsonNode value) {
        return !target.hasNonNull(field) || target.get(field).asText().equals(value.asText());
    }

    private static void retag(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (String key : List.of("containers", "initContainers")) {
                for (JsonNode container : node.path(key)) {
                    if (container.isObject() && container.hasNonNull("image")) {
                        ((ObjectNode) container).put("image", newImage(container.get("image").asText(), image));
                    }
                }
            }
            node.forEach(child -> retag(child, image));
        } else if (node.isArray()) {
            node.forEach(child -> retag(child, image));
        }
    }

    static String newImage(String current, JsonNode image) {
        int slash = current.lastIndexOf('/');
        int colon = current.indexOf(':', slash + 1);
        String name = colon < 0 ? current : current.substring(0, colon);
        String tag = colon < 0 ? null : current.substring(colon + 1);
        if (!name.equals(image.path("name").asText())) {
            return current;
        }
        String newName = image.path("newName").asText(name);
        String newTag = image.hasNonNull("newTag") ? image.get("newTag").asText() : tag;
        return newTag == null ? newName : newName + ":" + newTag;
    }

    private static Path inside(Path dir, Path path, Path file) {
        if (!path.startsWith(dir.normalize())) {
            throw new IllegalArgumentException(file + ": " + path + " is outside " + dir
                    + " (kustomize's load restriction refuses it)");
        }
        return path;
    }

    /** The Kubernetes objects of a YAML file (documents that are mappings with a kind). */
    static List<ObjectNode> loadObjects(Path file) {
        List<ObjectNode> objects = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc == null) {
                continue;
            }
            JsonNode node = JSON.valueToTree(doc);
            if (!node.isObject() || !node.hasNonNull("kind") || !node.path("metadata").isObject()) {
                throw new IllegalArgumentException(file + ": a document without kind or metadata: " + node);
            }
            objects.add((ObjectNode) node);
        }
        return objects;
    }

    private static ObjectNode single(Path file) {
        JsonNode node = JSON.valueToTree(yaml().load(read(file)));
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + " is not a mapping");
        }
        return (ObjectNode) node;
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
