// Command image-checks is the benchmark of issue 5 item 6: imagescan.Scan on a
// 500 MB, 20-layer image in a local registry against pulling the same layers with
// go-containerregistry, with peak memory (VmHWM) of each in its own process, and the
// same on a 100 MB, 20-layer image to show memory does not follow image size.
//
//	go run ./bench/image-checks run [-work .cache/bench/image-checks] [-runs 5] [-sizes 500,100]
//	image-checks scan -ref REF [-parallel 3]   (one measured process; prints JSON)
//	image-checks pull -ref REF [-parallel 3]   (one measured process; prints JSON)
//
// run starts docker-registry with its storage under -work, generates each image's
// layers once (cached as .tar.gz files under -work) and pushes them only when the
// registry does not have the image yet, then alternates scan and pull processes and
// prints a Markdown report (also written to -work/report.md).
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"

	"github.com/prodimage/terraform-provider-prodimage/internal/imagescan"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = run(os.Args[2:])
	case "scan", "pull", "pull-gunzip":
		err = measure(os.Args[1], os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "image-checks:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: image-checks run [-work DIR] [-runs N] [-sizes MB,MB] [-layers N] [-parallel N]\n       image-checks scan|pull -ref REF [-parallel N]")
	os.Exit(2)
}

// sample is what one measured process reports.
type sample struct {
	Op        string  `json:"op"`
	LinkMbit  int     `json:"link_mbit"`
	Seconds   float64 `json:"seconds"`     // the operation, in process
	PeakRSSKB int64   `json:"peak_rss_kb"` // VmHWM at the end
	Bytes     int64   `json:"bytes"`       // compressed bytes read (config + layers)
	Layers    int     `json:"layers"`
	Secrets   int     `json:"secret_files,omitempty"`
	Deleted   int     `json:"secret_files_deleted,omitempty"`
	Setuid    int     `json:"setuid_files,omitempty"`
	Shell     bool    `json:"has_shell,omitempty"`
	CPU       float64 `json:"cpu_seconds"` // user+sys of the whole process, filled in by run
}

func measure(op string, args []string) error {
	fs := flag.NewFlagSet(op, flag.ExitOnError)
	refStr := fs.String("ref", "", "image reference")
	par := fs.Int("parallel", 3, "layers at once")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	linkMbit := fs.Int("link-mbit", 0, "emulate a link of this many Mbit/s (0: as fast as loopback goes)")
	fs.Parse(args)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ref, err := name.ParseReference(*refStr, name.Insecure)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var opts []remote.Option
	if *linkMbit > 0 {
		opts = append(opts, remote.WithTransport(&throttled{rt: remote.DefaultTransport, bytesPerSec: float64(*linkMbit) * 1e6 / 8}))
	}
	s := sample{Op: op, LinkMbit: *linkMbit}
	start := time.Now()
	if op == "scan" {
		res, err := imagescan.Scan(ctx, ref, imagescan.Options{Parallel: *par, Remote: opts})
		if err != nil {
			return err
		}
		p := res.Platforms[0]
		s.Bytes, s.Layers, s.Setuid, s.Shell = p.CompressedSize, p.Layers, len(p.SetuidFiles), p.HasShell
		for _, f := range p.SecretFiles {
			s.Secrets++
			if f.Deleted {
				s.Deleted++
			}
		}
	} else if s.Bytes, s.Layers, err = pull(ctx, ref, *par, op == "pull-gunzip", opts); err != nil {
		return err
	}
	s.Seconds = time.Since(start).Seconds()
	s.PeakRSSKB = vmHWM()
	return json.NewEncoder(os.Stdout).Encode(s)
}

