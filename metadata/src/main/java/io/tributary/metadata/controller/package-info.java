/**
 * The controller's decisions, pure functions from (image, event) to records plus an answer or a refusal with Kafka's
 * error code: broker lifecycle, leader election, ISR changes, replica placement, producer-id blocks.
 */
package io.tributary.metadata.controller;
