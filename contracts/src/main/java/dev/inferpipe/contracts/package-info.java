/**
 * The wire contract between callers, the ingress and the workers: Open Inference Protocol v2
 * records, Kafka header names, topic naming, error codes and the JSON codec that validates them.
 */
package dev.inferpipe.contracts;
