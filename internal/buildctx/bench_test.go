package buildctx

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCompute digests a generated context of 2,000 files (~20 MB) beside
// a 5,000-file node_modules that .dockerignore excludes, and the same context
// with node_modules absent. The full-size comparison with Terraform and tar is
// bench/context-digest/run.sh.
func BenchmarkCompute(b *testing.B) {
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 256<<10)
	for i := range buf {
		buf[i] = 'a' + byte(rng.IntN(26))
	}
	var size int64
	write := func(p string, n int) {
		full := filepath.Join(dir, p)
		mustDo(b, os.MkdirAll(filepath.Dir(full), 0o755))
		mustDo(b, os.WriteFile(full, buf[:n], 0o644))
	}
	for i := range 2000 {
		n := 512 + rng.IntN(16<<10)
		if i%100 == 0 {
			n = 256 << 10
		}
		size += int64(n)
		write(fmt.Sprintf("src/d%02d/f%04d.go", i/50, i), n)
	}
	for i := range 5000 {
		write(fmt.Sprintf("node_modules/p%03d/m%02d.js", i/20, i%20), 1024)
	}
	writeTree(b, dir, tree{"Dockerfile": "FROM scratch\nCOPY . /\n", ".dockerignore": "node_modules\n"})

	run := func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if _, err := Compute(context.Background(), Input{ContextDir: dir}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("node_modules=excluded", run)
	mustDo(b, os.RemoveAll(filepath.Join(dir, "node_modules")))
	b.Run("node_modules=absent", run)
}
