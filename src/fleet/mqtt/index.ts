export { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './embedded-broker.js';
export { startExternalSubscriber, type ExternalSubscriber, type ExternalSubscriberOptions } from './external-subscriber.js';
export { DEFAULT_TOPIC_PREFIX, parseUnitTopic, SHARED_GROUP, subscriptionTopics, unitTopic, type UnitTopicKind } from './topics.js';
export { ackPayload, parseStatus, type MqttIngestContext } from './unit-message.js';