// pull is the baseline: what go-containerregistry does to pull an image, minus
// storing it: manifest, config, and every layer's compressed stream read to the end
// (which verifies its digest) into io.Discard, par layers at once. With gunzip, each
// layer is read through go-containerregistry's Uncompressed instead: the least any
// check of the files inside must do.
func pull(ctx context.Context, ref name.Reference, par int, gunzip bool, opts []remote.Option) (int64, int, error) {
	img, err := remote.Image(ref, append(opts, remote.WithContext(ctx))...)
	if err != nil {
		return 0, 0, err
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return 0, 0, err
	}
	mf, err := img.Manifest()
	if err != nil {
		return 0, 0, err
	}
	layers, err := img.Layers()
	if err != nil {
		return 0, 0, err
	}
	total := int64(len(raw))
	for _, l := range mf.Layers {
		total += l.Size
	}
	errs := make([]error, len(layers))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range par {
		wg.Go(func() {
			for i := range jobs {
				errs[i] = readLayer(layers[i], gunzip)
			}
		})
	}
	for i := range layers {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return total, len(layers), errors.Join(errs...)
}

func readLayer(l v1.Layer, gunzip bool) error {
	open := l.Compressed
	if gunzip {
		open = l.Uncompressed
	}
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// throttled emulates a link of bytesPerSec shared by every connection: each response
// body read waits for its bytes' turn on one clock.
type throttled struct {
	rt          http.RoundTripper
	bytesPerSec float64

	mu   sync.Mutex
	next time.Time
}

func (t *throttled) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err == nil {
		resp.Body = &throttledBody{ReadCloser: resp.Body, t: t}
	}
	return resp, err
}

type throttledBody struct {
	io.ReadCloser
	t *throttled
}

func (b *throttledBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		t := b.t
		t.mu.Lock()
		now := time.Now()
		// A link idle for a moment does not save up more than 20 ms of bytes; within
		// that, time lost to coarse sleeps is made up.
		if floor := now.Add(-20 * time.Millisecond); t.next.Before(floor) {
			t.next = floor
		}
		t.next = t.next.Add(time.Duration(float64(n) / t.bytesPerSec * float64(time.Second)))
		wait := t.next.Sub(now)
		t.mu.Unlock()
		if wait > 0 {
			time.Sleep(wait)
		}
	}
	return n, err
}

func vmHWM() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	work := fs.String("work", ".cache/bench/image-checks", "cache and registry storage")
	runs := fs.Int("runs", 5, "measured runs of each operation per image and link")
	sizesFlag := fs.String("sizes", "500,100", "image sizes, MB compressed")
	linksFlag := fs.String("links", "0,1000", "links to measure on, Mbit/s (0: loopback at full speed)")
	nLayers := fs.Int("layers", 20, "layers per image")
	par := fs.Int("parallel", 3, "layers at once, for scan and pulls alike")
	fs.Parse(args)
	sizes, err := ints("-sizes", *sizesFlag)
	if err != nil {
		return err
	}
	links, err := ints("-links", *linksFlag)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*work, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	host, stop, err := startRegistry(*work)
	if err != nil {
		return err
	}
	defer stop()

	refs := map[int]string{}
	for _, mb := range sizes {
		ref := fmt.Sprintf("%s/bench/app:%dmb-%dl", host, mb, *nLayers)
		if err := ensureImage(*work, ref, mb, *nLayers); err != nil {
			return err
		}
		refs[mb] = ref
	}

	results := map[string][]sample{}
	for _, mb := range sizes {
		// One unmeasured round, so that the registry's files are in the page cache.
		for _, op := range ops {
			if _, err := child(self, op, refs[mb], *par, 0); err != nil {
				return err
			}
		}
	}
	for i := range *runs {
		for _, link := range links {
			for _, mb := range sizes {
				order := slices.Clone(ops)
				if i%2 == 1 {
					slices.Reverse(order)
				}
				for _, op := range order {
					s, err := child(self, op, refs[mb], *par, link)
					if err != nil {
						return err
					}
					fmt.Fprintf(os.Stderr, "run %d, link %d Mbit/s, %d MB, %s: %.2fs, peak RSS %d MiB, CPU %.2fs\n", i+1, link, mb, op, s.Seconds, s.PeakRSSKB/1024, s.CPU)
					k := key(link, mb, op)
					results[k] = append(results[k], *s)
				}
			}
		}
	}
	rep := report(sizes, links, *nLayers, *par, *runs, results)
	fmt.Print(rep)
	return os.WriteFile(filepath.Join(*work, "report.md"), []byte(rep), 0o644)
}

