package policy

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// read_only_fs: the container runs with readOnlyRootFilesystem.

var ruleWritablePaths = &rule{
	id: "writable-paths", key: keyReadOnlyFS, sev: Low,
	summary: "The runtime chain prepares no writable location for the runtime user: no VOLUME, no directory created and chowned to that user (by RUN chown/install -o, or COPY --chown into /tmp, /run, /var/…, /home, /data).",
	bad:     "FROM node:20-alpine\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nRUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	fix:     "Create the directories the app writes to and give them to the runtime user (`RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app`), then mount a tmpfs or emptyDir there and run with readOnlyRootFilesystem: true.",
}

var writableDirs = []string{"/tmp", "/var/tmp", "/run", "/var/run", "/var/cache", "/var/lib", "/var/log", "/home", "/data", "/cache"}

func checkWritablePaths(c *ctx) {
	if c.target == nil {
		return
	}
	user := c.runtimeUser()
	names := c.userNames(user)
	ownerIs := func(expand func(string) (string, []string), owner, _ string) bool {
		o, _ := expand(owner)
		return names[userPart(o)]
	}
	for _, ins := range c.chainIns() {
		if _, ok := ins.Command.(*instructions.VolumeCommand); ok {
			return
		}
		if ci := copyOf(ins); ci != nil && ci.chown != "" && user != "" && ownerIs(ins.Expand, ci.chown, user) {
			for _, d := range writableDirs {
				if within(strings.TrimSuffix(ci.dest, "/"), d) {
					return
				}
			}
		}
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for _, cmd := range ri.cmds {
			switch cmd.name() {
			case "chown":
				if owner := firstOperand(cmd.args()); owner != "" && (user == "" || ownerIs(ins.Expand, owner, user)) {
					return
				}
			case "install":
				args := cmd.args()
				for i, a := range args {
					if (a == "-o" || a == "--owner") && i+1 < len(args) && (user == "" || ownerIs(ins.Expand, args[i+1], user)) {
						return
					}
				}
			case "mkdir":
				if user == "" {
					return
				}
			}
		}
	}
	who := "the runtime user"
	if u := c.lastUser(); u != nil {
		who = "USER " + u.value
	}
	c.reportMissing(ruleWritablePaths, fmt.Sprintf("the runtime image prepares no writable directory for %s (no VOLUME, nothing chowned to it): with a read-only root filesystem the app can write nowhere", who))
}

var userOptsWithValue = set("--gid", "--home", "--home-dir", "--shell", "--ingroup", "--gecos", "--comment", "--groups",
	"--key", "--password", "--root", "--prefix", "--expiredate", "--inactive", "--skel", "--firstuid", "--lastuid", "--conf")

// userNames is user plus the names or UIDs the runtime chain gives it
// (`useradd -u 10001 app` makes "app" and "10001" the same user).
func (c *ctx) userNames(user string) map[string]bool {
	out := map[string]bool{user: true}
	if user == "" {
		return out
	}
	for _, ri := range c.chainRuns() {
		for _, cmd := range ri.cmds {
			if n := cmd.name(); n != "useradd" && n != "adduser" {
				continue
			}
			args := cmd.args()
			uid, name := "", ""
			for i := 0; i < len(args); i++ {
				switch a := args[i]; {
				case (a == "-u" || a == "--uid") && i+1 < len(args):
					uid = args[i+1]
					i++
				case strings.HasPrefix(a, "--uid="):
					uid = strings.TrimPrefix(a, "--uid=")
				case strings.HasPrefix(a, "-") && len(a) == 2 && strings.ContainsRune("gGhdsckKpefCbZ", rune(a[1])) && i+1 < len(args):
					i++
				case userOptsWithValue[a] && i+1 < len(args):
					i++
				case !strings.HasPrefix(a, "-"):
					name = a
				}
			}
			if uid != "" && name != "" && (uid == user || name == user) {
				out[uid], out[name] = true, true
			}
		}
	}
	return out
}

func firstOperand(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

func within(p, dir string) bool {
	p, dir = path.Clean(p), path.Clean(dir)
	return p == dir || strings.HasPrefix(p, dir+"/") || dir == "/"
}

var ruleWorldWritable = &rule{
	id: "world-writable", key: keyReadOnlyFS, sev: Medium,
	summary: "The runtime chain makes files world-writable: `chmod 777`, `o+w`, `a+w` (or `COPY --chmod` with such a mode). A sticky directory mode such as 1777 is the /tmp idiom and passes.",
	bad:     "FROM alpine:3.20\nRUN mkdir /data && chmod 777 /data\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN mkdir /data && chown 10001:10001 /data && chmod 750 /data\nUSER 10001",
	fix:     "Give the directory to the runtime user (`chown 10001:10001 dir && chmod 750 dir`) instead of opening it to every user.",
}

func checkWorldWritable(c *ctx) {
	for _, ins := range c.chainIns() {
		if ci := copyOf(ins); ci != nil && ci.chmod != "" && worldWritableMode(ci.chmod) {
			c.reportAt(ruleWorldWritable, ins, fmt.Sprintf("%s --chmod=%s makes the files world-writable", ins.Keyword, ci.chmod))
			continue
		}
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for _, cmd := range ri.cmds {
			if cmd.name() != "chmod" {
				continue
			}
			if m := firstOperand(cmd.args()); m != "" && worldWritableMode(m) {
				c.reportAt(ruleWorldWritable, ins, fmt.Sprintf("chmod %s makes files world-writable", m))
				break
			}
		}
	}
}

// worldWritableMode reports an octal or symbolic mode granting others write.
func worldWritableMode(m string) bool {
	if n, err := strconv.ParseUint(m, 8, 32); err == nil {
		sticky := len(strings.TrimLeft(m, "0")) == 4 && n&0o1000 != 0
		return n&0o002 != 0 && !sticky
	}
	for _, clause := range strings.Split(m, ",") {
		i := strings.IndexAny(clause, "+=")
		if i < 0 {
			continue
		}
		who, perms := clause[:i], clause[i+1:]
		if (who == "" && clause[i] == '=') || strings.ContainsAny(who, "oa") {
			if strings.Contains(perms, "w") {
				return true
			}
		}
	}
	return false
}

var rulePythonBytecode = &rule{
	id: "python-bytecode", key: keyReadOnlyFS, sev: Low,
	summary: "A Python runtime without `PYTHONDONTWRITEBYTECODE=1`: Python tries to write .pyc files next to the code, which fails (noisily) on a read-only filesystem.",
	bad:     "FROM python:3.12-slim\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]",
	good:    "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]",
	fix:     "Add `ENV PYTHONDONTWRITEBYTECODE=1` to the runtime stage (compile bytecode at build time if start-up time matters).",
}

func checkPythonBytecode(c *ctx) {
	if !c.pythonRuntime() {
		return
	}
	if v, ok := c.chainEnv("PYTHONDONTWRITEBYTECODE"); ok && v != "" {
		return
	}
	c.reportMissing(rulePythonBytecode, "the Python runtime does not set PYTHONDONTWRITEBYTECODE=1")
}

func init() {
	ruleWritablePaths.check = checkWritablePaths
	ruleWorldWritable.check = checkWorldWritable
	rulePythonBytecode.check = checkPythonBytecode
	register(ruleWritablePaths, ruleWorldWritable, rulePythonBytecode)
}
