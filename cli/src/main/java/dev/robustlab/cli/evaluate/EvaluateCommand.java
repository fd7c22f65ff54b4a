package dev.robustlab.cli.evaluate;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.evaluation.EvaluationConfig;
import dev.robustlab.ml.evaluation.EvaluationResult;
import dev.robustlab.ml.evaluation.RangeEvaluator;
import dev.robustlab.ml.model.Classifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code robustlab evaluate}: the robust accuracy of a model on a range of a dataset's test split under an AutoAttack
 * suite or a list of attacks, each attack run on the points still robust. Progress on stderr, a table on stdout, the
 * flags per example in {@code --json}; resumable with {@code --state}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Measures a model's robust accuracy on a dataset's test split under attacks.",
        description = {
            "Runs the attacks in order, each only on the examples still robust (AutoAttack's composition): an "
                    + "example is robust when it is classified correctly clean and no attack breaks it inside the "
                    + "ε-ball and [0,1]. Shows progress on stderr and prints the clean accuracy, the robust accuracy "
                    + "after each attack and the final one on stdout.",
            "",
            "Sharding: --offset and --limit pick examples [K, K+N) of the test split. Batch k covers examples "
                    + "[k·B, (k+1)·B) of the split and draws its randomness from --seed and its first index, so "
                    + "shards whose bounds are multiples of --batch-size give, merged, exactly the flags of one "
                    + "evaluation of the whole range.",
            "",
            "Resume: with --state FILE the result of every batch is saved to FILE as it completes; running the same "
                    + "command again skips the saved batches and gives the flags of an uninterrupted run. A state "
                    + "file of another configuration (model, dataset, range, attacks, ε, α, norm, seed, batch size) "
                    + "is refused.",
            ""},
        footer = {"", "Exit status: 0 done; 1 the model, dataset or state file could not be used (the message says "
                + "why); 2 a bad or missing flag.",
            "",
            "Example: robustlab evaluate --model run-7-epoch-20.rlck --dataset toy-circles --limit 500 "
                    + "--attacks pgd-20,cw-inf --json result.json"})
