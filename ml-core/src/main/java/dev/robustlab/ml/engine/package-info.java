/**
 * The DJL engine and its process-wide constraints: which engine and device arrays live on, the single gradient
 * collector a process may have open, and reproducible random streams derived from seeds.
 */
package dev.robustlab.ml.engine;
