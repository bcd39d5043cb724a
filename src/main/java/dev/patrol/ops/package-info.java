/**
 * Operating Patrol: the management port (probes, info, the Prometheus scrape) and its door, the readiness of the
 * database and its migrations, the application's metrics, and the API request log's own appender.
 */
package dev.patrol.ops;
