"""The desk's automatic answers on the public evaluation set (bench/desk_eval.py) stay right.

Every inquiry of bench/data/desk_inquiries.jsonl goes through ``POST /api/inquiries`` on the
local stack (offline AI). A wrong automatic answer is the worst outcome, so precision is pinned
at 1.0; recall may not fall below the measured floor (raise ``RECALL_FLOOR`` when it improves;
``python -m bench.desk_eval`` prints the figures).
"""

from __future__ import annotations

from bench.desk_eval import DeskProbe, load_inquiry_set, run_inquiries, score_answers

# Measured 2026-12 with decide() and the offline match score: 29 of 55 answerable (0.53), after
# the term reader learnt Korean endings, synonyms by e5 word vectors and rivals by kind of
# question (and a conditional stopped counting as a report on the customer's order); 26 of 55
# (0.47) before that, and 12 of 55 (0.22) before the question+entry similarity and margin-led
# score.
RECALL_FLOOR = 0.49


def test_no_automatic_answer_is_wrong_and_recall_keeps_its_floor(client, stack):
    tenants, inquiries = load_inquiry_set()
    results = run_inquiries(DeskProbe(stack, client, wait=30), tenants, inquiries)
    score = score_answers(results)
    assert score["inquiries"] == len(inquiries) and score["pending"] == 0
    assert score["wrong"] == [] and score["precision"] == 1.0, score["wrong"]
    assert score["recall"] >= RECALL_FLOOR, score
    assert score["human"]["security"] == {"escalated": 8, "desk reason: security": 8}
