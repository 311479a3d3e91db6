package dev.inferpipe.worker.kafka;

/**
 * Where a request's answer goes: the waiting ingress instance's reply partition, or, for direct
 * producers, the model's responses topic (partition chosen by the request-id key).
 *
 * @param topic the topic to reply on
 * @param partition the partition, or null to partition by key
 */
record ReplyAddress(String topic, Integer partition) {}
