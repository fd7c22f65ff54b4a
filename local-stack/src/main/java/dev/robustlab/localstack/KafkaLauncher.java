package dev.robustlab.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of the broker JVM: formats the storage directory when asked, then runs {@code kafka.Kafka}. Doing
 * both in one JVM loads the broker's classes once, which saves a few seconds of every cold start on a small
 * machine. Only this class is copied next to the broker's jars (see {@link #installInto}), so none of the
 * caller's own dependencies (such as another kafka-clients version) reach the broker's classpath.
 *
 * <p>Arguments: {@code [--format <cluster id>] <server.properties>}.
 */
final class KafkaLauncher {

    private KafkaLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        String serverProperties = args[args.length - 1];
        try {
            if (args[0].equals("--format")) {
                Object exitCode = Class.forName("kafka.tools.StorageTool")
                        .getMethod("execute", String[].class, PrintStream.class)
                        .invoke(null, new String[] {"format", "-t", args[1], "-c", serverProperties}, System.out);
                if (!Integer.valueOf(0).equals(exitCode)) {
                    System.out.println("kafka storage format failed with exit code " + exitCode);
                    System.exit(1);
                }
            }
            Class.forName("kafka.Kafka").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {serverProperties});
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes this class file under {@code dir} (a classpath directory) and returns {@code dir}. Reads the class
     * as a resource, so it works from a directory, a plain jar or an uber-jar alike.
     */
    static Path installInto(Path dir) throws IOException {
        String name = KafkaLauncher.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = KafkaLauncher.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("class file " + name + " not found as a resource");
            }
            Files.write(target, in.readAllBytes());
        }
        return dir;
    }
}
