/**
 * {@code robustlab reproduce}: the papers' studies trained and measured on this machine, without the cluster. Each
 * study trains several methods from one seed, measures every epoch's checkpoint with evaluation attacks on the test
 * split, and reports the per-epoch curves, their oscillation and the Best / Final / Diff table.
 */
package dev.robustlab.cli.reproduce;
