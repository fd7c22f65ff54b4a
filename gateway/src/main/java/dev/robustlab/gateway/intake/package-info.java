/**
 * Reading a run request: strict JSON (unknown fields and wrong types are errors, each named by its path), then the
 * defaults and {@link dev.robustlab.contracts.spec.RunSpecValidator}. Every problem is reported at once. Pure.
 */
package dev.robustlab.gateway.intake;