public final class EvaluateCommand implements Callable<Integer> {
    /** The default radius per dataset in l∞: the value papers and RobustBench use. */
    static final Map<String, Double> LINF_RADIUS = Map.of("toy-circles", 0.1, "fashion-mnist", 0.1,
            "cifar10", 8 / 255.0, "cifar100", 8 / 255.0, "svhn", 8 / 255.0);
    /** The default radius per dataset in l2, where there is a standard one (RobustBench's 0.5 on CIFAR, SVHN). */
    static final Map<String, Double> L2_RADIUS = Map.of("cifar10", 0.5, "cifar100", 0.5, "svhn", 0.5);
    private static final List<String> NORMS = List.of("linf", "l2");
    private static final String QUIET_AUTOATTACK = "org.slf4j.simpleLogger.log.dev.robustlab.ml.attack.autoattack";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model to evaluate. " + EvaluationInputs.MODELS_HELP)
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "The dataset whose test split is attacked: " + EvaluationInputs.DATASETS_HELP)
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the dataset's files are (default: the dataset's usual place).")
    Path dataDir;

    @Option(names = "--offset", paramLabel = "K", defaultValue = "0",
            description = "First test example, 0-based (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--limit", paramLabel = "N",
            description = "How many test examples from --offset (default: all the rest).")
    Integer limit;

    @Option(names = "--norm", paramLabel = "linf|l2", defaultValue = "linf",
            description = "The threat model's norm (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--eps", paramLabel = "E",
            description = "Radius ε, a number or a fraction such as 8/255. Default in linf: 0.1 for toy-circles and "
                    + "fashion-mnist, 8/255 for cifar10, cifar100 and svhn; in l2: 0.5 for cifar10, cifar100 and "
                    + "svhn, required elsewhere (there is no standard l2 radius there).")
    String eps;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    AttackChoice attacks = new AttackChoice();

    /** Either an AutoAttack version or a list of attack ids. */
    static final class AttackChoice {
        @Option(names = "--suite", paramLabel = "NAME",
                description = "An AutoAttack version: standard (APGD-CE, APGD-T, FAB-T, Square), plus or rand. "
                        + "Default, when --attacks is not given: standard. Components that cannot run (not "
                        + "implemented, or needing more classes than the dataset has) are reported as skipped.")
        String suite;

        @Option(names = "--attacks", paramLabel = "ID", split = ",", completionCandidates = KnownAttacks.class,
                description = "Attack ids, comma-separated, run in this order instead of a suite: "
                        + "${COMPLETION-CANDIDATES} (apgd-dlr needs 3 classes or more, apgd-t 4 or more).")
        List<String> ids;
    }

    /** The attack ids the library knows, for the help. */
    static final class KnownAttacks implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Attacks.KNOWN.iterator();
        }
    }

    @Option(names = "--step-size", paramLabel = "A",
            description = "Step size α of pgd-20, cw-inf, i-fgsm and mi-fgsm (default: ε/4).")
    String stepSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every random draw (random starts, Square) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Examples per batch, and the unit of sharding and resuming (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "OUT",
            description = "Also write the result as JSON: configuration, clean_accuracy, robust_accuracy, "
                    + "per_attack (attack id → robust accuracy after it, in order), robust_flags and clean_flags "
                    + "(one per example, dataset order), skipped, warnings, seconds.")
    Path json;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Save progress to FILE after every batch and resume from it (default: no state file).")
    Path state;

    @Override
    public Integer call() {
        // the skipped components and sanity warnings are in the report; per batch in the log they would only
        // interleave with the progress bar
        if (System.getProperty(QUIET_AUTOATTACK) == null) {
            System.setProperty(QUIET_AUTOATTACK, "error");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvaluationConfig.Builder builder = configuration();
        if (!Files.isRegularFile(model)) {
            throw usage("--model: no file " + model);
        }
        LabeledExamples test;
        try {
            test = EvaluationInputs.testSplit(dataset, dataDir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return fail(err, "--dataset " + dataset + ": " + e.getMessage());
        }
        int size = test.size();
        if (offset >= size) {
            throw usage("--offset " + offset + " is past the end of " + dataset + "'s test split, which has " + size
                    + " examples (0 to " + (size - 1) + ")");
        }
        int count = limit == null ? size - offset : limit;
        if ((long) offset + count > size) {
            throw usage("--offset " + offset + " --limit " + count + " reach example " + ((long) offset + count - 1)
                    + ", past the " + size + " examples of " + dataset + "'s test split");
        }
        if (attacks.ids != null) {
            for (String id : attacks.ids) {
                if (test.classes() < EvaluationPlan.minClasses(id)) {
                    throw usage("--attacks: '" + id + "' needs at least " + EvaluationPlan.minClasses(id)
                            + " classes; " + dataset + " has " + test.classes());
                }
            }
        }
        EvaluationConfig config;
        try {
            config = builder.setModelSha256(EvaluationConfig.sha256(model)).setRange(offset, count).build();
        } catch (IllegalArgumentException e) {
            throw usage("the flags do not make an evaluation: " + e.getMessage());
        }
        try (NDManager manager = MlEngine.newBaseManager()) {
            Classifier classifier;
            try {
                classifier = EvaluationInputs.loadModel(model, test.exampleShape(), test.classes(), manager);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                return fail(err, "--model " + model + ": " + e.getMessage());
            }
            EvaluationResult result;
            try {
                result = RangeEvaluator.evaluate(classifier, test, config, state, ProgressBar.onStderr(err), manager);
            } catch (IllegalArgumentException e) {
                return fail(err, (state == null ? "" : "--state " + state + ": ") + e.getMessage());
            }
            out.print(EvaluationReport.text(result));
            out.flush();
            if (json != null) {
                try {
                    Path parent = json.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                            EvaluationReport.json(result, model, dataDir));
                } catch (IOException e) {
                    return fail(err, "--json " + json + ": cannot write it (" + e.getMessage() + ")");
                }
            }
            return 0;
        }
    }

    /** The configuration the flags give, without the model's fingerprint and the range; refuses bad values by flag. */
    private EvaluationConfig.Builder configuration() {
        if (offset < 0) {
            throw usage("--offset must be at least 0, got " + offset);
        }
        if (limit != null && limit < 1) {
            throw usage("--limit must be at least 1, got " + limit);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1, got " + batchSize);
        }
        if (!EvaluationInputs.DATASETS.contains(dataset)) {
            throw usage("--dataset: unknown dataset '" + dataset + "'; known: "
                    + String.join(", ", EvaluationInputs.DATASETS));
        }
        if (!NORMS.contains(norm)) {
            throw usage("--norm must be linf or l2, got '" + norm + "'");
        }
        if (attacks.suite != null && !EvaluationConfig.SUITES.contains(attacks.suite)) {
            throw usage("--suite: unknown suite '" + attacks.suite + "'; known: "
                    + String.join(", ", EvaluationConfig.SUITES));
        }
        if (attacks.ids != null) {
            if (attacks.ids.isEmpty() || attacks.ids.stream().anyMatch(String::isBlank)) {
                throw usage("--attacks: give attack ids separated by commas, e.g. pgd-20,cw-inf");
            }
            for (String id : attacks.ids) {
                if (!Attacks.KNOWN.contains(id)) {
                    throw usage("--attacks: unknown attack '" + id + "'; known: " + String.join(", ", Attacks.KNOWN));
                }
                if (attacks.ids.indexOf(id) != attacks.ids.lastIndexOf(id)) {
                    throw usage("--attacks: " + id + " is listed twice; each attack runs once, on what is left robust");
                }
            }
            if (!Attacks.NORMS.contains(norm)) {
                throw usage("--attacks: the listed attacks run in " + String.join(", ", Attacks.NORMS)
                        + " only in this build; use --suite for --norm " + norm);
            }
        }
        double epsilon = eps == null ? defaultRadius() : number("--eps", eps);
        if ("linf".equals(norm) && epsilon > 1) {
            throw usage("--eps must be at most 1 in linf (inputs lie in [0,1]), got " + eps);
        }
        EvaluationConfig.Builder builder = EvaluationConfig.builder().setDataset(dataset).setEpsilon(epsilon)
                .optNorm(norm).optSuite(attacks.suite).optAttacks(attacks.ids).optSeed(seed).optBatchSize(batchSize);
        if (stepSize != null) {
            builder.optStepSize(number("--step-size", stepSize));
        }
        return builder;
    }

    private double defaultRadius() {
        Double radius = ("linf".equals(norm) ? LINF_RADIUS : L2_RADIUS).get(dataset);
        if (radius == null) {
            throw usage("--eps is required with --norm " + norm + " on " + dataset + ": there is no standard radius "
                    + "for it; give one, e.g. --eps 0.5");
        }
        return radius;
    }

    /** A positive number, written as a decimal or a fraction {@code p/q}. */
    private double number(String flag, String text) {
        double value;
        try {
            String[] parts = text.trim().split("/", -1);
            value = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                    : parts.length == 1 ? Double.parseDouble(parts[0]) : Double.NaN;
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw usage(flag + " must be a positive number or fraction (e.g. 0.1 or 8/255), got '" + text + "'");
        }
        return value;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("robustlab evaluate: " + message);
        err.flush();
        return 1;
    }
}
