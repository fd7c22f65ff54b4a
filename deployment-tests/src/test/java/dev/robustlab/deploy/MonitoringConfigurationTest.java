package dev.robustlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Prometheus scrapes what the services expose, and the Grafana dashboard asks for the gauges eval-service
 * registers: names are read from the sources, not repeated here.
 */
class MonitoringConfigurationTest {

    @Test
    void prometheusScrapesTheMetricsEndpointOfEveryServiceOnItsPort() throws IOException {
        String resource = Kustomize.read(Repo.root().resolve(
                "service-support/src/main/java/dev/robustlab/service/metrics/MetricsResource.java"));
        Matcher path = Pattern.compile("@Path\\(\"([^\"]+)\"\\)").matcher(resource);
        assertTrue(path.find(), "MetricsResource has no @Path");
        JsonNode config = Kustomize.JSON.valueToTree(Kustomize.yaml().load(
                Files.readString(Repo.root().resolve("monitoring/prometheus/prometheus.yml"))));
        Set<String> jobs = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            jobs.add(name);
            assertEquals(path.group(1), job.path("metrics_path").asText(), name + ": metrics_path");
            int port = DeploymentConfigurationTest.PORTS.get(name);
            List<String> targets = new ArrayList<>();
            job.at("/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
            if (name.equals("attack-service")) {
                JsonNode dns = job.at("/dns_sd_configs/0");
                assertEquals(name, dns.at("/names/0").asText(), "every replica is found by the service's DNS name");
                assertEquals(port, dns.path("port").asInt());
            } else {
                assertEquals(List.of(name + ":" + port), targets, name + ": target");
            }
        }
        assertEquals(new TreeSet<>(Repo.SERVICES), jobs, "one scrape job per service");
        for (String overlay : Repo.OVERLAYS) {
            for (String service : Repo.SERVICES) {
                JsonNode annotations = Repo.find(Repo.rendered(overlay), "Deployment", service)
                        .at("/spec/template/metadata/annotations");
                assertEquals("true", annotations.path("prometheus.io/scrape").asText(), overlay + " " + service);
                assertEquals(path.group(1), annotations.path("prometheus.io/path").asText(), overlay + " " + service);
                assertEquals(String.valueOf(DeploymentConfigurationTest.PORTS.get(service)),
                        annotations.path("prometheus.io/port").asText(), overlay + " " + service);
            }
        }
    }

    @Test
    void composeRunsPrometheusAndGrafanaWithTheirProvisionedFiles() {
        Map<String, Object> services = DeploymentConfigurationTest.map(
                DeploymentConfigurationTest.compose().get("services"), "services");
        for (String name : List.of("prometheus", "grafana")) {
            Map<String, Object> service = DeploymentConfigurationTest.map(services.get(name), name);
            assertNotNull(service.get("healthcheck"), name + " has no healthcheck");
            for (Object volume : DeploymentConfigurationTest.list(service.get("volumes"))) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertTrue(Files.exists(Repo.root().resolve(source.substring(2))), name + " mounts " + source
                            + ", which does not exist");
                }
            }
        }
    }

    @Test
    void theDashboardShowsEvalServicesRobustAccuracyPerEpoch() throws IOException {
        String gauges = Kustomize.read(Repo.root().resolve(
                "eval-service/src/main/java/dev/robustlab/eval/monitoring/EpochAccuracyGauges.java"));
        Matcher robust = Pattern.compile("ROBUST = \"([^\"]+)\"").matcher(gauges);
        assertTrue(robust.find());
        String metric = robust.group(1).replace('.', '_');
        Path dashboards = Repo.root().resolve("monitoring/grafana/dashboards");
        JsonNode dashboard = Kustomize.JSON.readTree(dashboards.resolve("robust-accuracy.json").toFile());
        assertEquals("Robust accuracy per epoch", dashboard.path("title").asText());
        JsonNode datasources = Kustomize.JSON.valueToTree(Kustomize.yaml().load(Files.readString(Repo.root()
                .resolve("monitoring/grafana/provisioning/datasources/prometheus.yml"))));
        String uid = datasources.at("/datasources/0/uid").asText();
        boolean perEpoch = false;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertEquals(uid, target.at("/datasource/uid").asText(), panel.path("title") + ": data source");
                String expr = target.path("expr").asText();
                perEpoch |= expr.contains(metric) && expr.contains("epoch") && expr.contains("run_id");
            }
        }
        assertTrue(perEpoch, "no panel queries " + metric + " by epoch and run");
        JsonNode provider = Kustomize.JSON.valueToTree(Kustomize.yaml().load(Files.readString(Repo.root()
                .resolve("monitoring/grafana/provisioning/dashboards/robustlab.yml"))));
        String mounted = provider.at("/providers/0/options/path").asText();
        Map<String, Object> grafana = DeploymentConfigurationTest.map(DeploymentConfigurationTest.map(
                DeploymentConfigurationTest.compose().get("services"), "services").get("grafana"), "grafana");
        assertTrue(DeploymentConfigurationTest.list(grafana.get("volumes")).stream()
                .anyMatch(v -> v.toString().startsWith("./monitoring/grafana/dashboards:" + mounted)),
                "the dashboards folder is not mounted where the provider reads (" + mounted + ")");
    }
}
