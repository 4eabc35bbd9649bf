// Package policy evaluates the production checklist (RULES.md) on a
// Dockerfile and its .dockerignore: rules with IDs, aliases and default
// severities, multi-stage scopes (runtime chain vs build stages), inline
// pragmas (prodimage, hadolint and trivy forms), severity overrides and
// ignore lists, and reports as JSON or SARIF 2.1.0.
//
// Given the facts of a built image (ImageFacts, gathered by
// internal/imagescan), the image rules check what was actually built, on
// every platform of an index, alongside the Dockerfile or alone. Given a
// scanner report (Trivy JSON, Grype JSON or SARIF), vuln-report gates on the
// vulnerabilities it counts per severity.
//
// Evaluate is a pure function of its Input: no daemon, no network, no
// files read. It is safe to call from several goroutines at once.
package policy
