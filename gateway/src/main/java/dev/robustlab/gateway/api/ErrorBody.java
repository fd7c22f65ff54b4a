package dev.robustlab.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.robustlab.contracts.spec.FieldError;
import java.util.List;

/**
 * An error answer: what went wrong, every offending field (a request is refused as a whole, so that all of them
 * can be fixed in one go), and the run it concerns when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, List<FieldError> fields, String id) {

    static ErrorBody of(String error) {
        return new ErrorBody(error, List.of(), null);
    }
}
