package policy

import (
	"path"
	"strings"
)

// shCmd is one simple command of a shell script: "a | b && c" has three.
type shCmd struct {
	words   []string          // unquoted words after wrappers, redirection targets removed
	assigns map[string]string // leading NAME=value words
	sudo    bool              // run through sudo
	pipeIn  bool              // reads the previous command's stdout
	pipeOut bool              // its stdout goes to the next command
	exec    bool              // run with exec
}

// name is the command's basename ("apt-get" for /usr/bin/apt-get).
func (c *shCmd) name() string {
	if len(c.words) == 0 {
		return ""
	}
	return path.Base(c.words[0])
}

func (c *shCmd) args() []string {
	if len(c.words) < 2 {
		return nil
	}
	return c.words[1:]
}

// hasArg reports whether any argument equals one of want, or starts with
// want+"=" (so "--omit" matches "--omit=dev").
func (c *shCmd) hasArg(want ...string) bool {
	for _, a := range c.args() {
		for _, w := range want {
			if a == w || strings.HasPrefix(a, w+"=") {
				return true
			}
		}
	}
	return false
}

// hasShort reports whether a short-option cluster ("-fsSLk") holds letter.
func (c *shCmd) hasShort(letter byte) bool {
	for _, a := range c.args() {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], letter) >= 0 {
			return true
		}
	}
	return false
}

var shellNames = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "busybox": false}

// parseShell splits a POSIX shell script into simple commands. It is not a
// full shell parser: it understands quoting, escapes, $(…) and `…`,
// comments, redirections, pipes and the list operators, which is what rules
// need to find commands and their arguments.
func parseShell(script string) []shCmd {
	var (
		cmds     []shCmd
		words    []string
		word     strings.Builder
		inWord   bool
		skipNext bool // the next word is a redirection target
		pipeIn   bool
	)
	endWord := func() {
		if !inWord {
			return
		}
		if skipNext {
			skipNext = false
		} else {
			words = append(words, word.String())
		}
		word.Reset()
		inWord = false
	}
	endCmd := func(pipe bool) {
		endWord()
		if len(words) > 0 {
			c := finishCmd(words)
			c.pipeIn = pipeIn
			c.pipeOut = pipe
			cmds = append(cmds, c)
		}
		words = nil
		pipeIn = pipe
	}
	r := []rune(script)
	n := len(r)
	for i := 0; i < n; i++ {
		ch := r[i]
		switch {
		case ch == '\\':
			if i+1 < n {
				i++
				if r[i] == '\n' {
					continue
				}
				word.WriteRune(r[i])
				inWord = true
			}
		case ch == '\'':
			inWord = true
			for i++; i < n && r[i] != '\''; i++ {
				word.WriteRune(r[i])
			}
		case ch == '"':
			inWord = true
			for i++; i < n && r[i] != '"'; i++ {
				if r[i] == '\\' && i+1 < n && strings.ContainsRune("\"\\$`\n", r[i+1]) {
					i++
					if r[i] == '\n' {
						continue
					}
				}
				word.WriteRune(r[i])
			}
		case ch == '$' && i+1 < n && r[i+1] == '(':
			inWord = true
			depth := 0
			for ; i < n; i++ {
				word.WriteRune(r[i])
				if r[i] == '(' {
					depth++
				} else if r[i] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
		case ch == '`':
			inWord = true
			word.WriteRune(ch)
			for i++; i < n && r[i] != '`'; i++ {
				word.WriteRune(r[i])
			}
			word.WriteRune('`')
		case ch == '#' && !inWord:
			for i < n && r[i] != '\n' {
				i++
			}
			endCmd(false)
		case ch == ' ' || ch == '\t' || ch == '\r':
			endWord()
		case ch == '\n' || ch == ';':
			endCmd(false)
		case ch == '&':
			if i+1 < n && r[i+1] == '&' {
				i++
				endCmd(false)
			} else if i+1 < n && r[i+1] == '>' {
				// &> file
				endWord()
				i++
				if i+1 < n && r[i+1] == '>' {
					i++
				}
				skipNext = true
			} else {
				endCmd(false)
			}
		case ch == '|':
			if i+1 < n && r[i+1] == '|' {
				i++
				endCmd(false)
			} else {
				if i+1 < n && r[i+1] == '&' {
					i++
				}
				endCmd(true)
			}
		case ch == '(' || ch == ')':
			endCmd(false)
		case ch == '<' || ch == '>':
			// A word of digits right before is a file descriptor, not an argument.
			if inWord && isDigits(word.String()) {
				word.Reset()
				inWord = false
			} else {
				endWord()
			}
			for i+1 < n && (r[i+1] == '<' || r[i+1] == '>' || r[i+1] == '|') {
				i++
			}
			if i+1 < n && r[i+1] == '&' {
				i++
				for i+1 < n && (isDigitRune(r[i+1]) || r[i+1] == '-') {
					i++
				}
				continue
			}
			skipNext = true
		default:
			word.WriteRune(ch)
			inWord = true
		}
	}
	endCmd(false)
	return cmds
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isDigitRune(r) {
			return false
		}
	}
	return true
}

