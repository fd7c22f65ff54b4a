/**
 * eval-service: turns every evaluated checkpoint into attack jobs, merges the shard results into clean and robust
 * accuracy per (run, epoch, attack), and serves them with the best / final / diff summary of the papers' tables.
 * Pure logic lives in {@link dev.robustlab.eval.planning}, {@link dev.robustlab.eval.merging} and
 * {@link dev.robustlab.eval.metrics}; Kafka in {@link dev.robustlab.eval.messaging}; PostgreSQL in
 * {@link dev.robustlab.eval.storage}; HTTP in {@link dev.robustlab.eval.api}; live updates in
 * {@link dev.robustlab.eval.live}.
 */
package dev.robustlab.eval;
