/** A small HTTP client for the gateway's and eval-service's REST APIs. */
package dev.robustlab.cli.client;
