package dev.robustlab.cli.reproduce;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.engine.MlEngine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code robustlab reproduce toy}: the PIAT paper's toy study (section III-A, Fig. 3) on this machine. Trains PGD-AT,
 * ALP, NMSE, PIAT (PGD-AT inside PIAT) and PIAT+NMSE on toy-circles with a one-hidden-layer MLP, SGD with momentum
 * 0.9 and lr 0.5, PGD-10 adversarial training, all from the same seed (same initial weights, batch order and
 * attack draws), and measures every epoch's robust accuracy (PGD-20) and clean accuracy on the test split.
 */
@Command(name = "toy", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Reproduces the PIAT paper's toy study (section III-A, Fig. 3) on this machine.",
        description = {
            "Trains PGD-AT, ALP, NMSE, PIAT (PGD-AT with parameter interpolation) and PIAT+NMSE on toy-circles (two "
                    + "concentric circles in 3-D, 2000 training and 1000 test examples) with a one-hidden-layer MLP "
                    + "(64 ReLU units), SGD with momentum 0.9 and a constant lr 0.5, batches of 128, PGD-10 "
                    + "adversarial training at l∞ ε (α = ε/4), every arm from the same seed. After every epoch it "
                    + "measures the checkpoint (after PIAT's interpolation) on the test split: clean accuracy and "
                    + "robust accuracy under PGD-20 (α = ε/4, the same random starts every epoch).",
            "",
            "Prints on stdout the robust and the clean accuracy per epoch, the oscillation of the robust accuracy "
                    + "(Δ = change from one epoch to the next: its standard deviation, mean |Δ| and largest drop over "
                    + "the second half of training, and the largest drop over all epochs) and the Best / Final / Diff "
                    + "table (best epoch chosen by PGD-20). Progress goes to stderr. Runs in this process; no cluster "
                    + "is needed. The default run takes about 40 seconds on 2 cores.",
            ""},
        footer = {"", "Exit status: 0 done; 1 the study could not run (the message says why); 2 a bad flag.",
            "", "Example: robustlab reproduce toy --epochs 50 --seed 1 --json toy.json"})
