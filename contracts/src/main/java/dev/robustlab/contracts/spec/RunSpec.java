package dev.robustlab.contracts.spec;

/**
 * A run request as the gateway takes it in JSON. Every part but {@code dataset.name} may be left out and gets
 * the default of {@link #withDefaults()}; the defaults reproduce the PIAT paper's toy study (SGD, momentum 0.9,
 * lr 0.5, PGD-10 adversarial training). Some defaults depend on the dataset: the split sizes, ε and α of the threat
 * model, the model's input normalisation, the augmentation, and the learning rate and weight decay.
 *
 * @param name          a free label shown in listings
 * @param dataset       the data
 * @param model         the classifier
 * @param training      method, its hyper-parameters, PIAT, weight perturbation, augmentation
 * @param epochs        number of epochs
 * @param batchSize     training batch size
 * @param optimizer     SGD settings
 * @param lrSchedule    learning-rate schedule
 * @param threatModel   the adversary
 * @param evaluation    the evaluation plan
 * @param seed          seed of initialisation, shuffling and attack random starts
 */
public record RunSpec(String name, DatasetSpec dataset, ModelSpec model, TrainingSpec training, Integer epochs,
                      Integer batchSize, OptimizerSpec optimizer, LearningRateSchedule lrSchedule,
                      ThreatModel threatModel, EvaluationPlan evaluation, Long seed) {

    /** This spec with every missing value replaced by its default; validate the result. */
    public RunSpec withDefaults() {
        DatasetSpec d = (dataset == null ? new DatasetSpec(null, null, null, null) : dataset).withDefaults();
        ThreatModel t = (threatModel == null ? new ThreatModel(null, null, null, null) : threatModel)
                .withDefaults(d.name());
        EvaluationPlan e = (evaluation == null ? new EvaluationPlan(null, null, null, null, null, null) : evaluation)
                .withDefaults(d.testSize(), t.epsilon());
        return new RunSpec(name == null ? "" : name, d,
                (model == null ? new ModelSpec(null, null) : model).withDefaults(d.name()),
                (training == null ? new TrainingSpec(null, null) : training).withDefaults(d.name()),
                epochs == null ? 20 : epochs,
                batchSize == null ? 128 : batchSize,
                (optimizer == null ? new OptimizerSpec(null, null, null, null) : optimizer).withDefaults(d.name()),
                (lrSchedule == null ? new LearningRateSchedule(null, null) : lrSchedule).withDefaults(),
                t, e, seed == null ? 0L : seed);
    }
}
