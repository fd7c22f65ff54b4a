/**
 * Parameter interpolation adversarial training (PIAT, seed 001, eq. 9-10): at the end of every epoch the weights
 * become a convex combination of the weights that started the epoch and the weights the epoch trained. It wraps
 * any training objective and changes nothing inside an epoch.
 */
package dev.robustlab.ml.piat;
