package dev.robustlab.eval.storage;

import dev.robustlab.service.database.DatabaseSchema;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** Schema {@code eval}, which service-database's {@code Database} creates and migrates at startup. */
class EvalSchema {
    /**
     * The migrations under {@code src/main/resources/db/migration/eval}, oldest first. Add every new file here;
     * a unit test checks the list against the folder.
     */
    @Produces
    static final DatabaseSchema SCHEMA = DatabaseSchema.of("eval", List.of("V1__eval_schema.sql"), EvalSchema.class);
}
