package dev.robustlab.cli.reproduce;

/** Told what a study does while it runs: the commands print it on stderr. */
public interface StudyProgress {
    /** Does nothing. */
    StudyProgress NONE = new StudyProgress() {
        @Override
        public void epochDone(StudyMethod method, EpochRecord epoch, int epochs) {
        }

        @Override
        public void note(String line) {
        }
    };

    /** Epoch {@code epoch.epoch()} of {@code epochs} of {@code method} is trained and measured. */
    void epochDone(StudyMethod method, EpochRecord epoch, int epochs);

    /** Anything else worth a line, e.g. an attack on the best and final checkpoints starting. */
    void note(String line);
}
