/**
 * Typed configuration of attack-service: {@code robustlab.attack.*} as a mapping. {@code robustlab.s3.*} is the
 * shared worker mapping ({@code dev.robustlab.service.worker.storage.S3Config}); {@code robustlab.instance-id} and
 * {@code robustlab.work-dir} are read where they are used.
 */
package dev.robustlab.attack.config;
