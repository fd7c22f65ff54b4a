/** Process-level settings of attack-service: DJL offline mode and the worker's name. */
package dev.robustlab.attack.runtime;
