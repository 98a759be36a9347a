"""Hangul -> Revised Romanization, and reading romanised programme names back to Hangul."""

from __future__ import annotations

import pytest

from chalicelib.policies.romanize import loose_key, read_romanised, reading_table, romanize


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [("버팀목", "beotimmok"), ("도약", "doyak"), ("행복주택", "haengbokjutaek"),
     ("청년", "cheongnyeon"), ("희망두배", "huimangdubae"), ("꿈", "kkum"), ("닭", "dak"),
     ("목이", "mogi"), ("일을", "ireul"), ("서울 K-패스", "seoul K-paeseu")],
)  # fmt: skip
def test_romanize_follows_the_revised_romanization_tables(hangul, latin):
    assert romanize(hangul) == latin


def test_the_loose_key_folds_the_spellings_people_use():
    assert loose_key("Beotimmok") == loose_key("Botimok") == loose_key("beo-tim-mok")
    assert loose_key("Haengbok") == loose_key("hengbok") == loose_key("haengbog")
    assert loose_key("Doyak") != loose_key("Dobak")


TABLE = reading_table(["청년전용 버팀목전세자금", "행복주택(청년)", "희망두배 청년통장"])


@pytest.mark.parametrize(
    ("text", "read"),
    [("Beotimmok youth loan", "버팀목 youth loan"), ("Tell me about Haengbok Jutaek", "Tell me about 행복주택"),
     ("is Huimang Dubae open?", "is 희망두배 open?")],
)  # fmt: skip
def test_romanised_runs_are_read_back_to_the_catalogue_hangul(text, read):
    assert read_romanised(text, TABLE, lambda w: w.lower() in {"loan", "youth"}) == read


@pytest.mark.parametrize(
    "text",
    ["Where can I find help with my monthly rent?", "I need money for my studies and a laptop",
     "Can you compare these two programs for me please?", "What happens after the deadline?"],
)  # fmt: skip
def test_plain_english_is_left_alone(text):
    assert read_romanised(text, TABLE, lambda w: False) == text
