/** Typed configuration of trainer-service. */
package dev.robustlab.trainer.config;
