package dev.robustlab.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from the machine's binaries ({@code /usr/lib/postgresql/<highest>/bin}, else the
 * {@code PATH}), with its data in {@code postgres/data}: created with {@code initdb -A trust} on the first start,
 * reused afterwards. It listens on the loopback interface only (no Unix socket, so long state paths cannot
 * exceed the socket path limit) and is provisioned with the database and user {@value #DATABASE}.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root, initdb, postgres and pg_ctl run as the unprivileged
 * {@code postgres} user (else {@code nobody}) through {@code setpriv}, which execs in place so the child's process
 * id is the postmaster's; the data directory is handed to that user. Every directory above it must be searchable
 * by that user.
 */
final class PostgresServer implements Service {

    static final String DATABASE = "robustlab";
    static final String USER = "robustlab";
    static final String PASSWORD = "robustlab";
    private static final String SUPERUSER = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ManagedProcess process;
    private final Path binDir;
    private final Path dataDir;
    private final List<String> runAs;
    private final Path logsDir;
    private final int port;

    private PostgresServer(ManagedProcess process, Path binDir, Path dataDir, List<String> runAs, Path logsDir,
                           int port) {
        this.process = process;
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.runAs = runAs;
        this.logsDir = logsDir;
        this.port = port;
    }

    static PostgresServer start(Path postgresDir, Path logsDir, int port) {
        Path binDir = findBinaries();
        Path dataDir = StateFiles.createDirectories(postgresDir.resolve("data"));
        List<String> runAs = List.of();
        if (isRoot()) {
            String user = unprivilegedUser();
            handOver(dataDir, user);
            runAs = runAsPrefix(user);
            checkReachable(runAs, dataDir, user, logsDir);
        }
        // The caller's libpq settings must not redirect the server or its tools.
        Map<String, String> env = Map.of("LC_ALL", "C", "PGDATA", dataDir.toString(), "PGPORT", Integer.toString(port));
        String whatToDo = "read the log above; delete " + postgresDir + " to re-initialise the database";

        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            ManagedProcess.run("initdb",
                    command(runAs, binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust",
                            "-U", SUPERUSER, "-E", "UTF8", "--no-locale", "--no-instructions"),
                    logsDir.resolve("initdb.log"), env, INITDB_TIMEOUT, whatToDo);
        }

        ManagedProcess postmaster = ManagedProcess.start("postgres",
                command(runAs, binDir.resolve("postgres").toString(), "-D", dataDir.toString(),
                        "-p", Integer.toString(port), "-c", "listen_addresses=" + FreePorts.LOOPBACK,
                        "-c", "unix_socket_directories="),
                logsDir.resolve("postgres.log"), env, "INT");
        PostgresServer postgres = new PostgresServer(postmaster, binDir, dataDir, runAs, logsDir, port);
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            postgres.awaitReady(deadline, whatToDo);
            postgres.provision(deadline, whatToDo);
            return postgres;
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /**
     * Waits for the postmaster to report "ready" in {@code postmaster.pid} for our port, as {@code pg_ctl -w} does.
     * Unlike a TCP probe this cannot be fooled by another process that happens to listen on the port.
     */
    private void awaitReady(long deadlineNanos, String whatToDo) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        while (true) {
            if (!process.isAlive()) {
                throw process.failure("exited while starting", whatToDo);
            }
            try {
                List<String> lines = Files.readAllLines(pidFile);
                // Line 4 is the port (a stale file of an earlier run names another), line 8 the status.
                if (lines.size() >= 8 && lines.get(3).trim().equals(Integer.toString(port))
                        && lines.get(7).trim().equals("ready")) {
                    return;
                }
            } catch (IOException notYet) {
                // not written yet
            }
            if (System.nanoTime() > deadlineNanos) {
                throw process.failure("not ready within " + READY_TIMEOUT.toSeconds() + " s", whatToDo);
            }
            ManagedProcess.pause(Duration.ofMillis(50));
        }
    }

    /** Connects as the superuser (retrying while the server still starts up) and creates the user and database. */
    private void provision(long deadlineNanos, String whatToDo) {
        while (true) {
            try (Connection connection = connect("postgres", SUPERUSER);
                 Statement sql = connection.createStatement()) {
                try (ResultSet role = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                    if (!role.next()) {
                        sql.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
                    }
                }
                try (ResultSet db = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    if (!db.next()) {
                        sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                    }
                }
                return;
            } catch (SQLException notYet) {
                // 57P03: "the database system is starting up"; connection refused while it binds.
                if (!process.isAlive() || System.nanoTime() > deadlineNanos) {
                    throw process.failure("cannot provision the database (" + notYet.getMessage() + ")", whatToDo);
                }
                ManagedProcess.pause(Duration.ofMillis(100));
            }
        }
    }

    private Connection connect(String database, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", "5");
        // Bounds the whole login, should something other than our postmaster answer on the port.
        properties.setProperty("loginTimeout", "5");
        // The driver directly, not DriverManager: a Quarkus test class loader may hide it from DriverManager.
        return new org.postgresql.Driver().connect(jdbcUrl(database), properties);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + FreePorts.LOOPBACK + ":" + port + "/" + database;
    }

    @Override
    public LocalStack.Component component() {
        return LocalStack.Component.POSTGRES;
    }

    @Override
    public String address() {
        return FreePorts.LOOPBACK + ":" + port + ", database " + DATABASE;
    }

    @Override
    public Map<String, String> config() {
        return Map.of(LocalStack.DB_URL, jdbcUrl(DATABASE), LocalStack.DB_USER, USER,
                LocalStack.DB_PASSWORD, PASSWORD);
    }

    @Override
    public List<ProcessHandle> processHandles() {
        return process.handles();
    }

    /** {@code pg_ctl stop -m fast} (disconnects clients, clean shutdown), then the process handle as a fallback. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                ManagedProcess.run("pg_ctl stop",
                        command(runAs, binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(),
                                "-m", "fast", "-w", "-t", Long.toString(STOP_GRACE.toSeconds())),
                        logsDir.resolve("pg_ctl-stop.log"), Map.of("LC_ALL", "C"), STOP_GRACE.plusSeconds(5),
                        "the postmaster is stopped through its process handle instead");
                process.waitForExit(STOP_GRACE);
            } catch (RuntimeException e) {
                System.err.println("[local-stack] " + e.getMessage());
            }
        }
        process.stop(STOP_GRACE);
    }

    private static List<String> command(List<String> runAs, String... command) {
        List<String> all = new ArrayList<>(runAs);
        all.addAll(List.of(command));
        return all;
    }

    /** The bin directory of the highest installed PostgreSQL version, else the one of {@code postgres} on PATH. */
    static Path findBinaries() {
        Path debianRoot = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debianRoot)) {
            try (Stream<Path> versions = Files.list(debianRoot)) {
                Optional<Path> highest = versions
                        .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin").resolve("postgres")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())));
                if (highest.isPresent()) {
                    return highest.get().resolve("bin");
                }
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path postgres = Path.of(dir.isEmpty() ? "." : dir, "postgres");
            if (Files.isExecutable(postgres)) {
                try {
                    // /usr/local/bin/postgres may be a link: initdb and pg_ctl sit next to its target.
                    Path bin = postgres.toRealPath().getParent();
                    if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
                        return bin;
                    }
                } catch (IOException e) {
                    // try the next PATH entry
                }
            }
        }
        throw new LocalStackException("postgres: no PostgreSQL binaries (postgres, initdb, pg_ctl) in "
                + "/usr/lib/postgresql/*/bin or on PATH.\nWhat to do: install them (Debian: apt-get install "
                + "postgresql), or start the stack without the POSTGRES component");
    }

    static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String unprivilegedUser() {
        UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                users.lookupPrincipalByName(candidate);
                return candidate;
            } catch (UserPrincipalNotFoundException e) {
                // try the next one
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new LocalStackException("postgres: running as root and neither a 'postgres' nor a 'nobody' user "
                + "exists.\nWhat to do: create an unprivileged user 'postgres' (useradd -r postgres), or run as a "
                + "normal user");
    }

    /** setpriv execs in place (the child is the postmaster itself); runuser forks, which only costs a process. */
    private static List<String> runAsPrefix(String user) {
        for (String setpriv : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            if (Files.isExecutable(Path.of(setpriv))) {
                return List.of(setpriv, "--reuid=" + user, "--regid=" + user, "--init-groups", "--");
            }
        }
        for (String runuser : List.of("/usr/sbin/runuser", "/sbin/runuser")) {
            if (Files.isExecutable(Path.of(runuser))) {
                return List.of(runuser, "-u", user, "--");
            }
        }
        throw new LocalStackException("postgres: running as root, and neither setpriv nor runuser is installed "
                + "to run PostgreSQL as an unprivileged user.\nWhat to do: install util-linux, or run as a normal user");
    }

    /** Gives the data directory (and an existing cluster in it) to the user PostgreSQL runs as. */
    private static void handOver(Path dataDir, String user) {
        try {
            UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = users.lookupPrincipalByName(user);
            if (owner.equals(Files.getOwner(dataDir, LinkOption.NOFOLLOW_LINKS))) {
                return;
            }
            GroupPrincipal group;
            try {
                group = users.lookupPrincipalByGroupName(user);
            } catch (UserPrincipalNotFoundException e) {
                group = null; // nobody's group is nogroup: the owner alone is enough
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(owner);
                    if (group != null) {
                        view.setGroup(group);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + dataDir + " over to " + user, e);
        }
    }

    /** Fails early, with a clear message, when the unprivileged user cannot reach the data directory. */
    private static void checkReachable(List<String> runAs, Path dataDir, String user, Path logsDir) {
        ManagedProcess.run("postgres data directory check", command(runAs, "/bin/sh", "-c", "test -w \"$0\"",
                        dataDir.toString()),
                logsDir.resolve("postgres-check.log"), Map.of(), Duration.ofSeconds(10),
                "user '" + user + "' (PostgreSQL refuses to run as root) cannot write " + dataDir
                        + ": every directory above it must be searchable by that user (chmod o+x), or put the "
                        + "state directory somewhere it can reach, such as /tmp");
    }
}
