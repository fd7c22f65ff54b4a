package dev.robustlab.gateway.runs;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Where the gateway keeps its runs. */
public interface RunStore {

    /** Records a new run. */
    void insert(RunRecord run);

    /** The run, if known. */
    Optional<RunRecord> find(String id);

    /** The newest {@code limit} runs, newest first. */
    List<RunRecord> newest(int limit);

    /**
     * Reads the run, applies {@code change} and writes the result, atomically (concurrent updates of one run are
     * serialised). An empty result of {@code change} writes nothing.
     *
     * @return false when the run is unknown or nothing changed
     */
    boolean update(String id, Function<RunRecord, Optional<RunRecord>> change);
}
