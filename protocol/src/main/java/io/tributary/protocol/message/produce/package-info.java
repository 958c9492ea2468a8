/** Bodies of the produce path: Produce and InitProducerId. */
package io.tributary.protocol.message.produce;
