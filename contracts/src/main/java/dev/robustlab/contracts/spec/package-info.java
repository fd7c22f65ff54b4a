/**
 * The run specification a user submits to the gateway: what to train, how, and how to measure every epoch.
 * {@link dev.robustlab.contracts.spec.RunSpec#withDefaults()} fills what was left out;
 * {@link dev.robustlab.contracts.spec.RunSpecValidator} names every bad field and why.
 */
package dev.robustlab.contracts.spec;
