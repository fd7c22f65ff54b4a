/** Process-level settings of trainer-service: DJL offline mode and the worker's name. */
package dev.robustlab.trainer.runtime;
