"""Loads blindspot exports the way their harnesses do and checks them against the release.

    check_exports.py RELEASE [--lmms-eval DIR] [--vlmevalkit DIR] [--inspect DIR] [--plain DIR]
                     [--vectors FORMATS_JSON CONFORMANCE_JSONL] [--require-inspect]

- lmms-eval: the task YAML parsed with a loader for `!function` (imported from the YAML's
  folder), `data_files` resolved against the YAML's folder the way lmms-eval does (a relative
  entry only when it names an existing file), `datasets.load_dataset("parquet", ...)`, then the
  YAML's column hooks and utils.process_results / aggregate_by_task on every doc.
- VLMEvalKit: `pandas.read_csv(tsv, sep='\\t')` as VLMEvalKit's `load` does, every image
  base64-decoded and opened with PIL, the MD5 file, cfg.json, and the answer dtypes.
- inspect_ai: `inspect_ai.dataset.json_dataset` and task.py's task and scorer (emulated when
  inspect_ai is not installed).
- plain: every line parses and every image opens.
Every exported scorer (utils.py, task.py, blindspot_scoring.py) runs the release's
conformance vectors, and those given with --vectors.

Prints one summary line per export; on a mismatch prints `FAIL: ...` and exits 1.
"""

import argparse
import asyncio
import base64
import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
import types

