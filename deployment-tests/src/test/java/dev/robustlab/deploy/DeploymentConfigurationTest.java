package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import dev.robustlab.contracts.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks that docker-compose.yml, the Dockerfiles and k8s/ deploy what the services read.
 *
 * <p>The convention (docs/CONVENTIONS.md): every deployment-dependent key of a service is written in its
 * application.properties as {@code %prod.<key>=${ENV_VAR}}. This test reads those files at test time, collects
 * every {@code ${ENV_VAR}} referenced by a {@code %prod} key (with or without {@code :default}), adds
 * {@code KAFKA_BOOTSTRAP_SERVERS} and the variables the CONVENTIONS table assigns to the service, and requires each
 * of them in the service's compose {@code environment} and in its Kubernetes Deployment. Every test collects all
 * problems first and fails with the complete list.
 *
 * <p>The repository root comes from system property {@code robustlab.root}, or is the nearest directory above the
 * working directory that holds docker-compose.yml.
 */
class DeploymentConfigurationTest {

    static final List<String> SERVICES = List.of("gateway", "trainer-service", "attack-service", "eval-service");

    /** Default HTTP ports (docs/CONVENTIONS.md). */
    static final Map<String, Integer> PORTS = Map.of(
            "gateway", 8080, "trainer-service", 8081, "attack-service", 8082, "eval-service", 8083);

    private static final List<String> DB_VARS = List.of("ROBUSTLAB_DB_URL", "ROBUSTLAB_DB_USER", "ROBUSTLAB_DB_PASSWORD");
    private static final List<String> S3_VARS = List.of("ROBUSTLAB_S3_ENDPOINT", "ROBUSTLAB_S3_ACCESS_KEY",
            "ROBUSTLAB_S3_SECRET_KEY", "ROBUSTLAB_S3_BUCKET", "ROBUSTLAB_S3_REGION");
    /** ROBUSTLAB_DATA_DIR is optional in the code, but a deployment without it has no image datasets. */
    private static final List<String> WORKER_VARS = List.of("ROBUSTLAB_INSTANCE_ID", "ROBUSTLAB_WORK_DIR",
            "ROBUSTLAB_DATA_DIR");

