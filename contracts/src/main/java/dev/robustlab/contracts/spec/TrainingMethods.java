package dev.robustlab.contracts.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training methods a run may name ({@link TrainingSpec#method()}) and, for each, its hyper-parameters by name
 * with their defaults (../shared/METHODS.md). The trainer builds the objective from these names; the validator
 * refuses a name the method does not take. PIAT and weight perturbation (AWP/RWP) wrap any method and are
 * configured apart.
 *
 * <table>
 * <caption>methods and their parameters</caption>
 * <tr><th>id</th><th>parameters (default)</th></tr>
 * <tr><td>standard</td><td>none</td></tr>
 * <tr><td>pgd-at</td><td>none (the threat model sets PGD's ε, α, steps)</td></tr>
 * <tr><td>alp</td><td>lambda (0.5)</td></tr>
 * <tr><td>trades, mart</td><td>beta (6)</td></tr>
 * <tr><td>mail-at</td><td>bias (−1.5), slope (1)</td></tr>
 * <tr><td>mail-trades, mail-mart</td><td>beta (6), bias (−1.5), slope (1)</td></tr>
 * <tr><td>nmse</td><td>mu (4), ce_on_clean (0; 1 puts the CE on the clean logits)</td></tr>
 * <tr><td>st, st-js, st-l2</td><td>beta (6); the regulariser is symmetric KL, JS or squared l2</td></tr>
 * <tr><td>cfa</td><td>beta (6), lambda1 (0.5), lambda2 (0.5), decay (0.88), start_epoch (10),
 *     threshold (0.2)</td></tr>
 * </table>
 */
public final class TrainingMethods {
    public static final String STANDARD = TrainingSpec.STANDARD;
    public static final String PGD_AT = TrainingSpec.PGD_AT;
    public static final String ALP = "alp";
    public static final String TRADES = "trades";
    public static final String MART = "mart";
    public static final String MAIL_AT = "mail-at";
    public static final String MAIL_TRADES = "mail-trades";
    public static final String MAIL_MART = "mail-mart";
    public static final String NMSE = "nmse";
    /** Squeeze Training with the symmetric KL regulariser (the authors' released code). */
    public static final String ST = "st";
    /** Squeeze Training with the Jensen-Shannon regulariser. */
    public static final String ST_JS = "st-js";
    /** Squeeze Training with the squared l2 distance between the two points' softmax outputs. */
    public static final String ST_L2 = "st-l2";
    public static final String CFA = "cfa";

    private static final Map<String, Map<String, Double>> PARAMETERS = build();

    /** Every method id, in the order they are listed to users. */
    public static final List<String> IDS = List.copyOf(PARAMETERS.keySet());

    private TrainingMethods() {
    }

    /** Whether {@code method} is a known id. */
    public static boolean isKnown(String method) {
        return method != null && PARAMETERS.containsKey(method);
    }

    /**
     * The parameters {@code method} takes, name → default, in a stable order.
     *
     * @throws IllegalArgumentException if the method is unknown
     */
    public static Map<String, Double> defaults(String method) {
        Map<String, Double> defaults = PARAMETERS.get(method);
        if (defaults == null) {
            throw new IllegalArgumentException("unknown training method '" + method + "'; known: " + IDS);
        }
        return defaults;
    }

    /**
     * {@code given} over the method's defaults: every parameter the method takes, with the given value where there
     * is one. Names the method does not take are left for the validator to report, not dropped silently.
     */
    public static Map<String, Double> withDefaults(String method, Map<String, Double> given) {
        Map<String, Double> merged = new LinkedHashMap<>(defaults(method));
        if (given != null) {
            merged.putAll(given);
        }
        return java.util.Collections.unmodifiableMap(merged);
    }

    private static Map<String, Map<String, Double>> build() {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        m.put(STANDARD, Map.of());
        m.put(PGD_AT, Map.of());
        m.put(ALP, ordered("lambda", 0.5));
        m.put(TRADES, ordered("beta", 6.0));
        m.put(MART, ordered("beta", 6.0));
        m.put(MAIL_AT, ordered("bias", -1.5, "slope", 1.0));
        m.put(MAIL_TRADES, ordered("beta", 6.0, "bias", -1.5, "slope", 1.0));
        m.put(MAIL_MART, ordered("beta", 6.0, "bias", -1.5, "slope", 1.0));
        m.put(NMSE, ordered("mu", 4.0, "ce_on_clean", 0.0));
        m.put(ST, ordered("beta", 6.0));
        m.put(ST_JS, ordered("beta", 6.0));
        m.put(ST_L2, ordered("beta", 6.0));
        m.put(CFA, ordered("beta", 6.0, "lambda1", 0.5, "lambda2", 0.5, "decay", 0.88, "start_epoch", 10.0,
                "threshold", 0.2));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Double> ordered(Object... nameValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Double) nameValue[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
