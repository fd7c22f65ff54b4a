/** {@code robustlab train}: a run spec trained in this process, epoch by epoch, without the cluster. */
package dev.robustlab.cli.train;
