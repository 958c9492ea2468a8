/** Bodies of the admin APIs: topics (create, delete, add partitions) and configs (describe, alter, incremental alter). */
package io.tributary.protocol.message.admin;
