/**
 * The wire contract between callers, the ingress and the workers: Open Inference Protocol v2
 * records, the correlation id, Kafka header names, topic naming, error codes and the JSON codec
 * that validates them. Nothing else: tooling the services share lives in {@code settings} and
 * {@code synthetic-texts}.
 */
package dev.inferpipe.contracts;
