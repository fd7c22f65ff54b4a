package dev.robustlab.ml.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The state file of an evaluation: its configuration and the results of the batches completed so far, enough for
 * {@link RangeEvaluator} to resume an interrupted evaluation at the first batch not done. JSON:
 * <pre>{@code
 * {"format": 1,
 *  "config": {"model_sha256": "…", "dataset": "toy-circles", "suite": null, "attacks": ["pgd-20"], "norm": "linf",
 *             "eps": 0.1, "step_size": 0.025, "seed": 0, "batch_size": 256, "offset": 0, "limit": 1000},
 *  "batches": [{"offset": 0, "limit": 256, "clean": "1101…", "robust_after": ["1001…"], "skipped": [],
 *               "warnings": [], "seconds": 1.25}, …]}
 * }</pre>
 * Flags are strings of {@code 0}/{@code 1}, one character per example. The file is rewritten whole after every
 * batch, through a temporary file in the same directory renamed over it, so that an interruption at any moment
 * leaves either the previous or the new state, never half of one.
 */
public final class EvaluationState {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = EventJson.mapper();

    private EvaluationState() {
    }

    /**
     * The completed batches recorded in {@code file}, in order; empty when the file does not exist.
     *
     * @param config the evaluation about to run; the file must have been written for exactly this one
     * @throws IllegalArgumentException when the file belongs to another configuration (naming the first field that
     *                                  differs) or cannot be read as a state file
     */
    public static List<EvaluationResult> read(Path file, EvaluationConfig config) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String afresh = "; delete " + file + " to start this evaluation afresh, or give another state file";
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("state file " + file + " is not readable JSON (" + e.getMessage()
                    + ")" + afresh, e);
        }
        EvaluationConfig recorded;
        List<EvaluationResult> batches = new ArrayList<>();
        try {
            if (root == null || root.path("format").asInt() != FORMAT) {
                throw new IllegalArgumentException("not a state file of format " + FORMAT);
            }
            recorded = config(root.path("config"));
            if (recorded.firstDifference(config, false) == null) {
                int next = config.offset();
                for (JsonNode node : root.path("batches")) {
                    EvaluationResult batch = batch(node, config);
                    if (batch.config().offset() != next) {
                        throw new IllegalArgumentException("batch [" + batch.config().offset() + ", "
                                + batch.config().end() + ") does not follow the previous one, which ends at " + next);
                    }
                    batches.add(batch);
                    next = batch.config().end();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state file " + file + " is malformed (" + e.getMessage() + ")"
                    + afresh, e);
        }
        String difference = recorded.firstDifference(config, false);
        if (difference != null) {
            throw new IllegalArgumentException("state file " + file + " belongs to another evaluation: its "
                    + difference + " is " + recorded.fields().get(difference) + ", this evaluation's is "
                    + config.fields().get(difference) + afresh);
        }
        return batches;
    }

    /**
     * Writes {@code file}: the configuration and the completed batches. Atomic: a temporary file in the same
     * directory, renamed over {@code file}.
     */
    public static void write(Path file, EvaluationConfig config, List<EvaluationResult> batches) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("config", JSON.valueToTree(config.fields()));
        ArrayNode list = root.putArray("batches");
        for (EvaluationResult batch : batches) {
            ObjectNode node = list.addObject();
            node.put("offset", batch.config().offset());
            node.put("limit", batch.config().limit());
            node.put("clean", bits(batch.clean()));
            ArrayNode after = node.putArray("robust_after");
            batch.robustAfter().forEach(flags -> after.add(bits(flags)));
            batch.skipped().forEach(node.putArray("skipped")::add);
            batch.warnings().forEach(node.putArray("warnings")::add);
            node.put("seconds", batch.seconds());
        }
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName() + ".", ".tmp");
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), root);
                try {
                    Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + file, e);
        }
    }

    private static EvaluationConfig config(JsonNode node) {
        List<String> attacks = new ArrayList<>();
        node.path("attacks").forEach(a -> attacks.add(a.asText()));
        JsonNode suite = node.path("suite");
        return new EvaluationConfig(text(node, "model_sha256"), text(node, "dataset"),
                number(node, "offset").intValue(), number(node, "limit").intValue(), suite.isTextual() ? suite.asText() : null, attacks,
                text(node, "norm"), number(node, "eps").doubleValue(), number(node, "step_size").doubleValue(),
                number(node, "seed").longValue(), number(node, "batch_size").intValue());
    }

    private static EvaluationResult batch(JsonNode node, EvaluationConfig config) {
        int offset = number(node, "offset").intValue();
        int limit = number(node, "limit").intValue();
        int end = Math.min(config.end(), (offset / config.batchSize() + 1) * config.batchSize());
        int start = Math.max(config.offset(), offset / config.batchSize() * config.batchSize());
        if (offset != start || offset + limit != end) {
            throw new IllegalArgumentException("batch [" + offset + ", " + (offset + limit) + ") is not a batch of "
                    + "this evaluation");
        }
        List<boolean[]> after = new ArrayList<>();
        node.path("robust_after").forEach(flags -> after.add(flags(flags.asText(), limit)));
        List<String> skipped = new ArrayList<>();
        node.path("skipped").forEach(line -> skipped.add(line.asText()));
        List<String> warnings = new ArrayList<>();
        node.path("warnings").forEach(line -> warnings.add(line.asText()));
        boolean[] robust = after.isEmpty() ? new boolean[0] : after.get(after.size() - 1).clone();
        return new EvaluationResult(config.withRange(offset, limit), flags(text(node, "clean"), limit), after, robust,
                skipped, warnings, number(node, "seconds").doubleValue());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static Number number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a number");
        }
        return value.numberValue();
    }

    private static String bits(boolean[] flags) {
        StringBuilder bits = new StringBuilder(flags.length);
        for (boolean flag : flags) {
            bits.append(flag ? '1' : '0');
        }
        return bits.toString();
    }

    private static boolean[] flags(String bits, int length) {
        if (bits.length() != length || !bits.matches("[01]*")) {
            throw new IllegalArgumentException("flags '" + (bits.length() > 20 ? bits.substring(0, 20) + "…" : bits)
                    + "' are not " + length + " characters 0 or 1");
        }
        boolean[] flags = new boolean[length];
        for (int i = 0; i < length; i++) {
            flags[i] = bits.charAt(i) == '1';
        }
        return flags;
    }
}
