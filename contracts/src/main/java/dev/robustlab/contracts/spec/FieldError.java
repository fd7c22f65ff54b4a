package dev.robustlab.contracts.spec;

/**
 * One reason a run spec is refused.
 *
 * @param field  the JSON path of the field, e.g. {@code threatModel.epsilon}
 * @param reason what is wrong and what would be accepted
 */
public record FieldError(String field, String reason) {
}
