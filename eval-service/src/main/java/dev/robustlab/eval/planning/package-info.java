/**
 * Which attack jobs a checkpoint needs: one per attack and shard of the evaluated test examples, with a seed derived
 * from the run seed so that a job is reproducible and independent of which worker runs it. Pure, no I/O.
 */
package dev.robustlab.eval.planning;
