"""The web app matches a report to a unit by the corpus's unit identity (tree path, full name), never by a
short name two places share: two 先锋路街道办事处 in two cities stay two units; a name both fit is not
assigned and lists both; another city's report is never filed under the chosen or the author's unit."""
from __future__ import annotations

import pytest

from nianbao.web.models import Profile, Report, Unit, UploadFile
from nianbao.web.units import find_unit, match_unit

from .conftest import SEED_000, SEED_002, make_user, upload


@pytest.fixture
def shimen(tree):
    city = Unit.objects.create(name="石门市", key="石门市", level="市")
    district = Unit.objects.create(name="长安区", key="长安区", parent=city, level="区")
    street = Unit.objects.create(name="先锋路街道办事处", key="先锋路街道", parent=district, level="街道")
    return {"city": city, "district": district, "street": street,
            "reviewer": make_user("shimen", Profile.REVIEWER, city),
            "author": make_user("shimen_xfl", Profile.AUTHOR, street)}


def last_file() -> UploadFile:
    return UploadFile.objects.order_by("-pk").first()


def test_match_unit_uses_paths_and_full_names(tree, shimen):
    units = Unit.objects.all()
    assert match_unit("临清市先锋路街道办事处", units) == ([tree["xfl"]], "exact")
    assert match_unit("长安区先锋路街道办事处", units) == ([shimen["street"]], "exact")
    assert match_unit("石门市先锋路街道", units) == ([shimen["street"]], "rule")
    found, how = match_unit("先锋路街道", units)              # both cities' street offices: never one of them
    assert how == "ambiguous" and set(found) == {tree["xfl"], shimen["street"]}
    found, how = match_unit("临清市先锋路街道办事处", Unit.objects.filter(pk=shimen["street"].pk))
    assert (found, how) == ([shimen["street"]], "near")      # the same name at another place
    assert match_unit("先锋路街道", tree["city"].subtree()) == ([tree["xfl"]], "rule")
    assert find_unit("石门市/长安区/先锋路街道办事处") == (shimen["street"], "")
    unit, why = find_unit("先锋路街道")
    assert unit is None and "临清市／临清市先锋路街道办事处" in why and "石门市／长安区／先锋路街道办事处" in why


def test_a_name_two_cities_share_is_not_assigned_and_lists_both(users, tree, shimen):
    upload(users["admin"], SEED_000)            # prints only 先锋路街道 (2020)
    uf = last_file()
    assert uf.status == "failed" and uf.report is None and Report.objects.count() == 0
    assert "对应多个单位" in uf.error and "临清市／临清市先锋路街道办事处" in uf.error
    assert "石门市／长安区／先锋路街道办事处" in uf.error
    upload(users["city"], SEED_000)             # within 临清市 the name fits one unit
    assert Report.objects.get().unit == tree["xfl"]


def test_another_citys_street_office_is_never_filed_under_ours(users, tree, shimen):
    """Seed 002 is 临清市先锋路街道办事处's. Matched by the short name 先锋路街道 it went to 石门市's."""
    upload(shimen["reviewer"], SEED_002)
    uf = last_file()
    assert uf.status == "failed" and "临清市先锋路街道办事处" in uf.error and "不属于" in uf.error
    upload(shimen["reviewer"], SEED_002, unit=shimen["street"])      # chosen explicitly: still another place's
    uf = last_file()
    assert uf.status == "failed" and "临清市先锋路街道办事处" in uf.error and "不属于" in uf.error
    upload(shimen["author"], SEED_002)
    assert last_file().status == "failed" and "不属于" in last_file().error
    assert Report.objects.count() == 0
    upload(users["admin"], SEED_002)            # the whole tree: the full name settles it
    assert Report.objects.get().unit == tree["xfl"]


def test_a_unit_not_in_the_tree_is_not_filed_under_a_same_named_one_elsewhere(tree, shimen):
    Unit.objects.filter(pk=tree["xfl"].pk).delete()   # 临清市先锋路街道办事处 not imported (yet)
    upload(shimen["author"], SEED_002)                  # the author's own unit is 石门市's 先锋路街道办事处
    uf = last_file()
    assert uf.status == "failed" and "地名不符" in uf.error and "石门市／长安区／先锋路街道办事处" in uf.error
    upload(shimen["reviewer"], SEED_002, unit=shimen["street"])
    assert last_file().status == "failed" and "地名不符" in last_file().error
    assert Report.objects.count() == 0


def test_a_renamed_moved_or_imported_unit_is_matched_as_it_is_now(tree, shimen):
    units = Unit.objects.all
    assert match_unit("长安区先锋路街道办事处", units()) == ([shimen["street"]], "exact")
    street = shimen["street"]                   # renamed after a match: the old name no longer fits it
    Unit.objects.filter(pk=street.pk).update(name="东风路街道办事处")
    assert match_unit("长安区先锋路街道办事处", units()) == ([], "unknown")
    assert match_unit("长安区东风路街道办事处", units()) == ([street], "exact")
    district = shimen["district"]               # its district renamed: the new place name fits, the old one not
    Unit.objects.filter(pk=district.pk).update(name="新安区")
    assert match_unit("新安区东风路街道办事处", units()) == ([street], "exact")
    assert match_unit("长安区东风路街道办事处", units())[1] != "exact"
    new = Unit.objects.create(name="东风路街道办事处", key="东风路街道", parent=tree["city"], level="街道")
    found, how = match_unit("东风路街道", units())       # a second one imported: now ambiguous
    assert how == "ambiguous" and set(found) == {street, new}
