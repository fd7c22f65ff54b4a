/** {@code robustlab demo}: the whole loop on one machine, PGD-AT against PGD-AT+PIAT on the toy dataset. */
package dev.robustlab.cli.demo;
