#!/usr/bin/env bash
# Context digest benchmark (issue 3): prodimage's plan-time digest of a build
# context vs the HCL idiom users write, evaluated by Terraform, vs tar|sha256sum.
#
#   bench/context-digest/run.sh            # from the repository root
#
# Needs: go, terraform, hyperfine (apt-get install hyperfine), GNU tar.
# Everything it writes is under .cache/bench/context-digest/ (git-ignored);
# the generated tree is reused when present. Prints a Markdown section for
# BENCHMARKS.md and saves it as .cache/bench/context-digest/report.md.
#
# Env: RUNS (default 15) runs of each fast command, SLOW_RUNS (default 3)
# runs of the HCL idiom, PAIRS (default 31) alternated in-process runs with
# and without node_modules; FILES, MB, NODE_MODULES size the tree.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
work=.cache/bench/context-digest
tree=$work/tree
nonm=$work/tree-without-node_modules
bin=$work/context-digest
runs=${RUNS:-15}
slow_runs=${SLOW_RUNS:-3}

for tool in go terraform hyperfine tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not on the PATH" >&2; exit 1; }
done
mkdir -p "$work"

go build -o "$bin" ./bench/context-digest
"$bin" gen -dir "$tree" -files "${FILES:-20000}" -mb "${MB:-300}" -node-modules "${NODE_MODULES:-50000}"

# The same tree without node_modules: hard links, so same inodes, same page
# cache, only the directory entries differ.
if [[ ! -f $nonm.stamp ]] || ! cmp -s "$tree.stamp" "$nonm.stamp"; then
  rm -rf "$nonm"
  cp -al "$tree" "$nonm"
  rm -rf "$nonm/node_modules"
  cp "$tree.stamp" "$nonm.stamp"
fi

# The idiom, verbatim, in a module of its own (terraform console evaluates
# every local of the module, so nothing else goes in it); no providers, so no
# init. tf-count counts what the idiom's fileset sees, tf-empty is console's
# start-up cost.
for variant in tree tree-without-node_modules; do
  mkdir -p "$work/tf-$variant"
  cat >"$work/tf-$variant/main.tf" <<EOF
locals {
  dir = "\${path.module}/../$variant"
  x   = sha1(join("", [for f in fileset(local.dir, "**") : filesha1("\${local.dir}/\${f}")]))
}
EOF
done
mkdir -p "$work/tf-count" "$work/tf-empty"
cat >"$work/tf-count/main.tf" <<'EOF'
locals {
  n    = length(fileset("${path.module}/../tree", "**"))
  nonm = length(fileset("${path.module}/../tree-without-node_modules", "**"))
}
EOF
: >"$work/tf-empty/main.tf"
tfc() { echo "$2" | terraform -chdir="$work/$1" console 2>/dev/null; }

# Sanity: both trees digest alike (node_modules is excluded), and what each
# tool reads.
with=$("$bin" digest -dir "$tree")
without=$("$bin" digest -dir "$nonm")
[[ ${with%% *} == "${without%% *}" ]] || { echo "run.sh: digests differ with and without node_modules: $with / $without" >&2; exit 1; }
tar_files=$(tar -C "$tree" --sort=name --exclude-from="$tree/.dockerignore" -cf - . | tar -tf - | grep -vc '/$')
idiom_files=$(tfc tf-count 'local.n')
idiom_files_nonm=$(tfc tf-count 'local.nonm')

tarcmd="tar -C $tree --sort=name --exclude-from=$tree/.dockerignore -cf - . | sha256sum"
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$work/fast.json" \
  -n 'prodimage buildctx.Compute' "$bin digest -dir $tree" \
  -n 'prodimage buildctx.Compute, node_modules absent' "$bin digest -dir $nonm" \
  -n 'tar -c (same exclusions) | sha256sum' "$tarcmd" \
  -n 'terraform console startup (echo 1)' "echo 1 | terraform -chdir=$work/tf-empty console"
hyperfine --style basic --runs "$slow_runs" --export-json "$work/slow.json" \
  -n 'HCL idiom in terraform console' "echo local.x | terraform -chdir=$work/tf-tree console" \
  -n 'HCL idiom, node_modules absent' "echo local.x | terraform -chdir=$work/tf-tree-without-node_modules console"

interleaved=$("$bin" compare -a "$tree" -b "$nonm" -n "${PAIRS:-31}")
gobench=$(go test -run '^$' -bench Compute -benchtime 20x ./internal/buildctx/ | grep '^Benchmark')

"$bin" report \
  -fast "$work/fast.json" -slow "$work/slow.json" \
  -digest "$with" -tar-files "$tar_files" -idiom-files "$idiom_files" -idiom-files-nonm "$idiom_files_nonm" \
  -interleaved "$interleaved" -gobench "$gobench" -nproc "$(nproc)" -cpu "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)" \
  -versions "$(go version | cut -d' ' -f3), $(terraform version | head -1), $(hyperfine --version), $(tar --version | head -1)" \
  | tee "$work/report.md"
echo "run.sh: report saved in $root/$work/report.md" >&2
