package buildctx

import "errors"

// Kinds of failure. Every error returned by this package is an [*Error] whose
// Kind is one of these, so callers can branch with errors.Is:
//
//	if errors.Is(err, buildctx.ErrContextNotFound) { … }
//
// A cancelled walk returns an error that matches the context's error
// (context.Canceled or context.DeadlineExceeded) instead.
var (
	// ErrContextNotFound: the build context directory (or a local named
	// context) does not exist.
	ErrContextNotFound = errors.New("build context not found")
	// ErrNotDirectory: the build context path exists but is not a directory.
	ErrNotDirectory = errors.New("build context is not a directory")
	// ErrDockerfileNotFound: no Dockerfile at the path given (or it is a
	// directory).
	ErrDockerfileNotFound = errors.New("dockerfile not found")
	// ErrUnreadable: a file or directory that the build would send cannot be
	// read.
	ErrUnreadable = errors.New("unreadable file in build context")
	// ErrBadIgnorePattern: a .dockerignore pattern is not valid.
	ErrBadIgnorePattern = errors.New("invalid .dockerignore pattern")
)

// Error describes a failure for a person: what happened, to which path, and
// what to do about it.
type Error struct {
	// Kind is one of the Err… values of this package.
	Kind error
	// Path is the file or directory concerned, as the caller would recognise
	// it (absolute when the caller gave an absolute path).
	Path string
	// Msg is the complete explanation, including the remedy.
	Msg string
	// Err is the underlying cause, if any (for example fs.ErrPermission).
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap lets errors.Is match both the Kind and the underlying cause.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}
