package dev.robustlab.gateway.api;

import dev.robustlab.service.database.StorageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** A database failure answers 503 with a JSON error, not a stack trace. */
@Provider
public class StorageUnavailableMapper implements ExceptionMapper<StorageException> {
    private static final Logger LOG = Logger.getLogger(StorageUnavailableMapper.class);

    @Override
    public Response toResponse(StorageException e) {
        LOG.warn("database failure while serving a request", e);
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of("the run database is unavailable, try again shortly: " + e.getMessage()))
                .build();
    }
}
