// Package registry talks to OCI registries through go-containerregistry: one keychain
// (explicit credentials, then the Docker config file and its credential helpers, then
// anonymous), one shared transport, and the few calls the provider needs (resolve,
// inspect, delete). The same keychain answers BuildKit's session auth requests, so a
// build pulls and pushes with exactly the credentials the registry calls use.
package registry
