// Package policy evaluates the production checklist (RULES.md) on a
// Dockerfile and its .dockerignore: rules with IDs, aliases and default
// severities, multi-stage scopes (runtime chain vs build stages), inline
// pragmas (prodimage, hadolint and trivy forms), severity overrides and
// ignore lists, and reports as JSON or SARIF 2.1.0.
//
// Evaluate is a pure function of its Input: no daemon, no network, no
// files read. It is safe to call from several goroutines at once.
package policy
