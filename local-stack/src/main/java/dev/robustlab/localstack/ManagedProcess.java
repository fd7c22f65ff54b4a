package dev.robustlab.localstack;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the local stack, with its output in a log file, stopped through its own handle.
 *
 * <p>Each long-running child gets a guardian: a tiny {@code sh} that blocks reading a pipe from this JVM and sends
 * the child a signal when the pipe closes. A pipe closes when this JVM exits for any reason, including
 * {@code kill -9} or a crash that skips the shutdown hooks, so the stack's processes never outlive their owner.
 * The guardian is ended as soon as the child exits, so it never signals a reused process id.
 *
 * <p>Public so that the command line starts the services the same way.
 */
public final class ManagedProcess {

    /** Lines of a log quoted in an error message. */
    static final int TAIL_LINES = 25;
    private static final Duration FORCED_EXIT_WAIT = Duration.ofSeconds(5);
    private static final String GUARDIAN_SCRIPT = "read -r line; kill -s \"$1\" \"$2\" 2>/dev/null";
    private static final File DEV_NULL = new File("/dev/null");

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile Process guardian;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} with stdout and stderr written to {@code logFile} (replacing an older log).
     *
     * @param guardianSignal the signal ({@code TERM}, {@code INT}) the child gets when this JVM dies, or
     *                       {@code null} for a short-lived child that needs no guardian
     */
    public static ManagedProcess start(String name, List<String> command, Path logFile, Map<String, String> extraEnv,
                                String guardianSignal) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(DEV_NULL);
        // A caller's JVM options (a debugger port, an agent) must not leak into the broker and S3Proxy JVMs.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().putAll(extraEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LocalStackException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
        ManagedProcess managed = new ManagedProcess(name, process, logFile);
        if (guardianSignal != null) {
            managed.startGuardian(guardianSignal);
        }
        return managed;
    }

    private void startGuardian(String signal) {
        try {
            Process sh = new ProcessBuilder("/bin/sh", "-c", GUARDIAN_SCRIPT, "local-stack-guardian", signal,
                    Long.toString(process.pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            guardian = sh;
            process.onExit().thenRun(sh::destroy);
        } catch (IOException e) {
            // Without a guardian the stack still works; only a crash of this JVM would leave the child running.
            System.err.println("[local-stack] no guardian for " + name + " (" + e.getMessage() + ")");
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Waits for the process to exit; true if it did within {@code timeout}. */
    boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The child, its descendants and its guardian, for callers that check nothing outlives the stack. */
    List<ProcessHandle> handles() {
        List<ProcessHandle> handles = new ArrayList<>();
        handles.add(process.toHandle());
        process.descendants().forEach(handles::add);
        Process sh = guardian;
        if (sh != null) {
            handles.add(sh.toHandle());
        }
        return handles;
    }

    /**
     * Stops the child: SIGTERM, up to {@code grace} to exit, then SIGKILL. Descendants that survive their parent
     * (worker processes of a killed postmaster) are killed too, and the guardian is ended.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(grace)) {
                System.err.println("[local-stack] " + name + " did not stop within " + grace.toSeconds()
                        + " s, killing it (pid " + process.pid() + ")");
                process.destroyForcibly();
                waitForExit(FORCED_EXIT_WAIT);
            }
        }
        for (ProcessHandle descendant : descendants) {
            if (descendant.isAlive()) {
                descendant.destroyForcibly();
            }
        }
        Process sh = guardian;
        if (sh != null) {
            sh.destroy();
            try {
                sh.waitFor(FORCED_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of this process's log, indented for an error message. */
    public String tail() {
        return StateFiles.tail(logFile, TAIL_LINES);
    }

    /** A failure of this process, quoting its log and saying what to do. */
    LocalStackException failure(String what, String whatToDo) {
        String state = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
        String firstError = StateFiles.firstError(logFile);
        return new LocalStackException(name + ": " + what + " (process " + process.pid() + " " + state + ").\n"
                + (firstError == null ? "" : "First error in the log: " + firstError.strip() + "\n")
                + "Last lines of " + logFile + ":\n" + tail() + "\nWhat to do: " + whatToDo);
    }

    /**
     * Waits until something accepts TCP connections on {@code port} of the loopback interface; fails with the log
     * if the process exits first or {@code deadline} passes.
     */
    void awaitListening(int port, long deadlineNanos, String whatToDo) {
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited before listening on " + FreePorts.LOOPBACK + ":" + port, whatToDo);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 500);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadlineNanos) {
                throw failure("not listening on " + FreePorts.LOOPBACK + ":" + port + " in time", whatToDo);
            }
            pause(Duration.ofMillis(100));
        }
    }

    /** Sleeps; an interrupt is kept for the caller and ends the wait. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for the local stack", e);
        }
    }

    /** Runs a short command to completion, its output in {@code logFile}; fails with the log if it fails. */
    static void run(String name, List<String> command, Path logFile, Map<String, String> extraEnv, Duration timeout,
                    String whatToDo) {
        ManagedProcess step = start(name, command, logFile, extraEnv, null);
        if (!step.waitForExit(timeout)) {
            step.stop(Duration.ofSeconds(2));
            throw step.failure("did not finish within " + timeout.toSeconds() + " s", whatToDo);
        }
        if (step.exitValue() != 0) {
            throw step.failure("failed", whatToDo);
        }
    }
}
