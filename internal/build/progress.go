package build

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// Event is one line of build progress, for the caller's log.
type Event struct {
	Vertex   string        // BuildKit's step name, e.g. "[build 2/5] RUN go build ./..."
	Status   string        // "started", "done", "cached", "error", "log"
	Duration time.Duration // for done/cached/error
	Message  string        // a log line or the error
}

// ProgressFunc receives events; it must not block for long.
type ProgressFunc func(Event)

const tailLines = 20

type vertexState struct {
	name      string
	started   *time.Time
	completed *time.Time
	cached    bool
	err       string
	partial   []byte
	tail      []string
	order     int
}

// tracker follows a solve's status stream: it reports steps as they finish and keeps the
// last lines of output of every step, so that a failure can show what the step printed.
type tracker struct {
	mu       sync.Mutex
	vertices map[digest.Digest]*vertexState
	next     int
	emit     ProgressFunc
}

func newTracker(emit ProgressFunc) *tracker {
	if emit == nil {
		emit = func(Event) {}
	}
	return &tracker{vertices: map[digest.Digest]*vertexState{}, emit: emit}
}

func (t *tracker) vertex(d digest.Digest) *vertexState {
	v, ok := t.vertices[d]
	if !ok {
		v = &vertexState{order: t.next}
		t.next++
		t.vertices[d] = v
	}
	return v
}

func (t *tracker) update(s *client.SolveStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, vx := range s.Vertexes {
		v := t.vertex(vx.Digest)
		v.name = vx.Name
		if vx.Started != nil && v.started == nil {
			v.started = vx.Started
			if !vx.Cached {
				t.emit(Event{Vertex: v.name, Status: "started"})
			}
		}
		if vx.Cached && !v.cached {
			v.cached = true
			t.emit(Event{Vertex: v.name, Status: "cached"})
		}
		if vx.Completed != nil && v.completed == nil {
			v.completed = vx.Completed
			var d time.Duration
			if v.started != nil {
				d = v.completed.Sub(*v.started)
			}
			switch {
			case vx.Error != "":
				v.err = vx.Error
				t.emit(Event{Vertex: v.name, Status: "error", Duration: d, Message: vx.Error})
			case !v.cached:
				t.emit(Event{Vertex: v.name, Status: "done", Duration: d})
			}
		}
	}
	for _, l := range s.Logs {
		v := t.vertex(l.Vertex)
		data := append(v.partial, l.Data...)
		lines := bytes.Split(data, []byte("\n"))
		v.partial = append([]byte(nil), lines[len(lines)-1]...)
		for _, ln := range lines[:len(lines)-1] {
			line := strings.TrimRight(string(ln), "\r")
			v.tail = append(v.tail, line)
			if len(v.tail) > tailLines {
				v.tail = v.tail[len(v.tail)-tailLines:]
			}
			t.emit(Event{Vertex: v.name, Status: "log", Message: line})
		}
	}
}

// failed returns the first step that reported an error, with its output tail.
func (t *tracker) failed() (name string, tail []string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var errs []*vertexState
	for _, v := range t.vertices {
		if v.err != "" {
			errs = append(errs, v)
		}
	}
	if len(errs) == 0 {
		return "", nil, false
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].order < errs[j].order })
	v := errs[0]
	tail = append([]string(nil), v.tail...)
	if len(v.partial) > 0 {
		tail = append(tail, string(v.partial))
		if len(tail) > tailLines {
			tail = tail[len(tail)-tailLines:]
		}
	}
	return v.name, tail, true
}

// cachedSteps counts steps BuildKit answered from cache, and all steps, for callers and tests.
func (t *tracker) counts() (cached, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range t.vertices {
		total++
		if v.cached {
			cached++
		}
	}
	return
}

func (e Event) String() string {
	switch e.Status {
	case "log":
		return fmt.Sprintf("%s | %s", e.Vertex, e.Message)
	case "error":
		return fmt.Sprintf("%s: ERROR after %s: %s", e.Vertex, e.Duration.Round(time.Millisecond), e.Message)
	case "done":
		return fmt.Sprintf("%s: done in %s", e.Vertex, e.Duration.Round(time.Millisecond))
	default:
		return fmt.Sprintf("%s: %s", e.Vertex, e.Status)
	}
}
