/**
 * Merging shard results: robustness is a per-example flag, so the accuracy of an attack on the whole evaluated set
 * is the example-weighted merge of its shards, once every shard is in. Pure, no I/O.
 */
package dev.robustlab.eval.merging;
