package policy

import (
	"fmt"
	"strings"
)

// multi_stage: build in one stage, ship only the artifacts.

var ruleSingleStage = &rule{
	id: "single-stage", key: keyMultiStage, sev: Medium,
	summary: "The runtime chain compiles or builds (go build, npm/yarn/pnpm run build, tsc, mvn/gradle package, cargo build, gcc/make) instead of copying artifacts from a build stage.",
	bad:     "FROM golang:1.22\nCOPY . .\nRUN go build -o /server .\nUSER 10001\nCMD [\"/server\"]",
	good:    "FROM golang:1.22 AS build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /server /server\nCMD [\"/server\"]",
	fix:     "Build in a separate stage (`FROM … AS build`) and `COPY --from=build` only the artifacts into a minimal final stage.",
}

// buildStep names the compile or build step a RUN performs, or "".
func buildStep(ri *runInfo) string {
	for i := range ri.ops {
		op := &ri.ops[i]
		switch {
		case op.mgr == "go" && op.verb == "build":
			return "go build"
		case (op.mgr == "npm" || op.mgr == "pnpm") && op.verb == "run build":
			return op.tool + " run build"
		case op.mgr == "pnpm" && op.verb == "build":
			return "pnpm build"
		case op.mgr == "yarn" && (op.verb == "build" || (op.verb == "run" && len(op.pkgs) > 0 && op.pkgs[0] == "build")):
			return "yarn build"
		case op.mgr == "cargo" && op.verb == "build":
			return "cargo build"
		}
	}
	for _, cmd := range ri.cmds {
		n := cmd.name()
		args := cmd.args()
		switch n {
		case "tsc", "gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "javac":
			return n
		case "npx":
			if len(args) > 0 && (args[0] == "tsc" || args[0] == "nest" || args[0] == "next") {
				return "npx " + args[0]
			}
		case "mvn", "mvnw":
			for _, a := range args {
				if a == "package" || a == "install" || a == "verify" {
					return "mvn " + a
				}
			}
		case "gradle", "gradlew":
			for _, a := range args {
				switch a {
				case "build", "assemble", "bootJar", "jar", "shadowJar", "installDist":
					return "gradle " + a
				}
			}
		case "dotnet":
			if len(args) > 0 && (args[0] == "publish" || args[0] == "build") {
				return "dotnet " + args[0]
			}
		}
	}
	return ""
}

func checkSingleStage(c *ctx) {
	for _, ri := range c.chainRuns() {
		if step := buildStep(ri); step != "" {
			c.reportAt(ruleSingleStage, ri.ins, fmt.Sprintf("%s runs in the runtime image (stage %q): the toolchain and sources ship with it", step, ri.ins.Stage.ID()))
		}
	}
}

var ruleBuildTools = &rule{
	id: "build-tools-in-runtime", key: keyMultiStage, sev: Medium,
	summary: "The runtime chain installs toolchains: build-essential, gcc, g++, make, `*-dev`/`*-devel` packages, git (unless removed in the same RUN).",
	bad:     "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	good:    "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	fix:     "Install compilers and -dev headers in a build stage and copy the result (a virtualenv, wheels, a binary) into the runtime stage, which installs only runtime libraries (libpq5, not libpq-dev).",
}

var toolchainPkgs = map[string]bool{
	"build-essential": true, "gcc": true, "g++": true, "gcc-c++": true, "make": true, "cmake": true, "clang": true,
	"build-base": true, "alpine-sdk": true, "git": true, "autoconf": true, "automake": true, "libtool": true,
	"golang": true, "go": true, "rustc": true, "cargo": true, "Development Tools": true,
}

func checkBuildTools(c *ctx) {
	for _, ri := range c.chainRuns() {
		removed := removedIn(ri)
		var tools []string
		for i := range ri.ops {
			op := &ri.ops[i]
			if !op.isOSInstall() {
				continue
			}
			if op.mgr == "apk" {
				if v := op.values("--virtual"); len(v) > 0 && removed[v[0]] {
					continue
				}
				if v := op.values("-t"); len(v) > 0 && removed[v[0]] {
					continue
				}
			}
			for _, p := range op.pkgs {
				n := osPackageName(op.mgr, p)
				if removed[n] {
					continue
				}
				if toolchainPkgs[n] || strings.HasSuffix(n, "-dev") || strings.HasSuffix(n, "-devel") {
					tools = append(tools, n)
				}
			}
		}
		if len(tools) > 0 {
			c.reportAt(ruleBuildTools, ri.ins, fmt.Sprintf("the runtime image installs build tools: %s", strings.Join(tools, ", ")))
		}
	}
}

// removedIn lists packages (and apk virtual names) a RUN removes again.
func removedIn(ri *runInfo) map[string]bool {
	out := map[string]bool{}
	for i := range ri.ops {
		op := &ri.ops[i]
		switch {
		case op.mgr == "apk" && op.verb == "del",
			op.mgr == "apt" && (op.verb == "purge" || op.verb == "remove"),
			op.mgr == "yum" && (op.verb == "remove" || op.verb == "erase"):
			for _, p := range op.pkgs {
				out[osPackageName(op.mgr, p)] = true
			}
		}
	}
	return out
}

func init() {
	ruleSingleStage.check = checkSingleStage
	ruleBuildTools.check = checkBuildTools
	register(ruleSingleStage, ruleBuildTools)
}
