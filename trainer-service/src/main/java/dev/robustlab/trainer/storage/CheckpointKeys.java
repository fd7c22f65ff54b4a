package dev.robustlab.trainer.storage;

import java.util.regex.Pattern;

/**
 * Object keys of a run's checkpoints: {@code runs/<runId>/epoch-<NNN>/model.params} and {@code manifest.json}
 * beside it. Epochs are zero-padded to three digits so that a listing sorts them (up to epoch 999).
 */
public final class CheckpointKeys {
    public static final String PARAMETERS_FILE = "model.params";
    public static final String MANIFEST_FILE = "manifest.json";

    /** Run ids become key segments: no slashes, no dot-dot, nothing a shell or a URL would mangle. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private CheckpointKeys() {
    }

    /** {@code runs/<runId>/}: every object of the run lives under it. */
    public static String runPrefix(String runId) {
        requireValidRunId(runId);
        return "runs/" + runId + "/";
    }

    /** {@code runs/<runId>/epoch-<NNN>/}. */
    public static String epochPrefix(String runId, int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs are 1-based, got " + epoch);
        }
        return runPrefix(runId) + String.format("epoch-%03d/", epoch);
    }

    /** Key of the parameters of epoch {@code epoch} (1-based). */
    public static String parameters(String runId, int epoch) {
        return epochPrefix(runId, epoch) + PARAMETERS_FILE;
    }

    /** Key of the manifest of epoch {@code epoch} (1-based). */
    public static String manifest(String runId, int epoch) {
        return epochPrefix(runId, epoch) + MANIFEST_FILE;
    }

    /** Throws {@link IllegalArgumentException} unless {@code runId} is safe as a key segment. */
    public static void requireValidRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches() || runId.contains("..")) {
            throw new IllegalArgumentException("run id '" + runId + "' cannot name objects: use letters, digits, "
                    + "'.', '_' and '-' (a UUID)");
        }
    }
}