var ops = []string{"pull", "pull-gunzip", "scan"}

func key(link, mb int, op string) string { return fmt.Sprintf("%d/%d/%s", link, mb, op) }

func ints(flagName, s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", flagName, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func child(self, op, ref string, par, link int) (*sample, error) {
	cmd := exec.Command(self, op, "-ref", ref, "-parallel", strconv.Itoa(par), "-link-mbit", strconv.Itoa(link))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", op, ref, err, errb.String())
	}
	var s sample
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		return nil, fmt.Errorf("%s %s: %v: %q", op, ref, err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	return &s, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func field(ss []sample, f func(sample) float64) []float64 {
	var out []float64
	for _, s := range ss {
		out = append(out, f(s))
	}
	return out
}

func seconds(s sample) float64 { return s.Seconds }
func rssMiB(s sample) float64  { return float64(s.PeakRSSKB) / 1024 }

func linkName(link int) string {
	if link == 0 {
		return "loopback"
	}
	return fmt.Sprintf("%d Mbit/s (emulated)", link)
}

func report(sizes, links []int, nLayers, par, runs int, res map[string][]sample) string {
	var b strings.Builder
	model := "unknown"
	if cpu, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(cpu)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(&b, "- Measured %s on %s, `nproc` %d, %s, docker-registry (filesystem storage, plain HTTP on 127.0.0.1), warm page cache; load average at the end %s (the machine is shared with other work). Every row is a separate process per run (peak RSS is its VmHWM); median of %d runs, operations alternated.\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), model, runtime.NumCPU(), runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "), runs)
	fmt.Fprintf(&b, "- All three read the manifest, the config and every layer blob once, %d layers at a time, digests verified: `pull` reads each compressed stream into io.Discard (go-containerregistry `remote.Image`, `Layer.Compressed`), `pull-gunzip` reads each through go-containerregistry's `Layer.Uncompressed` (the least any look at the files must do), `scan` is `imagescan.Scan` (gunzip, tar, every check).\n\n", par)
	b.WriteString("| link | image | operation | median | min | max | CPU user+sys (median) | peak RSS (median) |\n|---|---|---|--:|--:|--:|--:|--:|\n")
	for _, link := range links {
		for _, mb := range sizes {
			for _, op := range ops {
				ss := res[key(link, mb, op)]
				secs := field(ss, seconds)
				fmt.Fprintf(&b, "| %s | %d MB (%.1f MiB), %d layers | %s | %.2f s | %.2f s | %.2f s | %.2f s | %.1f MiB |\n",
					linkName(link), mb, float64(ss[0].Bytes)/(1<<20), nLayers, op, median(secs), slices.Min(secs), slices.Max(secs),
					median(field(ss, func(s sample) float64 { return s.CPU })), median(field(ss, rssMiB)))
			}
		}
	}
	b.WriteString("\n")
	for _, link := range links {
		for _, mb := range sizes {
			scan := median(field(res[key(link, mb, "scan")], seconds))
			pull := median(field(res[key(link, mb, "pull")], seconds))
			gunzip := median(field(res[key(link, mb, "pull-gunzip")], seconds))
			fmt.Fprintf(&b, "- %s, %d MB: scan / pull = **%.2fx**, scan / pull-gunzip = %.2fx\n", linkName(link), mb, scan/pull, scan/gunzip)
		}
	}
	if len(sizes) >= 2 {
		for _, op := range ops {
			a := median(field(res[key(links[0], sizes[0], op)], rssMiB))
			z := median(field(res[key(links[0], sizes[1], op)], rssMiB))
			fmt.Fprintf(&b, "- %s peak RSS (%s): %.1f MiB at %d MB, %.1f MiB at %d MB: %.2fx for %.1fx the bytes\n", op, linkName(links[0]), a, sizes[0], z, sizes[1], a/z, float64(sizes[0])/float64(sizes[1]))
		}
	}
	if ss := res[key(links[0], sizes[0], "scan")]; len(ss) > 0 {
		s := ss[0]
		fmt.Fprintf(&b, "- What the scan found in the %d MB image (planted by the generator): %d secret files (%d deleted by a later layer), %d setuid file, shell %v.\n", sizes[0], s.Secrets, s.Deleted, s.Setuid, s.Shell)
	}
	return b.String()
}

