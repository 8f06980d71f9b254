/**
 * Checks of the deployment files under {@code deploy/}: the Dockerfile, the compose file and the
 * Kubernetes manifests are read as text or YAML and held against the server's own flags (their
 * {@code QUORUM_*} variables and default ports, API.md) and against each other (ports, probes, the
 * data volume, the TLS files and Secrets, the NetworkPolicy), without Docker or a Kubernetes
 * cluster. Two scripts run for real: the compose file's certificate script ({@code ComposeFileTest},
 * with openssl) and the image's health check against live nodes ({@link io.quorum.deploy.ReadyScriptTest}).
 *
 * <p>{@link io.quorum.deploy.ContainerClusterIT} is the exception: where a Docker engine is
 * reachable it builds the Dockerfile's image and runs the compose file's three nodes with
 * Testcontainers (losing the leader's container, then cutting a node off the network); elsewhere
 * it is reported as skipped.
 */
package io.quorum.deploy;
