"""`init` shows the municipality as the papers print it, in the genitive, and takes the secretary's own form once."""

from __future__ import annotations

from tests.conftest import ok


def test_init_shows_the_declined_form_and_the_secretarys_own_wins(sop, sop_env, tmp_path):
    sop_env["SOPCLI_DB"] = str(tmp_path / "registry.db")
    first = ok(sop("init", "--new", "--rules", "mari-el", "--municipality", "городской округ «Город Йошкар-Ола»")).out
    assert ("В документах: «Комиссия по делам несовершеннолетних и защите их прав городского округа «Город "
            "Йошкар-Ола»» (склонено по правилам — проверьте)") in first
    assert "sopcli init --municipality-genitive" in first
    own = "городского округа «Город Йошкар-Ола» Республики Марий Эл"
    second = ok(sop("init", "--new", "--municipality-genitive", own, "--json")).json()
    assert second["municipality_genitive"] == {"text": own, "source": "given"}
    assert "(задан вами)" in ok(sop("init", "--new")).out
    # a new municipality: the genitive given for the old one no longer holds
    moved = ok(sop("init", "--new", "--municipality", "Йошкар-Ола", "--json")).json()
    assert moved["municipality_genitive"] == {"text": "Йошкар-Ола", "source": "as-typed"}
