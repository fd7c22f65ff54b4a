package dev.robustlab.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.cli.client.RobustlabClient;
import dev.robustlab.cli.cluster.Cluster;
import dev.robustlab.cli.table.MetricsTables;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.localstack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code robustlab demo}: starts Kafka, S3Proxy and PostgreSQL, the four services (two attack workers), submits
 * PGD-AT and PGD-AT+PIAT on the toy dataset, shows progress and prints the per-epoch and Best/Final/Diff tables.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Runs the whole loop on this machine and prints the Best / Final / Diff table.",
        description = "Starts a local Kafka broker, S3 endpoint and PostgreSQL, the four services as processes "
                + "(two attack workers), and two runs on the toy dataset of the PIAT paper (PGD-AT and "
                + "PGD-AT+PIAT); shows progress, then prints the per-epoch metrics and the Best / Final / Diff "
                + "table. All runtime state lives under --state-dir; delete it to start afresh.")
public final class DemoCommand implements Callable<Integer> {
    /** The demo's runs, in the order they are submitted and shown: label to run spec resource. */
    private static final List<Map.Entry<String, String>> RUNS = List.of(
            Map.entry("PGD-AT", "pgd-at.json"), Map.entry("PGD-AT+PIAT", "pgd-at-piat.json"));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--exit", description = "Stop everything when the tables are printed (for scripts).")
    boolean exit;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--attack-workers", defaultValue = "2",
            description = "attack-service processes (default: ${DEFAULT-VALUE}).")
    int attackWorkers;

    @Option(names = "--state-dir", defaultValue = ".robustlab",
            description = "Where brokers, buckets, databases and logs live (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--timeout", defaultValue = "PT15M",
            description = "Give up when the runs take longer (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || attackWorkers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--epochs and --attack-workers must be at least 1 (got " + epochs + " and " + attackWorkers + ")");
        }
        Path root = Path.of(System.getProperty("robustlab.root", ".")).toAbsolutePath().normalize();
        Path state = stateDir.isAbsolute() ? stateDir : root.resolve(stateDir);
        long start = System.nanoTime();
        say("Starting the local stack under " + state + " (Kafka, S3Proxy, PostgreSQL)");
        Shutdown shutdown = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "robustlab-demo-shutdown"));
        try {
            // Our own hook stops the services before the stack; the stack's hook would race with it.
            LocalStack stack = LocalStack.start(state.resolve("stack"), EnumSet.allOf(LocalStack.Component.class))
                    .withoutShutdownHook();
            shutdown.stack = stack;
            say(String.format(Locale.ROOT, "Local stack ready after %.1f s; starting the services", seconds(start)));
            Cluster cluster = Cluster.start(root, state, stack.serviceEnvironment(), attackWorkers,
                    line -> say("  " + line), Duration.ofMinutes(3));
            shutdown.cluster = cluster;
            say(String.format(Locale.ROOT, "Services ready after %.1f s; gateway %s, eval-service %s", seconds(start),
                    cluster.gatewayUrl(), cluster.evalUrl()));
            RobustlabClient client = new RobustlabClient(cluster.gatewayUrl(), cluster.evalUrl());
            Map<String, String> runIds = submit(client);
            Map<String, JsonNode> metrics = await(client, runIds, start);
            // The columns are the attacks the run specs ask for, as eval-service reports them.
            List<String> attacks = new ArrayList<>();
            metrics.values().iterator().next().path("attacks").forEach(a -> attacks.add(a.asText()));
            for (Map.Entry<String, JsonNode> run : metrics.entrySet()) {
                System.out.println();
                System.out.println(run.getKey() + "  (run " + runIds.get(run.getKey()) + ")");
                System.out.print(MetricsTables.perEpoch(run.getValue(), attacks));
            }
            System.out.println();
            System.out.println("Best / Final / Diff (accuracy in %, best epoch chosen by PGD-20)");
            System.out.print(MetricsTables.bestFinalDiff(metrics, attacks));
            System.out.println();
            say(String.format(Locale.ROOT, "Demo finished in %.1f s from the start of the stack to the final table",
                    seconds(start)));
            if (!exit) {
                say("The stack stays up: gateway " + cluster.gatewayUrl() + "/api/runs, metrics "
                        + cluster.evalUrl() + "/api/runs/<id>/metrics. Press Ctrl-C to stop everything.");
                new CountDownLatch(1).await();
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("robustlab demo failed: " + e.getMessage());
            System.err.println("Logs of every process are under " + state.resolve("logs") + " and "
                    + state.resolve("stack") + ".");
            return 1;
        } finally {
            shutdown.run();
        }
    }

    private Map<String, String> submit(RobustlabClient client) throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, String> run : RUNS) {
            String label = run.getKey();
            ObjectNode spec = (ObjectNode) readSpec(run.getValue());
            spec.put("epochs", epochs);
            JsonNode accepted = client.submitRun(EventJson.encode(spec));
            ids.put(label, accepted.path("id").asText());
            say("Submitted " + label + " as run " + accepted.path("id").asText());
        }
        return ids;
    }

    private Map<String, JsonNode> await(RobustlabClient client, Map<String, String> runIds, long start)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> shown = new LinkedHashMap<>();
        while (true) {
            Map<String, JsonNode> metrics = new LinkedHashMap<>();
            List<RunProgress> progress = new ArrayList<>();
            for (Map.Entry<String, String> run : runIds.entrySet()) {
                JsonNode m = client.metrics(run.getValue()).orElse(null);
                metrics.put(run.getKey(), m);
                progress.add(RunProgress.of(run.getKey(), client.run(run.getValue()), m));
            }
            for (RunProgress p : progress) {
                if (!p.line().equals(shown.get(p.label()))) {
                    shown.put(p.label(), p.line());
                    say(String.format(Locale.ROOT, "[%5.1f s] %s", seconds(start), p.line()));
                }
                if (p.failed()) {
                    throw new IllegalStateException(p.label() + " failed: " + p.failure());
                }
            }
            if (progress.stream().allMatch(RunProgress::finished)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the runs did not finish within " + timeout
                        + "; raise --timeout or look at the service logs");
            }
            Thread.sleep(1000);
        }
    }

    private static JsonNode readSpec(String resource) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("demo run spec " + resource + " is missing from the CLI jar");
            }
            return EventJson.mapper().readTree(in);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Stops the services, then the stack, once, whether the demo ends, fails or is interrupted by Ctrl-C. */
    private static final class Shutdown {
        volatile Cluster cluster;
        volatile LocalStack stack;
        private boolean done;

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            if (cluster != null) {
                System.out.println("Stopping the services...");
                cluster.close();
            }
            if (stack != null) {
                System.out.println("Stopping the local stack...");
                stack.close();
            }
        }
    }
}
