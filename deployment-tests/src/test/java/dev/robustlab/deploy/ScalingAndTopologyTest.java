package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.Topics;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What ties the rendered overlays to the services' configuration: KEDA's consumer group, topic and partition bound,
 * the KafkaTopics against Topics.java and every channel, the GPU trainer, the Ingress against the gateway's
 * metrics links, and the network policies against the services' ports.
 */
class ScalingAndTopologyTest {

    private static final String JOB_CHANNEL = "mp.messaging.incoming.attack-requested.";

    @Test
    void kedaScalesAttackServiceOnItsOwnGroupAndTopicWithinThePartitions() {
        Properties attack = Repo.applicationProperties("attack-service");
        String group = attack.getProperty(JOB_CHANNEL + "group.id");
        String topic = attack.getProperty(JOB_CHANNEL + "topic");
        assertEquals("attack-service", group, "attack-service's group id");
        assertEquals(Topics.ATTACK_REQUESTED, topic, "attack-service's job topic");
        for (String overlay : Repo.OVERLAYS) {
            List<ObjectNode> objects = Repo.rendered(overlay);
            ObjectNode scaled = Repo.find(objects, "ScaledObject", "attack-service");
            assertNotNull(scaled, overlay + ": no ScaledObject attack-service");
            assertEquals("attack-service", scaled.at("/spec/scaleTargetRef/name").asText());
            assertNotNull(Repo.find(objects, "Deployment", "attack-service"));
            JsonNode triggers = scaled.at("/spec/triggers");
            assertEquals(1, triggers.size(), overlay + ": one trigger expected");
            JsonNode kafka = triggers.get(0);
            assertEquals("kafka", kafka.path("type").asText());
            JsonNode metadata = kafka.path("metadata");
            assertEquals(group, metadata.path("consumerGroup").asText(), overlay + ": KEDA consumerGroup");
            assertEquals(topic, metadata.path("topic").asText(), overlay + ": KEDA topic");
            assertEquals(attack.getProperty(JOB_CHANNEL + "auto.offset.reset"),
                    metadata.path("offsetResetPolicy").asText(), overlay + ": offsetResetPolicy");
            assertTrue(Integer.parseInt(metadata.path("lagThreshold").asText()) >= 1);
            String bootstrap = Repo.find(objects, "ConfigMap", "robustlab-config").at("/data/KAFKA_BOOTSTRAP_SERVERS")
                    .asText();
            assertEquals(bootstrap, metadata.path("bootstrapServers").asText(),
                    overlay + ": KEDA must read the brokers the services use");
            int max = scaled.at("/spec/maxReplicaCount").asInt();
            int min = scaled.at("/spec/minReplicaCount").asInt();
            assertTrue(min >= 1 && min <= max, overlay + ": 1 <= minReplicaCount <= maxReplicaCount");
            assertTrue(max <= Topics.ATTACK_REQUESTED_PARTITIONS, overlay + ": maxReplicaCount " + max
                    + " exceeds the " + Topics.ATTACK_REQUESTED_PARTITIONS + " partitions of " + topic);
            ObjectNode jobTopic = Repo.find(objects, "KafkaTopic", topic);
            assertNotNull(jobTopic, overlay + ": no KafkaTopic " + topic);
            assertTrue(max <= jobTopic.at("/spec/partitions").asInt(), overlay + ": maxReplicaCount " + max
                    + " exceeds the KafkaTopic's partitions");
        }
    }

    @Test
    void kafkaTopicsAreTopicsJavaWithDeadLettersPartitionsAndRetention() {
        Map<String, Integer> expected = new TreeMap<>();
        for (String topic : Topics.ALL) {
            expected.put(topic, topic.equals(Topics.ATTACK_REQUESTED) ? Topics.ATTACK_REQUESTED_PARTITIONS
                    : DeploymentConfigurationTest.DEFAULT_PARTITIONS);
            expected.put(Topics.deadLetter(topic), DeploymentConfigurationTest.DEFAULT_PARTITIONS);
        }
        for (String overlay : Repo.OVERLAYS) {
            List<ObjectNode> objects = Repo.rendered(overlay);
            Map<String, Integer> declared = new TreeMap<>();
            Set<String> clusters = new TreeSet<>();
            for (ObjectNode t : Repo.all(objects, "KafkaTopic")) {
                String name = t.at("/spec/topicName").asText(t.at("/metadata/name").asText());
                declared.put(name, t.at("/spec/partitions").asInt());
                assertTrue(t.at("/spec/config/retention.ms").canConvertToLong()
                        && t.at("/spec/config/retention.ms").asLong() > 0, overlay + ": " + name + " has no retention");
                clusters.add(t.at("/metadata/labels/strimzi.io~1cluster").asText());
            }
            assertEquals(expected, declared, overlay + ": KafkaTopics (name -> partitions)");
            assertEquals(1, clusters.size(), overlay + ": every topic belongs to one cluster: " + clusters);
            if (overlay.equals("dev")) {
                ObjectNode cluster = Repo.find(objects, "Kafka", clusters.iterator().next());
                assertNotNull(cluster, "dev: the topics name a Kafka cluster that dev does not define");
                String namespace = cluster.at("/metadata/namespace").asText();
                Repo.all(objects, "KafkaTopic").forEach(t -> assertEquals(namespace,
                        t.at("/metadata/namespace").asText(), "topics live in the Kafka's namespace"));
                String bootstrap = cluster.at("/metadata/name").asText() + "-kafka-bootstrap." + namespace
                        + ".svc.cluster.local:" + cluster.at("/spec/kafka/listeners/0/port").asInt();
                assertEquals(bootstrap, Repo.find(objects, "ConfigMap", "robustlab-config")
                        .at("/data/KAFKA_BOOTSTRAP_SERVERS").asText(), "dev: the Strimzi bootstrap service");
                assertFalse(cluster.at("/spec/kafka/config/auto.create.topics.enable").asBoolean(true),
                        "dev's broker must not auto-create topics");
                List<ObjectNode> pools = Repo.all(objects, "KafkaNodePool");
                assertEquals(1, pools.size());
                Set<String> roles = new TreeSet<>();
                pools.get(0).at("/spec/roles").forEach(r -> roles.add(r.asText()));
                assertEquals(Set.of("broker", "controller"), roles, "dev: one KRaft node in both roles");
            }
        }
    }

