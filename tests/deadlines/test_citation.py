"""A rule's source in the regulation's words (issue 31 §2): «004 §5.5» is for scripts, papers say «п. 5.5 Порядка …».

The packaged [[document]] tables name every document a packaged rule cites; a region's own file names its own
order, and a citation whose document is unknown prints as written, but never with «§».
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sopcli.deadlines.explain import cite, cite_all
from sopcli.deadlines.rulebook import RulebookError, load_rulebook, parse_rulebook

NB = "\u00a0"


def words(text: str) -> str:
    return text.replace(NB, " ")


def test_every_packaged_rule_cites_a_document_the_rulebook_names_and_prints_no_code():
    book = load_rulebook()
    for rule in book.rules:
        said = cite(rule.source, book.documents)
        assert "§" not in said and not re.search(r"\b\d{3}\b(?! \S+-ФЗ)", said.replace("120-ФЗ", "")), (rule.id, said)
        assert said != rule.source, rule.id


@pytest.mark.parametrize(("source", "expected"), [
    ("004 §5.5", "п. 5.5 Порядка межведомственного взаимодействия органов"),
    ("001 §2.5.1(б)", "подп. «б» п. 2.5.1 Методических рекомендаций о типовых формах"),
    ("004 §7.1(3)(а)", "подп. «а» подп. 3 п. 7.1 Порядка"),
    ("000 §2", "разд. 2 Алгоритма взаимодействия комиссий"),
    ("001 §2.5; 120-ФЗ ст. 9 п. 2", "п. 2.5 Методических рекомендаций"),
    ("001 прил. 1", "приложение № 1 Методических рекомендаций"),
    ("002", "Межведомственный комплекс дополнительных мер"),
])
def test_a_citation_reads_as_the_clause_and_the_documents_name(source, expected):
    assert words(cite(source, load_rulebook().documents)).startswith(expected)


def test_the_law_is_cited_article_after_point_and_numbers_never_leave_their_words():
    said = cite("001 §2.5; 120-ФЗ ст. 9 п. 2", load_rulebook().documents)
    assert words(said).endswith("; п. 2 ст. 9 Федерального закона от 24.06.1999 № 120-ФЗ «Об основах системы "
                                "профилактики безнадзорности и правонарушений несовершеннолетних»")
    assert f"п.{NB}2 ст.{NB}9" in said and f"№{NB}120-ФЗ" in said and f"2021{NB}г." in said  # never wrapped apart


def test_a_column_takes_the_short_name_and_several_rules_gather_by_document():
    book = load_rulebook()
    assert words(cite("004 §5.5", book.documents, short=True)) == "п. 5.5 Порядка РМЭ (2019 г.)"
    gathered = words(cite_all(["004 §5.3", "004 §4.7", "001 §2.5.1(л)", "004 §5.3"], book.documents))
    assert gathered.startswith("п. 5.3, п. 4.7 Порядка межведомственного")
    assert gathered.count("Порядка") == 1 and "; подп. «л» п. 2.5.1 Методических рекомендаций" in gathered


def test_a_regions_file_names_its_own_order_and_an_unknown_one_prints_as_written():
    base = load_rulebook()
    own = Path(__file__).resolve().parents[2] / "examples" / "sverdlovsk-188-pp.toml"
    book = parse_rulebook(own.read_text("utf-8"), "sverdlovsk", base=base)
    assert words(cite("188-ПП п. 19", book.documents, short=True)) == \
        "п. 19 Порядка (постановление Правительства Свердловской области № 188-ПП)"
    assert words(cite("Пост. КДН и ЗП Пермского края № 7, прил. 13 п. 3", book.documents)) == \
        "Пост. КДН и ЗП Пермского края № 7, прил. 13 п. 3"
    assert "§" not in cite("999 §4.1", book.documents)


SET = '[[set]]\nid = "own"\ntitle = "Свой"\nextends = ["federal"]\n'


@pytest.mark.parametrize(("document", "message"), [
    ('[[document]]\nid = "001"\ntitle = "x"\ngenitive = "x"\n', "уже есть"),
    ('[[document]]\nid = "77-ОЗ"\ntitle = "x"\n', "genitive"),
    ('[[document]]\nid = "77-ОЗ"\ntitle = "x"\ngenitive = "x"\nauthor = "y"\n', "genitive"),
    ('[[document]]\nid = "77-ОЗ"\ntitle = ""\ngenitive = "x"\n', "до 500 знаков"),
])
def test_a_wrong_document_in_a_regions_file_is_refused_by_its_line(document, message):
    with pytest.raises(RulebookError) as err:
        parse_rulebook(SET + document, "свод региона", base=load_rulebook())
    assert message in err.value.message and "строка 5" in err.value.message
