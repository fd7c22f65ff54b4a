package dev.robustlab.service.database;

import dev.robustlab.service.health.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Readiness: the database answers within two seconds. */
@ApplicationScoped
public class DatabaseHealth implements HealthContributor {
    @Inject
    DataSource dataSource;

    @Override
    public String name() {
        return "database";
    }

    @Override
    public String readinessProblem() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? null : "the database did not answer within 2 s";
        } catch (SQLException e) {
            return "the database is unreachable: " + e.getMessage();
        }
    }
}
