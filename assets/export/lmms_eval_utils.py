
# ---- lmms-eval hooks ---------------------------------------------------------------------
# The task YAML reads `image`, `prompt` and `groundtruth` by column name; these two functions
# score the replies with each row's `answer_format`.

# Score group of each task id (the release manifest's `group`), for `accuracy_by_task`.
GROUPS = __GROUPS__


def process_results(doc, results):
    """Scores one reply: accuracy, its group for `accuracy_by_task`, and unparseable."""
    outcome = score(FORMATS[doc["answer_format"]], results[0], doc["groundtruth"])
    group = GROUPS.get(doc["task_id"], doc["task"])
    return {
        "accuracy": float(outcome == "correct"),
        "accuracy_by_task": {"group": group, "outcome": outcome},
        "unparseable": float(outcome == "unparseable"),
    }


def aggregate_by_task(items):
    """Accuracy per score group, and `mean`: their unweighted mean."""
    totals, correct = {}, {}
    for item in items:
        group = item["group"]
        totals[group] = totals.get(group, 0) + 1
        correct[group] = correct.get(group, 0) + (item["outcome"] == "correct")
    out = {group: correct[group] / totals[group] for group in totals}
    out["mean"] = sum(out.values()) / len(totals) if totals else 0.0
    return out
