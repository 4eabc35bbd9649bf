// Package dockerfile parses a Dockerfile with BuildKit's own parser and
// instruction model into what a policy needs to reason about a multi-stage
// build: the stages, the graph between them (FROM <stage>, COPY --from,
// RUN --mount=from), the runtime chain of a target stage, and every image
// reference resolved through ARG defaults and caller build args with
// BuildKit's scoping rules.
//
// Parse never fails: a part BuildKit cannot parse (an unknown instruction or
// flag, an unterminated heredoc, an instruction before the first FROM)
// becomes a ParseError with its line, and the rest of the file is still
// parsed. It needs no daemon and no network.
package dockerfile
