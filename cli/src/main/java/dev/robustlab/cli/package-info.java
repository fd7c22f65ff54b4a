/**
 * The {@code robustlab} command line: {@code robustlab demo} runs the whole cluster on one machine.
 * Subpackages: {@link dev.robustlab.cli.cluster} starts the services as processes, {@link dev.robustlab.cli.client}
 * talks to their REST APIs, {@link dev.robustlab.cli.table} prints tables, {@link dev.robustlab.cli.demo} is the
 * demo itself.
 */
package dev.robustlab.cli;
