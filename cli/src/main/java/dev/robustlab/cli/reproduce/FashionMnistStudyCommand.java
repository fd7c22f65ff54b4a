package dev.robustlab.cli.reproduce;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.engine.MlEngine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code robustlab reproduce fashion-mnist}: the Best / Final / Diff table of the papers on Fashion-MNIST, small
 * enough for a CPU. Trains the small CNN with PGD-AT, TRADES, PIAT+NMSE and ST at l∞ ε = 0.1 for a few epochs on
 * (a subset of) the training split, measures every epoch (clean, PGD-20, CW∞) on the first test examples and
 * AutoAttack on the best and final epochs.
 */
@Command(name = "fashion-mnist", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Trains the small CNN on Fashion-MNIST with PGD-AT, TRADES, PIAT+NMSE and ST; prints Best / Final / "
                + "Diff.",
        description = {
            "Trains the small CNN (two 3×3 conv + max-pool stages, 16 and 32 filters, linear 100, linear 10) on the "
                    + "first --train-size examples of Fashion-MNIST's training split with PGD-AT, TRADES (β 6), "
                    + "PIAT+NMSE (μ 4, PIAT a = 1, b = 10, α_max = 0.99) and ST (symmetric KL, β 6), PGD-10 at l∞ "
                    + "--eps (α = ε/4), SGD with momentum 0.9 and a constant --lr, every method from the same seed. "
                    + "After every epoch it measures the checkpoint on the first --limit test examples: clean, "
                    + "PGD-20 and CW∞ (PGD-20 on the CW margin), α = ε/4. The best epoch is the one with the highest "
                    + "PGD-20 accuracy; AutoAttack standard (APGD-CE, APGD-T, FAB-T, Square) then runs on the best "
                    + "and the final checkpoints, on the same examples.",
            "",
            "Prints on stdout each method's epochs and the Best / Final / Diff table; progress on stderr. Runs in "
                    + "this process; no cluster is needed. The default run takes about 18 minutes on 2 cores, 40 % "
                    + "of it AutoAttack.",
            ""},
        footer = {"", "Exit status: 0 done; 1 the study could not run (missing dataset files; the message says why); "
                + "2 a bad flag.",
            "", "Example: robustlab reproduce fashion-mnist --epochs 3 --train-size 5000 --limit 200 --json fm.json"})
