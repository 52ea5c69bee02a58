#!/usr/bin/env bash
# Runs `gptchat bench` and the peer harnesses back to back on one model, interleaving the reps, and prints
# one Markdown table: every peer's figures, gptchat's ratio to each, and each step time ÷ the memory-bandwidth
# floor (model weight bytes ÷ measured read bandwidth at the same thread count).
#
# usage: scripts/bench.sh MODEL_DIR [--reps N] [--threads N] [--peers LIST] [--peers-dir DIR] [--out FILE]
#   MODEL_DIR    a GPT-2 model folder (config.json, onnx/model.onnx; pytorch_model.bin for the torch peer),
#                e.g. the full-size stand-in made by make-bench-model.sh
#   --reps N     processes per program and workload (default 3); rep 1 of every program, then rep 2, ...
#   --threads N  intra-op threads for everyone (default 2)
#   --peers LIST comma list for run_peers.sh (default genai,ortnode,tjs4,tjs2,torch; "" = gptchat only)
#   --peers-dir  the peers folder (default $GPTCHAT_PEERS_DIR or ../shared/tools/peers beside the checkout); copied to a
#                temporary folder when it is read-only, since run_peers.sh builds and installs inside it
#   --out FILE   also write the table there
#   --keep DIR   keep the raw per-process records (gptchat.jsonl, peers.jsonl, membw.jsonl, oneshot.jsonl) in DIR
# Environment: GPTCHAT = command that runs gptchat (default: build src/GptChat in Release and run its dll).
# gptchat gets a fresh optimised-model cache (GPTCHAT_CACHE_DIR in the work folder): its first process
# builds the cache ("first run" load), every later one loads the cached copy. gptchat runs onnx/model.onnx, the file
# every ONNX peer runs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

MODEL_DIR=""
REPS=3
THREADS=2
PEERS="genai,ortnode,tjs4,tjs2,torch"
PEERS_DIR="${GPTCHAT_PEERS_DIR:-$REPO/../shared/tools/peers}"
OUT=""
KEEP=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) REPS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --peers-dir) PEERS_DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    *) MODEL_DIR="$1"; shift ;;
  esac
done
[[ -n "$MODEL_DIR" ]] || { echo "usage: scripts/bench.sh MODEL_DIR [--reps N] [--threads N] [--peers LIST] [--out FILE]" >&2; exit 2; }
[[ -f "$MODEL_DIR/config.json" ]] || { echo "bench.sh: no config.json in $MODEL_DIR" >&2; exit 2; }
MODEL_DIR="$(cd "$MODEL_DIR" && pwd)"
command -v /usr/bin/time > /dev/null || { echo "bench.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gptchat-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { echo "[bench] $*" >&2; }

# ---- gptchat ----
if [[ -n "${GPTCHAT:-}" ]]; then
  read -r -a GPTCHAT_CMD <<< "$GPTCHAT"
else
  log "building gptchat (Release)"
  dotnet build "$REPO/src/GptChat" -c Release -nologo -v q > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  GPTCHAT_CMD=(dotnet "$REPO/src/GptChat/bin/Release/net10.0/gptchat.dll")
fi
export GPTCHAT_CACHE_DIR="$WORK/cache"

# ---- peers (run_peers.sh builds and installs inside its folder, so it needs a writable copy) ----
if [[ -n "$PEERS" ]]; then
  [[ -f "$PEERS_DIR/run_peers.sh" ]] || { echo "bench.sh: no run_peers.sh in $PEERS_DIR (use --peers-dir or --peers '')" >&2; exit 2; }
  if [[ ! -w "$PEERS_DIR" ]]; then
    COPY="${TMPDIR:-/tmp}/gptchat-bench-tools"   # kept between runs: npm install and the C# build happen once
    if [[ ! -f "$COPY/peers/run_peers.sh" ]]; then
      log "copying $(dirname "$PEERS_DIR") to $COPY (read-only)"; rm -rf "$COPY"; cp -r "$(dirname "$PEERS_DIR")" "$COPY"
    fi
    PEERS_DIR="$COPY/peers"
  fi
fi

# ---- memory bandwidth (same probe as run_peers.sh) ----
membw() {
  [[ -n "$PEERS_DIR" && -f "$PEERS_DIR/bandwidth/membw.c" ]] || return 0
  [[ -x "$WORK/membw" ]] || cc -O3 -march=native -ffast-math -pthread "$PEERS_DIR/bandwidth/membw.c" -o "$WORK/membw" || return 0
  "$WORK/membw" 1 "$THREADS" | while read -r line; do echo "{\"peer\": \"membw\", \"when\": \"$1\", ${line#\{}"; done >> "$WORK/membw.jsonl"
}

# one gptchat process; its JSON line(s) + peak RSS from /usr/bin/time -v + wall time
run_gptchat() {
  local tag="$1"; shift
  local start end
  start=$(date +%s.%N)
  if ! /usr/bin/time -v "${GPTCHAT_CMD[@]}" "$@" > "$WORK/g.out" 2> "$WORK/g.err"; then
    log "gptchat FAILED: $*"; tail -5 "$WORK/g.err" >&2; return 0
  fi
  end=$(date +%s.%N)
  local rss; rss="$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$WORK/g.err")"
  "$PY" - "$WORK/g.out" "$rss" "$tag" "$start" "$end" >> "$WORK/gptchat.jsonl" <<'PYEOF'
import json, sys
out, rss, tag, start, end = sys.argv[1:6]
lines = [l for l in open(out).read().splitlines() if l.startswith("{")]
wall = (float(end) - float(start)) * 1000
for l in lines or ["{}"]:
    d = json.loads(l)
    d.update({"tag": tag, "time_rss_kb": int(rss) if rss else None, "wall_ms": wall})
    print(json.dumps(d))
PYEOF
}

