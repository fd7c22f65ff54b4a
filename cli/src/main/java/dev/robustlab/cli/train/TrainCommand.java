package dev.robustlab.cli.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.cli.table.TextTable;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.FieldError;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.RunSpecValidator;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.ml.training.TrainingRun;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code robustlab train}: trains a run spec (the JSON the gateway takes) in this process with
 * {@link TrainingRun}, exactly as trainer-service trains it, and reports each epoch's training loss, accuracy and
 * time; optionally writes the final checkpoint, which {@code robustlab evaluate --model} reads.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Trains a run spec on this machine, epoch by epoch (no cluster needed).",
        description = {
            "Reads a run spec (the JSON of POST /api/runs, see docs/API.md: dataset, model, training method, PIAT, "
                    + "optimizer, schedule, threat model, epochs, batch size, seed; what it leaves out takes its "
                    + "default) and trains it as trainer-service does. Shows every epoch on stderr and prints the "
                    + "table of epochs on stdout: training loss, accuracy on the examples trained on (adversarial "
                    + "ones for adversarial training), PIAT's α, and the epoch's wall time (the training loop only: "
                    + "not the engine start, data loading or model creation, which are reported apart).",
            ""},
        footer = {"", "Exit status: 0 done; 1 the spec or the dataset could not be used (the message names the field "
                + "or file); 2 a bad flag.",
            "", "Example: robustlab train --spec run.json --checkpoint run.rlck && robustlab evaluate --model run.rlck "
                    + "--dataset fashion-mnist --limit 1000 --attacks pgd-20"})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "FILE",
            description = "The run spec, JSON; an unknown field is refused.")
    Path specFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where image datasets live, one directory per dataset (DIR/fashion-mnist/, DIR/cifar10/, "
                    + "...), as the services' robustlab.data-dir (default: each dataset's default directory; "
                    + "Fashion-MNIST: /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--checkpoint", paramLabel = "OUT",
            description = "Write the checkpoint after the last epoch here (Robustlab's format, as trainer-service "
                    + "uploads it; robustlab evaluate --model reads it).")
    Path checkpoint;

    @Option(names = "--json", paramLabel = "OUT",
            description = "Also write the result as JSON: spec (with its defaults), setup_seconds (engine, data, "
                    + "model), epochs (epoch, train_loss, train_accuracy, piat_alpha, seconds) and seconds (the "
                    + "epochs' sum).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(specFile)) {
            throw new ParameterException(spec.commandLine(), "--spec: no file " + specFile);
        }
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new ParameterException(spec.commandLine(), "--data-dir: no directory " + dataDir);
        }
        RunSpec run;
        try {
            run = read(specFile);
        } catch (IOException | IllegalArgumentException e) {
            return fail(err, "--spec " + specFile + ": " + e.getMessage());
        }
        long started = System.nanoTime();
        List<EpochSummary> epochs = new ArrayList<>();
        double setupSeconds;
        byte[] last = null;
        try (TrainingRun training = TrainingRun.start(run, dataDir)) {
            setupSeconds = (System.nanoTime() - started) / 1e9;
            err.printf(Locale.ROOT, "[train] %s: %s on %s, %d epochs (set up in %.1f s)%n", run.name(),
                    run.training().method() + (run.training().piat().enabled() ? " inside PIAT" : ""),
                    run.dataset().name(), run.epochs(), setupSeconds);
            err.flush();
            for (int e = 1; e <= run.epochs(); e++) {
                EpochSummary summary = training.trainEpoch();
                epochs.add(summary);
                err.printf(Locale.ROOT, "[train] epoch %d/%d  loss %.4f  train acc %.2f%%  (%.1f s)%n",
                        summary.epoch(), run.epochs(), summary.trainLoss(), 100 * summary.trainAccuracy(),
                        summary.seconds());
                err.flush();
            }
            if (checkpoint != null) {
                last = training.checkpoint();
            }
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        double seconds = epochs.stream().mapToDouble(EpochSummary::seconds).sum();
        out.print(table(epochs, seconds, setupSeconds));
        out.flush();
        try {
            if (last != null) {
                createParent(checkpoint);
                Files.write(checkpoint, last);
            }
        } catch (IOException e) {
            return fail(err, "--checkpoint " + checkpoint + ": cannot write it (" + e.getMessage() + ")");
        }
        if (json != null) {
            try {
                createParent(json);
                EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                        document(run, epochs, setupSeconds, seconds));
            } catch (IOException e) {
                return fail(err, "--json " + json + ": cannot write it (" + e.getMessage() + ")");
            }
        }
        return 0;
    }

    /**
     * The spec in {@code file} with its defaults, validated.
     *
     * @throws IOException              when the file is not JSON of a run spec (an unknown field included)
     * @throws IllegalArgumentException naming every invalid field
     */
    static RunSpec read(Path file) throws IOException {
        ObjectMapper strict = EventJson.mapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        RunSpec given = strict.readValue(file.toFile(), RunSpec.class);
        if (given == null) {
            throw new IllegalArgumentException("the file holds no run spec");
        }
        RunSpec spec = given.withDefaults();
        List<FieldError> errors = RunSpecValidator.validate(spec);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid run spec: " + errors.stream()
                    .map(e -> e.field() + " " + e.reason()).collect(Collectors.joining("; ")));
        }
        return spec;
    }

    private static String table(List<EpochSummary> epochs, double seconds, double setupSeconds) {
        TextTable table = new TextTable("Epoch", "Train loss", "Train acc. (%)", "PIAT α", "Seconds");
        for (EpochSummary e : epochs) {
            table.row(String.valueOf(e.epoch()), String.format(Locale.ROOT, "%.4f", e.trainLoss()),
                    String.format(Locale.ROOT, "%.2f", 100 * e.trainAccuracy()),
                    e.piatAlpha() == null ? "-" : String.format(Locale.ROOT, "%.3f", e.piatAlpha()),
                    String.format(Locale.ROOT, "%.2f", e.seconds()));
        }
        return table + String.format(Locale.ROOT, "%n%d epochs in %.2f s (set-up before them: %.2f s)%n",
                epochs.size(), seconds, setupSeconds);
    }

    private static ObjectNode document(RunSpec run, List<EpochSummary> epochs, double setupSeconds, double seconds) {
        ObjectNode root = EventJson.mapper().createObjectNode();
        root.set("spec", EventJson.mapper().valueToTree(run));
        root.put("setup_seconds", setupSeconds);
        ArrayNode list = root.putArray("epochs");
        for (EpochSummary e : epochs) {
            ObjectNode node = list.addObject();
            node.put("epoch", e.epoch());
            node.put("train_loss", e.trainLoss());
            node.put("train_accuracy", e.trainAccuracy());
            if (e.piatAlpha() == null) {
                node.putNull("piat_alpha");
            } else {
                node.put("piat_alpha", e.piatAlpha());
            }
            node.put("seconds", e.seconds());
        }
        root.put("seconds", seconds);
        return root;
    }

    private static void createParent(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
    }

    private static int fail(PrintWriter err, String message) {
        err.println("robustlab train: " + message);
        err.flush();
        return 1;
    }
}