    @Test
    void everyTopicAServiceUsesIsDeclared() {
        Set<String> declared = new TreeSet<>();
        Repo.all(Repo.rendered("dev"), "KafkaTopic").forEach(t -> declared.add(t.at("/metadata/name").asText()));
        List<String> problems = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Properties p = Repo.applicationProperties(service);
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("mp.messaging.") && (key.endsWith(".topic") || key.endsWith(".dead-letter-queue.topic"))
                        && !declared.contains(p.getProperty(key).trim())) {
                    problems.add(service + ": " + key + "=" + p.getProperty(key) + " has no KafkaTopic");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theTrainerRequestsAGpuWhereTheOverlayHasGpusAndNotOtherwise() {
        ObjectNode prod = Repo.find(Repo.rendered("prod"), "Deployment", "trainer-service");
        JsonNode pod = prod.at("/spec/template/spec");
        assertEquals("1", pod.at("/containers/0/resources/limits/nvidia.com~1gpu").asText(), "prod: GPU limit");
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText(), "prod: GPU node selector");
        boolean tolerates = false;
        for (JsonNode t : pod.path("tolerations")) {
            tolerates |= t.path("key").asText().equals("nvidia.com/gpu") && t.path("effect").asText().equals("NoSchedule");
        }
        assertTrue(tolerates, "prod: the NVIDIA taint must be tolerated");
        assertTrue(pod.at("/containers/0/image").asText().contains("trainer-service-cuda:"), "prod: the CUDA image");

        ObjectNode dev = Repo.find(Repo.rendered("dev"), "Deployment", "trainer-service");
        JsonNode devPod = dev.at("/spec/template/spec");
        assertTrue(devPod.at("/containers/0/resources/limits/nvidia.com~1gpu").isMissingNode(), "dev: CPU only");
        assertTrue(devPod.path("nodeSelector").isMissingNode() && devPod.path("tolerations").isMissingNode());
        assertTrue(devPod.at("/containers/0/image").asText().startsWith("robustlab/trainer-service:"), "dev: CPU image");
    }

    @Test
    void theIngressRoutesTheGatewayAndTheDashboardHostTheGatewayLinksTo() {
        for (String overlay : Repo.OVERLAYS) {
            List<ObjectNode> objects = Repo.rendered(overlay);
            Map<String, String> hostToService = new TreeMap<>();
            for (ObjectNode ingress : Repo.all(objects, "Ingress")) {
                for (JsonNode rule : ingress.at("/spec/rules")) {
                    for (JsonNode path : rule.at("/http/paths")) {
                        String service = path.at("/backend/service/name").asText();
                        assertNotNull(Repo.find(objects, "Service", service), overlay + ": Ingress names " + service);
                        hostToService.put(rule.path("host").asText(), service);
                    }
                }
            }
            assertTrue(hostToService.containsValue("gateway") && hostToService.containsValue("eval-service"),
                    overlay + ": Ingress hosts " + hostToService);
            String evalUrl = null;
            ObjectNode gateway = Repo.find(objects, "Deployment", "gateway");
            for (JsonNode env : gateway.at("/spec/template/spec/containers/0/env")) {
                if (env.path("name").asText().equals("ROBUSTLAB_EVAL_URL")) {
                    evalUrl = env.path("value").asText();
                }
            }
            assertNotNull(evalUrl, overlay + ": the gateway has no ROBUSTLAB_EVAL_URL");
            assertEquals("eval-service", hostToService.get(URI.create(evalUrl).getHost()),
                    overlay + ": ROBUSTLAB_EVAL_URL " + evalUrl + " is not the Ingress host of eval-service");
        }
    }

    @Test
    void networkPoliciesDenyByDefaultAndOpenEachServicePort() {
        Map<String, Integer> ports = DeploymentConfigurationTest.PORTS;
        for (String overlay : Repo.OVERLAYS) {
            List<ObjectNode> policies = Repo.all(Repo.rendered(overlay), "NetworkPolicy");
            assertTrue(policies.stream().anyMatch(p -> p.at("/spec/podSelector").isEmpty()
                    && p.at("/spec/ingress").isMissingNode()), overlay + ": no default deny-ingress policy");
            for (String service : Repo.SERVICES) {
                boolean open = false;
                for (ObjectNode p : policies) {
                    if (!selects(p.at("/spec/podSelector"), service)) {
                        continue;
                    }
                    for (JsonNode rule : p.at("/spec/ingress")) {
                        for (JsonNode port : rule.path("ports")) {
                            open |= port.path("port").asInt() == ports.get(service);
                        }
                    }
                }
                assertTrue(open, overlay + ": no NetworkPolicy admits port " + ports.get(service) + " of " + service);
            }
        }
    }

    private static boolean selects(JsonNode selector, String name) {
        if (selector.path("matchLabels").path("app.kubernetes.io/name").asText().equals(name)) {
            return true;
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            if (e.path("key").asText().equals("app.kubernetes.io/name") && e.path("operator").asText().equals("In")) {
                for (JsonNode v : e.path("values")) {
                    if (v.asText().equals(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
