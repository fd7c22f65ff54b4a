package dev.robustlab.cli.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.RunSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the {@code reproduce} commands share: the checks of their training options, the choice of arms, the
 * configuration part of their JSON, and printing the table then writing the JSON.
 */
final class StudyCommands {
    private StudyCommands() {
    }

    /** Refuses an epoch count below 1, an ε outside (0, 1] or a learning rate that is not a positive number. */
    static void checkTraining(CommandSpec spec, int epochs, double eps, double lr) {
        if (epochs < 1) {
            throw usage(spec, "--epochs must be at least 1, got " + epochs);
        }
        if (!(eps > 0 && eps <= 1)) {
            throw usage(spec, "--eps must be in (0, 1] (inputs lie in [0,1]), got " + eps);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw usage(spec, "--lr must be a positive number, got " + lr);
        }
    }

    /** The arms named by {@code --methods}, in the study's order. */
    static List<StudyMethod> arms(CommandSpec spec, List<StudyMethod> all, List<String> ids) {
        try {
            return StudyMethod.select(all, ids);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--methods: " + e.getMessage());
        }
    }

    /** The configuration every study reports: data, model, optimizer, schedule, threat model and seed. */
    static ObjectNode configuration(RunSpec base) {
        ObjectNode c = EventJson.mapper().createObjectNode();
        c.put("dataset", base.dataset().name());
        c.put("train_size", base.dataset().trainSize());
        c.put("model", base.model().describe());
        c.put("optimizer", base.optimizer().name());
        c.put("learning_rate", base.optimizer().learningRate());
        c.put("momentum", base.optimizer().momentum());
        c.put("weight_decay", base.optimizer().weightDecay());
        c.put("lr_schedule", base.lrSchedule().type());
        c.put("batch_size", base.batchSize());
        c.put("epochs", base.epochs());
        c.put("norm", base.threatModel().norm());
        c.put("eps", base.threatModel().epsilon());
        c.put("step_size", base.threatModel().stepSize());
        c.put("train_steps", base.threatModel().steps());
        c.put("evaluation_step_size", base.evaluation().stepSize());
        c.put("seed", base.seed());
        return c;
    }

    /**
     * Prints the study's text on stdout and, when {@code json} is given, writes the document there.
     *
     * @return the exit status: 0, or 1 when the JSON cannot be written (the message says why)
     */
    static int report(CommandSpec spec, String study, String text, Path json, Supplier<ObjectNode> document) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        if (json != null) {
            try {
                StudyReport.write(json, document.get());
            } catch (IOException e) {
                return fail(spec, study, "--json " + json + ": cannot write it (" + e.getMessage() + ")");
            }
        }
        return 0;
    }

    /** Prints {@code robustlab reproduce STUDY: MESSAGE} on stderr and returns the exit status 1. */
    static int fail(CommandSpec spec, String study, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("robustlab reproduce " + study + ": " + message);
        err.flush();
        return 1;
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
