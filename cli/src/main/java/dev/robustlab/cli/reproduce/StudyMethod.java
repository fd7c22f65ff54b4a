package dev.robustlab.cli.reproduce;

import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One arm of a study: a training method, with or without PIAT, each hyper-parameter at its default
 * (../shared/METHODS.md).
 *
 * @param id     the command line's name for it, e.g. {@code piat-nmse}
 * @param label  how tables show it, e.g. {@code PIAT+NMSE}
 * @param method training method id ({@link dev.robustlab.contracts.spec.TrainingMethods})
 * @param piat   whether PIAT interpolates the parameters after every epoch (default schedule a = 1, b = 10,
 *               α_max = 0.99)
 */
public record StudyMethod(String id, String label, String method, boolean piat) {

    /**
     * The run of this arm: {@code base} (everything but the training part) with this method and PIAT, named after
     * the label, with every default filled in.
     */
    public RunSpec spec(RunSpec base) {
        return new RunSpec(label, base.dataset(), base.model(),
                new TrainingSpec(method, new PiatSpec(piat, null, null, null)), base.epochs(), base.batchSize(),
                base.optimizer(), base.lrSchedule(), base.threatModel(), base.evaluation(), base.seed())
                .withDefaults();
    }

    /**
     * The arms of {@code known} named by {@code ids}, in the order of {@code ids}.
     *
     * @throws IllegalArgumentException on an empty list, an unknown id (naming the known ones) or an id given twice
     */
    public static List<StudyMethod> select(List<StudyMethod> known, List<String> ids) {
        List<String> names = known.stream().map(StudyMethod::id).toList();
        if (ids == null || ids.isEmpty() || ids.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw new IllegalArgumentException("give method ids separated by commas, from " + String.join(", ", names));
        }
        List<StudyMethod> chosen = new ArrayList<>();
        for (String id : ids) {
            int index = names.indexOf(id);
            if (index < 0) {
                throw new IllegalArgumentException("unknown method '" + id + "'; known: " + String.join(", ", names));
            }
            if (chosen.contains(known.get(index))) {
                throw new IllegalArgumentException(id + " is listed twice");
            }
            chosen.add(known.get(index));
        }
        return List.copyOf(chosen);
    }
}
