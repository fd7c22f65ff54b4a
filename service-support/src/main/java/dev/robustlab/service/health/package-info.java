/**
 * Liveness and readiness endpoints at {@code /q/health/live} and {@code /q/health/ready}, in the format of
 * MicroProfile Health, for Kubernetes probes and the local launcher. (quarkus-smallrye-health 3.38.1 is not on
 * Maven Central, so the services report health themselves.) Readiness and liveness combine the Kafka channels'
 * own reports with every {@link dev.robustlab.service.health.HealthContributor} bean a service declares.
 */
package dev.robustlab.service.health;
