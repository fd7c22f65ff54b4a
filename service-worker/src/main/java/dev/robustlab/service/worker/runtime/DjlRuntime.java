package dev.robustlab.service.worker.runtime;

/**
 * Process-wide DJL settings that must be in place before the PyTorch engine loads. The launcher passes them
 * already ({@code -Dai.djl.offline=true}, {@code OPT_OUT_TRACKING=true}); this sets them defensively when it did
 * not, since without offline mode the engine start contacts a cloud metadata address.
 */
public final class DjlRuntime {

    private DjlRuntime() {
    }

    /**
     * Sets {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} as system properties unless the process
     * says otherwise. DJL reads {@code DJL_OFFLINE} from the environment first, so an explicit environment value
     * still wins; {@code OPT_OUT_TRACKING} is read from the environment or, failing that, the system property.
     */
    public static void ensureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
