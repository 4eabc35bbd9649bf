#!/usr/bin/env bash
# Prints the GOOS/GOARCH pairs a .goreleaser.yml builds: its goos × goarch lists less
# its ignore entries. It reads the simple block layout our .goreleaser.yml uses.
set -euo pipefail
awk '
  /^ *- goos:/ { list="ign"; ig_os=$3; next }
  list=="ign" && /^ *goarch:/ { ign[ig_os "/" $2]=1; next }
  /^ *goos:/   { list="os"; next }
  /^ *goarch:/ { list="arch"; next }
  /^ *ignore:/ { list="ign"; next }
  /^ *- / && list=="os"   { os[++no]=$2; next }
  /^ *- / && list=="arch" { arch[++na]=$2; next }
  /^ *[a-z_]+:/ { list="" }
  END { for (i=1;i<=no;i++) for (j=1;j<=na;j++) { t=os[i] "/" arch[j]; if (!(t in ign)) print t } }
' "${1:-.goreleaser.yml}"
