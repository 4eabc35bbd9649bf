// Package acctest runs the real test environment for acceptance tests: a buildkitd with
// the runc worker (reachable over a unix socket and over tcp with mutual TLS), a
// plain-HTTP registry, and a TLS registry with htpasswd auth, all on free loopback ports,
// seeded with a multi-arch busybox base image. Nothing here is a mock.
//
// The binaries come from the Makefile's cache (.cache/bin) or the PATH; `make setup`
// installs and builds them. Set PRODIMAGE_TEST_BUILDKIT_HOST and PRODIMAGE_TEST_REGISTRY
// to point the tests at your own daemon and registry instead.
package acctest
