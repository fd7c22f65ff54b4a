/** Process-level settings of a worker (trainer-service, attack-service): DJL offline mode, the worker's name and
 * the data directory of the image datasets. */
package dev.robustlab.service.worker.runtime;
