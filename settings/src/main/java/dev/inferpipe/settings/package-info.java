/**
 * Settings that the services, the command-line tools and the profiles share, none of them part of
 * the wire contract: the Kafka client settings a tool reads from a properties file, the masking of
 * secrets on {@code /config}, and the worker's stop budget that the pods' grace period follows.
 */
package dev.inferpipe.settings;
