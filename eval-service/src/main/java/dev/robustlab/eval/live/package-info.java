/**
 * Live metric updates for the server-sent-event stream: every merged shard, every completed attack and every
 * failed job of a run, fanned out to all subscribers of that run.
 */
package dev.robustlab.eval.live;
