"""Administration: the unit-tree import (ok, idempotent, refused whole with row numbers), the /manage/
pages (administrators only), accounts (weak passwords refused in Chinese, role/unit changes, deactivation,
password reset) and the `import_units` / `adduser` commands."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from nianbao.web.models import Profile, Unit
from nianbao.web.units import UnitImportError, import_units

from .conftest import PASSWORD

GOOD = """名称,上级,层级
后屯村,松林镇,村
临清市松林镇人民政府,临清市,镇
临清市,聊城市,县级市
聊城市,,地级市
临清市烟店镇人民政府,临清市,镇
"""


def write(tmp_path, text: str, name: str = "units.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def names_by_depth():
    return [(u.depth, u.name) for u in Unit.objects.order_by("path")]


# ----------------------------------------------------------------------------------------- import
def test_import_creates_parents_first_and_is_idempotent(db, tmp_path):
    path = write(tmp_path, GOOD)
    assert import_units(path) == {"created": 5, "updated": 0, "unchanged": 0, "total": 5}
    city = Unit.objects.get(name="临清市")
    assert city.parent.name == "聊城市" and city.level == "县级市"
    village = Unit.objects.get(name="后屯村")
    assert village.depth == 3 and [a.name for a in village.ancestors()] == ["聊城市", "临清市", "临清市松林镇人民政府"]
    assert village.path.startswith(city.path)
    assert Unit.objects.get(key="松林镇").parent == city
    before = names_by_depth()
    assert import_units(path) == {"created": 0, "updated": 0, "unchanged": 5, "total": 5}
    assert names_by_depth() == before and Unit.objects.count() == 5


def test_import_updates_level_and_adds_to_existing_tree(db, tmp_path):
    import_units(write(tmp_path, GOOD))
    changed = GOOD.replace("后屯村,松林镇,村", "后屯村,松林镇,行政村") + "康庄镇人民政府,临清市,镇\n"
    assert import_units(write(tmp_path, changed)) == {"created": 1, "updated": 1, "unchanged": 4, "total": 6}
    assert Unit.objects.get(name="后屯村").level == "行政村"
    # a file that only lists new units under an existing one
    assert import_units(write(tmp_path, "名称,上级\n青年路街道办事处,临清市\n", "more.csv"))["created"] == 1
    assert Unit.objects.get(key="青年路街道").parent.name == "临清市"


def test_import_xlsx(db, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in [["名称", "上级", "层级"], ["临清市", None, "县级市"], [None, None, None],
                ["临清市先锋路街道办事处", "临清市", "街道"]]:
        ws.append(row)
    path = str(tmp_path / "单位.xlsx")
    wb.save(path)
    assert import_units(path)["created"] == 2
    assert Unit.objects.get(key="先锋路街道").parent.name == "临清市"


def test_import_gbk_csv_from_excel(db, tmp_path):
    p = tmp_path / "单位.csv"
    p.write_bytes("名称,上级,层级\r\n临清市,,县级市\r\n临清市烟店镇人民政府,临清市,镇\r\n".encode("gbk"))
    assert import_units(str(p))["created"] == 2
    assert Unit.objects.get(key="烟店镇").level == "镇"


@pytest.mark.parametrize("text, row, words", [
    ("名称,上级\n临清市,\n先锋路街道,临清县\n", 3, ["临清县", "不在文件中"]),
    ("名称,上级\n甲镇,乙镇\n乙镇,甲镇\n临清市,\n", 2, ["成环", "甲镇", "乙镇"]),
    ("名称,上级\n临清市,\n先锋路街道办事处,临清市\n临清市先锋路街道办事处,临清市\n", 4, ["重复", "第 3 行"]),
    ("名称,上级\n临清市,\n,临清市\n", 3, ["名称为空"]),
    ("名称,上级\n临清市,临清市\n", 2, ["它自己"]),
])
def test_bad_file_refused_whole_with_row_numbers(db, tmp_path, text, row, words):
    Unit.objects.create(name="已有单位", key="已有单位")
    with pytest.raises(UnitImportError) as e:
        import_units(write(tmp_path, text))
    assert (row, ) == tuple(r for r, _ in e.value.problems[:1])
    assert f"第 {row} 行" in e.value.message and "未导入任何单位" in e.value.message
    for w in words:
        assert w in e.value.message
    assert list(Unit.objects.values_list("name", flat=True)) == ["已有单位"]      # nothing half-imported


@pytest.mark.parametrize("text, words", [("", ["空"]), ("名称,上级,层级\n", ["没有任何单位"]),
                                         ("单位名,上级单位\n甲,\n", ["名称、上级"])])
def test_empty_or_headless_file_refused(db, tmp_path, text, words):
    with pytest.raises(UnitImportError) as e:
        import_units(write(tmp_path, text))
    assert all(w in e.value.message for w in words), e.value.message
    assert Unit.objects.count() == 0


# ----------------------------------------------------------------------------------------- pages and permissions
def test_manage_is_for_administrators_only(clients, tree):
    for who in ("city", "other", "author_xfl", "norole"):
        r = clients[who].get("/manage/?format=json")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", who
        assert clients[who].get("/manage/users/1/").status_code == 403
    assert clients["anon"].get("/manage/").status_code == 302
    assert clients["anon"].get("/manage/").url.startswith("/login/")
    assert clients["anon"].get("/manage/?format=json").status_code == 401
    f = SimpleUploadedFile("u.csv", "名称,上级\n新单位,\n".encode())
    assert clients["city"].post("/manage/units/", {"file": f}).status_code == 403
    r = clients["author_xfl"].post("/manage/users/", {"username": "x", "role": "admin", "password": PASSWORD})
    assert r.status_code == 403
    assert not Unit.objects.filter(name="新单位").exists() and not User.objects.filter(username="x").exists()


def test_manage_page_lists_tree_and_users(clients, users, tree):
    d = clients["admin"].get("/manage/?format=json").json()
    assert [(u["name"], u["depth"]) for u in d["units"]] == [
        ("临清市", 0), ("临清市先锋路街道办事处", 1), ("临清市青年路街道办事处", 1), ("其他县", 0), ("平湖街道办事处", 1)]
    by_name = {u["username"]: u for u in d["users"]}
    assert by_name["city"]["role_label"] == "审核人" and by_name["city"]["unit"]["name"] == "临清市"
    assert by_name["admin"]["role"] == "admin" and by_name["norole"]["role_label"] == "未分配"
    html = clients["admin"].get("/manage/").content.decode()
    assert "导入单位表" in html and "新建账号" in html and "\u3000临清市先锋路街道办事处" in html


def test_upload_units_file_shows_counts_or_row_errors(clients, tree):
    f = SimpleUploadedFile("单位.csv", "名称,上级,层级\n后屯村,先锋路街道,村\n临清市,,县级市\n".encode())
    r = clients["admin"].post("/manage/units/", {"file": f})
    html = r.content.decode()
    assert r.status_code == 200 and "新建 1 个" in html and "未变 1 个" in html
    assert Unit.objects.get(name="后屯村").parent == tree["xfl"]
    bad = SimpleUploadedFile("坏.csv", "名称,上级\n甲,\n乙,不存在的镇\n".encode())
    r = clients["admin"].post("/manage/units/", {"file": bad})
    assert r.status_code == 400
    html = r.content.decode()
    assert "第 3 行" in html and "不存在的镇" in html and "未导入" in html
    assert not Unit.objects.filter(name="甲").exists()
    bad.seek(0)
    r = clients["admin"].post("/manage/units/?format=json", {"file": bad})
    e = r.json()["error"]
    assert e["code"] == "units-invalid" and e["problems"] == [{"row": 3, "message": "上级“不存在的镇”不在文件中，也不是已有单位"}]
    r = clients["admin"].post("/manage/units/?format=json", {"file": SimpleUploadedFile("u.doc", b"x")})
    assert r.status_code == 400 and ".xlsx" in r.json()["error"]["message"]
    r = clients["admin"].post("/manage/units/?format=json", {"file": SimpleUploadedFile("u.xlsx", b"not a zip")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "units-invalid"


def test_create_user_weak_password_refused_in_chinese(clients, tree):
    r = clients["admin"].post("/manage/users/", {"username": "zhang", "display_name": "张三", "role": "reviewer",
                                                 "unit": tree["city"].pk, "password": "1234"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "密码太短，至少需要 8 个字符" in html and "密码不能全是数字" in html
    assert 'value="zhang"' in html                       # the form keeps what was typed
    assert not User.objects.filter(username="zhang").exists()
    r = clients["admin"].post("/manage/users/?format=json", {"username": "zhang", "role": "reviewer",
                                                             "unit": tree["city"].pk, "password": "password"})
    e = r.json()["error"]
    assert e["code"] == "invalid" and e["fields"]["password"] == ["密码太常见，容易被猜到。"]


def test_create_user_and_log_in(clients, tree):
    r = clients["admin"].post("/manage/users/", {"username": "zhang", "display_name": "张三", "role": "reviewer",
                                                 "unit": tree["city"].pk, "password": "Qinghe-River-88"})
    assert r.status_code == 302
    u = User.objects.get(username="zhang")
    assert u.profile.role == Profile.REVIEWER and u.profile.unit == tree["city"] and u.profile.display_name == "张三"
    c = Client()
    assert c.login(username="zhang", password="Qinghe-River-88")
    assert c.get(f"/regions/{tree['city'].pk}/?format=json").status_code == 200
    assert c.get(f"/regions/{tree['other'].pk}/?format=json").status_code == 404


@pytest.mark.parametrize("form, field, words", [
    ({"username": "city", "role": "admin"}, "username", "已被使用"),
    ({"username": "li", "role": "reviewer"}, "unit", "必须选择单位"),
    ({"username": "li", "role": "boss"}, "role", "请选择角色"),
    ({"username": "li si", "role": "admin"}, "username", "空格"),
])
def test_create_user_form_errors(clients, users, form, field, words):
    r = clients["admin"].post("/manage/users/?format=json", {**form, "password": "Qinghe-River-88"})
    assert r.status_code == 400
    assert words in "".join(r.json()["error"]["fields"][field])
    assert User.objects.filter(username=form["username"]).count() == (1 if form["username"] == "city" else 0)


def test_change_role_and_unit(clients, users, tree):
    uid = users["author_xfl"].pk
    r = clients["admin"].post(f"/manage/users/{uid}/", {"role": "reviewer", "unit": tree["other"].pk,
                                                        "display_name": "李四"})
    assert r.status_code == 302
    p = Profile.objects.get(user_id=uid)
    assert (p.role, p.unit, p.display_name) == ("reviewer", tree["other"], "李四")
    assert clients["author_xfl"].get(f"/regions/{tree['other'].pk}/?format=json").status_code == 200
    d = clients["admin"].get(f"/manage/users/{uid}/?format=json").json()
    assert d["account"]["role_label"] == "审核人" and d["account"]["unit"]["name"] == "其他县"
    html = clients["admin"].get(f"/manage/users/{uid}/").content.decode()
    assert "账号 author_xfl（李四）" in html and 'href="/manage/"' in html and "退出" in html    # the page header too
    assert f'<option value="{tree["other"].pk}" selected>' in html
    r = clients["admin"].post(f"/manage/users/{users['admin'].pk}/?format=json", {"role": "author",
                                                                                 "unit": tree["xfl"].pk})
    assert r.status_code == 400 and "超级管理员" in r.json()["error"]["message"]
    r = clients["admin"].post(f"/manage/users/{uid}/?format=json", {"role": "author", "unit": ""})
    assert r.status_code == 400 and "必须选择单位" in r.json()["error"]["message"]
    assert clients["admin"].get("/manage/users/99999/?format=json").status_code == 404


def test_deactivate_reactivate_and_reset_password(clients, users, tree):
    uid = users["city"].pk
    assert clients["city"].get(f"/regions/{tree['city'].pk}/").status_code == 200
    r = clients["admin"].post(f"/manage/users/{uid}/deactivate/")
    assert r.status_code == 302 and not User.objects.get(pk=uid).is_active
    assert clients["city"].get(f"/regions/{tree['city'].pk}/").status_code == 302      # its session has ended
    assert not Client().login(username="city", password=PASSWORD)
    html = clients["admin"].get("/manage/").content.decode()
    assert "已停用" in html
    clients["admin"].post(f"/manage/users/{uid}/activate/")
    assert Client().login(username="city", password=PASSWORD)
    r = clients["admin"].post(f"/manage/users/{uid}/password/?format=json", {"password": "12345678"})
    assert r.status_code == 400 and "全是数字" in r.json()["error"]["message"]
    assert Client().login(username="city", password=PASSWORD)                          # unchanged
    r = clients["admin"].post(f"/manage/users/{uid}/password/", {"password": "Wei-River-2027"})
    assert r.status_code == 302
    assert not Client().login(username="city", password=PASSWORD)
    assert Client().login(username="city", password="Wei-River-2027")
    r = clients["admin"].post(f"/manage/users/{users['admin'].pk}/deactivate/?format=json")
    assert r.status_code == 400 and "自己" in r.json()["error"]["message"]


def test_manage_posts_need_csrf(users, tree):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["admin"])
    r = c.post("/manage/users/", {"username": "x", "role": "admin", "password": "Qinghe-River-88"})
    assert r.status_code == 403 and "CSRF" in r.content.decode()
    assert not User.objects.filter(username="x").exists()


# ----------------------------------------------------------------------------------------- commands
def test_import_units_command(db, tmp_path):
    out = io.StringIO()
    call_command("import_units", write(tmp_path, GOOD), stdout=out)
    assert "新建 5" in out.getvalue()
    call_command("import_units", write(tmp_path, GOOD), stdout=out)
    assert "未变 5" in out.getvalue()
    with pytest.raises(CommandError) as e:
        call_command("import_units", write(tmp_path, "名称,上级\n甲,不存在\n", "bad.csv"))
    assert "第 2 行" in str(e.value) and "不存在" in str(e.value)
    assert Unit.objects.count() == 5


def test_adduser_command(tree):
    out = io.StringIO()
    call_command("adduser", "zhang", role="reviewer", unit="临清市", name="张三", password_stdin=True,
                 stdin=io.StringIO("Qinghe-River-88\n"), stdout=out)
    assert "已创建账号 zhang（审核人，临清市）" in out.getvalue()
    u = User.objects.get(username="zhang")
    assert u.check_password("Qinghe-River-88") and u.profile.unit == tree["city"] and u.profile.display_name == "张三"
    call_command("adduser", "wang", role="author", unit="先锋路街道", password_stdin=True,     # the normalised name
                 stdin=io.StringIO("Qinghe-River-88\n"), stdout=out)
    assert User.objects.get(username="wang").profile.unit == tree["xfl"]
    call_command("adduser", "boss", role="admin", password_stdin=True, stdin=io.StringIO("Qinghe-River-88\n"),
                 stdout=out)
    assert User.objects.get(username="boss").profile.role == "admin"
    with pytest.raises(CommandError, match="全是数字"):
        call_command("adduser", "li", role="author", unit="临清市", password_stdin=True, stdin=io.StringIO("12345678\n"))
    with pytest.raises(CommandError, match="找不到单位“不存在县”"):
        call_command("adduser", "li", role="author", unit="不存在县", password_stdin=True,
                     stdin=io.StringIO("Qinghe-River-88\n"))
    with pytest.raises(CommandError, match="必须选择单位"):
        call_command("adduser", "li", role="reviewer", password_stdin=True, stdin=io.StringIO("Qinghe-River-88\n"))
    with pytest.raises(CommandError, match="已被使用"):
        call_command("adduser", "zhang", role="admin", password_stdin=True, stdin=io.StringIO("Qinghe-River-88\n"))
    assert not User.objects.filter(username="li").exists()
