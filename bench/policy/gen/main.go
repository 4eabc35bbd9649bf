// Command gen writes the policy benchmark corpus: varied Dockerfiles built
// from the shapes real projects use (Node, Go, Python, Java, Ruby, Rust,
// PHP, static sites; single- and multi-stage; good and bad practice mixed),
// deterministically from a seed.
//
//	go run ./bench/policy/gen [-n 240] [-seed 1] [-out bench/policy/corpus]
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 240, "number of Dockerfiles")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "bench/policy/corpus", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	old, _ := filepath.Glob(filepath.Join(*out, "*.Dockerfile"))
	for _, f := range old {
		os.Remove(f)
	}
	r := rand.New(rand.NewPCG(*seed, 0x70726f64))
	for i := range *n {
		g := &gen{r: r}
		kind := kinds[i%len(kinds)]
		kind.fn(g)
		name := filepath.Join(*out, fmt.Sprintf("%03d-%s.Dockerfile", i, kind.name))
		if err := os.WriteFile(name, []byte(g.String()), 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

type gen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *gen) String() string { return g.b.String() }

func (g *gen) line(format string, a ...any) { fmt.Fprintf(&g.b, format+"\n", a...) }

func (g *gen) maybe(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

// image names an image reference in one of the styles people write:
// floating tag, exact tag, digest-pinned, :latest, none, or through an ARG.
func (g *gen) image(name string, tags ...string) string {
	tag := g.pick(tags...)
	switch g.r.IntN(6) {
	case 0:
		return name
	case 1:
		return name + ":latest"
	case 2, 3:
		return fmt.Sprintf("%s:%s@sha256:%x", name, tag, sha256.Sum256([]byte(name+tag)))
	default:
		return name + ":" + tag
	}
}

func (g *gen) header() {
	if g.maybe(0.4) {
		g.line("# syntax=docker/dockerfile:%s", g.pick("1", "1.7", "1.10-labs"))
	}
	if g.maybe(0.5) {
		g.line("# ============================================================")
		g.line("# %s", g.pick("Production image", "Service image built in CI", "API server", "Worker"))
		g.line("# ============================================================")
	}
	if g.maybe(0.15) {
		g.line("# hadolint global ignore=DL3008")
	}
}

func (g *gen) user(stageHasShell bool) {
	switch g.r.IntN(5) {
	case 0:
	case 1:
		g.line("USER root")
	case 2:
		g.line("USER app")
	default:
		if stageHasShell && g.maybe(0.5) {
			g.line("RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app")
		}
		g.line("USER 10001:10001")
	}
}

func (g *gen) labels() {
	if g.maybe(0.3) {
		return
	}
	g.line(`LABEL org.opencontainers.image.source="https://github.com/acme/%s" \`, g.pick("api", "worker", "web", "billing"))
	g.line(`      org.opencontainers.image.title="%s"`, g.pick("API", "Worker", "Web"))
	if g.maybe(0.3) {
		g.line(`LABEL org.opencontainers.image.licenses="%s" org.opencontainers.image.created="%s"`,
			g.pick("Apache-2.0", "MIT", "Apache 2", "Proprietary"), g.pick("2024-05-01T12:00:00Z", "today"))
	}
	if g.maybe(0.1) {
		g.line("MAINTAINER ops@example.com")
	}
}

func (g *gen) healthcheck(cmd string) {
	switch g.r.IntN(4) {
	case 0:
	case 1:
		g.line("HEALTHCHECK NONE")
	default:
		g.line("HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \\")
		g.line("    CMD %s", cmd)
	}
}

func (g *gen) noise() {
	for range g.r.IntN(4) {
		switch g.r.IntN(9) {
		case 0:
			g.line("RUN curl -fsSL https://get.example.com/install.sh | sh")
		case 1:
			g.line("ENV API_TOKEN=%x", sha256.Sum256([]byte(fmt.Sprint(g.r.Int()))))
		case 2:
			g.line("ARG NPM_TOKEN")
		case 3:
			g.line("EXPOSE 22")
		case 4:
			g.line("RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list")
		case 5:
			g.line("ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini")
		case 6:
			g.line("COPY .env /app/.env")
		case 7:
			g.line("RUN chmod 777 /tmp")
		case 8:
			g.line("WORKDIR app")
		}
	}
}

var kinds = []struct {
	name string
	fn   func(*gen)
}{
	{"node", (*gen).node},
	{"go", (*gen).golang},
	{"python", (*gen).python},
	{"java", (*gen).java},
	{"ruby", (*gen).ruby},
	{"rust", (*gen).rust},
	{"php", (*gen).php},
	{"static", (*gen).static},
	{"naive", (*gen).naive},
	{"heredoc", (*gen).heredoc},
}

func (g *gen) node() {
	g.header()
	base := g.image("node", "20-alpine", "20.11.1-alpine3.19", "22-bookworm-slim", "18")
	if g.maybe(0.4) {
		g.line("ARG NODE_IMAGE=%s", base)
		base = "${NODE_IMAGE}"
	}
	g.line("FROM %s AS base", base)
	g.line("RUN apk add --no-cache %s", g.pick("tini", "tini=0.19.0-r3", "tini curl"))
	g.line("WORKDIR /app")
	g.line("")
	g.line("FROM base AS deps")
	g.line("COPY package.json %s ./", g.pick("package-lock.json", "yarn.lock", "pnpm-lock.yaml"))
	g.line("RUN %s%s", g.pick("", "--mount=type=cache,target=/root/.npm "), g.pick("npm ci", "npm install", "yarn install --frozen-lockfile", "pnpm install --frozen-lockfile", "npm ci --ignore-scripts"))
	g.line("")
	g.line("FROM deps AS build")
	g.line("COPY tsconfig.json ./")
	g.line("COPY src/ ./src/")
	g.line("RUN npm run build")
	if g.maybe(0.6) {
		g.line("RUN npm prune --%s", g.pick("production", "omit=dev"))
	}
	g.line("")
	g.line("FROM base AS production")
	if g.maybe(0.7) {
		g.line("ENV NODE_ENV=production")
	}
	if g.maybe(0.4) {
		g.line(`ENV NODE_OPTIONS="--max-old-space-size=384"`)
	}
	chown := g.pick("", "--chown=10001:10001 ", "--chown=node:node ")
	g.line("COPY --from=build %s/app/node_modules ./node_modules", chown)
	g.line("COPY --from=build %s/app/dist ./dist", chown)
	g.line("COPY %spackage.json ./", chown)
	g.noise()
	g.labels()
	g.user(true)
	g.line("EXPOSE 3000")
	g.healthcheck("wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1")
	switch g.r.IntN(4) {
	case 0:
		g.line(`CMD ["npm", "start"]`)
	case 1:
		g.line(`CMD node dist/server.js`)
	default:
		g.line(`ENTRYPOINT ["/sbin/tini", "--"]`)
		g.line(`CMD ["node", "dist/server.js"]`)
	}
}

func (g *gen) golang() {
	g.header()
	g.line("FROM %s AS builder", g.image("golang", "1.22-alpine", "1.23", "1.22.5-bookworm"))
	if g.maybe(0.5) {
		g.line("RUN apk add --no-cache ca-certificates tzdata git")
	}
	g.line("WORKDIR /src")
	if g.maybe(0.7) {
		g.line("COPY go.mod go.sum ./")
		g.line("RUN %sgo mod download", g.pick("", "--mount=type=cache,target=/go/pkg/mod "))
		g.line("COPY . .")
	} else {
		g.line("COPY . .")
		g.line("RUN go mod download")
	}
	g.line("ARG VERSION=dev")
	g.line("RUN %sgo build -trimpath -ldflags=\"-s -w -X main.version=${VERSION}\" -o /out/server ./cmd/server",
		g.pick("CGO_ENABLED=0 GOOS=linux ", "", "CGO_ENABLED=0 "))
	if g.maybe(0.3) {
		g.line("")
		g.line("FROM builder AS test")
		g.line("RUN go test ./...")
	}
	g.line("")
	runtime := g.pick("scratch", "gcr.io/distroless/static-debian12:nonroot", "alpine:3.20", "gcr.io/distroless/static-debian12")
	g.line("FROM %s AS production", runtime)
	if g.maybe(0.7) {
		g.line("COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
	}
	if g.maybe(0.4) {
		g.line("COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo")
		g.line("ENV TZ=UTC")
	}
	g.line("COPY --from=builder /out/server /server")
	g.labels()
	g.user(runtime == "alpine:3.20")
	g.line("EXPOSE 8080")
	g.healthcheck(`["/server", "-healthcheck"]`)
	g.line(`ENTRYPOINT ["/server"]`)
}

func (g *gen) python() {
	g.header()
	img := g.image("python", "3.12-slim", "3.11-slim-bookworm", "3.12", "3.12-alpine")
	g.line("FROM %s AS builder", img)
	g.line("RUN apt-get update && apt-get install -y %sbuild-essential libpq-dev%s",
		g.pick("", "--no-install-recommends "), g.pick("", " && rm -rf /var/lib/apt/lists/*"))
	g.line("WORKDIR /app")
	g.line("RUN python -m venv /opt/venv")
	g.line(`ENV PATH="/opt/venv/bin:$PATH"`)
	if g.maybe(0.5) {
		g.line("COPY requirements.txt ./")
		g.line("RUN %spip install %s-r requirements.txt", g.pick("", "--mount=type=cache,target=/root/.cache/pip "), g.pick("", "--no-cache-dir "))
	} else {
		g.line("RUN pip install poetry==1.7.1")
		g.line("COPY pyproject.toml %s./", g.pick("poetry.lock ", ""))
		g.line("RUN poetry install %s", g.pick("--without dev --no-root", "--no-root", "--only main"))
	}
	g.line("")
	g.line("FROM %s AS production", img)
	g.line("RUN apt-get update && apt-get install -y --no-install-recommends %s && rm -rf /var/lib/apt/lists/*",
		g.pick("libpq5 curl tini", "libpq5", "tini=0.19.0-1+b3", "curl"))
	g.line("RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app")
	g.line("WORKDIR /app")
	g.line("COPY --from=builder /opt/venv /opt/venv")
	g.line(`ENV PATH="/opt/venv/bin:$PATH"`)
	if g.maybe(0.6) {
		g.line("ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1")
	}
	g.line("COPY %s. .", g.pick("", "--chown=app:app "))
	g.noise()
	g.labels()
	g.user(true)
	g.line("EXPOSE 8000")
	g.healthcheck("curl -f http://localhost:8000/health || exit 1")
	if g.maybe(0.5) {
		g.line(`ENTRYPOINT ["tini", "--"]`)
	}
	g.line(`CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]`)
}

func (g *gen) java() {
	g.header()
	g.line("FROM %s AS build", g.image("maven", "3.9-eclipse-temurin-21", "3.9.6-eclipse-temurin-17"))
	g.line("WORKDIR /build")
	g.line("COPY pom.xml .")
	g.line("RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline")
	g.line("COPY src ./src")
	g.line("RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package")
	g.line("")
	g.line("FROM %s", g.image("eclipse-temurin", "21-jre-alpine", "17-jre"))
	g.line("WORKDIR /opt/app")
	g.line("COPY --from=build /build/target/app.jar app.jar")
	g.noise()
	g.labels()
	g.user(true)
	g.line(`ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"`)
	g.healthcheck("wget -q --spider http://localhost:8080/actuator/health || exit 1")
	g.line(`ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]`)
}

func (g *gen) ruby() {
	g.header()
	g.line("FROM %s", g.image("ruby", "3.3-slim", "3.3.1-bookworm"))
	g.line("RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs")
	g.line("WORKDIR /rails")
	if g.maybe(0.5) {
		g.line(`ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production`)
	}
	g.line("COPY Gemfile Gemfile.lock ./")
	g.line("RUN bundle install")
	g.line("COPY . .")
	g.line("RUN bundle exec rails assets:precompile")
	g.noise()
	g.labels()
	g.user(true)
	g.line("EXPOSE 3000")
	g.line(`CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]`)
}

func (g *gen) rust() {
	g.header()
	g.line("FROM %s AS build", g.image("rust", "1.78", "1.79-slim-bookworm"))
	g.line("WORKDIR /src")
	g.line("COPY Cargo.toml Cargo.lock ./")
	g.line("RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src")
	g.line("COPY . .")
	g.line("RUN cargo build --release")
	g.line("")
	g.line("FROM %s", g.pick("gcr.io/distroless/cc-debian12:nonroot", "debian:12-slim", "scratch"))
	g.line("COPY --from=build /src/target/release/app /app")
	g.labels()
	g.user(false)
	g.line(`ENTRYPOINT ["/app"]`)
}

func (g *gen) php() {
	g.header()
	g.line("FROM %s AS vendor", g.image("composer", "2.7", "2"))
	g.line("WORKDIR /app")
	g.line("COPY composer.json composer.lock ./")
	g.line("RUN composer install %s--prefer-dist --no-scripts", g.pick("--no-dev ", ""))
	g.line("")
	g.line("FROM %s", g.image("php", "8.3-fpm-alpine", "8.2-fpm"))
	g.line("RUN apk add --no-cache %s", g.pick("fcgi", "fcgi icu-libs", "git"))
	g.line("WORKDIR /var/www/html")
	g.line("COPY --from=vendor /app/vendor ./vendor")
	g.line("COPY %s. .", g.pick("", "--chown=www-data:www-data "))
	g.labels()
	g.user(true)
	g.healthcheck("cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1")
	g.line(`CMD ["php-fpm"]`)
}

func (g *gen) static() {
	g.header()
	g.line("FROM %s AS build", g.image("node", "20-alpine", "20"))
	g.line("WORKDIR /app")
	g.line("COPY package*.json ./")
	g.line("RUN npm ci")
	g.line("COPY . .")
	g.line("RUN npm run build")
	g.line("")
	g.line("FROM %s", g.image("nginxinc/nginx-unprivileged", "1.27-alpine", "1.25"))
	g.line("COPY --from=build /app/dist /usr/share/nginx/html")
	g.line("COPY nginx.conf /etc/nginx/conf.d/default.conf")
	g.labels()
	g.line("USER 101")
	g.line("EXPOSE 8080")
	g.healthcheck("wget -q --spider http://127.0.0.1:8080/ || exit 1")
}

func (g *gen) naive() {
	g.line("FROM %s", g.pick("node", "python:3", "ubuntu", "golang"))
	g.line("RUN apt-get update")
	g.line("RUN apt-get install -y curl git vim sudo")
	g.line("COPY . /app")
	g.line("WORKDIR /app")
	g.line("RUN %s", g.pick("npm install", "pip install -r requirements.txt", "go build -o app .", "make"))
	g.noise()
	g.line("EXPOSE %s", g.pick("3000", "8000", "8080 22"))
	g.line("CMD %s", g.pick("npm start", "python app.py", "./app", `["sh", "-c", "./start.sh"]`))
}

func (g *gen) heredoc() {
	g.line("# syntax=docker/dockerfile:1")
	g.line("ARG BASE=%s", g.image("debian", "12-slim", "bookworm-slim"))
	g.line("FROM ${BASE} AS base")
	g.line("# prodimage:ignore=package-pin -- distro packages follow the pinned base")
	g.line("RUN <<EOF")
	g.line("set -eux")
	g.line("apt-get update")
	g.line("apt-get install -y --no-install-recommends ca-certificates curl tini")
	g.line("rm -rf /var/lib/apt/lists/*")
	g.line("EOF")
	g.line("COPY <<EOF /etc/app/config.yaml")
	g.line("listen: :8080")
	g.line("log_level: info")
	g.line("EOF")
	g.line("ONBUILD COPY . /app")
	g.line("ONBUILD RUN make -C /app")
	g.line("")
	g.line("FROM base AS production")
	g.line("COPY --link --chown=10001:10001 --from=%s /usr/local/bin/app /usr/local/bin/app", g.pick("base", "ghcr.io/acme/app:1.4.2", "0"))
	g.noise()
	g.labels()
	g.user(true)
	g.healthcheck("curl -fsS http://127.0.0.1:8080/health || exit 1")
	g.line(`ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]`)
}