var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "!": true, "{": true, "}": true, "time": true, "esac": true,
}

// finishCmd strips what precedes the real command: shell keywords, NAME=value
// assignments and wrappers (env, sudo, exec, command, nohup, nice).
func finishCmd(words []string) shCmd {
	c := shCmd{}
	i := 0
	for i < len(words) {
		w := words[i]
		switch {
		case shellKeywords[w]:
			i++
		case isAssignment(w):
			k, v, _ := strings.Cut(w, "=")
			if c.assigns == nil {
				c.assigns = map[string]string{}
			}
			c.assigns[k] = v
			i++
		case w == "env":
			i++
			for i < len(words) && (strings.HasPrefix(words[i], "-") || isAssignment(words[i])) {
				if words[i] == "-u" || words[i] == "--unset" {
					i++
				} else if isAssignment(words[i]) {
					k, v, _ := strings.Cut(words[i], "=")
					if c.assigns == nil {
						c.assigns = map[string]string{}
					}
					c.assigns[k] = v
				}
				i++
			}
		case w == "sudo":
			c.sudo = true
			i++
			for i < len(words) && strings.HasPrefix(words[i], "-") {
				switch words[i] {
				case "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U":
					i++
				}
				i++
			}
		case w == "exec":
			c.exec = true
			i++
			for i < len(words) && strings.HasPrefix(words[i], "-") {
				i++
			}
		case w == "command" || w == "nohup" || w == "builtin":
			i++
		case w == "nice":
			i++
			if i < len(words) && words[i] == "-n" {
				i += 2
			} else if i < len(words) && strings.HasPrefix(words[i], "-") {
				i++
			}
		default:
			c.words = words[i:]
			return c
		}
	}
	return c
}

func isAssignment(w string) bool {
	eq := strings.IndexByte(w, '=')
	if eq <= 0 {
		return false
	}
	for j, r := range w[:eq] {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (j > 0 && isDigitRune(r))) {
			return false
		}
	}
	return true
}

// pkgOp is a package-manager invocation found in a RUN.
type pkgOp struct {
	mgr   string   // apt, apk, yum (dnf, microdnf, zypper, tdnf too), pip, npm, yarn, pnpm, gem, go, poetry, bundle, composer, cargo
	tool  string   // the command as written: apt-get, dnf, pip3, …
	verb  string   // install, add, ci, update, upgrade, prune, build, download, …
	pkgs  []string // positional arguments after the verb
	flags []string // options, "--name=value" when they take a value
	cmd   *shCmd
}

// has reports whether an option is present: exact, or "--name=value".
func (o *pkgOp) has(names ...string) bool {
	for _, f := range o.flags {
		for _, n := range names {
			if f == n || strings.HasPrefix(f, n+"=") {
				return true
			}
		}
	}
	return false
}

// value returns the values of an option ("--without=dev" → "dev").
func (o *pkgOp) values(name string) []string {
	var out []string
	for _, f := range o.flags {
		if v, ok := strings.CutPrefix(f, name+"="); ok {
			out = append(out, v)
		}
	}
	return out
}

// short reports whether a short-option cluster holds letter ("-qy" has 'y').
func (o *pkgOp) short(letter byte) bool {
	for _, f := range o.flags {
		if len(f) > 1 && f[0] == '-' && f[1] != '-' {
			name, _, _ := strings.Cut(f[1:], "=")
			if strings.IndexByte(name, letter) >= 0 {
				return true
			}
		}
	}
	return false
}

// valued lists, per manager, the options that take a separate value.
var valued = map[string]map[string]bool{
	"apt": set("-o", "-c", "-t", "--target-release", "--option", "--config-file"),
	"apk": set("-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"),
	"yum": set("-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude", "--repo", "--repofrompath", "--setopt", "--setopt"),
	"pip": set("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
		"-f", "--find-links", "--trusted-host", "-t", "--target", "--prefix", "--root", "--platform", "--python-version",
		"--implementation", "--abi", "--only-binary", "--no-binary", "--src", "--upgrade-strategy", "--progress-bar",
		"--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--cert", "--client-cert",
		"--report", "-C", "--config-settings", "--global-option", "--python"),
	"npm":      set("--prefix", "-w", "--workspace", "--registry", "--cache", "--loglevel", "--omit", "--include", "--only", "--userconfig"),
	"yarn":     set("--modules-folder", "--cache-folder", "--network-timeout", "--registry", "--mutex", "--cwd"),
	"pnpm":     set("--filter", "-F", "--store-dir", "--dir", "-C", "--registry"),
	"gem":      set("-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s"),
	"go":       set("-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-p", "-mod", "-C", "-modfile", "-overlay", "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-pgo", "-toolexec", "-exec"),
	"poetry":   set("--without", "--with", "--only", "-E", "--extras", "-C", "--directory", "-P", "--project"),
	"bundle":   set("--without", "--with", "--jobs", "-j", "--path", "--gemfile", "--retry"),
	"composer": set("-d", "--working-dir"),
	"cargo":    set("--target", "--features", "-F", "-p", "--package", "--bin", "--manifest-path", "-j", "--jobs", "--target-dir", "--profile"),
}

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// managerOf maps a command to its package manager family.
func managerOf(c *shCmd) (mgr string, rest []string) {
	name := c.name()
	args := c.args()
	switch name {
	case "apt-get", "apt", "aptitude":
		return "apt", args
	case "apk":
		return "apk", args
	case "yum", "dnf", "microdnf", "tdnf", "zypper":
		return "yum", args
	case "npm":
		return "npm", args
	case "yarn":
		return "yarn", args
	case "pnpm":
		return "pnpm", args
	case "gem":
		return "gem", args
	case "go":
		return "go", args
	case "poetry":
		return "poetry", args
	case "bundle", "bundler":
		return "bundle", args
	case "composer":
		return "composer", args
	case "cargo":
		return "cargo", args
	case "uv":
		if len(args) > 0 && args[0] == "pip" {
			return "pip", args[1:]
		}
	}
	if isPip(name) {
		return "pip", args
	}
	if strings.HasPrefix(name, "python") && len(args) >= 2 && args[0] == "-m" && isPip(args[1]) {
		return "pip", args[2:]
	}
	return "", nil
}

