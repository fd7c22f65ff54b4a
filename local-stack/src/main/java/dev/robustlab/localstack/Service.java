package dev.robustlab.localstack;

import java.util.List;
import java.util.Map;

/** One running component of the {@link LocalStack}. */
interface Service extends AutoCloseable {

    LocalStack.Component component();

    /** Where it listens, for progress lines ({@code 127.0.0.1:9092}, {@code http://127.0.0.1:9000}). */
    String address();

    /** How a client reaches it, as Quarkus configuration keys (docs/CONVENTIONS.md). */
    Map<String, String> config();

    /** Every process it runs, for callers that check nothing outlives the stack. */
    List<ProcessHandle> processHandles();

    /** Stops its processes; never throws. */
    @Override
    void close();
}
