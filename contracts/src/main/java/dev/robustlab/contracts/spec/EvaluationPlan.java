package dev.robustlab.contracts.spec;

import java.util.List;
import java.util.Map;

/**
 * Which attacks measure which epochs, on how many test examples, cut into shards of how many.
 *
 * @param attacks   attack ids, from {@link #KNOWN_ATTACKS} (default {@code pgd-20}, {@code cw-inf}); clean accuracy
 *                  is measured by every job
 * @param epochs    the 1-based epochs to evaluate; empty or absent means every {@code every}-th epoch
 * @param every     evaluate every this many epochs when {@code epochs} is empty (the last epoch always is)
 * @param examples  how many test examples, from the first
 * @param shardSize examples per attack job
 * @param stepSize  step size of the evaluation attacks (default ε/4: the papers' 2/255 at ε = 8/255)
 */
public record EvaluationPlan(List<String> attacks, List<Integer> epochs, Integer every, Integer examples,
                             Integer shardSize, Double stepSize) {
    /** PGD, 20 steps of α on the cross-entropy, random start. */
    public static final String PGD_20 = "pgd-20";
    /** PGD, 20 steps of α on the CW margin loss, random start. */
    public static final String CW_INF = "cw-inf";
    /** FGSM: one step of size ε on the cross-entropy. */
    public static final String FGSM = "fgsm";
    /** I-FGSM (BIM): 20 steps of α on the cross-entropy, no random start. */
    public static final String I_FGSM = "i-fgsm";
    /** MI-FGSM: 20 steps of α with momentum (decay 1) on the cross-entropy. */
    public static final String MI_FGSM = "mi-fgsm";
    /** APGD on the cross-entropy, 100 iterations (step size adapts itself; α is not used). */
    public static final String APGD_CE = "apgd-ce";
    /** APGD on the difference of logits ratio, 100 iterations; needs 3 classes. */
    public static final String APGD_DLR = "apgd-dlr";
    /** Targeted APGD on the targeted DLR, 9 targets (at most classes − 1), 100 iterations; needs 4 classes. */
    public static final String APGD_T = "apgd-t";
    /**
     * FAB-T, the targeted fast adaptive boundary attack (minimum norm), 9 targets (at most classes − 1), 100
     * iterations each; an example counts as broken when the adversarial it finds lies within ε.
     */
    public static final String FAB_T = "fab-t";
    /** Square Attack, score-based black box, 5000 queries. */
    public static final String SQUARE = "square";
    /**
     * CW-l2, Carlini and Wagner's l2 optimisation attack (9 binary-search steps over its constant, at most 1000 Adam
     * steps each); an example counts as broken when the adversarial it finds lies within ε. l2 only.
     */
    public static final String CW_L2 = "cw-l2";
    /** AutoAttack standard (APGD-CE, APGD-T, FAB-T, Square); components it cannot run are reported as skipped. */
    public static final String AUTOATTACK = "autoattack";
    /**
     * AutoAttack plus: APGD-CE and APGD-DLR with 5 restarts each, FAB with 5 restarts, Square, APGD-T and FAB-T; the
     * stronger, slower version for results that must hold against more than the standard suite.
     */
    public static final String AUTOATTACK_PLUS = "autoattack-plus";
    /** Every evaluation attack id, in the order results are shown. */
    public static final List<String> KNOWN_ATTACKS = List.of(PGD_20, CW_INF, FGSM, I_FGSM, MI_FGSM, APGD_CE,
            APGD_DLR, APGD_T, FAB_T, SQUARE, CW_L2, AUTOATTACK, AUTOATTACK_PLUS);
    /** The attacks that need more than 2 classes: DLR reads the third-largest logit, targeted DLR the fourth. */
    private static final Map<String, Integer> MIN_CLASSES = Map.of(APGD_DLR, 3, APGD_T, 4);
    private static final String L2 = "l2";
    /**
     * The attacks that exist in one norm only: the sign-gradient ones and CW∞ (PGD on the CW margin, as the papers
     * evaluate it) are l∞ attacks, CW-l2 is an l2 one. The others run in l∞ and l2.
     */
    private static final Map<String, String> ONLY_NORM = Map.of(CW_INF, ThreatModel.LINF, FGSM, ThreatModel.LINF,
            I_FGSM, ThreatModel.LINF, MI_FGSM, ThreatModel.LINF, CW_L2, L2);

    /** The fewest classes the model must have for attack {@code id} (2 for most). */
    public static int minClasses(String id) {
        return MIN_CLASSES.getOrDefault(id, 2);
    }

    /**
     * The norms attack {@code id} runs in, of {@code linf} and {@code l2}: {@code linf} only for {@code cw-inf},
     * {@code fgsm}, {@code i-fgsm} and {@code mi-fgsm}, {@code l2} only for {@code cw-l2}, both for the others.
     */
    public static List<String> norms(String id) {
        String only = ONLY_NORM.get(id);
        return only == null ? List.of(ThreatModel.LINF, L2) : List.of(only);
    }

    EvaluationPlan withDefaults(int testSize, double epsilon) {
        return new EvaluationPlan(attacks == null ? List.of(PGD_20, CW_INF) : attacks,
                epochs == null ? List.of() : epochs, every == null ? 1 : every,
                examples == null ? testSize : examples, shardSize == null ? 250 : shardSize,
                stepSize == null ? epsilon / 4 : stepSize);
    }

    /** Whether epoch {@code epoch} (1-based) of a run of {@code totalEpochs} is evaluated. */
    public boolean covers(int epoch, int totalEpochs) {
        if (!epochs.isEmpty()) {
            return epochs.contains(epoch);
        }
        return epoch == totalEpochs || epoch % every == 0;
    }

    /** Number of attack jobs per attack and epoch. */
    public int shardCount() {
        return (examples + shardSize - 1) / shardSize;
    }
}
