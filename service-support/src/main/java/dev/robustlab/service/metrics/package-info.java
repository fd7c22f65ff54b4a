/**
 * Metrics at {@code /q/metrics} in the Prometheus text format, for the Prometheus of docker-compose.yml and the
 * scrape annotations of k8s/. (quarkus-micrometer-registry-prometheus 3.38.1 is not on Maven Central, so the
 * services expose Micrometer's Prometheus registry themselves.) One {@link io.micrometer.core.instrument.MeterRegistry}
 * per service, with JVM, process and uptime meters and the tag {@code application} = the service name; a service
 * adds its own meters by injecting the registry.
 */
package dev.robustlab.service.metrics;
