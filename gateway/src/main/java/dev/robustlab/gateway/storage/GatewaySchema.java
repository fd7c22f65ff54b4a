package dev.robustlab.gateway.storage;

import dev.robustlab.service.database.DatabaseSchema;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** Schema {@code gateway}, which service-database's {@code Database} creates and migrates at startup. */
class GatewaySchema {
    /**
     * The migrations under {@code src/main/resources/db/migration/gateway}, oldest first. Add every new file here;
     * a unit test checks the list against the folder.
     */
    @Produces
    static final DatabaseSchema SCHEMA = DatabaseSchema.of("gateway", List.of("V1__runs.sql"), GatewaySchema.class);
}
