/** Health checks of attack-service, added to the shared {@code /q/health} endpoints. */
package dev.robustlab.attack.health;
