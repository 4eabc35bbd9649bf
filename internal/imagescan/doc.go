// Package imagescan reads a pushed image, or every image of an index, from its registry
// and gathers the facts the image rules of RULES.md check: the config and history, the
// compressed size, secret files in any layer (deleted later or not), the setuid files,
// /etc/passwd and whether a shell exists in the final filesystem.
//
// Every layer is read exactly once, as a stream: compressed bytes from the registry
// (digest verified) through gzip or zstd (or none) into a tar reader, never written to
// disk nor held whole in memory. A worker keeps fixed buffers (64 KiB read-ahead, the
// decoder's window, a 64 KiB sniff buffer); beyond them a scan keeps per-path metadata
// only for the paths the checks track, and one 8-byte hash per tar entry of a layer until
// the layer is merged. Memory therefore depends on Options.Parallel, not on image size.
//
// # Final filesystem
//
// Layers are applied in order as an overlay filesystem does: a layer's whiteouts
// (".wh.<name>" deletes <name> and everything under it; ".wh..wh..opq" hides what lower
// layers had in its directory) and the entries it adds hide the paths of lower layers
// they delete or replace. SetuidFiles, Passwd and HasShell describe the result;
// SecretFiles describe every layer, with Deleted telling the hidden ones.
//
// # Secret files
//
// One SecretFile per file and layer, never its content:
//
//   - dotenv, by name: ".env", ".envrc" (direnv's, which exports variables) and
//     ".env" followed by ".", "-" or "_" and more (".env.production", ".env-local"),
//     except templates whose last part is example(s), sample, template, tmpl, tpl, dist,
//     defaults or schema (".env.example", ".env.local.sample"). Empty files are skipped.
//   - private-key, by content: a PEM block whose label ends in "PRIVATE KEY" (RSA, EC,
//     DSA, OPENSSH, ENCRYPTED, PKCS#8) followed by a line break, or a JSON "\n" escape, and
//     base64 data, or a PuTTY key file, within the first 64 KiB of any regular file of at
//     most 1 MiB, whatever its name (id_rsa, server.key, a service-account JSON, "notes").
//     A header named in code or documentation ("-----BEGIN %s-----") is not a key.
//   - npmrc (".npmrc", "npmrc"): a "_authToken", "_auth", "_password" or "password" key,
//     bare or scoped ("//registry.example.com/:_authToken"), with a value that is not
//     only an environment reference ("${NPM_TOKEN}" is the safe pattern and passes).
//   - pypirc (".pypirc"): a "password" key with a value.
//   - netrc (".netrc", "_netrc"): a "password" token followed by a value.
//   - aws-credentials (".aws/credentials"): "aws_secret_access_key" or "aws_session_token"
//     with a value.
//   - docker-config (".docker/config.json", legacy ".dockercfg"): an auths entry with a
//     non-empty "auth", "identitytoken", "registrytoken" or "password"; entries left empty
//     for a credential helper pass.
//   - git-credentials (".git-credentials"): a URL with user:password@.
//   - git: a .git directory, once per repository root and layer (its files are not listed).
//
// Named files that hold no credential (an .npmrc with only a registry URL) are not
// reported; a file matching a name kind and holding a private key reports the name kind.
//
// # Limits
//
//   - Files over 1 MiB are not opened; a secret file by name (dotenv) is reported at
//     any size.
//   - /etc/passwd is read when it is a regular file; a symlink or hard link there
//     leaves Passwd nil. More than 1 MiB is cut.
//   - Hard links count as files of their target's content and mode: a link to a secret
//     file of the same layer is reported too.
//   - Nested indexes and attestation manifests in an index are skipped.
package imagescan
