/** Health checks of trainer-service, added to the shared {@code /q/health} endpoints. */
package dev.robustlab.trainer.health;
