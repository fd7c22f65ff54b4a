package dev.robustlab.deploy;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a compose service's {@code volumes}, in the short syntax ({@code SOURCE:TARGET[:MODE]}, or
 * {@code TARGET} alone for an anonymous volume) or the long one ({@code type}, {@code source}, {@code target},
 * {@code read_only}), as compose reads it with none of the variables set: {@code ${NAME:-default}} and
 * {@code ${NAME-default}} give their default, {@code ${NAME}} and {@code $NAME} nothing, {@code $$} a {@code $}.
 *
 * @param rawSource the source as written, before interpolation ("" for an anonymous volume)
 * @param source    the source after interpolation: a host path (bind) or a volume name
 * @param target    the path in the container
 * @param type      {@code bind}, {@code volume} or another long-syntax type ({@code tmpfs}, ...)
 * @param readOnly  whether the container sees it read-only ({@code :ro}, {@code read_only: true})
 */
record ComposeVolume(String rawSource, String source, String target, String type, boolean readOnly) {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static ComposeVolume parse(Object entry) {
        if (entry instanceof Map<?, ?> m) {
            String raw = Objects.toString(m.get("source"), "");
            String source = interpolate(raw);
            String type = Objects.toString(m.get("type"), "volume");
            return new ComposeVolume(raw, source, interpolate(Objects.toString(m.get("target"), "")), type,
                    Boolean.TRUE.equals(m.get("read_only")) || "true".equals(String.valueOf(m.get("read_only"))));
        }
        String written = String.valueOf(entry);
        String text = interpolate(written);
        String[] parts = text.split(":", -1);
        if (parts.length == 1) {
            return new ComposeVolume("", "", parts[0], "volume", false);
        }
        boolean readOnly = parts.length > 2 && Arrays.asList(parts[2].split(",")).contains("ro");
        String raw = rawSourceOf(written);
        return new ComposeVolume(raw, parts[0], parts[1], isHostPath(parts[0]) ? "bind" : "volume", readOnly);
    }

    /** A short-syntax source is a host path when it is absolute or relative ({@code /}, {@code .}, {@code ~}). */
    static boolean isHostPath(String source) {
        return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    }

    /** Compose's interpolation with no variable set. */
    static String interpolate(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(2) != null && m.group(2).endsWith("-")) {
                replacement = interpolate(m.group(3));
            } else if (m.group(2) != null && m.group(2).endsWith("?")) {
                throw new IllegalArgumentException("'" + text + "' requires " + m.group(1) + " to be set");
            } else {
                replacement = ""; // ${NAME}, $NAME, and ${NAME:+x} with NAME unset
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether the source as written is one variable with a default ({@code ${NAME:-default}}): configurable. */
    boolean sourceIsAVariableWithADefault() {
        Matcher m = VARIABLE.matcher(rawSource);
        return m.matches() && m.group(2) != null && m.group(2).endsWith("-") && !m.group(3).isEmpty();
    }

    /** The part of a short-syntax entry before the first ':' outside a ${...}. */
    private static String rawSourceOf(String written) {
        int depth = 0;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '{' && i > 0 && written.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == ':' && depth == 0) {
                return written.substring(0, i);
            }
        }
        return written;
    }
}
