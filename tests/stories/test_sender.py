"""The same-sender rule: names and numbers two reports of one outlet share are not evidence."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.embed import HashingEncoder
from babelwire.model import Article
from babelwire.stories import DEFAULT_PARAMS, pair_features, pair_score
from babelwire.stories.features import ArticleFeatures, compute_features, sender_key
from tests.corpus import PRESS_ACCIDENT as ACCIDENT
from tests.corpus import PRESS_BURGLARY as BURGLARY
from tests.stories.test_features import _article as article_of


def _article(article_id: str, text: str, source: str | None) -> Article:
    return article_of(text, title=text.split(".")[0], id=article_id, lang="de", source=source)


def _pair(source_a: str | None, source_b: str | None) -> tuple[ArticleFeatures, ArticleFeatures]:
    a, b = compute_features(
        [_article("a", BURGLARY, source_a), _article("b", ACCIDENT, source_b)], HashingEncoder(64)
    )
    return a, b


def test_sender_keys_fold_case_and_www() -> None:
    assert sender_key("www.Presse-Nordhafen.example") == "presse-nordhafen.example"
    assert sender_key(" Meridian Wire ") == "meridian wire"
    assert sender_key("") is None and sender_key(None) is None and sender_key("   ") is None


def test_what_one_sender_shares_is_no_evidence() -> None:
    a, b = _pair("presse-nordhafen.example", "www.presse-nordhafen.example")
    rule_off = pair_features(a, b, DEFAULT_PARAMS.with_(same_sender_discount=False))
    rule_on = pair_features(a, b, DEFAULT_PARAMS)
    # without the rule the template makes the two look alike in names and numbers
    assert rule_off[2] > 0.3 and rule_off[3] > 0.3
    # with it, what they share counts for nothing
    assert rule_on[2] == 0.0 and rule_on[3] == 0.0
    # the cosines and the rest are untouched, so the score only loses the template's weight
    assert np.allclose(rule_on[[0, 1, 4, 5]], rule_off[[0, 1, 4, 5]])
    assert pair_score(a, b) < pair_score(a, b, DEFAULT_PARAMS.with_(same_sender_discount=False))


def test_sharing_more_names_never_lowers_the_score_of_one_sender() -> None:
    # one sender: a report with a single name scores as one that shares all of its names
    a, b = _pair("presse-nordhafen.example", "presse-nordhafen.example")
    thin = ArticleFeatures(
        id="c", head=b.head, body=b.body, lang="de", names=frozenset({"nordh"}), source=b.source
    )
    assert pair_score(a, b) == pytest.approx(pair_score(a, thin))


def test_different_or_unknown_senders_keep_the_overlap() -> None:
    off = DEFAULT_PARAMS.with_(same_sender_discount=False)
    for sources in (
        ("presse-nordhafen.example", "nordhafen-kurier.example"),
        (None, None),
        ("x.example", None),
    ):
        a, b = _pair(*sources)
        assert np.array_equal(pair_features(a, b, DEFAULT_PARAMS), pair_features(a, b, off)), sources


def test_too_few_names_on_a_side_counts_for_nothing_too() -> None:
    a, b = _pair("presse-nordhafen.example", "presse-nordhafen.example")
    short = ArticleFeatures(
        id="c", head=b.head, body=b.body, lang="de", names=frozenset({"nordh"}), source=b.source
    )
    assert pair_features(a, short, DEFAULT_PARAMS)[2:4].tolist() == [0.0, 0.0]
    # for two senders the same pair is neutral: too few names to tell
    other = ArticleFeatures(
        id="d", head=b.head, body=b.body, lang="de", names=frozenset({"nordh"}), source="x.example"
    )
    x = pair_features(a, other, DEFAULT_PARAMS)
    assert x[2] == DEFAULT_PARAMS.name_neutral and x[3] == DEFAULT_PARAMS.number_neutral


def test_the_sender_is_stored_with_the_features() -> None:
    a, _ = _pair("presse-nordhafen.example", None)
    assert a.source == "presse-nordhafen.example"
    assert ArticleFeatures.from_bytes(a.to_bytes()).source == a.source
    assert ArticleFeatures.from_dict(a.to_dict()).source == a.source
    stored_before = {k: v for k, v in a.to_dict().items() if k != "source"}
    assert ArticleFeatures.from_dict(stored_before).source is None


def test_an_empty_sender_is_unknown() -> None:
    a, b = _pair(None, None)
    a.source, b.source = "", ""
    off = DEFAULT_PARAMS.with_(same_sender_discount=False)
    assert np.array_equal(pair_features(a, b, DEFAULT_PARAMS), pair_features(a, b, off))
    assert ArticleFeatures.from_dict({**a.to_dict(), "source": " WWW.X.example "}).source == "x.example"
