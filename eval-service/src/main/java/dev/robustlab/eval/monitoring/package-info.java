/**
 * Per-epoch accuracies as Prometheus gauges (scraped at {@code /q/metrics}) for the Grafana dashboard "Robust
 * accuracy per epoch". The API and the epoch-metrics topic remain the record; the gauges show recent runs.
 */
package dev.robustlab.eval.monitoring;
