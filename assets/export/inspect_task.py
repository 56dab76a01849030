
# ---- inspect_ai task ---------------------------------------------------------------------
# Run: inspect eval task.py --model <model>
import os

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import CORRECT, INCORRECT, Score, Target, accuracy, grouped, scorer, stderr
from inspect_ai.solver import TaskState, generate

HERE = os.path.dirname(os.path.abspath(__file__))


@scorer(metrics=[accuracy(), stderr(), grouped(accuracy(), "group", all=False)])
def blindspot_answer():
    """Reads the reply with the sample's answer format, by blindspot's rules."""

    async def score_reply(state: TaskState, target: Target) -> Score:
        fmt = FORMATS[state.metadata["answer_format"]]
        reply = state.output.completion
        answer, reason = parse(fmt, reply)
        outcome = score(fmt, reply, target.text)
        value = CORRECT if outcome == "correct" else INCORRECT
        return Score(value=value, answer=answer, explanation=reason or outcome, metadata={"outcome": outcome})

    return score_reply


@task
def __TASK__():
    return Task(
        dataset=json_dataset(os.path.join(HERE, "test.jsonl")),
        solver=generate(),
        scorer=blindspot_answer(),
        config=GenerateConfig(temperature=0.0),
    )
