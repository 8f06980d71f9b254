/**
 * Checks of the deployment files under {@code deploy/}: the Dockerfile, the compose file and the
 * Kubernetes manifests are read as text or YAML and held against the server's own flags (their
 * {@code QUORUM_*} variables and default ports, API.md) and against each other (ports, probes, the
 * data volume), without Docker or a Kubernetes cluster.
 */
package io.quorum.deploy;