public final class ToyStudyCommand implements Callable<Integer> {
    /** The arms of the study, in the order the paper's Fig. 3 compares them. */
    static final List<StudyMethod> METHODS = List.of(
            new StudyMethod("pgd-at", "PGD-AT", TrainingMethods.PGD_AT, false),
            new StudyMethod("alp", "ALP", TrainingMethods.ALP, false),
            new StudyMethod("nmse", "NMSE", TrainingMethods.NMSE, false),
            new StudyMethod("piat", "PIAT", TrainingMethods.PGD_AT, true),
            new StudyMethod("piat-nmse", "PIAT+NMSE", TrainingMethods.NMSE, true));
    private static final String SELECTION = "pgd-20";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "50",
            description = "Epochs per method (default: ${DEFAULT-VALUE}, the paper's).")
    int epochs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initial weights, batch order and attack draws, the same for every method; the "
                    + "data are always the same (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--methods", paramLabel = "ID", split = ",", defaultValue = "pgd-at,alp,nmse,piat,piat-nmse",
            description = "Which arms to train, comma-separated, in this order: pgd-at, alp (λ 0.5), nmse (μ 4), "
                    + "piat, piat-nmse (default: all five).")
    List<String> methods;

    @Option(names = "--eps", paramLabel = "E", defaultValue = "0.1",
            description = "l∞ radius ε of training and evaluation; α = ε/4 (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.5",
            description = "SGD learning rate, constant (default: ${DEFAULT-VALUE}, the paper's).")
    double lr;

    @Option(names = "--json", paramLabel = "OUT",
            description = "Also write everything as JSON: configuration, and per method its epochs (training loss "
                    + "and accuracy, PIAT's α, clean and pgd-20 accuracy, times), the per-epoch series, the "
                    + "oscillation, best, final and diff (accuracies as fractions).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        StudyCommands.checkTraining(spec, epochs, eps, lr);
        List<StudyMethod> arms = StudyCommands.arms(spec, METHODS, methods);
        RunSpec base = base();
        long started = System.nanoTime();
        List<MethodResult> results = new ArrayList<>();
        try (NDManager manager = MlEngine.newBaseManager()) {
            EpochEvaluator evaluator = new EpochEvaluator(Datasets.testSplit(base.dataset()),
                    base.threatModel().norm(), base.threatModel().epsilon(), base.evaluation().stepSize(), seed);
            Study study = Study.builder().setEvaluator(evaluator).setAttacks(List.of(SELECTION))
                    .optSelectedBy(SELECTION).optProgress(new StderrProgress(err, "toy")).build();
            for (StudyMethod arm : arms) {
                results.add(study.run(arm, base, manager));
            }
        } catch (IllegalArgumentException e) {
            return StudyCommands.fail(spec, "toy", e.getMessage());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return StudyCommands.report(spec, "toy", text(base, results, seconds), json,
                () -> StudyReport.json("toy", configuration(base), results, seconds));
    }

    /** The study's run without its training part: the RunSpec defaults are the paper's toy setting. */
    RunSpec base() {
        return new RunSpec("toy", new DatasetSpec(DatasetSpec.TOY_CIRCLES, null, null, null),
                new ModelSpec(ModelSpec.MLP, null), null, epochs, null, new OptimizerSpec(null, lr, null, null),
                null, new ThreatModel(null, eps, null, null), null, seed).withDefaults();
    }

    private static String text(RunSpec base, List<MethodResult> results, double seconds) {
        RunSpec first = results.get(0).spec();
        int half = results.get(0).oscillation().fromEpoch();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "PIAT toy study (section III-A): %s %d/%d (data seed %d), %s, SGD lr %s "
                        + "momentum %s, batches of %d, %d epochs, PGD-%d training at l∞ ε = %s (α = %s), seed %d; "
                        + "robust accuracy = PGD-20 (α = %s) on the %d test examples%n%n",
                base.dataset().name(), base.dataset().trainSize(), base.dataset().testSize(), base.dataset().seed(),
                first.model().describe(), number(base.optimizer().learningRate()),
                number(base.optimizer().momentum()), base.batchSize(), base.epochs(), base.threatModel().steps(),
                number(base.threatModel().epsilon()), number(base.threatModel().stepSize()), base.seed(),
                number(base.evaluation().stepSize()), base.dataset().testSize()));
        out.append("Robust accuracy (PGD-20, %) per epoch\n").append(StudyReport.perEpoch(results, SELECTION));
        out.append("\nClean accuracy (%) per epoch\n").append(StudyReport.perEpoch(results, EpochRecord.CLEAN));
        out.append(String.format(Locale.ROOT, "%nOscillation of the robust accuracy (percentage points; Δ = change "
                + "from the previous epoch; std, mean |Δ| and largest drop over the second half, epochs %d-%d; the "
                + "last two columns over all epochs)%n", half, base.epochs()));
        out.append(StudyReport.oscillation(results));
        out.append("\nBest / Final / Diff (%; best epoch chosen by PGD-20, final = last epoch, diff = best − final)\n");
        out.append(StudyReport.bestFinalDiff(results, List.of(SELECTION)));
        out.append(String.format(Locale.ROOT, "%n%d methods × %d epochs in %.1f s%n", results.size(), base.epochs(),
                seconds));
        return out.toString();
    }

    private static ObjectNode configuration(RunSpec base) {
        ObjectNode c = StudyCommands.configuration(base);
        c.put("test_size", base.dataset().testSize());
        c.put("data_seed", base.dataset().seed());
        c.put("evaluation", SELECTION);
        c.put("test_examples", base.dataset().testSize());
        PiatSpec piat = base.training().piat();
        ObjectNode schedule = c.putObject("piat");
        schedule.put("a", piat.a());
        schedule.put("b", piat.b());
        schedule.put("alpha_max", piat.alphaMax());
        return c;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

}