// startRegistry runs docker-registry on a free loopback port with its storage under work,
// so that pushed images survive between benchmark runs.
func startRegistry(work string) (string, func(), error) {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return "", nil, fmt.Errorf("docker-registry is not on the PATH (apt-get install docker-registry): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	host := l.Addr().String()
	l.Close()
	storage, err := filepath.Abs(filepath.Join(work, "registry"))
	if err != nil {
		return "", nil, err
	}
	secret := make([]byte, 16)
	crand.Read(secret)
	conf := fmt.Sprintf("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n  secret: %s\n", storage, host, hex.EncodeToString(secret))
	confPath := filepath.Join(work, "registry.yml")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return "", nil, err
	}
	logf, err := os.Create(filepath.Join(work, "registry.log"))
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "serve", confPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Stops with the benchmark, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		logf.Close()
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return host, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("docker-registry did not answer on %s in 30s (see %s)", host, logf.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ensureImage pushes the mb-sized image unless the registry has it already.
func ensureImage(work, refStr string, mb, nLayers int) error {
	ref, err := name.ParseReference(refStr, name.Insecure)
	if err != nil {
		return err
	}
	if _, err := remote.Head(ref); err == nil {
		fmt.Fprintf(os.Stderr, "%s: in the registry already\n", refStr)
		return nil
	}
	dir := filepath.Join(work, fmt.Sprintf("layers-%dmb-%dl", mb, nLayers))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	paths := make([]string, nLayers)
	var wg sync.WaitGroup
	errs := make([]error, nLayers)
	sem := make(chan struct{}, runtime.NumCPU())
	for i := range nLayers {
		paths[i] = filepath.Join(dir, fmt.Sprintf("%02d.tar.gz", i))
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = genLayer(paths[i], i, nLayers, int64(mb)<<20/int64(nLayers))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for i, p := range paths {
		l, err := tarball.LayerFromFile(p, tarball.WithMediaType(types.OCILayer))
		if err != nil {
			return err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: fmt.Sprintf("RUN generate layer %d # buildkit", i)}}); err != nil {
			return err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config = v1.Config{User: "10001", Cmd: []string{"/app/server"}, Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin"}}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: pushing\n", refStr)
	return remote.Write(ref, img)
}

// genLayer writes layer i of n as a gzip-compressed tar of about target compressed
// bytes, unless a complete one is there from an earlier run. The content is
// deterministic: source-like text (compresses about 4:1), binary-like data (partly
// repeating, about 1.5:1) and already-compressed assets (1:1), in files of 1 KiB to
// 4 MiB, so that a layer compresses about 2.5:1 like a typical application image. A
// few layers carry what the checks look for: /etc/passwd, a shell, a setuid file, a
// .env deleted two layers later, a .git directory.
func genLayer(path string, i, n int, target int64) error {
	done := path + ".done"
	if _, err := os.Stat(done); err == nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	zw, err := gzip.NewWriterLevel(cw, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	r := rand.New(rand.NewPCG(uint64(i), uint64(target)))
	add := func(h *tar.Header, body []byte) error {
		h.ModTime = time.Unix(1700000000, 0)
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(body))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}
	var special []struct {
		h    tar.Header
		body string
	}
	addSpecial := func(h tar.Header, body string) {
		special = append(special, struct {
			h    tar.Header
			body string
		}{h, body})
	}
	switch i {
	case 0:
		addSpecial(tar.Header{Name: "etc/passwd"}, "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n")
		addSpecial(tar.Header{Name: "bin/busybox", Mode: 0o755}, "\x7fELF busybox")
		addSpecial(tar.Header{Name: "bin/sh", Typeflag: tar.TypeSymlink, Linkname: "busybox"}, "")
		addSpecial(tar.Header{Name: "bin/ping", Mode: 0o4755}, "\x7fELF ping")
	case n / 4:
		addSpecial(tar.Header{Name: "app/.env"}, "DATABASE_URL=postgres://app:benchmark-only@db/app\n")
	case n/4 + 2:
		addSpecial(tar.Header{Name: "app/.wh..env"}, "")
	case n / 2:
		for j := range 200 {
			addSpecial(tar.Header{Name: fmt.Sprintf("app/.git/objects/%02x/%038x", j%256, j)}, "blob")
		}
	}
	for _, s := range special {
		if err := add(&s.h, []byte(s.body)); err != nil {
			return err
		}
	}
	vocab := makeVocab(r)
	buf := make([]byte, 0, 4<<20)
	for file := 0; cw.n < target; file++ {
		var name string
		switch k := r.IntN(10); {
		case k < 6:
			buf = textData(r, vocab, buf[:0], logSize(r, 1<<10, 64<<10))
			name = fmt.Sprintf("app/node_modules/pkg%03d/lib/file%05d.js", file%500, file)
		case k < 9:
			buf = binaryData(r, buf[:0], logSize(r, 16<<10, 4<<20))
			name = fmt.Sprintf("usr/lib/layer%02d/lib%05d.so", i, file)
		default:
			buf = randomData(r, buf[:0], logSize(r, 8<<10, 512<<10))
			name = fmt.Sprintf("app/public/img%05d.png", file)
		}
		if err := add(&tar.Header{Name: fmt.Sprintf("l%02d/", i) + name}, buf); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := cw.w.(*bufio.Writer).Flush(); err != nil {
		return err
	}
	return os.WriteFile(done, nil, 0o644)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// logSize draws a size log-uniformly in [lo, hi).
func logSize(r *rand.Rand, lo, hi int) int {
	return int(float64(lo) * math.Pow(float64(hi)/float64(lo), r.Float64()))
}

func makeVocab(r *rand.Rand) []string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
	v := []string{"function", "return", "const", "let", "import", "export", "from", "if", "else", "for", "while",
		"=>", "{", "}", "(", ")", ";", "=", "===", "null", "undefined", "this", "new", "await", "async", "\n", "\n  ", "\n    "}
	for range 3000 {
		w := make([]byte, 3+r.IntN(10))
		for j := range w {
			w[j] = letters[r.IntN(len(letters))]
		}
		v = append(v, string(w))
	}
	return v
}

func textData(r *rand.Rand, vocab []string, b []byte, size int) []byte {
	for len(b) < size {
		// Zipf-like: short common tokens most of the time.
		w := vocab[min(int(r.ExpFloat64()*120), len(vocab)-1)]
		b = append(b, w...)
		b = append(b, ' ')
	}
	return b[:size]
}

// binaryData: blocks that are either a copy of an earlier block or fresh bytes from a
// skewed alphabet (many zeros, a few dozen common values), as in machine code and data
// sections.
func binaryData(r *rand.Rand, b []byte, size int) []byte {
	for len(b) < size {
		if len(b) >= 512 && r.IntN(10) < 5 {
			n := 32 + r.IntN(224)
			// Within deflate's 32 KiB window, as real repeats mostly are.
			lo := max(0, len(b)-30<<10)
			off := lo + r.IntN(len(b)-n-lo)
			b = append(b, b[off:off+n]...)
			continue
		}
		for range 16 {
			x := r.Uint64()
			for k := range 8 {
				c := byte(x >> (8 * k))
				if c < 90 {
					c = 0
				} else {
					c &= 0x3f
				}
				b = append(b, c)
			}
		}
	}
	return b[:size]
}

func randomData(r *rand.Rand, b []byte, size int) []byte {
	for len(b) < size {
		x := r.Uint64()
		b = append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24), byte(x>>32), byte(x>>40), byte(x>>48), byte(x>>56))
	}
	return b[:size]
}
