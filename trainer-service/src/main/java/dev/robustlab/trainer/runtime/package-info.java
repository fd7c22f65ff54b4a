/**
 * Process-level resources of trainer-service: its scratch directory. DJL offline mode and the worker's name are
 * shared with attack-service ({@code dev.robustlab.service.worker.runtime}).
 */
package dev.robustlab.trainer.runtime;
