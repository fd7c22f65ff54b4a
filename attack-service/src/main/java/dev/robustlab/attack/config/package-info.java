/**
 * Typed configuration of attack-service: {@code robustlab.s3.*} and {@code robustlab.attack.*} as mappings;
 * {@code robustlab.instance-id} and {@code robustlab.work-dir} are read where they are used.
 */
package dev.robustlab.attack.config;
