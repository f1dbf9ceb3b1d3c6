"""Re-checks run in the background worker (web/jobs.py): the request only queues them and answers at
once with a progress page; the worker reads the stored file again and records the result."""
from __future__ import annotations

import pytest

from nianbao.web import jobs
from nianbao.web.models import Event, Recheck

from .conftest import SEED_000, SEED_002, upload

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, HTTP_ACCEPT="application/json")


@pytest.fixture
def reads(monkeypatch):
    """Counts stored files read again (ingest.build: a re-check's or a correction's reading)."""
    from nianbao.web import ingest
    calls = []
    real = ingest.build

    def counting(report, upto=None):
        calls.append(report.pk)
        return real(report, upto)
    monkeypatch.setattr(ingest, "build", counting)
    return calls


def test_recheck_request_reads_nothing_and_shows_progress(clients, users, reads):
    prev = upload(users["city"], SEED_000).files.get().report
    cur = upload(users["city"], SEED_002).files.get().report
    reads.clear()
    resp = post(clients["author_xfl"], f"/reports/{cur.pk}/recheck")
    assert resp.status_code == 202, resp.content
    d = resp.json()
    assert d["status"] == "queued" and reads == []                       # nothing read in the request
    assert not Event.objects.filter(report=cur, kind=Event.RECHECK).exists()
    url = d["url"]
    prog = clients["author_xfl"].get(url + "?format=json").json()
    assert prog["counts"]["queued"] == 1 and prog["counts"]["finished"] == 0
    page = clients["author_xfl"].get(f"/reports/{cur.pk}/?format=json").json()
    assert page["rechecking"] == {"status": "queued", "url": url}
    html = clients["author_xfl"].get(f"/reports/{cur.pk}/").content.decode()
    assert 'id="rechecking"' in html and url in html
    assert jobs.run_pending() == 1 and reads == [cur.pk]                 # the worker reads it
    prog = clients["author_xfl"].get(url + "?format=json").json()
    assert prog["counts"]["done"] == 1 and prog["counts"]["finished"] == 1
    assert prog["items"][0]["summary"].startswith("重新核对：错误")
    e = Event.objects.get(report=cur, kind=Event.RECHECK)
    assert e.user == users["author_xfl"] and e.text == "手动重新核对"
    assert clients["author_xfl"].get(f"/reports/{cur.pk}/?format=json").json()["rechecking"] is None
    page = clients["author_xfl"].get(url).content.decode()
    assert "重新核对" in page and f"/reports/{cur.pk}/" in page
    # the browser form: redirected to the progress page
    r = clients["city"].post(f"/reports/{prev.pk}/recheck")
    assert r.status_code == 302 and r["Location"].startswith("/rechecks/")


def test_progress_pages_belong_to_who_asked(clients, users):
    cur = upload(users["city"], SEED_002).files.get().report
    url = post(clients["author_xfl"], f"/reports/{cur.pk}/recheck").json()["url"]
    assert clients["author_xfl"].get(url).status_code == 200
    assert clients["admin"].get(url).status_code == 200
    for who in ("other", "author_qnl", "city"):
        assert clients[who].get(url).status_code == 404, who
    assert clients["anon"].get(url).status_code == 302
    assert clients["admin"].get("/rechecks/not-a-batch/").status_code == 404


def test_cross_year_rechecks_are_queued_not_run_in_the_request(clients, users, reads):
    """Withdrawing the 2020 report queues the 2021 report's re-check; the request reads no file."""
    prev = upload(users["city"], SEED_000).files.get().report
    cur = upload(users["city"], SEED_002).files.get().report
    assert Recheck.objects.filter(report=prev, status=Recheck.DONE).count() == 1       # 2021 arrived: 2020 re-checked
    reads.clear()
    assert post(clients["city"], f"/reports/{prev.pk}/withdraw", {"reason": "误传"}).status_code == 200
    assert reads == []
    job = Recheck.objects.get(report=cur)
    assert job.status == Recheck.QUEUED and "撤回" in job.why and job.user == users["city"]
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == Recheck.DONE and job.event.kind == Event.RECHECK and reads == [cur.pk]


def test_queued_rechecks_of_one_report_run_once_and_survive_a_restart(clients, users, reads):
    cur = upload(users["city"], SEED_002).files.get().report
    reads.clear()
    urls = [post(clients["city"], f"/reports/{cur.pk}/recheck").json()["url"] for _ in range(3)]
    Recheck.objects.filter(pk=Recheck.objects.order_by("id").last().pk).update(status=Recheck.PROCESSING)
    assert jobs.requeue_stale() == 1                     # a server stopped mid-re-check: queued again
    jobs.run_pending()
    assert reads == [cur.pk]                             # the last one answers those queued before it
    for url in urls:
        assert clients["city"].get(url + "?format=json").json()["counts"]["done"] == 1
    assert Event.objects.filter(report=cur, kind=Event.RECHECK).count() == 1


def test_a_recheck_that_cannot_read_the_file_fails_with_a_reason(clients, users):
    cur = upload(users["city"], SEED_002).files.get().report
    cur.source.storage.delete(cur.source.name)
    url = post(clients["city"], f"/reports/{cur.pk}/recheck").json()["url"]
    jobs.run_pending()
    d = clients["city"].get(url + "?format=json").json()
    assert d["counts"]["failed"] == 1 and "无法读取已保存的原文件" in d["items"][0]["error"]
    assert not Event.objects.filter(report=cur, kind=Event.RECHECK).exists()


def test_a_recheck_that_breaks_answers_every_request_it_took(clients, users, monkeypatch):
    """An unexpected error in a re-check fails it (and the re-checks of the same report it took) with a
    Chinese reason; none is left 「核对中」 and the report keeps its findings."""
    from nianbao.web import review
    cur = upload(users["city"], SEED_002).files.get().report
    before = set(cur.current.findings.values_list("key", flat=True))
    urls = [post(clients["city"], f"/reports/{cur.pk}/recheck").json()["url"] for _ in range(2)]

    def broken(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(review, "recheck", broken)
    jobs.run_pending()
    assert not Recheck.objects.exclude(status=Recheck.FAILED).exists()
    for url in urls:
        d = clients["city"].get(url + "?format=json").json()
        assert d["counts"]["failed"] == 1 and "内部错误：RuntimeError" in d["items"][0]["error"]
    assert set(cur.current.findings.values_list("key", flat=True)) == before
