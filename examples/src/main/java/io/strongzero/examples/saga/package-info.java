/**
 * A choreography saga with StrongZero: the food-delivery example. {@link io.strongzero.examples.saga.OrderService},
 * {@link io.strongzero.examples.saga.KitchenService} and {@link io.strongzero.examples.saga.ConsumerService} each
 * own a database, publish events about their own objects on a stream named after themselves and react to the
 * others' events. Every step (state change, published event, consumed trigger) is one local transaction of the
 * service that runs it. {@link io.strongzero.examples.saga.SagaDemo} runs both paths;
 * {@link io.strongzero.examples.saga.SagaServiceMain} runs one service as a process. See {@code docs/sagas.md}.
 */
package io.strongzero.examples.saga;