    /** The environment variables of the CONVENTIONS table, per service that reads them. */
    static final Map<String, List<String>> CONVENTION_VARS = Map.of(
            "gateway", concat(List.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT"), DB_VARS),
            "eval-service", concat(List.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT"), DB_VARS),
            "trainer-service", concat(List.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT"), S3_VARS, WORKER_VARS),
            "attack-service", concat(List.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT"), S3_VARS, WORKER_VARS));

    /** Partitions of every topic but attack-requested, and of every dead-letter topic. */
    static final int DEFAULT_PARTITIONS = 3;

    static final String DOCKERFILE = "src/main/docker/Dockerfile.jvm";
    static final String CONFIG_MAP = "robustlab-config";
    static final String CREDENTIALS_SECRET = "robustlab-credentials";
    static final String CREDENTIALS_ENV = "credentials.env";

    /** An environment variable reference: {@code ${NAME}} or {@code ${NAME:default}}, also nested in defaults. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?=[:}])");
    private static final Pattern CREATE_TOPIC =
            Pattern.compile("(?m)^\\s*create_topic\\s+([A-Za-z0-9._-]+)\\s+(\\d+)\\s*(?:#.*)?$");
    private static final Pattern INCOMING_KEY =
            Pattern.compile("^mp\\.messaging\\.incoming\\.(\"[^\"]+\"|[^.]+)\\.(.+)$");

    static Path root;

    @BeforeAll
    static void locateRepository() {
        root = Repo.root();
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void everyDeploymentYamlParses() {
        List<String> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("docker-compose.yml"));
        files.addAll(k8sYamlFiles());
        for (Path file : files) {
            try {
                List<Object> docs = loadAll(file);
                if (docs.stream().noneMatch(Objects::nonNull)) {
                    problems.add(rel(file) + ": no YAML document");
                }
                for (Object doc : docs) {
                    boolean jsonPatch = doc instanceof List<?> ops && !ops.isEmpty()
                            && ops.stream().allMatch(op -> op instanceof Map<?, ?> m && m.containsKey("op"));
                    if (doc != null && !(doc instanceof Map) && !jsonPatch) {
                        problems.add(rel(file) + ": a document is a " + doc.getClass().getSimpleName()
                                + ", not a mapping");
                    }
                }
            } catch (RuntimeException e) {
                problems.add(rel(file) + ": " + e.getMessage().replace('\n', ' '));
            }
        }
        if (k8sYamlFiles().isEmpty()) {
            problems.add("no YAML files under k8s/");
        }
        assertNoProblems("YAML files that do not parse (duplicate keys count as errors)", problems);
    }

    @Test
    void composeSetsEveryVariableEachServiceReads() {
        Map<String, Object> services = map(compose().get("services"), "docker-compose.yml services");
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Required required = requiredVariables(service);
            problems.addAll(required.problems);
            Map<String, Object> definition = mapOrNull(services.get(service));
            if (definition == null) {
                problems.add("docker-compose.yml: no service '" + service + "'");
                continue;
            }
            Map<String, String> environment = composeEnvironment(definition.get("environment"));
            Set<String> fromImage = variablesProvidedByImage(service);
            for (String variable : required.variables) {
                String value = environment.get(variable);
                if ((value == null || value.isBlank()) && !fromImage.contains(variable)) {
                    problems.add("docker-compose.yml: service " + service + " does not set " + variable
                            + " (needed by " + required.reasons.get(variable) + ")");
                }
            }
            String port = environment.get("QUARKUS_HTTP_PORT");
            if (port != null && !port.equals(String.valueOf(PORTS.get(service)))) {
                problems.add("docker-compose.yml: service " + service + " sets QUARKUS_HTTP_PORT=" + port
                        + ", expected " + PORTS.get(service));
            }
        }
        assertNoProblems("docker-compose.yml misses configuration the services read", problems);
    }

    @Test
    void kubernetesSetsEveryVariableEachServiceReads() {
        List<String> problems = new ArrayList<>();
        for (String overlay : Repo.OVERLAYS) {
            checkKubernetesVariables(overlay, problems);
        }
        assertNoProblems("k8s/ misses configuration the services read", problems);
    }

    private static void checkKubernetesVariables(String overlay, List<String> problems) {
        List<Map<String, Object>> docs = rendered(overlay);
        Map<String, Set<String>> configMaps = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            if ("ConfigMap".equals(doc.get("kind"))) {
                Map<String, Object> data = mapOrNull(doc.get("data"));
                configMaps.computeIfAbsent(name(doc), n -> new TreeSet<>())
                        .addAll(data == null ? Set.of() : data.keySet());
            }
        }
        Set<String> secretKeys = credentialsExampleKeys(overlay);
        for (String service : SERVICES) {
            Required required = requiredVariables(service);
            problems.addAll(required.problems);
            Map<String, Object> container = k8sContainer(docs, service, problems);
            if (container == null) {
                continue;
            }
            Map<String, String> sources = new TreeMap<>();
            for (Object item : list(container.get("envFrom"))) {
                Map<String, Object> from = map(item, service + " envFrom entry");
                String prefix = Objects.toString(from.get("prefix"), "");
                Map<String, Object> cmRef = mapOrNull(from.get("configMapRef"));
                Map<String, Object> secretRef = mapOrNull(from.get("secretRef"));
                if (cmRef != null) {
                    String cm = Objects.toString(cmRef.get("name"), "");
                    if (!configMaps.containsKey(cm)) {
                        problems.add(overlay + ": Deployment " + service + " envFrom ConfigMap '" + cm
                                + "', which no manifest under k8s/ defines");
                    }
                    configMaps.getOrDefault(cm, Set.of()).forEach(k -> sources.put(prefix + k, "ConfigMap " + cm));
                } else if (secretRef != null) {
                    String secret = Objects.toString(secretRef.get("name"), "");
                    if (CREDENTIALS_SECRET.equals(secret)) {
                        secretKeys.forEach(k -> sources.put(prefix + k, "Secret " + secret));
                    } else {
                        problems.add(overlay + ": Deployment " + service + " envFrom Secret '" + secret
                                + "': only " + CREDENTIALS_SECRET + " is generated");
                    }
                }
            }
            for (Object item : list(container.get("env"))) {
                Map<String, Object> env = map(item, service + " env entry");
                String name = Objects.toString(env.get("name"), "");
                Map<String, Object> valueFrom = mapOrNull(env.get("valueFrom"));
                if (valueFrom == null) {
                    if (env.get("value") != null && !env.get("value").toString().isBlank()) {
                        sources.put(name, "value");
                    }
                    continue;
                }
                Map<String, Object> secretKeyRef = mapOrNull(valueFrom.get("secretKeyRef"));
                Map<String, Object> configMapKeyRef = mapOrNull(valueFrom.get("configMapKeyRef"));
                if (secretKeyRef != null) {
                    String secret = Objects.toString(secretKeyRef.get("name"), "");
                    String key = Objects.toString(secretKeyRef.get("key"), "");
                    if (!CREDENTIALS_SECRET.equals(secret)) {
                        problems.add(overlay + ": Deployment " + service + " reads " + name + " from Secret '" + secret
                                + "'; the documented Secret is " + CREDENTIALS_SECRET);
                    } else if (!secretKeys.contains(key)) {
                        problems.add(overlay + ": Deployment " + service + " reads " + name + " from key '" + key
                                + "' of Secret " + secret + ", which the overlay's credentials.env.example does not list");
                    } else {
                        sources.put(name, "secretKeyRef");
                    }
                } else if (configMapKeyRef != null) {
                    String cm = Objects.toString(configMapKeyRef.get("name"), "");
                    String key = Objects.toString(configMapKeyRef.get("key"), "");
                    if (configMaps.getOrDefault(cm, Set.of()).contains(key)) {
                        sources.put(name, "configMapKeyRef");
                    } else {
                        problems.add(overlay + ": Deployment " + service + " reads " + name + " from ConfigMap " + cm
                                + " key " + key + ", which does not exist");
                    }
                } else if (valueFrom.get("fieldRef") != null || valueFrom.get("resourceFieldRef") != null) {
                    sources.put(name, "downward API");
                }
            }
            for (String variable : required.variables) {
                if (!sources.containsKey(variable)) {
                    problems.add(overlay + ": Deployment " + service + " does not set " + variable + " (needed by "
                            + required.reasons.get(variable) + "; use env, the ConfigMap " + CONFIG_MAP
                            + " via envFrom, or a secretKeyRef to " + CREDENTIALS_SECRET + ")");
                }
            }
        }
    }

    /**
     * Every key the code reads ({@code @ConfigProperty} names, {@code @ConfigMapping} methods, in the service and the
     * shared modules it depends on) has a value in the prod profile: a default in the code, a value in
     * application.properties, or its environment variable set in compose and in every overlay.
     */
    @Test
    void everyConfigurationKeyTheCodeReadsHasAValueInProd() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = map(compose().get("services"), "docker-compose.yml services");
        for (String service : SERVICES) {
            Map<String, String> prod = prodView(load(propertiesFile(service)));
            Set<String> composeEnv = new TreeSet<>(composeEnvironment(
                    map(services.get(service), service).get("environment")).keySet());
            composeEnv.addAll(variablesProvidedByImage(service));
            Map<String, Set<String>> k8sEnv = new TreeMap<>();
            for (String overlay : Repo.OVERLAYS) {
                k8sEnv.put(overlay, k8sVariables(overlay, service));
            }
            Map<String, Boolean> keys = configKeys(service);
            if (keys.isEmpty()) {
                problems.add(service + ": no @ConfigProperty or @ConfigMapping found: the scan is broken");
            }
            for (Map.Entry<String, Boolean> e : keys.entrySet()) {
                String key = e.getKey();
                String value = prod.get(key);
                if (e.getValue() || (value != null && !value.isBlank())) {
                    continue;
                }
                String env = key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                if (!composeEnv.contains(env)) {
                    problems.add("docker-compose.yml: " + service + " reads " + key + " (no default): set " + env);
                }
                k8sEnv.forEach((overlay, vars) -> {
                    if (!vars.contains(env)) {
                        problems.add(overlay + ": " + service + " reads " + key + " (no default): set " + env);
                    }
                });
            }
        }
        assertNoProblems("configuration keys without a value in prod", problems);
    }

    @Test
    void theConfigurationScanFindsTheKeysOfTheCode() {
        Map<String, Boolean> attack = configKeys("attack-service");
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.FALSE, attack.get("robustlab.s3.endpoint"), attack::toString);
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.FALSE, attack.get("robustlab.s3.access-key"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.TRUE, attack.get("robustlab.s3.bucket"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.TRUE, attack.get("robustlab.attack.stall-timeout"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.TRUE, attack.get("robustlab.instance-id"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.FALSE, attack.get("robustlab.work-dir"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.TRUE, attack.get("robustlab.data-dir"));
        Map<String, Boolean> gateway = configKeys("gateway");
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.TRUE, gateway.get("robustlab.eval-url"));
        org.junit.jupiter.api.Assertions.assertEquals(Boolean.FALSE, gateway.get("robustlab.db.url"), gateway::toString);
    }

    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"([^)]*)\\)\\s*(?:final\\s+)?([A-Za-z.]+)");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD = Pattern.compile(
            "((?:@With\\w+\\([^)]*\\)\\s*)*)([\\w.<>, ]+?)\\s+(\\w+)\\(\\)\\s*;");

    /** The keys a service's code reads, each with whether the code gives it a default (or it is optional). */
    static Map<String, Boolean> configKeys(String service) {
        List<Path> dirs = new ArrayList<>(List.of(root.resolve(service)));
        String pom = read(root.resolve(service).resolve("pom.xml"));
        for (String shared : List.of("service-support", "service-database", "service-worker")) {
            if (pom.contains("<artifactId>" + shared + "</artifactId>")) {
                dirs.add(root.resolve(shared));
            }
        }
        Map<String, Boolean> keys = new TreeMap<>();
        for (Path dir : dirs) {
            Path sources = dir.resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = read(file);
                    Matcher m = CONFIG_PROPERTY.matcher(text);
                    while (m.find()) {
                        keys.merge(m.group(1), m.group(2).contains("defaultValue") || m.group(3).startsWith("Optional"),
                                Boolean::logicalOr);
                    }
                    Matcher mapping = CONFIG_MAPPING.matcher(text);
                    if (mapping.find()) {
                        String body = text.substring(text.indexOf('{', mapping.end()) + 1);
                        Matcher method = MAPPING_METHOD.matcher(body.replaceAll("(?s)/\\*.*?\\*/", ""));
                        while (method.find()) {
                            String annotations = method.group(1);
                            Matcher withName = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)").matcher(annotations);
                            String name = withName.find() ? withName.group(1)
                                    : method.group(3).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
                            keys.merge(mapping.group(1) + "." + name, annotations.contains("@WithDefault")
                                    || method.group(2).trim().startsWith("Optional"), Boolean::logicalOr);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** The environment variables a service's container gets in an overlay (env, envFrom ConfigMaps and Secrets). */
    static Set<String> k8sVariables(String overlay, String service) {
        List<Map<String, Object>> docs = rendered(overlay);
        Set<String> vars = new TreeSet<>();
        Map<String, Object> container = k8sContainer(docs, service, new ArrayList<>());
        if (container == null) {
            return vars;
        }
        for (Object item : list(container.get("env"))) {
            vars.add(Objects.toString(map(item, "env").get("name")));
        }
        for (Object item : list(container.get("envFrom"))) {
            Map<String, Object> from = map(item, "envFrom");
            Map<String, Object> cm = mapOrNull(from.get("configMapRef"));
            if (cm != null) {
                Map<String, Object> data = mapOrNull(path(find(docs, "ConfigMap", Objects.toString(cm.get("name"))),
                        "data"));
                if (data != null) {
                    vars.addAll(data.keySet());
                }
            }
            if (mapOrNull(from.get("secretRef")) != null) {
                vars.addAll(credentialsExampleKeys(overlay));
            }
        }
        return vars;
    }

    @Test
    void topicJobCreatesExactlyTheTopicsOfTopicsJava() {
        Map<String, Integer> expected = new TreeMap<>();
        for (String topic : Topics.ALL) {
            expected.put(topic, Topics.ATTACK_REQUESTED.equals(topic)
                    ? Topics.ATTACK_REQUESTED_PARTITIONS : DEFAULT_PARTITIONS);
            expected.put(Topics.deadLetter(topic), DEFAULT_PARTITIONS);
        }
        Map<String, Object> services = map(compose().get("services"), "docker-compose.yml services");
        Map<String, Object> job = mapOrNull(services.get("kafka-topics"));
        List<String> problems = new ArrayList<>();
        if (job == null) {
            fail("docker-compose.yml has no 'kafka-topics' service (the one-shot job that creates the topics)");
        }
        String script = flatten(job.get("entrypoint")) + "\n" + flatten(job.get("command"));
        Map<String, Integer> created = new TreeMap<>();
        Matcher m = CREATE_TOPIC.matcher(script);
        while (m.find()) {
            if (created.put(m.group(1), Integer.parseInt(m.group(2))) != null) {
                problems.add("kafka-topics creates " + m.group(1) + " twice");
            }
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Integer partitions = created.get(e.getKey());
            if (partitions == null) {
                problems.add("kafka-topics does not create " + e.getKey() + " (" + e.getValue() + " partitions)");
            } else if (!partitions.equals(e.getValue())) {
                problems.add("kafka-topics creates " + e.getKey() + " with " + partitions + " partitions, expected "
                        + e.getValue());
            }
        }
        for (String topic : created.keySet()) {
            if (!expected.containsKey(topic)) {
                problems.add("kafka-topics creates " + topic + ", which is neither in Topics.ALL nor a dead-letter"
                        + " topic of one");
            }
        }
        Map<String, Object> dependsOn = dependsOn(job);
        if (!"service_healthy".equals(dependsOn.get("kafka"))) {
            problems.add("kafka-topics must depend on kafka with condition service_healthy");
        }
        assertNoProblems("docker-compose.yml kafka-topics and contracts Topics.java disagree (expected "
                + expected + ", found " + created + ")", problems);
    }

    @Test
    void consumerGroupIdsAreTheServiceNames() {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Path file = propertiesFile(service);
            if (!Files.isRegularFile(file)) {
                problems.add(rel(file) + " does not exist");
                continue;
            }
            Map<String, String> prod = prodView(load(file));
            for (Map.Entry<String, String> e : prod.entrySet()) {
                String key = e.getKey();
                if ((key.endsWith(".group.id") && (key.startsWith("mp.messaging.") || key.startsWith("kafka.")))
                        || key.equals("kafka.group.id")) {
                    if (!service.equals(e.getValue().trim())) {
                        problems.add(rel(file) + ": " + key + "=" + e.getValue() + ", expected " + service);
                    }
                }
            }
            Set<String> channels = new TreeSet<>();
            for (String key : prod.keySet()) {
                Matcher m = INCOMING_KEY.matcher(key);
                if (m.matches()) {
                    channels.add(m.group(1));
                }
            }
            String applicationName = prod.get("quarkus.application.name");
            if (applicationName != null && !service.equals(applicationName.trim())
                    && !prod.containsKey("kafka.group.id")) {
                // Quarkus defaults group.id to the application name.
                problems.add(rel(file) + ": quarkus.application.name=" + applicationName
                        + " becomes the default consumer group id; expected " + service);
            }
            for (String channel : channels) {
                String prefix = "mp.messaging.incoming." + channel + ".";
                String connector = prod.getOrDefault(prefix + "connector", "smallrye-kafka");
                if (!"smallrye-kafka".equals(connector.trim())) {
                    continue;
                }
                String group = firstNonNull(prod.get(prefix + "group.id"),
                        prod.get("mp.messaging.connector.smallrye-kafka.group.id"), prod.get("kafka.group.id"),
                        applicationName);
                if (group == null && !service.equals(artifactId(service))) {
                    problems.add(rel(file) + ": incoming channel " + channel + " has no group.id and the default"
                            + " (the artifactId '" + artifactId(service) + "') is not " + service);
                }
            }
        }
        assertNoProblems("consumer group ids are not the service names", problems);
    }

    @Test
    void composeServicesAreBuiltHealthCheckedAndOrdered() {
        Map<String, Object> services = map(compose().get("services"), "docker-compose.yml services");
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Map<String, Object> s = mapOrNull(services.get(service));
            if (s == null) {
                problems.add("no service " + service);
                continue;
            }
            Map<String, Object> build = mapOrNull(s.get("build"));
            if (build == null) {
                problems.add(service + ": no build section");
            } else {
                String context = Objects.toString(build.get("context"), "");
                if (!Paths.get(context).normalize().equals(Paths.get(service))) {
                    problems.add(service + ": build.context is '" + context + "', expected ./" + service);
                }
                if (!DOCKERFILE.equals(build.get("dockerfile"))) {
                    problems.add(service + ": build.dockerfile is '" + build.get("dockerfile") + "', expected "
                            + DOCKERFILE);
                }
            }
            Map<String, Object> health = mapOrNull(s.get("healthcheck"));
            String test = health == null ? "" : flatten(health.get("test"));
            if (!test.contains("/q/health/ready") || !test.contains(":" + PORTS.get(service) + "/")) {
                problems.add(service + ": healthcheck must call http://localhost:" + PORTS.get(service)
                        + "/q/health/ready, is '" + test + "'");
            }
            Map<String, Object> deps = dependsOn(s);
            if (!"service_completed_successfully".equals(deps.get("kafka-topics"))) {
                problems.add(service + ": must depend on kafka-topics with condition service_completed_successfully");
            }
            boolean db = service.equals("gateway") || service.equals("eval-service");
            if (db && !"service_healthy".equals(deps.get("postgres"))) {
                problems.add(service + ": must depend on postgres with condition service_healthy");
            }
            if (!db && !"service_completed_successfully".equals(deps.get("minio-init"))) {
                problems.add(service + ": must depend on minio-init with condition service_completed_successfully");
            }
        }
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> s = map(e.getValue(), "service " + e.getKey());
            for (Map.Entry<String, Object> dep : dependsOn(s).entrySet()) {
                Map<String, Object> target = mapOrNull(services.get(dep.getKey()));
                if (target == null) {
                    problems.add(e.getKey() + " depends on unknown service " + dep.getKey());
                } else if ("service_healthy".equals(dep.getValue()) && target.get("healthcheck") == null) {
                    problems.add(e.getKey() + " waits for " + dep.getKey() + " to be healthy, which has no healthcheck");
                } else if (!Set.of("service_healthy", "service_completed_successfully", "service_started")
                        .contains(dep.getValue())) {
                    problems.add(e.getKey() + " depends on " + dep.getKey() + " with unknown condition " + dep.getValue());
                }
            }
            if (s.get("build") == null) {
                String image = Objects.toString(s.get("image"), "");
                String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1)
                        .replaceFirst("^[^:]*:?", "");
                if (tag.isEmpty() || tag.equals("latest")) {
                    problems.add(e.getKey() + ": image '" + image + "' is not pinned to a version");
                }
            }
        }
        for (String infra : List.of("kafka", "minio", "postgres")) {
            Map<String, Object> s = mapOrNull(services.get(infra));
            if (s == null || s.get("healthcheck") == null) {
                problems.add(infra + ": missing or without healthcheck");
            }
        }
        Map<String, Object> postgres = mapOrNull(services.get("postgres"));
        if (postgres != null) {
            if (!Objects.toString(postgres.get("image"), "").matches("(.*/)?postgres:15(\\.\\d+)?([-@].*)?")) {
                problems.add("postgres: image must be PostgreSQL 15, is " + postgres.get("image"));
            }
            Map<String, Object> health = mapOrNull(postgres.get("healthcheck"));
            if (health == null || !flatten(health.get("test")).contains("pg_isready")) {
                problems.add("postgres: healthcheck must use pg_isready");
            }
        }
        Map<String, Object> minioInit = mapOrNull(services.get("minio-init"));
        if (minioInit == null || !(flatten(minioInit.get("entrypoint")) + flatten(minioInit.get("command")))
                .contains("robustlab-checkpoints")) {
            problems.add("minio-init: missing, or does not create bucket robustlab-checkpoints");
        }
        Map<String, Object> attack = mapOrNull(services.get("attack-service"));
        Map<String, Object> deploy = attack == null ? null : mapOrNull(attack.get("deploy"));
        if (deploy == null || !Objects.equals(deploy.get("replicas"), 2)) {
            problems.add("attack-service: deploy.replicas must be 2, is " + (deploy == null ? null : deploy.get("replicas")));
        }
        Map<String, Object> volumes = compose().get("volumes") == null ? Map.of() : map(compose().get("volumes"), "volumes");
        for (Map.Entry<String, Object> e : services.entrySet()) {
            for (Object v : list(map(e.getValue(), e.getKey()).get("volumes"))) {
                ComposeVolume volume = ComposeVolume.parse(v);
                if (volume.type().equals("volume") && !volume.source().isEmpty()
                        && !volumes.containsKey(volume.source())) {
                    problems.add(e.getKey() + ": named volume '" + volume.source() + "' is not declared under volumes");
                }
                if (volume.type().equals("bind") && !ComposeVolume.isHostPath(volume.source())) {
                    problems.add(e.getKey() + ": bind mount of '" + volume.rawSource() + "' (" + volume.source()
                            + " with no variable set) is not a host path");
                }
            }
        }
        assertNoProblems("docker-compose.yml structure", problems);
    }

    @Test
    void dockerfilesFollowTheQuarkusLayoutAndDjlRuntimeFlags() {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Path file = root.resolve(service).resolve(DOCKERFILE);
            if (!Files.isRegularFile(file)) {
                problems.add(rel(file) + " does not exist");
                continue;
            }
            String text = read(file);
            Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(text);
            String runtime = null;
            while (from.find()) {
                runtime = from.group(1); // the last stage is the image
            }
            if (runtime == null || !runtime.matches(
                    "(eclipse-temurin:17[.0-9_]+-jre.*|registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:[0-9].*)")) {
                problems.add(rel(file) + ": base image must be a pinned eclipse-temurin 17 JRE or ubi9 openjdk-17-runtime");
            }
            for (String part : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                    "target/quarkus-app/quarkus/", "/deployments", "quarkus-run.jar")) {
                if (!text.contains(part)) {
                    problems.add(rel(file) + ": does not mention " + part + " (Quarkus fast-jar layout)");
                }
            }
            if (service.equals("trainer-service") || service.equals("attack-service")) {
                for (String flag : List.of("-Dai.djl.offline=true", "OPT_OUT_TRACKING=true", "OMP_WAIT_POLICY=PASSIVE",
                        "DJL_CACHE_DIR=/deployments/djl-cache")) {
                    if (!text.contains(flag)) {
                        problems.add(rel(file) + ": missing DJL runtime setting " + flag);
                    }
                }
                if (!text.contains("COPY --from=libtorch --chown=185:0 /djl-cache/ /deployments/djl-cache/")) {
                    problems.add(rel(file) + ": libtorch is not unpacked into /deployments/djl-cache in the image");
                }
                Path cuda = root.resolve(service).resolve("src/main/docker/Dockerfile.jvm-cuda");
                String cudaText = Files.isRegularFile(cuda) ? read(cuda) : "";
                for (String setting : List.of("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", "PYTORCH_FLAVOR=cu128",
                        "DJL_OFFLINE=true", "jnilib/linux-x86_64/cu128/libdjl_torch.so", "-Pcuda")) {
                    if (!cudaText.contains(setting)) {
                        problems.add(rel(cuda) + ": missing " + setting);
                    }
                }
            }
        }
        assertNoProblems("Dockerfiles", problems);
    }

    @Test
    void kubernetesManifestsAreCompleteAndCommitNoSecrets() {
        List<String> problems = new ArrayList<>();
        for (Path file : k8sYamlFiles()) {
            for (Object doc : loadAll(file)) {
                if (doc instanceof Map<?, ?> m && "Secret".equals(m.get("kind"))) {
                    problems.add(rel(file) + ": a Secret manifest is committed; credentials come from the overlay's"
                            + " secretGenerator and its git-ignored " + CREDENTIALS_ENV);
                }
            }
        }
        String gitignore = Files.isRegularFile(root.resolve(".gitignore")) ? read(root.resolve(".gitignore")) : "";
        if (!gitignore.lines().map(String::trim).toList().contains("k8s/overlays/*/" + CREDENTIALS_ENV)) {
            problems.add(".gitignore does not ignore k8s/overlays/*/" + CREDENTIALS_ENV);
        }
        String readme = Files.isRegularFile(root.resolve("k8s/README.md")) ? read(root.resolve("k8s/README.md")) : "";
        for (String overlay : Repo.OVERLAYS) {
            Path dir = Repo.overlay(overlay);
            Map<String, Object> kust = map(loadAll(dir.resolve("kustomization.yaml")).get(0), overlay);
            boolean generated = list(kust.get("secretGenerator")).stream().map(g -> map(g, "secretGenerator"))
                    .anyMatch(g -> CREDENTIALS_SECRET.equals(g.get("name"))
                            && list(g.get("envs")).equals(List.of(CREDENTIALS_ENV)));
            if (!generated) {
                problems.add(overlay + ": no secretGenerator " + CREDENTIALS_SECRET + " from envs [" + CREDENTIALS_ENV
                        + "]");
            }
            if (!Files.isRegularFile(dir.resolve(CREDENTIALS_ENV + ".example"))) {
                problems.add(overlay + ": " + CREDENTIALS_ENV + ".example is missing");
            }
            List<Map<String, Object>> docs = rendered(overlay);
            if (docs.stream().noneMatch(d -> "Namespace".equals(d.get("kind")) && "robustlab".equals(name(d)))) {
                problems.add(overlay + ": no Namespace robustlab");
            }
            for (String service : SERVICES) {
                Map<String, Object> deployment = find(docs, "Deployment", service);
                Map<String, Object> container = k8sContainer(docs, service, problems);
                if (find(docs, "Service", service) == null) {
                    problems.add(overlay + ": no Service " + service);
                }
                if (deployment == null || container == null) {
                    continue;
                }
                checkProbe(problems, service, container, "readinessProbe", "/q/health/ready");
                checkProbe(problems, service, container, "livenessProbe", "/q/health/live");
                Map<String, Object> resources = mapOrNull(container.get("resources"));
                for (String kind : List.of("requests", "limits")) {
                    Map<String, Object> r = resources == null ? null : mapOrNull(resources.get(kind));
                    if (r == null || r.get("cpu") == null || r.get("memory") == null) {
                        problems.add(overlay + ": Deployment " + service + ": resources." + kind
                                + " needs cpu and memory");
                    }
                }
                boolean portDeclared = list(container.get("ports")).stream()
                        .anyMatch(p -> Objects.equals(map(p, "port").get("containerPort"), PORTS.get(service)));
                if (!portDeclared) {
                    problems.add(overlay + ": Deployment " + service + ": containerPort " + PORTS.get(service)
                            + " not declared");
                }
                for (Object item : list(container.get("env"))) {
                    Map<String, Object> env = map(item, "env");
                    if ("QUARKUS_HTTP_PORT".equals(env.get("name"))
                            && !String.valueOf(PORTS.get(service)).equals(Objects.toString(env.get("value")))) {
                        problems.add(overlay + ": Deployment " + service + ": QUARKUS_HTTP_PORT=" + env.get("value")
                                + ", expected " + PORTS.get(service));
                    }
                }
            }
            for (String kind : List.of("StatefulSet", "Job")) {
                for (Map<String, Object> d : docs) {
                    if (!kind.equals(d.get("kind"))) {
                        continue;
                    }
                    for (Object c : list(path(d, "spec", "template", "spec", "containers"))) {
                        Map<String, Object> container = map(c, "container");
                        if (mapOrNull(path(container, "resources", "limits")) == null) {
                            problems.add(overlay + ": " + kind + " " + name(d) + " has no resource limits");
                        }
                        if (kind.equals("StatefulSet") && (container.get("readinessProbe") == null
                                || container.get("livenessProbe") == null)) {
                            problems.add(overlay + ": StatefulSet " + name(d) + " needs readiness and liveness probes");
                        }
                    }
                    if (kind.equals("StatefulSet") && list(path(d, "spec", "volumeClaimTemplates")).isEmpty()) {
                        problems.add(overlay + ": StatefulSet " + name(d) + " has no PersistentVolumeClaim template");
                    }
                }
            }
        }
        if (!readme.contains(CREDENTIALS_ENV + ".example")) {
            problems.add("k8s/README.md does not explain " + CREDENTIALS_ENV + ".example");
        }
        assertNoProblems("k8s/ manifests", problems);
    }

    // ------------------------------------------------------------------------------------------------ required set

    /** The variables a service needs from its deployment, each with the reason (who reads it). */
    static final class Required {
        final SortedSet<String> variables = new TreeSet<>();
        final Map<String, String> reasons = new TreeMap<>();
        final List<String> problems = new ArrayList<>();

        void add(String variable, String reason) {
            variables.add(variable);
            reasons.merge(variable, reason, (a, b) -> a.contains(b) ? a : a + ", " + b);
        }
    }

    static Required requiredVariables(String service) {
        Required required = new Required();
        required.add("KAFKA_BOOTSTRAP_SERVERS", "every service");
        for (String variable : CONVENTION_VARS.get(service)) {
            required.add(variable, "docs/CONVENTIONS.md");
        }
        Path file = propertiesFile(service);
        if (!Files.isRegularFile(file)) {
            required.problems.add(rel(file) + " does not exist (yet): its %prod ${ENV} references cannot be checked");
            return required;
        }
        Properties properties = load(file);
        int prodKeys = 0;
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!isProdKey(key)) {
                continue;
            }
            prodKeys++;
            Matcher m = ENV_REFERENCE.matcher(properties.getProperty(key));
            while (m.find()) {
                required.add(m.group(1), rel(file) + " " + key);
            }
        }
        if (prodKeys == 0) {
            required.problems.add(rel(file) + " has no %prod keys: every deployment-dependent key must be an explicit"
                    + " %prod.<key>=${ENV_VAR} reference (docs/CONVENTIONS.md)");
        }
        return required;
    }

