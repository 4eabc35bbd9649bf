// Package build drives BuildKit: it connects to a daemon (unix, tcp with mutual TLS,
// docker-container://, kube-pod://), describes its workers, and solves a Request for
// any number of platforms in one solve, pushing the result and returning its digests.
// It knows nothing of Terraform: requests and results are plain Go values.
package build
