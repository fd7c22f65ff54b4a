/** Plain-text tables for the terminal, and the tables of a run's metrics (per epoch; Best / Final / Diff). */
package dev.robustlab.cli.table;