    /** {@code %prod.x} or a multi-profile key such as {@code %dev,prod.x}. */
    static boolean isProdKey(String key) {
        if (!key.startsWith("%") || key.indexOf('.') < 0) {
            return false;
        }
        return Arrays.asList(key.substring(1, key.indexOf('.')).split(",")).contains("prod");
    }

    /** The keys as the prod profile sees them: unprofiled keys, overridden by %prod keys. */
    static Map<String, String> prodView(Properties properties) {
        Map<String, String> view = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                view.put(key, properties.getProperty(key));
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (isProdKey(key)) {
                view.put(key.substring(key.indexOf('.') + 1), properties.getProperty(key));
            }
        }
        return view;
    }

    /**
     * Variables the service image sets itself: {@code ENV} instructions and {@code export VAR=...} in the
     * entrypoint (ROBUSTLAB_INSTANCE_ID falls back to the container host name there, because compose cannot give
     * each replica its own value).
     */
    static Set<String> variablesProvidedByImage(String service) {
        Path file = root.resolve(service).resolve(DOCKERFILE);
        Set<String> provided = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return provided;
        }
        String text = read(file).replace("\\\n", " ");
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("ENV ")) {
                Matcher m = Pattern.compile("(?:^ENV\\s+|\\s)([A-Za-z_][A-Za-z0-9_]*)=").matcher(trimmed);
                while (m.find()) {
                    provided.add(m.group(1));
                }
            }
            Matcher export = Pattern.compile("export\\s+([A-Za-z_][A-Za-z0-9_]*)=").matcher(trimmed);
            while (!trimmed.startsWith("#") && export.find()) {
                provided.add(export.group(1));
            }
        }
        return provided;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Path propertiesFile(String service) {
        return root.resolve(service).resolve("src/main/resources/application.properties");
    }

    static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String artifactId(String service) {
        Path pom = root.resolve(service).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return null;
        }
        String text = read(pom).replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    static Map<String, Object> compose() {
        return map(loadAll(Repo.root().resolve("docker-compose.yml")).get(0), "docker-compose.yml");
    }

    /** compose {@code environment}: a mapping or a list of KEY=VALUE; a key without value passes through (unset). */
    static Map<String, String> composeEnvironment(Object environment) {
        Map<String, String> env = new TreeMap<>();
        if (environment instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(k.toString(), v == null ? null : v.toString()));
        } else if (environment instanceof List<?> l) {
            for (Object item : l) {
                String s = item.toString();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** depends_on as service -> condition (the short list form means service_started). */
    static Map<String, Object> dependsOn(Map<String, Object> service) {
        Object deps = service.get("depends_on");
        Map<String, Object> result = new TreeMap<>();
        if (deps instanceof List<?> l) {
            l.forEach(d -> result.put(d.toString(), "service_started"));
        } else if (deps instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(k.toString(),
                    v instanceof Map<?, ?> c ? Objects.toString(c.get("condition"), "service_started") : "service_started"));
        }
        return result;
    }

    static List<Path> k8sYamlFiles() {
        Path k8s = root.resolve("k8s");
        if (!Files.isDirectory(k8s)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(k8s)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of an overlay as rendered by {@link Kustomize}, as plain maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rendered(String overlay) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (var node : Repo.rendered(overlay)) {
            docs.add(Kustomize.JSON.convertValue(node, Map.class));
        }
        return docs;
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d))).findFirst().orElse(null);
    }

    static Map<String, Object> k8sContainer(List<Map<String, Object>> docs, String service, List<String> problems) {
        Map<String, Object> deployment = find(docs, "Deployment", service);
        if (deployment == null) {
            problems.add("k8s: no Deployment named " + service);
            return null;
        }
        Map<String, Object> podSpec = mapOrNull(path(deployment, "spec", "template", "spec"));
        List<Object> containers = podSpec == null ? List.of() : list(podSpec.get("containers"));
        if (containers.isEmpty()) {
            problems.add("k8s: Deployment " + service + " has no containers");
            return null;
        }
        return containers.stream().map(c -> map(c, "container")).filter(c -> service.equals(c.get("name")))
                .findFirst().orElse(map(containers.get(0), "container"));
    }

    static void checkProbe(List<String> problems, String service, Map<String, Object> container, String probe,
            String path) {
        Object actual = path(container, probe, "httpGet", "path");
        if (!path.equals(actual)) {
            problems.add("Deployment " + service + ": " + probe + " must be httpGet " + path + ", is " + actual);
        }
    }

    /** The keys of an overlay's credentials.env.example: those its Secret robustlab-credentials holds. */
    static Set<String> credentialsExampleKeys(String overlay) {
        Path file = Repo.overlay(overlay).resolve(CREDENTIALS_ENV + ".example");
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        return new TreeSet<>(Kustomize.readEnv(file).keySet());
    }

    static List<Object> loadAll(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Object> docs = new ArrayList<>();
        for (Object doc : yaml.loadAll(read(file))) {
            docs.add(doc);
        }
        return docs;
    }

    static Object path(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String name(Map<String, Object> doc) {
        return Objects.toString(path(doc, "metadata", "name"), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            fail(what + " is not a mapping: " + value);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    static Map<String, Object> mapOrNull(Object value) {
        return value instanceof Map ? map(value, "") : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of();
    }

    static String flatten(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        }
        return value == null ? "" : value.toString();
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        return Arrays.stream(values).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).collect(Collectors.toList());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String rel(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString();
    }

    static void assertNoProblems(String title, List<String> problems) {
        List<String> distinct = problems.stream().distinct().collect(Collectors.toList());
        if (!distinct.isEmpty()) {
            fail(title + " (" + distinct.size() + "):\n  - " + String.join("\n  - ", distinct));
        }
    }
}
