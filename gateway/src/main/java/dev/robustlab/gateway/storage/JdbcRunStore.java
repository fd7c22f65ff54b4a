package dev.robustlab.gateway.storage;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.gateway.runs.RunRecord;
import dev.robustlab.gateway.runs.RunStore;
import dev.robustlab.service.database.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/** {@link RunStore} on table {@code gateway.runs}. */
@ApplicationScoped
public class JdbcRunStore implements RunStore {
    private static final String COLUMNS = "id, name, status, epoch, epochs, train_loss, train_accuracy, "
            + "failure_reason, trainer, spec, created_at, updated_at, started_at, finished_at";

    @Inject
    DataSource dataSource;

    @Override
    public void insert(RunRecord run) {
        Jdbc.inTransaction(dataSource, "recording run " + run.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gateway.runs (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)")) {
                s.setString(1, run.id());
                s.setString(2, run.name());
                s.setString(3, run.status());
                setInteger(s, 4, run.epoch());
                s.setInt(5, run.epochs());
                setDouble(s, 6, run.trainLoss());
                setDouble(s, 7, run.trainAccuracy());
                s.setString(8, run.failureReason());
                s.setString(9, run.trainer());
                s.setString(10, EventJson.encode(run.spec()));
                s.setTimestamp(11, timestamp(run.createdAt()));
                s.setTimestamp(12, timestamp(run.updatedAt()));
                s.setTimestamp(13, timestamp(run.startedAt()));
                s.setTimestamp(14, timestamp(run.finishedAt()));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<RunRecord> find(String id) {
        return Jdbc.inTransaction(dataSource, "reading run " + id, c -> select(c, id, false));
    }

    @Override
    public List<RunRecord> newest(int limit) {
        return Jdbc.inTransaction(dataSource, "listing runs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM gateway.runs ORDER BY created_at DESC, id DESC LIMIT ?")) {
                s.setInt(1, limit);
                List<RunRecord> runs = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        runs.add(read(r));
                    }
                }
                return runs;
            }
        });
    }

    @Override
    public boolean update(String id, Function<RunRecord, Optional<RunRecord>> change) {
        return Jdbc.inTransaction(dataSource, "updating run " + id, c -> {
            Optional<RunRecord> current = select(c, id, true);
            if (current.isEmpty()) {
                return false;
            }
            Optional<RunRecord> changed = change.apply(current.get());
            if (changed.isEmpty() || changed.get().equals(current.get())) {
                return false;
            }
            RunRecord run = changed.get();
            try (PreparedStatement s = c.prepareStatement("UPDATE gateway.runs SET status = ?, epoch = ?, "
                    + "epochs = ?, train_loss = ?, train_accuracy = ?, failure_reason = ?, trainer = ?, "
                    + "updated_at = ?, started_at = ?, finished_at = ? WHERE id = ?")) {
                s.setString(1, run.status());
                setInteger(s, 2, run.epoch());
                s.setInt(3, run.epochs());
                setDouble(s, 4, run.trainLoss());
                setDouble(s, 5, run.trainAccuracy());
                s.setString(6, run.failureReason());
                s.setString(7, run.trainer());
                s.setTimestamp(8, timestamp(run.updatedAt()));
                s.setTimestamp(9, timestamp(run.startedAt()));
                s.setTimestamp(10, timestamp(run.finishedAt()));
                s.setString(11, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static Optional<RunRecord> select(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM gateway.runs WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    private static RunRecord read(ResultSet r) throws SQLException {
        return new RunRecord(r.getString("id"), r.getString("name"), r.getString("status"),
                (Integer) r.getObject("epoch"), r.getInt("epochs"), (Double) r.getObject("train_loss"),
                (Double) r.getObject("train_accuracy"), r.getString("failure_reason"), r.getString("trainer"),
                EventJson.decode(r.getString("spec"), RunSpec.class), instant(r.getTimestamp("created_at")),
                instant(r.getTimestamp("updated_at")), instant(r.getTimestamp("started_at")),
                instant(r.getTimestamp("finished_at")));
    }

    private static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