# GenAI's one-shot request: one process that loads the model and generates once (beam5, 40 new tokens)
run_genai_oneshot() {
  local dll="$PEERS_DIR/genai-cs/bin/Release/net10.0/GenaiBench.dll"
  [[ -f "$dll" ]] || return 0
  local start end; start=$(date +%s.%N)
  dotnet "$dll" "$MODEL_DIR" beam5 --threads "$THREADS" --runs 1 > /dev/null 2>&1 || { log "genai one-shot FAILED"; return 0; }
  end=$(date +%s.%N)
  echo "{\"peer\": \"genai\", \"tag\": \"oneshot\", \"wall_ms\": $("$PY" -c "print(($end - $start) * 1000)")}" >> "$WORK/oneshot.jsonl"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(loadavg)"
PROMPT_TEXT="The meaning of life is a test of the world"
: > "$WORK/gptchat.jsonl"; : > "$WORK/peers.jsonl"; : > "$WORK/oneshot.jsonl"; : > "$WORK/membw.jsonl"
membw before

# first gptchat process: builds the optimised-model cache (its load is the first-run load)
log "gptchat first run (builds the optimised-model cache)"
run_gptchat first bench --model "$MODEL_DIR" --onnx-file onnx/model.onnx --workload greedy --reps 1 --threads "$THREADS" --json

for ((rep = 1; rep <= REPS; rep++)); do
  log "rep $rep/$REPS: gptchat"
  for w in greedy beam5; do
    run_gptchat "rep$rep" bench --model "$MODEL_DIR" --onnx-file onnx/model.onnx --workload "$w" --reps 1 --threads "$THREADS" --json
  done
  # one-shot wall time, warm cache: the app's defaults, as a user runs it
  start=$(date +%s.%N)
  if "${GPTCHAT_CMD[@]}" --model "$MODEL_DIR" --prompt "$PROMPT_TEXT" > /dev/null 2> "$WORK/oneshot.err"; then
    end=$(date +%s.%N)
    echo "{\"peer\": \"gptchat\", \"tag\": \"oneshot\", \"wall_ms\": $("$PY" -c "print(($end - $start) * 1000)")}" >> "$WORK/oneshot.jsonl"
  else
    log "gptchat one-shot FAILED"; tail -3 "$WORK/oneshot.err" >&2
  fi
  if [[ -n "$PEERS" ]]; then
    log "rep $rep/$REPS: peers ($PEERS)"
    "$PEERS_DIR/run_peers.sh" "$MODEL_DIR" --reps 1 --threads "$THREADS" --peers "$PEERS" --records "$WORK/rep.jsonl" > /dev/null \
      || log "run_peers.sh failed in rep $rep"
    [[ -f "$WORK/rep.jsonl" ]] && cat "$WORK/rep.jsonl" >> "$WORK/peers.jsonl"
    [[ ",$PEERS," == *",genai,"* ]] && run_genai_oneshot
  fi
done
membw after
LOAD_AFTER="$(loadavg)"
if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP" && cp "$WORK"/*.jsonl "$KEEP"/; fi

[[ -s "$WORK/peers.jsonl" ]] && "$PY" "$PEERS_DIR/aggregate.py" "$WORK/peers.jsonl" > "$WORK/peers-agg.jsonl" || : > "$WORK/peers-agg.jsonl"
ONNX_FILE="$MODEL_DIR/onnx/model.onnx"
"$PY" "$HERE/bench_report.py" --gptchat "$WORK/gptchat.jsonl" --peers "$WORK/peers-agg.jsonl" \
  --membw "$WORK/membw.jsonl" --oneshot "$WORK/oneshot.jsonl" --onnx "$ONNX_FILE" --threads "$THREADS" --reps "$REPS" --load "$LOAD_BEFORE -> $LOAD_AFTER" \
  | tee "${OUT:-/dev/null}"
