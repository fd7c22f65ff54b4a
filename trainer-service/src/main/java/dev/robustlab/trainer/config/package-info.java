/**
 * Typed configuration of trainer-service: {@code robustlab.s3.*} and {@code robustlab.trainer.*} as mappings;
 * {@code robustlab.instance-id} and {@code robustlab.work-dir} are read where they are used.
 */
package dev.robustlab.trainer.config;