func isPip(name string) bool {
	if !strings.HasPrefix(name, "pip") {
		return false
	}
	rest := name[3:]
	return rest == "" || strings.Trim(rest, "0123456789.") == ""
}

// pkgOps finds the package-manager invocations in commands.
func pkgOps(cmds []shCmd) []pkgOp {
	var out []pkgOp
	for i := range cmds {
		c := &cmds[i]
		mgr, rest := managerOf(c)
		if mgr == "" {
			continue
		}
		op := pkgOp{mgr: mgr, tool: c.name(), cmd: c}
		takes := valued[mgr]
		var pos []string
		for j := 0; j < len(rest); j++ {
			a := rest[j]
			if a == "--" {
				pos = append(pos, rest[j+1:]...)
				break
			}
			if strings.HasPrefix(a, "-") && len(a) > 1 {
				if takes[a] && j+1 < len(rest) {
					op.flags = append(op.flags, a+"="+rest[j+1])
					j++
				} else {
					op.flags = append(op.flags, a)
				}
				continue
			}
			pos = append(pos, a)
		}
		if len(pos) > 0 {
			op.verb = pos[0]
			op.pkgs = pos[1:]
		}
		switch mgr {
		case "yarn":
			if op.verb == "" {
				op.verb = "install"
			}
			if op.verb == "global" && len(op.pkgs) > 0 {
				op.verb, op.pkgs = op.pkgs[0], op.pkgs[1:]
			}
		case "go":
			if op.verb == "mod" && len(op.pkgs) > 0 {
				op.verb, op.pkgs = "mod "+op.pkgs[0], op.pkgs[1:]
			}
		case "npm", "pnpm":
			if op.verb == "i" || op.verb == "add" {
				op.verb = "install"
			}
			if op.verb == "run" || op.verb == "run-script" {
				if len(op.pkgs) > 0 {
					op.verb, op.pkgs = "run "+op.pkgs[0], op.pkgs[1:]
				}
			}
		case "yum":
			if op.verb == "in" {
				op.verb = "install"
			}
		}
		out = append(out, op)
	}
	return out
}

// isInstall reports whether op installs OS packages (apt, apk, yum family).
func (o *pkgOp) isOSInstall() bool {
	switch o.mgr {
	case "apt", "yum":
		return o.verb == "install"
	case "apk":
		return o.verb == "add"
	}
	return false
}

// isDepInstall reports whether op installs a project's dependencies, the
// kind of step layer caching is about.
func (o *pkgOp) isDepInstall() bool {
	switch o.mgr {
	case "npm":
		return o.verb == "ci" || (o.verb == "install" && len(o.pkgs) == 0 && !o.has("-g", "--global"))
	case "yarn":
		return o.verb == "install"
	case "pnpm":
		return o.verb == "install" && len(o.pkgs) == 0
	case "pip":
		return o.verb == "install" && (o.has("-r", "--requirement") || o.hasLocalProject())
	case "poetry":
		return o.verb == "install" || o.verb == "sync"
	case "go":
		return o.verb == "mod download"
	case "bundle":
		return o.verb == "install" || o.verb == ""
	case "composer":
		return o.verb == "install"
	case "cargo":
		return o.verb == "fetch" || o.verb == "build"
	}
	return false
}

func (o *pkgOp) hasLocalProject() bool {
	for _, p := range o.pkgs {
		if p == "." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, ".[") {
			return true
		}
	}
	return false
}

// osPackageName strips the version from an OS package argument
// ("curl=7.88.1-10" → "curl", "tini~0.19" → "tini").
func osPackageName(mgr, p string) string {
	if i := strings.IndexAny(p, "=<>~"); i > 0 {
		p = p[:i]
	}
	if mgr == "yum" {
		// name-version: the version starts at the first "-<digit>".
		for i := 0; i+1 < len(p); i++ {
			if p[i] == '-' && isDigitRune(rune(p[i+1])) {
				return p[:i]
			}
		}
	}
	return p
}