import pandas as pd
import pyarrow.parquet as pq
import yaml
from PIL import Image


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def import_file(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def release_rows(root):
    """Rows of the release (no images), in manifest file order, by id."""
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    cols = ["id", "task", "task_id", "prompt", "groundtruth", "answer_format", "answer_choices",
            "width", "height", "image_sha256"]
    rows = []
    for f in manifest["files"]:
        if f["path"].endswith(".parquet"):
            rows += pq.read_table(os.path.join(root, f["path"]), columns=cols).to_pylist()
    groups = {t["task_id"]: t.get("group") for t in manifest.get("task_specs", [])}
    return rows, groups


def vectors(root, extra):
    """(formats, conformance vectors) sets: the release's, plus --vectors."""
    sets = [(os.path.join(root, "scoring/formats.json"), os.path.join(root, "scoring/conformance.jsonl"))]
    if extra:
        sets.append(tuple(extra))
    out = []
    for formats, conf in sets:
        doc = json.load(open(formats))
        out.append((doc, [json.loads(line) for line in open(conf)]))
    return out


def run_vectors(module, sets, where):
    """Runs conformance vectors through an exported scorer; returns how many agreed."""
    n = 0
    for doc, vecs in sets:
        formats = module.load_formats(doc)
        for v in vecs:
            fmt = formats[v["format"]]
            answer, why = module.parse(fmt, v["reply"])
            outcome = module.score(fmt, v["reply"], v["groundtruth"])
            got = (answer, why, outcome)
            want = (v["parsed"], v["unparseable"], v["outcome"])
            check(got == want, f"{where}: vector {v}: got {got}")
            n += 1
    check(n > 0, f"{where}: no conformance vectors")
    return n


def replies(module, row, rows):
    """(gold reply, a wrong reply or None) for a row, built from its answer format: the wrong
    one states another of its choices, or another ground truth of the same format."""
    fmt = module.FORMATS[row["answer_format"]]
    gold = module.reply_for(fmt, row["groundtruth"])
    truth = module.canonical(fmt, row["groundtruth"])
    others = [r["groundtruth"] for r in rows if r["answer_format"] == row["answer_format"]]
    for choice in json.loads(row["answer_choices"] or "[]") + others:
        if module.canonical(fmt, choice) != truth:
            return gold, module.reply_for(fmt, choice)
    return gold, None


# ---- lmms-eval ----------------------------------------------------------------------------

def lmms_yaml(path):
    """The task YAML, with `!function utils.fn` imported from the YAML's folder (lmms-eval's loader)."""
    folder = os.path.dirname(os.path.abspath(path))

    def function(loader, node):
        module_name, fn = loader.construct_scalar(node).rsplit(".", 1)
        module = import_file(os.path.join(folder, module_name + ".py"), module_name)
        return getattr(module, fn)

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!function", function)
    with open(path) as f:
        return yaml.load(f, Loader=Loader)


def lmms_data_files(cfg, folder):
    """lmms-eval's rule: a relative entry becomes folder/entry only when that file exists."""
    out = {}
    for split, files in cfg["dataset_kwargs"]["data_files"].items():
        files = [files] if isinstance(files, str) else files
        resolved = []
        for f in files:
            check(not any(c in f for c in "*?["), f"lmms-eval: data_files entry {f} is a glob")
            joined = os.path.join(folder, f)
            resolved.append(joined if not os.path.isabs(f) and os.path.isfile(joined) else f)
            check(os.path.isfile(resolved[-1]), f"lmms-eval: {f} does not resolve to a file")
        out[split] = resolved
    return out


def check_lmms(root, folder, rows, sets):
    import datasets

    yamls = [f for f in os.listdir(folder) if f.endswith(".yaml")]
    check(len(yamls) == 1, f"lmms-eval: expected one task YAML, found {yamls}")
    cfg = lmms_yaml(os.path.join(folder, yamls[0]))
    check(cfg["dataset_path"] == "parquet" and cfg["output_type"] == "generate_until", "lmms-eval: task kind")
    gen = cfg["generation_kwargs"]
    check(gen["do_sample"] is False and gen["temperature"] == 0, "lmms-eval: decoding is not greedy")
    data_files = lmms_data_files(cfg, folder)
    with tempfile.TemporaryDirectory() as cache:
        ds = datasets.load_dataset("parquet", data_files=data_files, cache_dir=cache)
        docs = ds[cfg["test_split"]]
        check(isinstance(docs.features[cfg["doc_to_visual"]], datasets.Image), "lmms-eval: image is not an Image feature")
        check(len(docs) == len(rows), f"lmms-eval: {len(docs)} docs, release has {len(rows)}")
        metrics = {m["metric"]: m for m in cfg["metric_list"]}
        process = cfg["process_results"]
        utils = types.SimpleNamespace(**process.__globals__)  # the utils.py lmms-eval imported
        aggregate = metrics["accuracy_by_task"]["aggregation"]
        gold_items, wrong = [], 0
        for doc, row in zip(docs, rows):
            visual = [doc[cfg["doc_to_visual"]]]  # lmms-eval: a column name gives [doc[col]]
            check(isinstance(visual[0], Image.Image) and visual[0].size == (row["width"], row["height"]),
                  f"lmms-eval: {row['id']}: image")
            check(doc[cfg["doc_to_text"]] == row["prompt"] and doc[cfg["doc_to_target"]] == row["groundtruth"],
                  f"lmms-eval: {row['id']}: prompt/target")
            gold, bad = replies(utils, doc, rows)
            result = process(doc, [gold])
            check(result["accuracy"] == 1.0, f"lmms-eval: {row['id']}: gold reply {gold!r} scored {result}")
            gold_items.append(result["accuracy_by_task"])
            if bad is not None:
                result = process(doc, [bad])
                check(result["accuracy"] == 0.0 and result["unparseable"] == 0.0,
                      f"lmms-eval: {row['id']}: wrong reply {bad!r} scored {result}")
                wrong += 1
            check(process(doc, [""])["accuracy"] == 0.0, f"lmms-eval: {row['id']}: empty reply")
        by_task = aggregate(gold_items)
        check(all(v == 1.0 for v in by_task.values()), f"lmms-eval: accuracy_by_task {by_task}")
    n = run_vectors(utils, sets, "lmms-eval utils.py")
    print(f"lmms-eval: {yamls[0]}: {len(docs)} docs via load_dataset('parquet') from "
          f"{sum(len(v) for v in data_files.values())} data_files resolved against the YAML folder; "
          f"images are PIL; gold replies score 1.0 ({len(docs)}), wrong ones 0.0 ({wrong}); "
          f"accuracy_by_task {by_task}; {n} conformance vectors agree")


# ---- VLMEvalKit ---------------------------------------------------------------------------

def check_vlmevalkit(root, folder, rows, sets):
    tsvs = [f for f in os.listdir(folder) if f.endswith(".tsv")]
    check(len(tsvs) == 1, f"VLMEvalKit: expected one TSV, found {tsvs}")
    path = os.path.join(folder, tsvs[0])
    name = tsvs[0][:-4]
    md5 = hashlib.md5(open(path, "rb").read()).hexdigest()
    check(open(path + ".md5").read() == f"{md5}  {tsvs[0]}\n", "VLMEvalKit: MD5 file")
    cfg = json.load(open(os.path.join(folder, "cfg.json")))
    check(cfg["data"] == {name: {"class": "VLMBlind", "dataset": name}}, f"VLMEvalKit: cfg.json {cfg}")
    data = pd.read_csv(path, sep="\t")  # VLMEvalKit's load() for .tsv
    check(list(data.columns) == ["index", "image", "question", "answer", "answers", "task", "category",
                                 "id", "answer_format"], f"VLMEvalKit: columns {list(data.columns)}")
    check(len(data) == len(rows) and str(data["index"].dtype) == "int64" and data["index"].is_unique,
          "VLMEvalKit: index")
    for b64, row in zip(data["image"], rows):
        raw = base64.b64decode(b64, validate=True)
        check(hashlib.sha256(raw).hexdigest() == row["image_sha256"], f"VLMEvalKit: {row['id']}: image bytes")
        img = Image.open(io.BytesIO(raw))
        img.load()
        check(img.size == (row["width"], row["height"]), f"VLMEvalKit: {row['id']}: image size")
    for col, key in [("question", "prompt"), ("task", "task"), ("category", "task"), ("id", "id"),
                     ("answer_format", "answer_format")]:
        check(list(data[col]) == [r[key] for r in rows], f"VLMEvalKit: column {col}")
    truth = [r["groundtruth"] for r in rows]
    answers = list(data["answers"])
    as_text = all(isinstance(a, str) for a in answers)
    numeric = all(is_number(t) for t in truth)
    fixed = pd.read_csv(path, sep="\t", dtype={"answer": str, "answers": str}, keep_default_na=False)
    check(list(fixed["answer"]) == truth and list(fixed["answers"]) == truth, "VLMEvalKit: dtype=str reader")
    if numeric:
        check(not as_text and str(data["answers"].dtype) in ("int64", "float64"),
              f"VLMEvalKit: all-numeric answers read as {data['answers'].dtype}")
        dtype = (f"all-numeric answers: read_csv gives {data['answers'].dtype} ('3' == 3 is False), "
                 f"dtype={{'answer': str, 'answers': str}} gives the exact strings")
    else:
        check(as_text and answers == truth and list(data["answer"]) == truth, "VLMEvalKit: answers are not the strings")
        dtype = f"mixed answers: read_csv gives {data['answers'].dtype} holding the exact strings"
    scorer = import_file(os.path.join(folder, "blindspot_scoring.py"), "vlmevalkit_scoring")
    n = run_vectors(scorer, sets, "VLMEvalKit blindspot_scoring.py")
    print(f"VLMEvalKit: {tsvs[0]}: {len(data)} rows via pd.read_csv(sep='\\t'); every image base64 -> PIL "
          f"at the row's size and sha256; MD5 {md5} matches; cfg.json -> VLMBlind; {dtype}; "
          f"{n} conformance vectors agree")


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


# ---- inspect_ai ---------------------------------------------------------------------------

def check_inspect(root, folder, rows, sets):
    jsonl = os.path.join(folder, "test.jsonl")
    try:
        from inspect_ai.dataset import json_dataset
    except ImportError:
        json_dataset = None
    if json_dataset is None:
        samples = emulate_json_dataset(jsonl)
        how = "inspect_ai not installed: json_dataset emulated (relative paths resolved against the JSONL folder)"
    else:
        samples = [as_plain(s) for s in json_dataset(jsonl)]
        how = "inspect_ai.dataset.json_dataset"
    check(len(samples) == len(rows), f"inspect: {len(samples)} samples, release has {len(rows)}")
    seen = {}
    for s, row in zip(samples, rows):
        check(s["id"] == row["id"] and s["target"] == row["groundtruth"], f"inspect: {row['id']}: id/target")
        (message,) = s["input"]
        check(message["role"] == "user", f"inspect: {row['id']}: role")
        image, text = message["content"]
        check(image["type"] == "image" and text["type"] == "text" and text["text"] == row["prompt"],
              f"inspect: {row['id']}: content")
        check(os.path.isabs(image["image"]) and os.path.isfile(image["image"]), f"inspect: {row['id']}: image path not resolved")
        if image["image"] not in seen:
            raw = open(image["image"], "rb").read()
            seen[image["image"]] = hashlib.sha256(raw).hexdigest()
            check(Image.open(io.BytesIO(raw)).size == (row["width"], row["height"]), f"inspect: {row['id']}: size")
        check(seen[image["image"]] == row["image_sha256"], f"inspect: {row['id']}: image bytes")
        m = s["metadata"]
        check((m["task"], m["task_id"], m["answer_format"]) == (row["task"], row["task_id"], row["answer_format"]),
              f"inspect: {row['id']}: metadata")
    files = os.listdir(os.path.join(folder, "images"))
    distinct = len({r["image_sha256"] for r in rows})
    check(len(files) == distinct == len(seen), f"inspect: {len(files)} image files for {distinct} distinct images")
    task_py = os.path.join(folder, "task.py")
    if json_dataset is None:
        source = open(task_py).read().split("# ---- inspect_ai task")[0]
        module = types.ModuleType("inspect_task_scorer")
        exec(compile(source, task_py, "exec"), module.__dict__)
        scored = "task.py's scorer part run without inspect_ai"
    else:
        module = import_file(task_py, "inspect_task")
        scored = check_inspect_task(module, rows)
    n = run_vectors(module, sets, "inspect task.py")
    print(f"inspect: test.jsonl: {len(samples)} samples via {how}; images resolved to absolute paths, "
          f"{len(files)} files for {distinct} distinct images, all open at the row's size; {scored}; "
          f"{n} conformance vectors agree")


def as_plain(sample):
    """A loaded inspect Sample as the JSON record shape the checks use."""
    content = [{"type": c.type, "image": getattr(c, "image", None), "text": getattr(c, "text", None)}
               for c in sample.input[0].content]
    return {"id": sample.id, "target": sample.target, "metadata": sample.metadata,
            "input": [{"role": sample.input[0].role, "content": content}]}


def emulate_json_dataset(jsonl):
    folder = os.path.dirname(os.path.abspath(jsonl))
    out = []
    for line in open(jsonl):
        rec = json.loads(line)
        for c in rec["input"][0]["content"]:
            if c["type"] == "image" and os.path.exists(os.path.join(folder, c["image"])):
                c["image"] = os.path.join(folder, c["image"])
        out.append(rec)
    return out


def check_inspect_task(module, rows):
    """Builds the @task and runs its scorer on gold and wrong replies for every sample."""
    from inspect_ai.scorer import CORRECT, INCORRECT, Target

    names = re.findall(r"^@task\ndef (\w+)\(", open(module.__file__).read(), re.M)
    check(len(names) == 1, f"inspect: task.py defines tasks {names}")
    task = getattr(module, names[0])()
    check(len(task.dataset) == len(rows), "inspect: Task dataset size")
    score_fn = module.blindspot_answer()
    results = {CORRECT: 0, INCORRECT: 0}
    for sample, row in zip(task.dataset, rows):
        gold, bad = replies(module, row, rows)
        for reply, want in [(gold, CORRECT), (bad, INCORRECT)]:
            if reply is None:
                continue
            state = types.SimpleNamespace(metadata=sample.metadata, output=types.SimpleNamespace(completion=reply))
            got = asyncio.run(score_fn(state, Target(sample.target))).value
            check(got == want, f"inspect: {row['id']}: scorer gave {got} for {reply!r}")
            results[want] += 1
    return (f"task.py imported, its @task loads {len(task.dataset)} samples, its scorer gives C to "
            f"{results[CORRECT]} gold and I to {results[INCORRECT]} wrong replies")


# ---- plain --------------------------------------------------------------------------------

def check_plain(root, folder, rows, sets):
    lines = [json.loads(line) for line in open(os.path.join(folder, "samples.jsonl"))]
    check(len(lines) == len(rows), f"plain: {len(lines)} lines, release has {len(rows)}")
    keys = ["id", "task", "task_id", "group", "image", "prompt", "prompt_id", "groundtruth", "answer_format",
            "answer_choices", "metadata", "width", "height"]
    for s, row in zip(lines, rows):
        check(list(s) == keys, f"plain: {row['id']}: keys {list(s)}")
        check(s["id"] == row["id"] and s["groundtruth"] == row["groundtruth"] and s["prompt"] == row["prompt"],
              f"plain: {row['id']}: fields")
        check(isinstance(s["answer_choices"], list) and isinstance(s["metadata"], dict), f"plain: {row['id']}: types")
        raw = open(os.path.join(folder, s["image"]), "rb").read()
        check(hashlib.sha256(raw).hexdigest() == row["image_sha256"], f"plain: {row['id']}: image bytes")
        img = Image.open(io.BytesIO(raw))
        img.load()
        check(img.size == (s["width"], s["height"]) == (row["width"], row["height"]), f"plain: {row['id']}: size")
    scorer = import_file(os.path.join(folder, "blindspot_scoring.py"), "plain_scoring")
    n = run_vectors(scorer, sets, "plain blindspot_scoring.py")
    files = len(os.listdir(os.path.join(folder, "images")))
    print(f"plain: samples.jsonl: {len(lines)} lines parse with every field; {files} image files open at the "
          f"row's size and sha256; {n} conformance vectors agree")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("release")
    for kind in ["lmms-eval", "vlmevalkit", "inspect", "plain"]:
        ap.add_argument(f"--{kind}")
    ap.add_argument("--vectors", nargs=2)
    ap.add_argument("--require-inspect", action="store_true", help="fail instead of emulating inspect_ai")
    args = ap.parse_args()
    rows, _ = release_rows(args.release)
    sets = vectors(args.release, args.vectors)
    checks = [(args.lmms_eval, check_lmms), (args.vlmevalkit, check_vlmevalkit),
              (args.inspect, check_inspect), (args.plain, check_plain)]
    try:
        if args.require_inspect and args.inspect:
            check(importlib.util.find_spec("inspect_ai") is not None, "inspect_ai is not installed")
        for folder, fn in checks:
            if folder:
                fn(args.release, folder, rows, sets)
    except Fail as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    print("check_exports: OK")


if __name__ == "__main__":
    main()