public final class FashionMnistStudyCommand implements Callable<Integer> {
    /** The arms of the study, in the order the tables show them. */
    static final List<StudyMethod> METHODS = List.of(
            new StudyMethod("pgd-at", "PGD-AT", TrainingMethods.PGD_AT, false),
            new StudyMethod("trades", "TRADES", TrainingMethods.TRADES, false),
            new StudyMethod("piat-nmse", "PIAT+NMSE", TrainingMethods.NMSE, true),
            new StudyMethod("st", "ST", TrainingMethods.ST, false));
    private static final List<String> PER_EPOCH = List.of(EvaluationPlan.PGD_20, EvaluationPlan.CW_INF);
    private static final List<String> BEST_AND_FINAL = List.of(EvaluationPlan.AUTOATTACK);
    private static final int TRAIN_EXAMPLES = 60_000;
    private static final int TEST_EXAMPLES = 10_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "5",
            description = "Epochs per method (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-size", paramLabel = "N", defaultValue = "10000",
            description = "Train on the first N of the 60000 training images (default: ${DEFAULT-VALUE}; 60000 for "
                    + "the whole split, about 6 times slower).")
    int trainSize;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
            description = "Measure on the first N of the 10000 test images, every attack (default: "
                    + "${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--methods", paramLabel = "ID", split = ",", defaultValue = "pgd-at,trades,piat-nmse,st",
            description = "Which methods to train, comma-separated, in this order: pgd-at, trades, piat-nmse, st "
                    + "(default: all four).")
    List<String> methods;

    @Option(names = "--no-autoattack", negatable = false,
            description = "Skip AutoAttack on the best and final epochs (the table then has clean, PGD-20 and CW∞).")
    boolean noAutoAttack;

    @Option(names = "--eps", paramLabel = "E", defaultValue = "0.1",
            description = "l∞ radius ε of training and evaluation; α = ε/4 (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.05",
            description = "SGD learning rate, constant; momentum 0.9 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128",
            description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights, batch order and attack draws, the same for every method "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where image datasets live, one directory per dataset (DIR/fashion-mnist/ with the IDX "
                    + "files, gzipped or not), as the services' robustlab.data-dir (default: Debian's "
                    + "/usr/share/datasets/fashion-mnist, package dataset-fashion-mnist).")
    Path dataDir;

    @Option(names = "--json", paramLabel = "OUT",
            description = "Also write everything as JSON: configuration, and per method its epochs (training loss "
                    + "and accuracy, PIAT's α, clean, pgd-20 and cw-inf accuracy, times), the per-epoch series, the "
                    + "oscillation of PGD-20, best, final (with autoattack) and diff (accuracies as fractions).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<StudyMethod> arms = arms();
        RunSpec base = base();
        List<String> later = noAutoAttack ? List.of() : BEST_AND_FINAL;
        long started = System.nanoTime();
        List<MethodResult> results = new ArrayList<>();
        try (NDManager manager = MlEngine.newBaseManager()) {
            EpochEvaluator evaluator = new EpochEvaluator(Datasets.testShard(base.dataset(), dataDir, 0, limit),
                    base.threatModel().norm(), base.threatModel().epsilon(), base.evaluation().stepSize(), seed);
            Study study = Study.builder().setEvaluator(evaluator).setAttacks(PER_EPOCH)
                    .optBestAndFinalAttacks(later).optSelectedBy(EvaluationPlan.PGD_20).optDataRoot(dataDir)
                    .optProgress(new StderrProgress(err, "fashion-mnist")).build();
            for (StudyMethod arm : arms) {
                results.add(study.run(arm, base, manager));
            }
        } catch (IllegalArgumentException e) {
            return StudyCommands.fail(spec, "fashion-mnist", e.getMessage());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> columns = new ArrayList<>(PER_EPOCH);
        columns.addAll(later);
        return StudyCommands.report(spec, "fashion-mnist", text(base, results, columns, seconds), json,
                () -> StudyReport.json("fashion-mnist", configuration(base, later), results, seconds));
    }

    private List<StudyMethod> arms() {
        StudyCommands.checkTraining(spec, epochs, eps, lr);
        if (trainSize < 1 || trainSize > TRAIN_EXAMPLES) {
            throw usage("--train-size must be between 1 and " + TRAIN_EXAMPLES + " (the training split), got "
                    + trainSize);
        }
        if (limit < 1 || limit > TEST_EXAMPLES) {
            throw usage("--limit must be between 1 and " + TEST_EXAMPLES + " (the test split), got " + limit);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1, got " + batchSize);
        }
        if (dataDir != null && !Files.isDirectory(dataDir.resolve(DatasetSpec.FASHION_MNIST))) {
            throw usage("--data-dir " + dataDir + ": no directory " + dataDir.resolve(DatasetSpec.FASHION_MNIST)
                    + "; DIR must hold fashion-mnist/ with the IDX files (train-images-idx3-ubyte.gz, ...)");
        }
        return StudyCommands.arms(spec, METHODS, methods);
    }

    /** The study's run without its training part. */
    RunSpec base() {
        return new RunSpec("fashion-mnist", new DatasetSpec(DatasetSpec.FASHION_MNIST, trainSize, limit, null),
                new ModelSpec(ModelSpec.SMALL_CNN, null), null, epochs, batchSize,
                new OptimizerSpec(null, lr, null, 0.0), null, new ThreatModel(null, eps, null, null), null, seed)
                .withDefaults();
    }

    private String text(RunSpec base, List<MethodResult> results, List<String> columns, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Fashion-MNIST: %s on the first %d training images, SGD lr %s momentum "
                        + "%s, batches of %d, %d epochs, PGD-%d training at l∞ ε = %s (α = %s), seed %d; measured on "
                        + "the first %d test images (PGD-20 and CW∞ with α = %s every epoch%s)%n",
                results.get(0).spec().model().describe(), base.dataset().trainSize(),
                base.optimizer().learningRate(), base.optimizer().momentum(), base.batchSize(), base.epochs(),
                base.threatModel().steps(), base.threatModel().epsilon(), base.threatModel().stepSize(),
                base.seed(), limit, base.evaluation().stepSize(),
                noAutoAttack ? "" : "; AutoAttack standard on the best and final epochs"));
        for (MethodResult result : results) {
            out.append(String.format(Locale.ROOT, "%n%s (%s%s), %%:%n", result.method().label(),
                    result.method().method(), result.method().piat() ? " inside PIAT" : ""));
            out.append(StudyReport.epochsOf(result));
        }
        out.append("\nBest / Final / Diff (%; best epoch chosen by PGD-20, final = last epoch, diff = best − final)\n");
        out.append(StudyReport.bestFinalDiff(results, columns));
        out.append(String.format(Locale.ROOT, "%n%d methods × %d epochs in %.1f s%n", results.size(), base.epochs(),
                seconds));
        return out.toString();
    }

    private ObjectNode configuration(RunSpec base, List<String> later) {
        ObjectNode c = StudyCommands.configuration(base);
        c.put("data_dir", dataDir == null ? null : dataDir.toString());
        c.set("per_epoch_attacks", EventJson.mapper().valueToTree(PER_EPOCH));
        c.set("best_and_final_attacks", EventJson.mapper().valueToTree(later));
        c.put("test_examples", limit);
        return c;
    }

    private ParameterException usage(String message) {
        return StudyCommands.usage(spec, message);
    }
}
