package build

import (
	"context"
	"sort"

	"github.com/containerd/platforms"
)

// Worker is one BuildKit worker as the daemon reports it.
type Worker struct {
	ID        string
	Platforms []string
	Labels    map[string]string
}

// Description is what the daemon can do.
type Description struct {
	Address         string
	BuildkitVersion string
	Platforms       []string // union over workers, in the daemon's order (native first)
	Workers         []Worker
}

// Describe asks the daemon for its version and workers.
func (b *Builder) Describe(ctx context.Context) (*Description, error) {
	c, err := b.Client(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := c.ListWorkers(ctx)
	if err != nil {
		return nil, b.wrapConnErr(err)
	}
	d := &Description{Address: b.addr}
	if info, err := c.Info(ctx); err == nil {
		d.BuildkitVersion = info.BuildkitVersion.Version
	} else if err := b.wrapConnErr(err); err != nil {
		if _, ok := err.(*UnreachableError); ok {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, w := range ws {
		wk := Worker{ID: w.ID, Labels: w.Labels}
		for _, p := range w.Platforms {
			s := platforms.Format(platforms.Normalize(p))
			wk.Platforms = append(wk.Platforms, s)
			if !seen[s] {
				seen[s] = true
				d.Platforms = append(d.Platforms, s)
			}
		}
		d.Workers = append(d.Workers, wk)
	}
	sort.Slice(d.Workers, func(i, j int) bool { return d.Workers[i].ID < d.Workers[j].ID })
	return d, nil
}
