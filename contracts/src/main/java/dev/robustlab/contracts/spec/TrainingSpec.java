package dev.robustlab.contracts.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train: the method and its hyper-parameters, and what wraps or feeds it.
 *
 * @param method             training method id, one of {@link TrainingMethods#IDS} (default {@code pgd-at})
 * @param piat               parameter interpolation around the method
 * @param parameters         the method's hyper-parameters by name ({@link TrainingMethods#defaults}); those left out
 *                           (or null) take their defaults, a name the method does not take is refused
 * @param weightPerturbation AWP or RWP around the method (default none)
 * @param augmentation       augmentation of the training images
 */
public record TrainingSpec(String method, PiatSpec piat, Map<String, Double> parameters,
                           WeightPerturbationSpec weightPerturbation, AugmentationSpec augmentation) {
    public static final String PGD_AT = "pgd-at";
    public static final String STANDARD = "standard";

    /** A method and PIAT, everything else left to the defaults. */
    public TrainingSpec(String method, PiatSpec piat) {
        this(method, piat, null, null, null);
    }

    TrainingSpec withDefaults(String dataset) {
        String m = method == null ? PGD_AT : method;
        Map<String, Double> given = new LinkedHashMap<>();
        if (parameters != null) {
            // null means default for a parameter the method takes; an unknown name stays, for the validator to name
            parameters.forEach((name, value) -> {
                if (value != null || !TrainingMethods.isKnown(m) || !TrainingMethods.defaults(m).containsKey(name)) {
                    given.put(name, value);
                }
            });
        }
        return new TrainingSpec(m,
                (piat == null ? new PiatSpec(null, null, null, null) : piat).withDefaults(),
                TrainingMethods.isKnown(m) ? TrainingMethods.withDefaults(m, given)
                        : java.util.Collections.unmodifiableMap(given),
                (weightPerturbation == null ? new WeightPerturbationSpec(null, null, null, null) : weightPerturbation)
                        .withDefaults(),
                (augmentation == null ? new AugmentationSpec(null, null, null) : augmentation).withDefaults(dataset));
    }
}
