package dev.robustlab.ml.attack.autoattack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.attack.Apgd;
import dev.robustlab.ml.attack.ApgdTargeted;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.AttackResult;
import dev.robustlab.ml.attack.Fab;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Square;
import dev.robustlab.ml.model.Classifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * AutoAttack, l∞ or l2 (Croce &amp; Hein, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", ICML 2020): a sequence of attacks, each run only on the points that are still
 * robust (classified correctly clean and by no earlier attack broken); an example is robust when none breaks it, the
 * per-example worst case. After each attack the model is evaluated on its output, and a point counts as broken only
 * if the model gets it wrong and it lies in B_ε(x) ∩ [0,1]^d: the attacks' own flags are not trusted.
 *
 * <p>Versions, as in fra31/auto-attack's {@code set_version}, with the attacks this library has:
 * <ul>
 * <li>{@code standard}: APGD-CE (N iterations, 1 restart), APGD-T (9 targets, N iterations), FAB-T (9 targets,
 *     100 iterations, 1 restart), Square (Q queries, p_init 0.8);</li>
 * <li>{@code plus}: APGD-CE (5 restarts), APGD-DLR (5 restarts), FAB (untargeted, 5 restarts), Square (Q queries),
 *     APGD-T (9 targets), FAB-T (9 targets, 1 restart);</li>
 * <li>{@code rand}, for randomised models: APGD-CE and APGD-DLR, 1 restart each, gradients averaged over 20 draws
 *     (EOT).</li>
 * </ul>
 FAB and FAB-T are {@link Fab} with AutoAttack's defaults (α_max 0.1, η 1.05, β 0.9), in the version's norm. A
 * component that needs more classes
 * than the model has (APGD-DLR 3, APGD-T 4) appears in the report's {@code skipped} lines and as a warning in the
 * log, e.g. "apgd-t needs at least 4 classes, the model has 2, skipped". A {@code custom} AutoAttack runs the
 * attacks given to {@link Builder#addAttack}.
 *
 * <p>Before the attacks the {@link SanityChecks} run on the batch (probabilities instead of logits, zero gradients,
 * a randomised model; the last is expected and not reported in {@code rand}), after them the check that Square did
 * not beat the white-box attacks. Findings are warnings in the report, never errors.
 *
 * <p>An interrupted run resumes from the {@link AutoAttackState} handed to the callback of {@link #resume} after
 * each component: the completed components are not run again, and the result equals an uninterrupted run's.
 *
 * <p>Randomness: component k draws from the k-th {@link SplittableRandom#split()} of the stream passed in (skipped
 * components included, so that adding one later does not reseed the others); the same seed gives the same flags on
 * a deterministic model. Because robustness is a per-example flag, AutoAttack on disjoint shards, merged, is
 * AutoAttack on the whole set.
 *
 * <p>Arguments and defaults: ε (required), norm (default l∞), version (default {@code standard}), iterations N of
 * APGD and FAB (default 100), Square queries Q (default 5000), Square tolerance α of the masking check (default
 * 0.002), sanity checks (default on). Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64,
 * adversarial examples like x. As an {@link Attack} its id is {@code autoattack-<version>} and success means "not robust".
 *
 * <pre>{@code
 * AutoAttack autoAttack = AutoAttack.builder().setEpsilon(8 / 255.0).build();
 * AutoAttack.Evaluation evaluation = autoAttack.evaluate(model, x, y, Seeds.stream(seed, "autoattack"));
 * evaluation.report().lines().forEach(System.out::println);
 * }</pre>
 */
public final class AutoAttack implements Attack {
    /** APGD-CE, APGD-T, FAB-T, Square. */
    public static final String STANDARD = "standard";
    /** APGD-CE and APGD-DLR with restarts, FAB, Square, APGD-T, FAB-T. */
    public static final String PLUS = "plus";
    /** APGD-CE and APGD-DLR with expectation over transformation, for randomised models. */
    public static final String RAND = "rand";
    /** The attacks given to {@link Builder#addAttack}. */
    public static final String CUSTOM = "custom";
    /** Versions {@link Builder#optVersion} knows. */
    public static final List<String> VERSIONS = List.of(STANDARD, PLUS, RAND, CUSTOM);

    private static final Logger LOG = LoggerFactory.getLogger(AutoAttack.class);
    private static final double BALL_TOLERANCE = 1e-5;

    private final String version;
    private final Norm norm;
    private final double epsilon;
    private final List<Component> components;
    private final boolean sanityChecks;
    private final double squareTolerance;

    /**
     * One entry of the sequence: an attack and the fewest classes it works with (DLR needs 3, targeted DLR 4), or
     * the id of one that is missing and why.
     */
    private record Component(String id, Attack attack, String skippedBecause, int minClasses) {

        static Component of(Attack attack) {
            int minClasses = attack instanceof ApgdTargeted ? 4 : attack.id().contains("dlr") ? 3 : 2;
            return new Component(attack.id(), attack, null, minClasses);
        }

        static Component missing(String id, String reason) {
            return new Component(id, null, reason, 0);
        }
    }

    private AutoAttack(Builder builder, List<Component> components) {
        this.version = builder.version;
        this.norm = builder.norm;
        this.epsilon = builder.epsilon;
        this.components = List.copyOf(components);
        this.sanityChecks = builder.sanityChecks;
        this.squareTolerance = builder.squareTolerance;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default, {@code add*} for lists. */
    public static Builder builder() {
        return new Builder();
    }

    /** The adversarial examples and the report of one run. */
    public record Evaluation(NDArray adversarial, AutoAttackReport report) {
    }

    @Override
    public String id() {
        return "autoattack-" + version;
    }

    /** The version. */
    public String version() {
        return version;
    }

    /** The ids of the components in order, skipped ones included. */
    public List<String> componentIds() {
        return components.stream().map(Component::id).toList();
    }

    /**
     * One line per component that will not run (those of {@link Builder#addSkipped}); at run time more may be skipped
     * for a model with too few classes.
     */
    public List<String> skipped() {
        return components.stream().filter(c -> c.attack() == null)
                .map(c -> c.id() + " " + c.skippedBecause() + ", skipped").toList();
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return evaluate(model, x, labels, random).adversarial();
    }

    @Override
    public AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        Evaluation evaluation = evaluate(model, x, labels, random);
        boolean[] robust = evaluation.report().robust();
        boolean[] success = new boolean[robust.length];
        for (int i = 0; i < robust.length; i++) {
            success[i] = !robust[i];
        }
        return new AttackResult(evaluation.adversarial(), success);
    }

    /**
     * Runs the sequence on a batch.
     *
     * @param model  the classifier, left as it was found
     * @param x      clean inputs {@code (B, ...)} FLOAT32 in [0,1]
     * @param labels labels {@code (B)} INT64
     * @param random the stream the components' streams are split from
     * @return the adversarial examples (x where no attack broke the example), in x's manager, and the report
     */
    public Evaluation evaluate(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return resume(model, x, labels, random, null, state -> { });
    }

    /**
     * Runs the sequence on a batch from a saved state on: the components {@code from} completed are not run again
     * (their streams are still split off, so a resumed run draws what an uninterrupted one would), and
     * {@code afterEach} receives the state after every component, for the caller to save.
     *
     * @param from      a state of this AutoAttack on the same batch, or null to start from the beginning
     * @param afterEach called after each component with a snapshot of the state
     * @throws IllegalArgumentException when {@code from} belongs to another version, component list or batch size
     */
    public Evaluation resume(Classifier model, NDArray x, NDArray labels, SplittableRandom random,
                             AutoAttackState from, Consumer<AutoAttackState> afterEach) {
        NDManager owner = x.getManager();
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int features = batch == 0 ? 0 : Math.toIntExact(shape.size() / batch);
        float[] clean = x.toFloatArray();
        long[] y = labels.toLongArray();
        AutoAttackState state = from == null ? start(model, x, labels, clean, y) : from.copy();
        if (!state.version().equals(version) || !state.components().equals(componentIds())
                || state.clean().length != batch) {
            throw new IllegalArgumentException("the state belongs to " + state.version() + " " + state.components()
                    + " on " + state.clean().length + " examples, not to " + version + " " + componentIds()
                    + " on " + batch);
        }
        boolean[] robust = state.robust();
        float[] adversarial = state.adversarial();
        List<AutoAttackReport.Step> steps = new ArrayList<>(state.steps());
        List<String> skipped = new ArrayList<>(state.skipped());
        List<String> warnings = new ArrayList<>(state.warnings());
        String squareId = null;
        for (int k = 0; k < components.size(); k++) {
            Component component = components.get(k);
            if (component.attack() instanceof Square || component.id().startsWith("square")) {
                squareId = component.id();
            }
            SplittableRandom stream = random.split();
            if (k < state.completed()) {
                continue;
            }
            String reason = component.attack() == null ? component.skippedBecause()
                    : state.classes() < component.minClasses() ? "needs at least " + component.minClasses()
                    + " classes, the model has " + state.classes() : null;
            if (reason != null) {
                String line = component.id() + " " + reason + ", skipped";
                LOG.warn("autoattack {}: {}", version, line);
                skipped.add(line);
                steps.add(new AutoAttackReport.Step(component.id(), true, 0, 0, count(robust)));
            } else {
                int[] rows = rows(robust);
                int broken = 0;
                if (rows.length > 0) {
                    float[] points = attack(component.attack(), model, owner, clean, y, rows, shape, stream);
                    boolean[] wrong = wrong(model, owner, points, y, rows, shape);
                    int outside = 0;
                    for (int q = 0; q < rows.length; q++) {
                        int i = rows[q];
                        if (!inside(clean, points, i * features, q * features, features)) {
                            outside++;
                        } else if (wrong[q]) {
                            robust[i] = false;
                            broken++;
                            System.arraycopy(points, q * features, adversarial, i * features, features);
                        }
                    }
                    if (outside > 0) {
                        warnings.add(component.id() + " returned " + outside + " points outside B_ε(x) ∩ [0,1]^d; "
                                + "they were not counted");
                    }
                }
                steps.add(new AutoAttackReport.Step(component.id(), false, rows.length, broken, count(robust)));
                LOG.info("autoattack {}: robust accuracy after {}: {} of {} ({} of {} attacked points broken)",
                        version, component.id(), count(robust), batch, broken, rows.length);
            }
            afterEach.accept(new AutoAttackState(version, componentIds(), k + 1, state.classes(), state.clean(),
                    robust, adversarial, steps, skipped, warnings).copy());
        }
        if (sanityChecks && squareId != null) {
            SanityChecks.squareBeatWhiteBox(steps, batch, squareId, squareTolerance).ifPresent(warnings::add);
        }
        for (String warning : warnings) {
            LOG.warn("autoattack {}: {}", version, warning);
        }
        AutoAttackReport report = new AutoAttackReport(version, batch, state.clean().clone(), List.copyOf(steps),
                robust.clone(), List.copyOf(skipped), List.copyOf(warnings));
        return new Evaluation(owner.create(adversarial, shape), report);
    }

    /** Clean predictions and the sanity checks that look at the model before any attack. */
    private AutoAttackState start(Classifier model, NDArray x, NDArray labels, float[] clean, long[] y) {
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        List<String> warnings = new ArrayList<>();
        boolean[] cleanCorrect = new boolean[0];
        int classes = 0;
        if (batch > 0) {
            float[] outputs = outputs(model, x.getManager(), clean, shape);
            classes = outputs.length / batch;
            cleanCorrect = correct(outputs, classes, y);
            if (sanityChecks) {
                SanityChecks.probabilities(outputs, classes).ifPresent(warnings::add);
                SanityChecks.zeroGradients(model, x, labels).ifPresent(warnings::add);
                if (!RAND.equals(version)) {
                    SanityChecks.randomised(outputs, outputs(model, x.getManager(), clean, shape), classes)
                            .ifPresent(warnings::add);
                }
            }
        }
        return new AutoAttackState(version, componentIds(), 0, classes, cleanCorrect, cleanCorrect.clone(),
                clean.clone(), List.of(), List.of(), warnings);
    }

    /** The attack's points for the rows {@code rows}, computed in a scope that closes with this call. */
    private static float[] attack(Attack attack, Classifier model, NDManager owner, float[] clean, long[] y,
                                  int[] rows, Shape shape, SplittableRandom stream) {
        int features = Math.toIntExact(shape.size() / shape.get(0));
        float[] xs = new float[rows.length * features];
        long[] ys = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(clean, rows[k] * features, xs, k * features, features);
            ys[k] = y[rows[k]];
        }
        try (NDManager scope = owner.newSubManager()) {
            NDArray input = scope.create(xs, subShape(shape, rows.length));
            NDArray labels = scope.create(ys);
            return attack.run(model, input, labels, stream).adversarial().toFloatArray();
        }
    }

    private static boolean[] wrong(Classifier model, NDManager owner, float[] points, long[] y, int[] rows,
                                   Shape shape) {
        float[] outputs = outputs(model, owner, points, subShape(shape, rows.length));
        long[] ys = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            ys[k] = y[rows[k]];
        }
        boolean[] correct = correct(outputs, outputs.length / rows.length, ys);
        boolean[] wrong = new boolean[rows.length];
        for (int k = 0; k < rows.length; k++) {
            wrong[k] = !correct[k];
        }
        return wrong;
    }

    private static float[] outputs(Classifier model, NDManager owner, float[] points, Shape shape) {
        try (NDManager scope = owner.newSubManager()) {
            return model.logits(scope.create(points, shape), false).toFloatArray();
        }
    }

    private static boolean[] correct(float[] outputs, int classes, long[] y) {
        boolean[] correct = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            int argMax = 0;
            for (int k = 1; k < classes; k++) {
                if (outputs[i * classes + k] > outputs[i * classes + argMax]) {
                    argMax = k;
                }
            }
            correct[i] = argMax == y[i];
        }
        return correct;
    }

    private boolean inside(float[] clean, float[] points, int from, int at, int features) {
        double size = 0;
        for (int j = 0; j < features; j++) {
            float v = points[at + j];
            if (!(v >= -BALL_TOLERANCE && v <= 1 + BALL_TOLERANCE)) {
                return false;
            }
            double d = Math.abs(v - clean[from + j]);
            size = norm == Norm.LINF ? Math.max(size, d) : size + d * d;
        }
        size = norm == Norm.LINF ? size : Math.sqrt(size);
        return size <= epsilon + BALL_TOLERANCE;
    }

    private static Shape subShape(Shape shape, int rows) {
        return new Shape(rows).addAll(shape.slice(1));
    }

    private static int[] rows(boolean[] robust) {
        return java.util.stream.IntStream.range(0, robust.length).filter(i -> robust[i]).toArray();
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    /** Builds an {@link AutoAttack}. */
    public static final class Builder {
        private String version = STANDARD;
        private Norm norm = Norm.LINF;
        private double epsilon = Double.NaN;
        private int iterations = 100;
        private int queries = 5000;
        private boolean sanityChecks = true;
        private double squareTolerance = SanityChecks.DEFAULT_SQUARE_TOLERANCE;
        private final List<Component> custom = new ArrayList<>();

        private Builder() {
        }

        /** Radius ε of the ball: in (0, 1] for l∞, positive for l2. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The norm of the ball (default l∞); the versions build their attacks in it. */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** {@code standard} (default), {@code plus}, {@code rand} or {@code custom}. */
        public Builder optVersion(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Iterations N per run of APGD and FAB (default 100), for quick evaluations. */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Square's queries Q (default 5000), for quick evaluations. */
        public Builder optQueries(int queries) {
            this.queries = queries;
            return this;
        }

        /** Whether to run the {@link SanityChecks} (default true). */
        public Builder optSanityChecks(boolean sanityChecks) {
            this.sanityChecks = sanityChecks;
            return this;
        }

        /** α of {@link SanityChecks#squareBeatWhiteBox} (default 0.002). */
        public Builder optSquareTolerance(double squareTolerance) {
            this.squareTolerance = squareTolerance;
            return this;
        }

        /**
         * Appends an attack to a {@code custom} AutoAttack (and makes the version {@code custom}). Its points are
         * checked against this AutoAttack's ε and norm (set them to the attack's): points outside the ball are not
         * counted, and the report warns about them.
         */
        public Builder addAttack(Attack attack) {
            custom.add(Component.of(attack));
            this.version = CUSTOM;
            return this;
        }

        /**
         * Appends a component that will not run to a {@code custom} AutoAttack, reported as
         * "{@code id} {@code reason}, skipped".
         */
        public Builder addSkipped(String id, String reason) {
            custom.add(Component.missing(Objects.requireNonNull(id, "id"), Objects.requireNonNull(reason, "reason")));
            this.version = CUSTOM;
            return this;
        }

        /**
         * @throws IllegalArgumentException on an unknown version, a bad ε (versions other than custom), N or Q
         *                                  &lt; 1, a custom version without attacks
         */
        public AutoAttack build() {
            if (!VERSIONS.contains(version)) {
                throw new IllegalArgumentException("unknown version '" + version + "'; known: " + VERSIONS);
            }
            if (CUSTOM.equals(version)) {
                if (custom.isEmpty()) {
                    throw new IllegalArgumentException("a custom AutoAttack needs at least one attack");
                }
                if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                    throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
                }
                return new AutoAttack(this, custom);
            }
            if (!custom.isEmpty()) {
                throw new IllegalArgumentException("attacks were added to version '" + version + "'");
            }
            return new AutoAttack(this, components());
        }

        private List<Component> components() {
            int restarts = PLUS.equals(version) ? 5 : 1;
            int eot = RAND.equals(version) ? 20 : 1;
            Apgd apgdCe = Apgd.builder().setEpsilon(epsilon).optNorm(norm).optSteps(iterations)
                    .optRestarts(restarts).optEot(eot).build();
            Apgd apgdDlr = Apgd.builder().setEpsilon(epsilon).optNorm(norm).optSteps(iterations).optDlr()
                    .optRestarts(restarts).optEot(eot).build();
            ApgdTargeted apgdT = ApgdTargeted.builder().setEpsilon(epsilon).optNorm(norm).optSteps(iterations)
                    .optTargets(9).build();
            Square square = Square.builder().setEpsilon(epsilon).optNorm(norm).optQueries(queries).build();
            Fab fab = Fab.builder().setEpsilon(epsilon).optNorm(norm).optSteps(iterations).optRestarts(restarts)
                    .build();
            Fab fabT = Fab.builder().setEpsilon(epsilon).optNorm(norm).optSteps(iterations).optTargeted(true)
                    .optTargets(9).build();
            return switch (version) {
                case STANDARD -> List.of(of(apgdCe), of(apgdT), of(fabT), of(square));
                case PLUS -> List.of(of(apgdCe), of(apgdDlr), of(fab), of(square), of(apgdT), of(fabT));
                case RAND -> List.of(of(apgdCe), of(apgdDlr));
                default -> throw new IllegalStateException(version);
            };
        }

        private static Component of(Attack attack) {
            return Component.of(attack);
        }
    }
}
