import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def require(missing: str | None) -> None:
    """A test that needs a tool the machine may lack (chromium, soffice, PostgreSQL, a CJK font): skipped
    with the reason on a developer's machine, a failure in CI (env CI set), where the tool must be there."""
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(missing + " (CI installs it, so it must not be missing there)")
    pytest.skip(missing)


def cjk_font_missing() -> str | None:
    from nianbao.corpus.charts import _setup
    from nianbao.errors import NianbaoError
    try:
        _setup()
    except NianbaoError as e:
        return f"no CJK font for the charts ({e.message_en}); apt-get install fonts-noto-cjk or set NIANBAO_FONT"
    return None


@pytest.fixture
def cjk_font():
    """Charts need a CJK font: skipped outside CI, a failure in CI."""
    require(cjk_font_missing())
