/** Process-level settings of a worker (trainer-service, attack-service): DJL offline mode and the worker's name. */
package dev.robustlab.service.worker.runtime;
