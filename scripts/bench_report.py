"""Turns scripts/bench.sh's records into one Markdown report: a table per workload (gptchat and every peer),
gptchat's ratio to each peer, step time / memory-bandwidth floor, and the project's speed targets.
stdlib only; called by bench.sh (see there for the inputs)."""
import argparse
import datetime
import json
import os
import statistics as st


def read_jsonl(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip().startswith("{")]


def med(xs):
    xs = [x for x in xs if x is not None]
    return st.median(xs) if xs else None


def lo(xs):
    xs = [x for x in xs if x is not None]
    return min(xs) if xs else None


def fmt(v, nd=1):
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{nd}f}"


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def gptchat_rows(records):
    """Per workload: medians over the rep processes (the 'first' process only gives the first-run load)."""
    rows = {}
    for w in ("greedy", "beam5"):
        reps = [r for r in records if r.get("workload") == w and r.get("tag", "").startswith("rep")]
        if not reps:
            continue
        rows[w] = {
            "peer": "gptchat",
            "load_ms": med(r.get("load_ms") for r in reps),
            "load_ms_min": lo(r.get("load_ms") for r in reps),
            "prefill_ms": med(r.get("prefill_ms") for r in reps),
            "prefill_ms_min": lo(r.get("prefill_ms") for r in reps),
            "step_ms_median": med(r.get("step_ms_median") for r in reps),
            "step_ms_min": lo(r.get("step_ms_median") for r in reps),
            "model_step_ms_median": med(r.get("model_step_ms_median") for r in reps),
            "model_step_ms_min": lo(r.get("model_step_ms_median") for r in reps),
            "tokens_per_s": med(r.get("tokens_per_s") for r in reps),
            "peak_rss_mb": med((r["time_rss_kb"] / 1024) if r.get("time_rss_kb") else r.get("peak_rss_mb") for r in reps),
            "out_ids_md5": sorted({r.get("out_ids_md5") for r in reps if r.get("out_ids_md5")}),
            "cache": sorted({r.get("cache") or "?" for r in reps}),
            "reps": len(reps),
        }
    first = [r for r in records if r.get("tag") == "first"]
    first_load = None
    if first:
        f = first[0]
        first_load = f.get("load_ms_first_run") if f.get("load_ms_first_run") is not None else f.get("load_ms")
    return rows, first_load, (first[0].get("cache") if first else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gptchat"); ap.add_argument("--peers"); ap.add_argument("--membw"); ap.add_argument("--oneshot")
    ap.add_argument("--onnx"); ap.add_argument("--threads", type=int, default=2); ap.add_argument("--reps", type=int); ap.add_argument("--load")
    a = ap.parse_args()

    g_rows, first_load, first_cache = gptchat_rows(read_jsonl(a.gptchat))
    peers = read_jsonl(a.peers)
    bw = [r for r in read_jsonl(a.membw) if r.get("threads") == a.threads]
    bw_best = med(r.get("best_gb_s") for r in bw)
    onnx_bytes = os.path.getsize(a.onnx) if a.onnx and os.path.exists(a.onnx) else None
    floor_ms = onnx_bytes / (bw_best * 1e9) * 1000 if onnx_bytes and bw_best else None
    oneshot = read_jsonl(a.oneshot)
    one_g = med(r["wall_ms"] for r in oneshot if r["peer"] == "gptchat")
    one_genai = med(r["wall_ms"] for r in oneshot if r["peer"] == "genai")

    out = []
    p = out.append
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    p(f"# scripts/bench.sh: gptchat and peers, {now}")
    p("")
    p(f"- {a.threads} threads, {a.reps} reps per program and workload (one process each, reps interleaved); medians over reps, "
      "`min` = best rep. Step = one decode step including selection and bookkeeping; `model run` = gptchat's raw model run inside that step.")
    if a.load:
        p(f"- Load average (1/5/15 min) at start -> end: {a.load}.")
    if onnx_bytes:
        p(f"- ONNX file {onnx_bytes / 1e6:.1f} MB ({onnx_bytes / 2**20:.1f} MiB).")
    if bw:
        p("- Memory read bandwidth at {} threads (best of 5, GB/s): {}; floor = weight bytes ÷ {:.1f} GB/s = **{} ms/step**.".format(
            a.threads, ", ".join(f"{r.get('when')} {r.get('best_gb_s')}" for r in bw), bw_best, fmt(floor_ms, 2)))
    p("")

    names = {"ort-genai-cs": "genai"}
    for w in ("greedy", "beam5"):
        rows = []
        if w in g_rows:
            rows.append(g_rows[w])
        peer_w = [r for r in peers if r.get("workload") in ((w,) if w == "greedy" else ("beam5", "greedy-batch5"))]
        rows += peer_w
        if not rows:
            continue
        p(f"## {w}")
        p("")
        p("| program | load ms med / min | prefill ms med / min | **step ms** med / min | model run ms | tok/s | peak RSS MB | step ÷ floor | out_ids_md5 |")
        p("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in rows:
            name = r["peer"] + (f" ({r['workload']})" if r.get("workload") == "greedy-batch5" else "")
            md5 = r.get("out_ids_md5")
            md5 = ",".join(md5) if isinstance(md5, list) else (md5 or "")
            p(f"| {name} | {fmt(r.get('load_ms'), 0)} / {fmt(r.get('load_ms_min'), 0)} | {fmt(r.get('prefill_ms'))} / {fmt(r.get('prefill_ms_min'))} "
              f"| **{fmt(r.get('step_ms_median'), 2)}** / {fmt(r.get('step_ms_min'), 2)} | {fmt(r.get('model_step_ms_median'), 2)} "
              f"| {fmt(r.get('tokens_per_s'))} | {fmt(r.get('peak_rss_mb'), 0)} | {fmt(ratio(r.get('step_ms_median'), floor_ms), 2)} | {md5} |")
        g = g_rows.get(w)
        if g and peer_w:
            p("")
            p(f"gptchat ÷ peer ({w}; below 1 = gptchat faster / smaller, except tok/s where above 1 = gptchat faster):")
            p("")
            p("| peer | step med | step min | prefill | load | tok/s | peak RSS | same ids |")
            p("| --- | --- | --- | --- | --- | --- | --- | --- |")
            for r in peer_w:
                same = "yes" if set(g["out_ids_md5"]) == set(r.get("out_ids_md5") or []) else "no"
                if r.get("workload") == "greedy-batch5" or (w == "beam5" and r["peer"] in ("ortnode", "torch")):
                    same += " (n/a: not a beam search)"
                p(f"| {r['peer']} | {fmt(ratio(g['step_ms_median'], r.get('step_ms_median')), 2)} | {fmt(ratio(g['step_ms_min'], r.get('step_ms_min')), 2)} "
                  f"| {fmt(ratio(g['prefill_ms'], r.get('prefill_ms')), 2)} | {fmt(ratio(g['load_ms'], r.get('load_ms')), 2)} "
                  f"| {fmt(ratio(g['tokens_per_s'], r.get('tokens_per_s')), 2)} | {fmt(ratio(g['peak_rss_mb'], r.get('peak_rss_mb')), 2)} | {same} |")
        p("")

    # targets
    def peer(name, w):
        for r in peers:
            if r["peer"] == name and r["workload"] == w:
                return r
        return None
    genai_g, genai_b = peer("ort-genai-cs", "greedy") or peer("genai", "greedy"), peer("ort-genai-cs", "beam5") or peer("genai", "beam5")
    gg, gb = g_rows.get("greedy"), g_rows.get("beam5")
    onnx_mib = onnx_bytes / 2**20 if onnx_bytes else None
    checks = []
    def check(label, value, limit, unit=""):
        ok = None if value is None or limit is None else value <= limit
        checks.append((label, value, limit, ok, unit))
    check("load_ms, later runs (cached copy)", gg and gg["load_ms"], 1000, " ms")
    check("beam5 prefill ≤ 0.5 × GenAI's", gb and gb["prefill_ms"], genai_b and 0.5 * genai_b["prefill_ms"], " ms")
    check("greedy step ≤ 1.0 × GenAI's", gg and gg["step_ms_median"], genai_g and genai_g["step_ms_median"], " ms")
    check("beam5 step ≤ 1.0 × GenAI's", gb and gb["step_ms_median"], genai_b and genai_b["step_ms_median"], " ms")
    check("beam5 step ≤ 1.10 × raw batch-5 model run in gptchat", gb and gb["step_ms_median"], gb and gb["model_step_ms_median"] and 1.10 * gb["model_step_ms_median"], " ms")
    check("one-shot wall (gptchat --prompt, defaults, warm cache) ≤ 0.3 × GenAI's", one_g, one_genai and 0.3 * one_genai, " ms")
    for w, r in (("greedy", gg), ("beam5", gb)):
        check(f"{w} peak RSS ≤ 1.3 × ONNX file", r and r["peak_rss_mb"], onnx_mib and 1.3 * onnx_mib, " MiB")
    p("## Targets")
    p("")
    p(f"- First-run load (builds the optimised-model cache, cache={first_cache}): {fmt(first_load, 0)} ms.")
    if one_g or one_genai:
        p(f"- One-shot wall time: gptchat `--prompt` (app defaults) {fmt(one_g, 0)} ms; GenAI one process, load + one beam5 generation {fmt(one_genai, 0)} ms.")
    p("")
    p("| target | gptchat | limit | met |")
    p("| --- | --- | --- | --- |")
    for label, value, limit, ok, unit in checks:
        p(f"| {label} | {fmt(value, 2)}{unit if value is not None else ''} | {fmt(limit, 2)}{unit if limit is not None else ''} | {'—' if ok is None else ('yes' if ok else '**no**')} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
